/**
 * The Assets write for a planned operation, with references resolved: a target created earlier in the same run is
 * found by Entra id in `created`. Which attributes are references comes from the run's definition, not from their
 * names. Used by the write stage (and by the benchmark's baseline, so both write exactly the same values).
 */
import { isReferenceTarget, type ObjectWrite, type PlannedValues, type ReferenceTarget } from '../domain/object-values';
import type { ObjectTypeDefinition } from '../domain/schema-definition';
import type { SyncOperation } from '../domain/sync-operations';

/** The Assets write for an operation, with references resolved; null when there is nothing to write. */
export function toWriteRequest(
  type: ObjectTypeDefinition,
  op: SyncOperation,
  created: ReadonlyMap<string, string>,
): { objectId: string | null; values: ObjectWrite } | null {
  switch (op.kind) {
    case 'create':
      return { objectId: null, values: toWrite(type, op.values, created) };
    case 'update':
    case 'inactivate':
      return { objectId: op.objectId, values: toWrite(type, op.changes, created) };
    case 'manager-link': {
      const objectId = created.get(op.entraUserId);
      if (objectId === undefined) return null; // its create failed: the next run creates it with its manager
      return { objectId, values: toWrite(type, { manager: op.manager, managerAtlassianAccountId: op.managerAtlassianAccountId }, created) };
    }
  }
}

/**
 * A reference that cannot be written yet (its target's create failed) is left empty, and so is every attribute
 * the definition marks as describing that reference (`describes`: the manager's account id), so an object never
 * names a manager it does not link to.
 */
function toWrite(type: ObjectTypeDefinition, values: PlannedValues, created: ReadonlyMap<string, string>): ObjectWrite {
  const out: ObjectWrite = {};
  const unresolved: string[] = [];
  for (const attribute of type.attributes) {
    const value = values[attribute.key];
    if (value === undefined) continue;
    if (attribute.kind.type === 'reference' && Array.isArray(value)) {
      // A list (an Employee's Groups): a target whose create failed is left out; the next run adds it.
      out[attribute.key] = value.map((target) => resolve(target, created)).filter((id): id is string => id !== null);
      continue;
    }
    if (attribute.kind.type === 'reference') {
      const target = isReferenceTarget(value) ? value : null;
      const objectId = resolve(target, created);
      out[attribute.key] = objectId;
      if (objectId === null && target !== null) unresolved.push(attribute.key);
      continue;
    }
    out[attribute.key] = typeof value === 'object' && value !== null ? null : value;
  }
  for (const attribute of type.attributes) {
    if (attribute.describes !== undefined && unresolved.includes(attribute.describes)) out[attribute.key] = null;
  }
  return out;
}

function resolve(target: ReferenceTarget | null, created: ReadonlyMap<string, string>): string | null {
  if (target === null) return null;
  return target.objectId ?? created.get(target.entraUserId) ?? null;
}
