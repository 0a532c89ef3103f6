/**
 * Issue 12, scope by group membership, through the real pipeline against the simulated tenant and site: with group
 * sync off, a `memberOf` scope syncs exactly the direct members of the group (checked against the world's own
 * data), `transitiveMemberOf` adds the members of nested groups, a user who leaves the group is inactivated as out
 * of scope on the next (incremental) run, and a run without the groups permission fails with GRAPH_GROUPS_FORBIDDEN.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { FakeGroup, World } from '../../fakes/world/types';
import { type Harness, type HarnessOptions, startHarness } from '../support/pipeline-harness';

jest.setTimeout(120_000);

const world: World = generateWorld({ users: 60, seed: 37 });
const groups = world.entra.groups ?? [];
const byId = new Map(groups.map((g) => [g.id, g]));
const options: HarnessOptions = { world, seed: 37 };

const usersOf = (group: FakeGroup) => group.members.filter((m) => m.type === 'user').map((m) => m.id);

/** A group with users, and a nested group holding users who are not direct members of it. */
const outer = groups.find(
  (g) =>
    g.members.some((m) => m.type === 'group' && usersOf(byId.get(m.id)!).some((id) => !usersOf(g).includes(id))) && usersOf(g).length >= 2,
)!;

async function scoped(h: Harness, text: string): Promise<void> {
  expect((await h.configure({ scope: text })).scope).toBe(text);
}

function activeEmployees(h: Harness): string[] {
  return [...h.assetsState()]
    .filter(([, values]) => values['active'] === true)
    .map(([id]) => id)
    .sort();
}

describe('scope by group membership', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(options);
  });
  afterEach(() => h.close());

  it('syncs the direct members only, then the nested members with transitiveMemberOf, and inactivates a leaver as out of scope', async () => {
    expect(outer).toBeDefined();
    await scoped(h, `memberOf('${outer.id}')`);
    const first = await h.run('sync');
    expect(first.run).toMatchObject({ status: 'succeeded', error: null });
    const direct = activeEmployees(h);
    expect(direct.length).toBeGreaterThan(0);
    for (const id of direct) expect(usersOf(outer)).toContain(id);
    expect(first.run.counts!.outOfScope).toBeGreaterThan(0);

    // A member leaves the group in Entra ID: the incremental run inactivates the Employee as out of scope.
    const leaver = direct[0]!;
    h.sim.entra.removeGroupMember(outer.id, leaver);
    const second = await h.run('sync');
    expect(second.run.status).toBe('succeeded');
    expect(h.assetsState().get(leaver)?.['active']).toBe(false);
    expect(second.run.counts!.scopeLeaving).toBe(1);

    await scoped(h, `transitiveMemberOf('${outer.id}')`);
    const third = await h.run('sync');
    expect(third.run.status).toBe('succeeded');
    const transitive = activeEmployees(h);
    expect(transitive.length).toBeGreaterThan(direct.length - 1);
    for (const id of direct) if (id !== leaver) expect(transitive).toContain(id);
    const nestedOnly = transitive.filter((id) => !usersOf(outer).includes(id));
    expect(nestedOnly.length).toBeGreaterThan(0);
  });

  it('fails the run with GRAPH_GROUPS_FORBIDDEN when the app may not read groups', async () => {
    await h.close();
    h = await startHarness({ ...options, simulation: { tenant: { grantedRoles: ['User.Read.All'] } } });
    await scoped(h, `memberOf('${outer.id}')`);
    const { run } = await h.run('sync');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('GRAPH_GROUPS_FORBIDDEN');
  });
});
