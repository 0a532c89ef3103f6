/**
 * Issue 13 through the real pipeline (step runner, stages, Graph and Assets clients) against the simulated tenant
 * and site: a sync creates an Entra Group object per synced group and sets each Employee's Groups to its
 * memberships (checked against the world's own data, not the app's membership code); a no-change resync reads one
 * groups delta page and writes nothing; renames, member changes, deletes and restores arrive incrementally; kills at
 * any point of a run that writes groups and memberships, and duplicated events, end in the same state with no
 * duplicate object.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { FakeGroup, World } from '../../fakes/world/types';
import type { AssetsObject } from '../../src/domain/assets-object';
import { buildSchemaDefinition } from '../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../src/domain/schema-definition';
import { readLayout } from '../../src/pipeline/layout-store';
import { type Harness, type HarnessOptions, startHarness } from '../support/pipeline-harness';

jest.setTimeout(240_000);

const DEFINITION = buildSchemaDefinition([], [], { groups: true });
const GROUP_TYPE = objectTypeOf(DEFINITION, 'group');
const world: World = generateWorld({ users: 60, seed: 31 });
const options: HarnessOptions = { world, seed: 31, config: { writeBatchSize: 6, aqlPageSize: 25 } };

async function groupSync(h: Harness, membership: 'direct' | 'transitive' = 'direct'): Promise<void> {
  await h.configure({ groups: { mode: 'all' }, groupMembership: membership });
}

/** The Entra Group objects on the site, read through the app's own Assets client. */
async function groupObjects(h: Harness): Promise<AssetsObject[]> {
  const layout = await readLayout(h.store);
  if (layout === null || layout.objectTypes.group === undefined) return [];
  const { assets } = await h.deps.connect(DEFINITION);
  const objects: AssetsObject[] = [];
  for (let startAt = 0; ; ) {
    const page = await assets.searchObjects(layout, GROUP_TYPE, startAt, 100);
    objects.push(...page.objects);
    startAt += page.objects.length;
    if (page.isLast) return objects;
  }
}

/** Groups (by Entra id) and each Employee's Groups as the Entra ids of its group objects: the state to compare. */
async function groupState(h: Harness): Promise<{ groups: Record<string, unknown>; memberships: Record<string, string[]> }> {
  const objects = await groupObjects(h);
  const entraIdOf = new Map(objects.map((o) => [o.objectId, o.values.entraGroupId as string]));
  const groups = Object.fromEntries(
    objects.map((o) => [o.values.entraGroupId as string, { name: o.values.name, active: o.values.active }]),
  );
  const layout = (await readLayout(h.store))!;
  const { assets } = await h.deps.connect(DEFINITION);
  const employees: AssetsObject[] = [];
  for (let startAt = 0; ; ) {
    const page = await assets.searchObjects(layout, objectTypeOf(DEFINITION, 'employee'), startAt, 100);
    employees.push(...page.objects);
    startAt += page.objects.length;
    if (page.isLast) break;
  }
  const memberships = Object.fromEntries(
    employees.map((e) => [
      e.values.entraUserId as string,
      ((e.values.groups as string[] | null) ?? []).map((id) => entraIdOf.get(id) ?? `object:${id}`).sort(),
    ]),
  );
  return { groups, memberships };
}

/** The oracle: a user's direct groups straight from the world's group records. */
function directGroupsOf(groups: readonly FakeGroup[], userId: string): string[] {
  return groups
    .filter((g) => g.members.some((m) => m.type === 'user' && m.id === userId))
    .map((g) => g.id)
    .sort();
}

const groupsDeltaCalls = (h: Harness, from: number) =>
  h.sim.entra.requests.slice(from).filter((r) => r.path.startsWith('/v1.0/groups/delta')).length;

