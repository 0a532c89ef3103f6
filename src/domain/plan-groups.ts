/**
 * The Entra Group planner (group sync): from the groups the selection syncs (group-membership.ts) and the Entra
 * Group objects in Assets, every group create, update and inactivation, and for the Employee planner the reference
 * target of each synced group (its object, or the create that makes it). Phases:
 *   claim existing objects (by Entra Group ID; the lowest object id wins) -> decide per synced group -> inactivate
 *   the objects of groups that left Entra ID or the selection.
 * A group is never deleted: its object is made inactive, and since an Employee's Groups lists only synced groups, it
 * leaves every member's Groups in the same run. docs/sync-rules.md states the rules.
 */
import type { AssetsObject } from './assets-object';
import { desiredValues, diffValues } from './desired-values';
import type { EntraGroup } from './entra-group';
import { entraIdKey } from './entra-id';
import { compareObjectIds } from './existing-objects';
import type { GroupMemberships } from './group-membership';
import { blankToNull, type ReferenceTarget, textOf } from './object-values';
import { describeChanges, describeObject, labelOf } from './plan-report';
import type { Directory, TypePlan } from './plan-types';
import { INACTIVATION_REASON_TEXT, makeWarning, type ReportCollector } from './report';
import type { ObjectTypeDefinition } from './schema-definition';
import type { CreateOperation, InactivationOperation, InactivationReason, UpdateOperation } from './sync-operations';

export interface GroupPlanInput {
  readonly memberships: GroupMemberships;
  /** Ids of every group Entra ID has now (selected or not): a group object outside them left Entra ID. */
  readonly groupIds: ReadonlySet<string>;
  /** The Entra Group objects in Assets. */
  readonly objects: readonly AssetsObject[];
}

export interface GroupPlan extends TypePlan {
  /** Per synced group (by entraIdKey of its id): what an Employee's Groups names for it. */
  readonly targetOf: ReadonlyMap<string, ReferenceTarget>;
  /** Per Entra Group object id: the group's name as the report shows it. */
  readonly nameOfObject: ReadonlyMap<string, string>;
  /** Per synced group (by entraIdKey): its display name. */
  readonly nameOfGroup: ReadonlyMap<string, string>;
}

/** Looks nothing up: group reports name groups, never users or accounts. */
const NO_DIRECTORY: Directory = { entraUser: () => undefined, account: () => undefined };

export function planGroups(input: GroupPlanInput, type: ObjectTypeDefinition, report: ReportCollector): GroupPlan {
  const { kept, extras, activeCount, nameOfObject } = claimPhase(type, input.objects, report);
  const creates: CreateOperation[] = [];
  const updates: UpdateOperation[] = [];
  const inactivations: InactivationOperation[] = [];
  const targetOf = new Map<string, ReferenceTarget>();
  const nameOfGroup = new Map<string, string>();
  let unchanged = 0;
  const cut: string[] = [];

  for (const group of input.memberships.selected) {
    const key = entraIdKey(group.id);
    const name = groupName(group);
    nameOfGroup.set(key, name);
    const object = kept.get(key) ?? null;
    cut.length = 0;
    const values = desiredValues(type, { group, active: true }, cut);
    targetOf.set(key, { entraUserId: group.id, objectId: object?.objectId ?? null });
    if (object === null) {
      creates.push({ kind: 'create', objectType: type.key, entraUserId: group.id, accountId: group.id, values, wave: 0 });
      report.add('groupChanges', () => ({ action: 'create', entraGroupId: group.id, name, objectKey: null, detail: null }));
      continue;
    }
    const changes = diffValues(type, object.values, values);
    if (changes === null) {
      unchanged++;
      continue;
    }
    updates.push({
      kind: 'update',
      objectType: type.key,
      objectId: object.objectId,
      objectKey: object.objectKey,
      entraUserId: group.id,
      accountId: group.id,
      changes,
    });
    report.add('groupChanges', () => ({
      action: object.values.active === true ? 'update' : 'reactivate',
      entraGroupId: group.id,
      name,
      objectKey: object.objectKey,
      detail: describeChanges(type, object, changes, NO_DIRECTORY, [])
        .map((change) => `${change.attribute}: ${change.from ?? '(empty)'} -> ${change.to ?? '(empty)'}`)
        .join('; '),
    }));
  }

  const inactivate = (object: AssetsObject, reason: InactivationReason): void => {
    if (object.values.active !== true) return;
    const entraGroupId = textOf(object.values[type.anchor]);
    inactivations.push({
      kind: 'inactivate',
      objectType: type.key,
      objectId: object.objectId,
      objectKey: object.objectKey,
      entraUserId: entraGroupId,
      reason,
      changes: { active: false },
    });
    report.add('groupChanges', () => ({
      action: 'inactivate',
      entraGroupId: entraGroupId ?? '',
      name: labelOf(type, object.values) ?? object.objectKey,
      objectKey: object.objectKey,
      detail: INACTIVATION_REASON_TEXT[reason],
    }));
  };
  for (const [key, object] of kept) {
    if (targetOf.has(key)) continue;
    inactivate(object, input.groupIds.has(key) ? 'group-not-selected' : 'entra-group-missing');
  }
  for (const object of extras) inactivate(object, 'duplicate-entra-group-id');

  return { creates, updates, inactivations, managerLinks: [], unchanged, activeObjects: activeCount, targetOf, nameOfObject, nameOfGroup };
}

function groupName(group: EntraGroup): string {
  return blankToNull(group.displayName) ?? group.id;
}

/** Each group's object (lowest object id when several share an Entra Group ID), the extra copies, and the active count. */
function claimPhase(type: ObjectTypeDefinition, objects: readonly AssetsObject[], report: ReportCollector) {
  const kept = new Map<string, AssetsObject>();
  const extras: AssetsObject[] = [];
  const nameOfObject = new Map<string, string>();
  let activeCount = 0;
  const sorted = [...objects].sort((a, b) => compareObjectIds(a.objectId, b.objectId));
  for (const object of sorted) {
    if (object.values.active === true) activeCount++;
    nameOfObject.set(object.objectId, labelOf(type, object.values) ?? object.objectKey);
    const id = textOf(object.values[type.anchor]);
    if (id === null) {
      report.add('warnings', () =>
        makeWarning(
          'missing-entra-user-id',
          `${describeObject(type, object)} has no Entra Group ID, so the app cannot tell which group it describes. ` +
            'Delete it, or enter the Entra object id of the group it stands for.',
          [object.objectId],
        ),
      );
      continue;
    }
    const key = entraIdKey(id);
    const first = kept.get(key);
    if (first === undefined) {
      kept.set(key, object);
      continue;
    }
    extras.push(object);
    report.add('warnings', () =>
      makeWarning(
        'duplicate-entra-user-id',
        `Several Entra Group objects have the Entra Group ID ${id}. The app keeps ${describeObject(type, first)} and inactivates ` +
          `${describeObject(type, object)}: delete the extra object.`,
        [first.objectId, object.objectId],
      ),
    );
  }
  return { kept, extras, activeCount, nameOfObject };
}
