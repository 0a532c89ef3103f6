/**
 * Group sync in the planner (plan-groups.ts through planSync): Entra Group objects created, updated and inactivated
 * (never deleted), each Employee's Groups set to its memberships among the synced groups, the membership report,
 * group inactivations in the safety threshold, and a second plan over the applied result being empty.
 */
import type { AssetsObject } from '../../src/domain/assets-object';
import type { AtlassianAccount } from '../../src/domain/atlassian-account';
import { buildSchemaDefinition } from '../../src/domain/attribute-catalogue';
import type { EntraGroup, GroupMemberEdge } from '../../src/domain/entra-group';
import type { EntraUser } from '../../src/domain/entra-user';
import { fromStoredGroups } from '../../src/domain/group-directory';
import { computeMemberships } from '../../src/domain/group-membership';
import type { GroupMembership, GroupSelection } from '../../src/domain/group-sync';
import type { ObjectValues, PlannedValues, ReferenceTarget } from '../../src/domain/object-values';
import { planSync, type SyncPlan } from '../../src/domain/plan-sync';
import type { SyncOperation } from '../../src/domain/sync-operations';
import { accountFor, entraId, entraUser } from './builders';

const DEFINITION = buildSchemaDefinition([], [], { groups: true });

function group(id: string, displayName: string, overrides: Partial<EntraGroup> = {}): EntraGroup {
  return { id, displayName, mail: null, description: null, groupTypes: [], mailEnabled: false, securityEnabled: true, ...overrides };
}

interface World {
  users: EntraUser[];
  groups: EntraGroup[];
  edges: GroupMemberEdge[];
  selection?: GroupSelection;
  membership?: GroupMembership;
}

/** Assets as the writer would leave it: employees and group objects by object id, references resolved. */
interface Assets {
  employees: AssetsObject[];
  groups: AssetsObject[];
}

/** One Atlassian account per user for the whole test file (a new one per plan would look like a changed account). */
const accounts = new Map<string, AtlassianAccount>();
const accountOf = (user: EntraUser): AtlassianAccount => {
  if (!accounts.has(user.id)) accounts.set(user.id, accountFor(user));
  return accounts.get(user.id)!;
};

function plan(world: World, assets: Assets): SyncPlan {
  const directory = fromStoredGroups(world.groups, world.edges);
  return planSync(
    {
      accounts: world.users.map(accountOf),
      entraUsers: world.users,
      employees: assets.employees,
      groups: {
        memberships: computeMemberships(directory, world.selection ?? { mode: 'all' }, world.membership ?? 'direct'),
        groupIds: new Set(world.groups.map((g) => g.id)),
        objects: assets.groups,
      },
    },
    { definition: DEFINITION },
  );
}

/** Applies a plan like the writer: group ops first, then employees, references by Entra id through `created`. */
function apply(assets: Assets, result: SyncPlan): Assets {
  let next = 1000 + assets.employees.length + assets.groups.length;
  const created = new Map<string, string>();
  const byId = new Map<string, AssetsObject>(
    [...assets.employees, ...assets.groups].map((o) => [o.objectId, { ...o, values: { ...o.values } }]),
  );
  const resolve = (value: PlannedValues[string]): ObjectValues[string] => {
    if (Array.isArray(value)) return value.map((t) => t.objectId ?? created.get(t.entraUserId)!).filter((id) => id !== undefined);
    if (value !== null && typeof value === 'object') return (value as ReferenceTarget).objectId ?? created.get(value.entraUserId) ?? null;
    return value as ObjectValues[string];
  };
  const write = (values: ObjectValues, changes: PlannedValues) => {
    for (const [key, value] of Object.entries(changes)) values[key] = resolve(value);
  };
  const ops: SyncOperation[] = [...result.creates, ...result.updates, ...result.inactivations, ...result.managerLinks];
  const types = new Map<string, 'employee' | 'group'>([...assets.groups.map((o) => [o.objectId, 'group'] as const)]);
  for (const op of ops) {
    if (op.kind === 'create') {
      const objectId = String(next++);
      const values: ObjectValues = {};
      write(values, op.values);
      created.set(op.entraUserId, objectId);
      byId.set(objectId, { objectId, objectKey: `ENTRA-${objectId}`, values });
      types.set(objectId, op.objectType);
    } else if (op.kind === 'update' || op.kind === 'inactivate') {
      write(byId.get(op.objectId)!.values, op.changes);
    }
  }
  const all = [...byId.values()];
  return { employees: all.filter((o) => types.get(o.objectId) !== 'group'), groups: all.filter((o) => types.get(o.objectId) === 'group') };
}

const EMPTY: Assets = { employees: [], groups: [] };

