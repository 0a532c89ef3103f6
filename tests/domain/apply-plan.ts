/**
 * Applies a sync plan to an in-memory Assets state the way the writer will: creates by wave (minting object ids
 * and resolving managers created earlier in the run), then updates and inactivations, then manager links. Throws on
 * anything a real writer could not do (a manager referenced before it exists, an unknown object), so property tests
 * also check that the plan's write order is sound.
 */
import type { AssetsObject } from '../../src/domain/assets-object';
import type { ObjectValues, PlannedValues } from '../../src/domain/object-values';
import type { SyncPlan } from '../../src/domain/plan-sync';
import type { ManagerTarget } from '../../src/domain/sync-operations';

export interface AppliedState {
  readonly objects: AssetsObject[];
  readonly nextObjectId: number;
}

export function applyPlan(objects: readonly AssetsObject[], plan: SyncPlan, firstNewId = 900_000): AppliedState {
  const byId = new Map<string, AssetsObject>(objects.map((o) => [o.objectId, { ...o, values: { ...o.values } }]));
  const createdByEntraId = new Map<string, { objectId: string; wave: number }>();
  let nextId = firstNewId;
  let lastWave = 0;

  /** During creates, a manager created in this run must come from an earlier wave. */
  const resolve = (target: ManagerTarget | null, currentWave = Number.POSITIVE_INFINITY): string | null => {
    if (target === null) return null;
    if (target.objectId !== null) {
      if (!byId.has(target.objectId)) throw new Error(`manager object ${target.objectId} does not exist`);
      return target.objectId;
    }
    const created = createdByEntraId.get(target.entraUserId);
    if (created === undefined || created.wave >= currentWave) {
      throw new Error(`manager ${target.entraUserId} referenced before it was created`);
    }
    return created.objectId;
  };
  const write = (values: ObjectValues, changes: PlannedValues): ObjectValues => {
    const result = { ...values };
    for (const [key, value] of Object.entries(changes)) {
      if (key === 'manager') result.manager = resolve(value as ManagerTarget | null);
      else result[key] = value as ObjectValues[string];
    }
    return result;
  };

  for (const create of plan.creates) {
    if (create.wave < lastWave) throw new Error('creates are not sorted by wave');
    lastWave = create.wave;
    const objectId = String(nextId++);
    const values = write({}, create.values);
    values.manager = resolve((create.values.manager ?? null) as ManagerTarget | null, create.wave);
    byId.set(objectId, { objectId, objectKey: `ENTRA-${objectId}`, values });
    createdByEntraId.set(create.entraUserId, { objectId, wave: create.wave });
  }
  for (const op of [...plan.updates, ...plan.inactivations]) {
    const object = byId.get(op.objectId);
    if (object === undefined) throw new Error(`${op.kind} of unknown object ${op.objectId}`);
    byId.set(op.objectId, { ...object, values: write(object.values, op.changes) });
  }
  for (const link of plan.managerLinks) {
    const objectId = createdByEntraId.get(link.entraUserId)?.objectId;
    const object = objectId === undefined ? undefined : byId.get(objectId);
    if (objectId === undefined || object === undefined) throw new Error(`manager link for ${link.entraUserId}, not created`);
    byId.set(objectId, {
      ...object,
      values: { ...object.values, manager: resolve(link.manager), managerAtlassianAccountId: link.managerAtlassianAccountId },
    });
  }
  return { objects: [...byId.values()], nextObjectId: nextId };
}