describe('group sync through the pipeline', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(options);
    await groupSync(h);
  });
  afterEach(() => h.close());

  it('creates the groups and sets every Employee Groups to its direct memberships; a no-change resync reads one delta page and writes nothing', async () => {
    const first = await h.run('sync');
    expect(first.run).toMatchObject({ status: 'succeeded', error: null });
    const groups = world.entra.groups ?? [];
    expect(groups.length).toBeGreaterThan(10);
    expect(first.run.counts).toMatchObject({ groupCreates: groups.length, groupInactivations: 0 });
    expect(first.run.counts!.membershipChanges).toBeGreaterThan(0);

    const state = await groupState(h);
    expect(Object.keys(state.groups).sort()).toEqual(groups.map((g) => g.id).sort());
    const employees = Object.keys(state.memberships);
    expect(employees.length).toBeGreaterThan(20);
    for (const userId of employees)
      expect({ userId, groups: state.memberships[userId] }).toEqual({ userId, groups: directGroupsOf(groups, userId) });

    const writes = h.assetsWrites();
    const mark = h.sim.entra.requests.length;
    const again = await h.run('sync');
    expect(again.run.counts).toMatchObject({ creates: 0, updates: 0, groupCreates: 0, groupUpdates: 0, membershipChanges: 0 });
    expect(h.assetsWrites()).toBe(writes);
    expect(groupsDeltaCalls(h, mark)).toBe(1);
  });

  it('follows a rename, member changes, a delete and a restore incrementally, never deleting an object', async () => {
    await h.run('sync');
    const groups = world.entra.groups ?? [];
    const withUsers = groups.filter((g) => g.members.filter((m) => m.type === 'user').length >= 2);
    const [renamed, changed, deleted] = withUsers as [FakeGroup, FakeGroup, FakeGroup];
    const leaver = changed.members.find((m) => m.type === 'user')!.id;
    const joiner = Object.keys((await groupState(h)).memberships).find((id) => !changed.members.some((m) => m.id === id))!;

    h.sim.entra.updateGroup(renamed.id, { displayName: 'Renamed group' });
    h.sim.entra.removeGroupMember(changed.id, leaver);
    h.sim.entra.addGroupMember(changed.id, { type: 'user', id: joiner });
    h.sim.entra.softDeleteGroup(deleted.id);
    const mark = h.sim.entra.requests.length;
    const result = await h.run('sync');
    expect(result.run).toMatchObject({ status: 'succeeded' });
    expect(result.run.counts).toMatchObject({ groupUpdates: 1, groupInactivations: 1, groupCreates: 0 });
    // Incremental: the stored deltaLink, no second full round.
    expect(groupsDeltaCalls(h, mark)).toBe(1);

    const state = await groupState(h);
    expect(state.groups[renamed.id]).toEqual({ name: 'Renamed group', active: true });
    expect(state.groups[deleted.id]).toEqual({ name: deleted.displayName, active: false });
    expect(state.memberships[leaver]).not.toContain(changed.id);
    expect(state.memberships[joiner]).toContain(changed.id);
    for (const list of Object.values(state.memberships)) expect(list).not.toContain(deleted.id);

    h.sim.entra.restoreGroup(deleted.id);
    const restored = await h.run('sync');
    expect(restored.run.counts).toMatchObject({ groupUpdates: 1, groupInactivations: 0 });
    expect((await groupState(h)).groups[deleted.id]).toEqual({ name: deleted.displayName, active: true });
  });

  it('lists transitive memberships through nested groups when asked to', async () => {
    const groups = world.entra.groups ?? [];
    const byId = new Map(groups.map((g) => [g.id, g]));
    // A group G with a nested group holding a user who is not a direct member of G.
    const found = groups.flatMap((outer) =>
      outer.members
        .filter((m) => m.type === 'group')
        .flatMap((m) => (byId.get(m.id)?.members ?? []).filter((u) => u.type === 'user' && !outer.members.some((d) => d.id === u.id)))
        .map((user) => ({ outer, user })),
    )[0];
    expect(found).toBeDefined();
    await h.run('sync');
    expect((await groupState(h)).memberships[found!.user.id]).not.toContain(found!.outer.id);
    await groupSync(h, 'transitive');
    await h.run('sync');
    expect((await groupState(h)).memberships[found!.user.id]).toContain(found!.outer.id);
  });
});

describe('group sync under kills and duplicated events', () => {
  async function referenceState() {
    const h = await startHarness(options);
    try {
      await groupSync(h);
      const { run, stats } = await h.run('sync', { budgetCalls: 2 });
      expect(run.status).toBe('succeeded');
      return { state: await groupState(h), employees: h.assetsState(), stats, writes: h.assetsWrites() };
    } finally {
      await h.close();
    }
  }

  it('ends in the reference state with no duplicate whichever write is killed, and with every event delivered twice', async () => {
    const reference = await referenceState();
    expect(reference.writes).toBeGreaterThan(40);
    // Kill right after Assets applied a write, at group creates, Employee creates and membership updates alike.
    for (const crashAfterWrite of [1, 3, 8, 14, 25, 40, reference.writes - 1]) {
      const h = await startHarness(options);
      try {
        await groupSync(h);
        const { run, stats } = await h.run('sync', { budgetCalls: 2, crashAfterWrite });
        const label = `kill after write ${crashAfterWrite}`;
        expect({ label, status: run.status, crashes: stats.crashes }).toEqual({ label, status: 'succeeded', crashes: 1 });
        expect({ label, duplicates: h.duplicateEntraIds() }).toEqual({ label, duplicates: [] });
        const state = await groupState(h);
        expect({ label, groups: Object.keys(state.groups).length }).toEqual({ label, groups: Object.keys(reference.state.groups).length });
        expect(state).toEqual(reference.state);
        expect(h.assetsState()).toEqual(reference.employees);
      } finally {
        await h.close();
      }
    }

    const twice = await startHarness({ ...options, delivery: { duplicateRate: 1, seed: 5 } });
    try {
      await groupSync(twice);
      const { run } = await twice.run('sync', { budgetCalls: 2 });
      expect(run.status).toBe('succeeded');
      expect(await groupState(twice)).toEqual(reference.state);
      expect(twice.duplicateEntraIds()).toEqual([]);
    } finally {
      await twice.close();
    }
  });
});