describe('group sync planning', () => {
  const ada = entraUser();
  const bob = entraUser();
  const eng = group(entraId(), 'Engineering', { groupTypes: ['Unified'], mailEnabled: true, mail: 'eng@contoso.com' });
  const sales = group(entraId(), 'Sales');
  const world: World = {
    users: [ada, bob],
    groups: [eng, sales],
    edges: [
      [eng.id, 'user', ada.id],
      [eng.id, 'user', bob.id],
      [sales.id, 'user', ada.id],
      [sales.id, 'other', entraId()],
    ],
  };

  it('creates the groups before the employees that name them, and a second plan over the result is empty', () => {
    const first = plan(world, EMPTY);
    const groupCreates = first.creates.filter((op) => op.objectType === 'group');
    expect(groupCreates.map((op) => op.values.name).sort()).toEqual(['Engineering', 'Sales']);
    expect(groupCreates.find((op) => op.entraUserId === eng.id)?.values).toMatchObject({
      entraGroupId: eng.id,
      email: 'eng@contoso.com',
      groupType: 'Microsoft 365',
      active: true,
    });
    // Group creates come first in write order; employees name them by Entra id (no object yet).
    expect(first.creates.map((op) => op.objectType)).toEqual(['group', 'group', 'employee', 'employee']);
    const adaCreate = first.creates.find((op) => op.entraUserId === ada.id)!;
    expect((adaCreate.values.groups as ReferenceTarget[]).map((t) => t.entraUserId).sort()).toEqual([eng.id, sales.id].sort());
    expect(first.report.counts).toMatchObject({ groupCreates: 2, groupChanges: 2, membershipChanges: 2, groupMembersSkipped: 1 });
    expect(first.report.groupSync).toBe(true);
    expect(first.report.membershipChanges.items.find((m) => m.entraUserId === ada.id)).toMatchObject({
      gained: ['Engineering', 'Sales'],
      lost: [],
    });

    const applied = apply(EMPTY, first);
    const second = plan(world, applied);
    expect([...second.creates, ...second.updates, ...second.inactivations]).toEqual([]);
    expect(second.report.counts).toMatchObject({ groupCreates: 0, groupUpdates: 0, membershipChanges: 0 });
  });

  it('updates an Employee whose memberships change, and reports what it gains and loses by name', () => {
    const applied = apply(EMPTY, plan(world, EMPTY));
    const moved: World = {
      ...world,
      edges: [
        [eng.id, 'user', bob.id],
        [sales.id, 'user', ada.id],
        [sales.id, 'user', bob.id],
      ],
    };
    const result = plan(moved, applied);
    const adaUpdate = result.updates.find((op) => op.entraUserId === ada.id)!;
    expect(Object.keys(adaUpdate.changes)).toEqual(['groups']);
    expect(result.report.counts.membershipChanges).toBe(2);
    expect(result.report.membershipChanges.items.find((m) => m.entraUserId === ada.id)).toMatchObject({
      gained: [],
      lost: ['Engineering'],
    });
    expect(result.report.membershipChanges.items.find((m) => m.entraUserId === bob.id)).toMatchObject({ gained: ['Sales'], lost: [] });
    expect(result.report.updates.items.find((u) => u.fullName === ada.displayName)?.changes).toEqual([
      { attribute: 'Groups', from: 'Engineering, Sales', to: 'Sales' },
    ]);
  });

  it('inactivates (never deletes) a group deleted in Entra and one no longer selected, and takes them off every Groups', () => {
    const applied = apply(EMPTY, plan(world, EMPTY));
    const deleted = plan({ ...world, groups: [sales], edges: world.edges.filter(([g]) => g !== eng.id) }, applied);
    expect(deleted.inactivations.filter((op) => op.objectType === 'group')).toEqual([
      expect.objectContaining({ reason: 'entra-group-missing', changes: { active: false } }),
    ]);
    expect(deleted.updates.filter((op) => op.objectType === 'employee').map((op) => Object.keys(op.changes))).toEqual([
      ['groups'],
      ['groups'],
    ]);
    expect(deleted.report.counts.groupInactivations).toBe(1);

    const unselected = plan({ ...world, selection: { mode: 'prefix', prefix: 'sal' } }, applied);
    expect(unselected.inactivations.map((op) => op.reason)).toEqual(['group-not-selected']);
    expect(unselected.report.groupChanges.items[0]).toMatchObject({ action: 'inactivate', name: 'Engineering' });
  });

  it('renames a group object and makes a restored group active again', () => {
    const applied = apply(EMPTY, plan(world, EMPTY));
    const gone = apply(applied, plan({ ...world, groups: [sales], edges: world.edges.filter(([g]) => g !== eng.id) }, applied));
    const restored = plan({ ...world, groups: [{ ...eng, displayName: 'Engineering (all)' }, sales] }, gone);
    const update = restored.updates.find((op) => op.objectType === 'group')!;
    expect(update.changes).toEqual({ name: 'Engineering (all)', active: true });
    expect(restored.report.groupChanges.items[0]).toMatchObject({ action: 'reactivate', name: 'Engineering (all)' });
  });

  it('lists transitive memberships through nested groups that are not themselves selected, cycles included', () => {
    const outer = group(entraId(), 'All staff');
    const inner = group(entraId(), 'Team A');
    const nested: World = {
      users: [ada],
      groups: [outer, inner],
      edges: [
        [outer.id, 'group', inner.id],
        [inner.id, 'group', outer.id],
        [inner.id, 'user', ada.id],
      ],
      selection: { mode: 'ids', ids: [outer.id] },
    };
    const direct = plan(nested, EMPTY);
    expect(direct.creates.find((op) => op.entraUserId === ada.id)?.values.groups).toEqual([]);
    const transitive = plan({ ...nested, membership: 'transitive' }, EMPTY);
    expect(transitive.creates.find((op) => op.entraUserId === ada.id)?.values.groups).toEqual([{ entraUserId: outer.id, objectId: null }]);
  });

  it('counts group inactivations towards the safety threshold', () => {
    const many = Array.from({ length: 12 }, (_, i) => group(entraId(), `Team ${i}`));
    const big: World = { users: [ada], groups: many, edges: [] };
    const applied = apply(EMPTY, plan(big, EMPTY));
    const result = plan({ ...big, groups: [] }, applied);
    // 13 active objects (12 groups + 1 employee): the limit is max(5, 1) = 5, and 12 group inactivations exceed it.
    expect(result.safety).toMatchObject({ tripped: true, inactivations: 12, activeObjects: 13, limit: 5 });
  });
});
