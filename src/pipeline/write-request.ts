/**
 * The Assets write for a planned operation, with manager references resolved: a manager created earlier in the
 * same run is found by Entra User ID in `created`. Used by the write stage (and by the benchmark's baseline, so
 * both write exactly the same values).
 */
import type { EmployeeAttributeKey } from '../domain/employee';
import type { ManagerTarget, PlannedChanges, SyncOperation } from '../domain/sync-operations';
import type { EmployeeWrite } from './ports';

/** The Assets write for an operation, with manager references resolved; null when there is nothing to write. */
export function toWriteRequest(op: SyncOperation, created: ReadonlyMap<string, string>): { objectId: string | null; values: EmployeeWrite } | null {
  switch (op.kind) {
    case 'create':
      return { objectId: null, values: toWrite(op.values, created) };
    case 'update':
    case 'inactivate':
      return { objectId: op.objectId, values: toWrite(op.changes, created) };
    case 'manager-link': {
      const objectId = created.get(op.entraUserId);
      if (objectId === undefined) return null; // its create failed: the next run creates it with its manager
      return { objectId, values: toWrite({ manager: op.manager, managerAtlassianAccountId: op.managerAtlassianAccountId }, created) };
    }
  }
}

function toWrite(values: PlannedChanges, created: ReadonlyMap<string, string>): EmployeeWrite {
  const out: EmployeeWrite = {};
  for (const [key, value] of Object.entries(values) as [keyof PlannedChanges, PlannedChanges[keyof PlannedChanges]][]) {
    if (value === undefined) continue;
    if (key === 'manager') {
      const managerObjectId = resolveManager(value as ManagerTarget | null, created);
      out.managerObjectId = managerObjectId;
      // A reference that cannot be written yet (the manager's create failed) leaves both manager fields empty.
      if (managerObjectId === null && value !== null) out.managerAtlassianAccountId = null;
      continue;
    }
    if (key === 'managerAtlassianAccountId' && out.managerAtlassianAccountId === null && 'managerObjectId' in out) continue;
    (out as Record<EmployeeAttributeKey | string, unknown>)[key] = value;
  }
  return out;
}

function resolveManager(target: ManagerTarget | null, created: ReadonlyMap<string, string>): string | null {
  if (target === null) return null;
  return target.objectId ?? created.get(target.entraUserId) ?? null;
}
