/**
 * The group sync scenario of the sync benchmark (issue 13, "Performance"): one world of 10,000 users and 2,000
 * groups with an average of 15 memberships per user, synced with group sync on (all groups, direct memberships)
 * through the same simulation as the other scenarios (pipeline-runner.ts), in three runs: the first sync, a
 * no-change resync, and a resync after 1% of the users changed memberships (one group left, one joined, through the
 * fake tenant's removeGroupMember/addGroupMember). Each run is measured next to its floor:
 *
 * - groups delta pages: the fake serves a groups delta round in pages of `groupsDeltaPageSize` objects (100) and
 *   splits a group's members@delta into objects of `groupDeltaMembersPerObject` members (100), so a full round is
 *   ceil(sum over groups of max(1, ceil(members / 100)) / 100) pages (fakes/entra/group-routes.ts GroupBehaviour,
 *   defaults in fakes/entra/fake-entra-server.ts; Microsoft documents the split, not the figures:
 *   https://learn.microsoft.com/graph/delta-query-groups). An incremental round with nothing changed is one page.
 * - Assets writes: one object/create per Entra Group object and per Employee created (the first sync), none on a
 *   no-change resync, one object/update per Employee whose Groups changed after churn.
 *
 * Then a group scope with group sync off (issue 12, runGroupScopeBench): the same world on a new site, scope
 * `transitiveMemberOf('<group>')`, a first sync (full groups delta round; Employees created only for the group's
 * transitive members with an Atlassian account; no Entra Group object) and a no-change resync (one page, no write).
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { FakeGroup, World } from '../../fakes/world/types';
import type { AssetsObject } from '../../src/domain/assets-object';
import { buildSchemaDefinition } from '../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../src/domain/schema-definition';
import type { PipelineConfig } from '../../src/pipeline/deps';
import { readLayout } from '../../src/pipeline/layout-store';
import type { RunState } from '../../src/pipeline/run-state';
import type { Harness } from '../../tests/support/pipeline-harness';
import type { Scenario, ScenarioFigures } from './figures';
import { ASSETS_CREATES_PER_MINUTE, runScenarioWithRun, type SimulatedApis, startBenchHarness } from './pipeline-runner';

/** The fake tenant's groups delta page sizes (fakes/entra/fake-entra-server.ts defaults, GroupBehaviour). */
export const GROUPS_DELTA_PAGE_SIZE = 100;
export const GROUP_DELTA_MEMBERS_PER_OBJECT = 100;

export interface GroupBenchOptions {
  readonly users: number;
  readonly groups: number;
  readonly averageMemberships: number;
  /** Share of users whose memberships change before the third run. */
  readonly churn: number;
  readonly seed: number;
}

export const DEFAULT_GROUP_BENCH: GroupBenchOptions = {
  users: 10_000,
  groups: 2_000,
  averageMemberships: 15,
  churn: 0.01,
  seed: 20_260_313,
};

export type GroupScenario = 'groups-first-sync' | 'groups-no-change' | 'groups-churn-1pct' | 'scope-first-sync' | 'scope-no-change';

/** A group scope run (group sync off): who the scope let in, measured and from the world. */
export interface GroupScopeFigures {
  readonly text: string;
  readonly groupId: string;
  /** Groups nested under the scope's group, at any depth. */
  readonly nestedGroups: number;
  /** Users in scope as the run counted them (users read - outOfScope), and out of scope. */
  readonly usersInScope: number;
  readonly outOfScope: number;
  /** The scope group's transitive user members in the world. */
  readonly usersInScopeFloor: number;
  /** Users in scope with an Atlassian account (an Employee after the group sync first run, same world). */
  readonly employeesCreatedFloor: number;
}

export interface GroupScenarioFigures {
  readonly scenario: GroupScenario;
  readonly users: number;
  readonly groups: number;
  readonly memberEdges: number;
  readonly status: string;
  readonly counts: {
    readonly creates: number;
    readonly updates: number;
    readonly groupCreates: number;
    readonly groupUpdates: number;
    readonly groupInactivations: number;
    readonly membershipChanges: number;
  };
  readonly graphRequests: number;
  readonly groupsDeltaCalls: number;
  /** The pages the fake must serve for this round. */
  readonly groupsDeltaFloor: number;
  readonly assetsWrites: number;
  readonly assetsWriteRequests: number;
  readonly assetsWritesFloor: number;
  /** Churn: users whose memberships were changed, and the Employee objects whose Groups changed on the site. */
  readonly churnedUsers: number | null;
  readonly employeesWithChangedGroups: number | null;
  /** The group scope runs (scope-*): null for the group sync runs. */
  readonly scope: GroupScopeFigures | null;
  readonly wallMs: number;
  /** Creates (groups and employees) at Assets' documented 1,000 a minute plus one write round trip. */
  readonly floorMs: number | null;
  readonly figures: ScenarioFigures;
}

const DEFINITION = buildSchemaDefinition([], [], { groups: true });

export async function runGroupBench(
  options: GroupBenchOptions,
  run: {
    readonly k: number;
    readonly apis: SimulatedApis;
    readonly gc: () => void;
    readonly config?: Partial<PipelineConfig>;
    readonly log?: (line: string) => void;
  },
): Promise<GroupScenarioFigures[]> {
  const world = generateWorld({
    users: options.users,
    seed: options.seed,
    groups: options.groups,
    averageMemberships: options.averageMemberships,
  });
  const groups = world.entra.groups ?? [];
  const memberEdges = groups.reduce((sum, g) => sum + g.members.length, 0);
  run.log?.(
    `groups: ${world.entra.users.length.toLocaleString('en')} Entra users, ${groups.length.toLocaleString('en')} groups, ${memberEdges.toLocaleString('en')} direct member edges`,
  );
  const subject = { size: options.users, world, churnSeed: options.seed };
  const { h, clock, heap } = await startBenchHarness(world, { k: run.k, apis: run.apis, gc: run.gc, config: run.config ?? {} });
  const out: GroupScenarioFigures[] = [];
  // Entra users with an Employee after the first sync: the users with an Atlassian account.
  let withAccount = new Set<string>();
  try {
    await h.configure({ groups: { mode: 'all' }, groupMembership: 'direct' });
    const steps: [GroupScenario, Scenario][] = [
      ['groups-first-sync', 'first-sync'],
      ['groups-no-change', 'no-change'],
      ['groups-churn-1pct', 'no-change'],
    ];
    for (const [scenario, base] of steps) {
      let churned: { users: Set<string>; groups: Set<string> } | null = null;
      let before: Map<string, string> | null = null;
      if (scenario === 'groups-churn-1pct') {
        before = await employeeGroups(h);
        withAccount = new Set(before.keys());
        churned = churnMemberships(h, groups, [...before.keys()], options.churn, world.entra.users.length);
      }
      const entraFrom = h.sim.entra.requests.length;
      const { figures, run: finished } = await runScenarioWithRun(h, clock, heap, subject, base, run.apis);
      const c = finished.counts;
      const counts = countsOf(c);
      const groupsDeltaCalls = groupsDeltaCallsSince(h, entraFrom);
      let changed: number | null = null;
      if (before !== null) {
        const after = await employeeGroups(h);
        changed = 0;
        for (const [id, value] of after) if (before.get(id) !== value) changed++;
      }
      const first = scenario === 'groups-first-sync';
      const figuresOut: GroupScenarioFigures = {
        scenario,
        users: world.entra.users.length,
        groups: groups.length,
        memberEdges,
        status: figures.status,
        counts,
        graphRequests: figures.graph.requests,
        groupsDeltaCalls,
        // Churn: one delta object per changed group (under 100 member changes each), 100 objects a page.
        groupsDeltaFloor: first
          ? fullRoundPages(world)
          : churned === null
            ? 1
            : Math.max(1, Math.ceil(churned.groups.size / GROUPS_DELTA_PAGE_SIZE)),
        assetsWrites: figures.assets.writes,
        assetsWriteRequests: figures.assets.writeRequests,
        assetsWritesFloor: first ? counts.groupCreates + counts.creates : scenario === 'groups-no-change' ? 0 : (changed ?? 0),
        churnedUsers: churned === null ? null : churned.users.size,
        employeesWithChangedGroups: changed,
        scope: null,
        wallMs: figures.wallMs,
        floorMs: first
          ? Math.round(((counts.groupCreates + counts.creates) * 60_000) / ASSETS_CREATES_PER_MINUTE + run.apis.jiraLatencyMs)
          : null,
        figures,
      };
      out.push(figuresOut);
      run.log?.(
        `  pipeline ${scenario}: ${figuresOut.status}, wall ${(figuresOut.wallMs / 1000).toFixed(1)} s virtual, groups delta ${groupsDeltaCalls}, Assets writes ${figuresOut.assetsWrites}`,
      );
    }
    h.sim.entra.expectNoUnexpected();
    h.sim.jira.expectNoUnexpected();
  } finally {
    await h.close();
  }
  out.push(...(await runGroupScopeBench(options, run, withAccount)));
  return out;
}

/**
 * Issue 12, "a group scope costs the group membership pages": the same world on a new site, group sync off, the
 * scope `transitiveMemberOf('<group>')`. The world's only nested groups are two small teams (20 users), so before
 * the site starts the first of them (by id) gets the ten largest assigned teams as nested members (about 1,000 users, three
 * levels). Two runs: the first sync under that scope and a no-change resync. Floors: the full groups delta round
 * (the scope reads every group, as group sync does) and one page on the resync; users in scope = the group's
 * transitive user members; Employees created = those with an Atlassian account; no Entra Group object written.
 */
async function runGroupScopeBench(
  options: GroupBenchOptions,
  run: Parameters<typeof runGroupBench>[1],
  withAccount: ReadonlySet<string>,
): Promise<GroupScenarioFigures[]> {
  const world = generateWorld({
    users: options.users,
    seed: options.seed,
    groups: options.groups,
    averageMemberships: options.averageMemberships,
  });
  const groups = world.entra.groups ?? [];
  const { parent, added } = nestLargestTeams(groups, 10, world.entra.users.length);
  const transitive = transitiveUsers(world, parent.id);
  const memberEdges = groups.reduce((sum, g) => sum + g.members.length, 0);
  const text = `transitiveMemberOf('${parent.id}')`;
  run.log?.(
    `groups scope: ${added} teams nested under one group, ${transitive.nested} nested groups, ${transitive.users.size.toLocaleString('en')} users in scope in the world`,
  );
  const subject = { size: options.users, world, churnSeed: options.seed };
  const { h, clock, heap } = await startBenchHarness(world, { k: run.k, apis: run.apis, gc: run.gc, config: run.config ?? {} });
  const out: GroupScenarioFigures[] = [];
  const employeesCreatedFloor = [...transitive.users].filter((id) => withAccount.has(id)).length;
  try {
    await h.configure({ scope: text, groups: { mode: 'off' } });
    const steps: [GroupScenario, Scenario][] = [
      ['scope-first-sync', 'first-sync'],
      ['scope-no-change', 'no-change'],
    ];
    for (const [scenario, base] of steps) {
      const entraFrom = h.sim.entra.requests.length;
      const { figures, run: finished } = await runScenarioWithRun(h, clock, heap, subject, base, run.apis);
      const c = finished.counts;
      const counts = countsOf(c);
      const outOfScope = c?.outOfScope ?? 0;
      const groupsDeltaCalls = groupsDeltaCallsSince(h, entraFrom);
      const first = scenario === 'scope-first-sync';
      const figuresOut: GroupScenarioFigures = {
        scenario,
        users: world.entra.users.length,
        groups: groups.length,
        memberEdges,
        status: figures.status,
        counts,
        graphRequests: figures.graph.requests,
        groupsDeltaCalls,
        groupsDeltaFloor: first ? fullRoundPages(world) : 1,
        assetsWrites: figures.assets.writes,
        assetsWriteRequests: figures.assets.writeRequests,
        assetsWritesFloor: first ? employeesCreatedFloor : 0,
        churnedUsers: null,
        employeesWithChangedGroups: null,
        scope: {
          text,
          groupId: parent.id,
          nestedGroups: transitive.nested,
          usersInScope: world.entra.users.length - outOfScope,
          outOfScope,
          usersInScopeFloor: transitive.users.size,
          employeesCreatedFloor,
        },
        wallMs: figures.wallMs,
        floorMs: first ? Math.round((employeesCreatedFloor * 60_000) / ASSETS_CREATES_PER_MINUTE + run.apis.jiraLatencyMs) : null,
        figures,
      };
      out.push(figuresOut);
      run.log?.(
        `  pipeline ${scenario}: ${figuresOut.status}, wall ${(figuresOut.wallMs / 1000).toFixed(1)} s virtual, groups delta ${groupsDeltaCalls}, in scope ${figuresOut.scope?.usersInScope}, out of scope ${outOfScope}, Assets writes ${figuresOut.assetsWrites}`,
      );
    }
    h.sim.entra.expectNoUnexpected();
    h.sim.jira.expectNoUnexpected();
  } finally {
    await h.close();
  }
  return out;
}

/**
 * Nests the `count` largest assigned groups with only user members and at most a tenth of the users (by user
 * members, ties by id) under the first (by id) of the world's assigned groups with nested groups, in the world
 * itself (before a site starts on it).
 */
function nestLargestTeams(groups: FakeGroup[], count: number, userCount: number): { parent: FakeGroup; added: number } {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const nesting = groups.filter((g) => g.membershipRule === null && g.members.some((m) => m.type === 'group'));
  const parent = nesting.sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (parent === undefined) throw new Error('groups scope: the world has no group with nested groups');
  const users = (g: FakeGroup) => g.members.filter((m) => m.type === 'user').length;
  const teams = groups
    .filter((g) => g.membershipRule === null && g.id !== parent.id && !g.members.some((m) => m.type !== 'user'))
    // Teams, not the all-staff group (every user): at most a tenth of the users each.
    .filter((g) => users(g) <= userCount / 10)
    .filter((g) => !parent.members.some((m) => m.id === g.id))
    .sort((a, b) => users(b) - users(a) || (a.id < b.id ? -1 : 1))
    .slice(0, count);
  for (const team of teams) byId.get(parent.id)?.members.push({ type: 'group', id: team.id });
  return { parent, added: teams.length };
}

/** The user members of a group through nested groups (cycles allowed), counting only users the tenant holds. */
function transitiveUsers(world: World, groupId: string): { users: Set<string>; nested: number } {
  const known = new Set(world.entra.users.map((u) => u.id));
  const byId = new Map((world.entra.groups ?? []).map((g) => [g.id, g]));
  const seen = new Set<string>();
  const users = new Set<string>();
  const stack = [groupId];
  while (stack.length > 0) {
    const group = byId.get(stack.pop() as string);
    if (group === undefined || seen.has(group.id)) continue;
    seen.add(group.id);
    for (const m of group.members) {
      if (m.type === 'user' && known.has(m.id)) users.add(m.id);
      if (m.type === 'group') stack.push(m.id);
    }
  }
  seen.delete(groupId);
  return { users, nested: seen.size };
}

/**
 * The pages of a full groups delta round as the fake serves them: every group is at least one object, a group
 * with more than 100 visible members is ceil(members / 100) objects, 100 objects to a page.
 */
export function fullRoundPages(world: World): number {
  const visible = new Set<string>([
    ...world.entra.users.map((u) => u.id),
    ...(world.entra.groups ?? []).map((g) => g.id),
    ...(world.entra.orgContacts ?? []).map((c) => c.id),
    ...(world.entra.directoryObjects ?? []).map((o) => o.id),
  ]);
  let objects = 0;
  for (const group of world.entra.groups ?? []) {
    const members = group.members.filter((m) => visible.has(m.id)).length;
    objects += Math.max(1, Math.ceil(members / GROUP_DELTA_MEMBERS_PER_OBJECT));
  }
  return Math.max(1, Math.ceil(objects / GROUPS_DELTA_PAGE_SIZE));
}

/**
 * Changes the memberships of `share` of the users (at least one), picked evenly among the users with an Employee
 * object: each leaves one assigned (not dynamic) group it is in and joins one it is not in. Returns their ids and the
 * groups changed.
 */
function churnMemberships(
  h: Harness,
  groups: readonly FakeGroup[],
  employeeIds: string[],
  share: number,
  users: number,
): { users: Set<string>; groups: Set<string> } {
  const assigned = groups.filter((g) => g.membershipRule === null).sort((a, b) => (a.id < b.id ? -1 : 1));
  const sorted = [...employeeIds].sort();
  const count = Math.max(1, Math.round(users * share));
  const step = Math.max(1, Math.floor(sorted.length / count));
  const chosen = new Set<string>();
  const touched = new Set<string>();
  for (let i = 0; chosen.size < count && i * step < sorted.length; i++) {
    const userId = sorted[i * step]!;
    const holds = (g: FakeGroup) => g.members.some((m) => m.type === 'user' && m.id === userId);
    const leave = assigned.find(holds);
    const candidates = assigned.filter((g) => !holds(g));
    const join = candidates[(i * 7_919) % Math.max(1, candidates.length)];
    if (leave !== undefined) {
      h.sim.entra.removeGroupMember(leave.id, userId);
      touched.add(leave.id);
    }
    if (join !== undefined) {
      h.sim.entra.addGroupMember(join.id, { type: 'user', id: userId });
      touched.add(join.id);
    }
    if (leave !== undefined || join !== undefined) chosen.add(userId);
  }
  return { users: chosen, groups: touched };
}

/** Each Employee's Groups (referenced object ids, sorted) by Entra user id, read through the app's Assets client. */
async function employeeGroups(h: Harness): Promise<Map<string, string>> {
  const layout = await readLayout(h.store);
  if (layout === null) return new Map();
  const { assets } = await h.deps.connect(DEFINITION);
  const employees: AssetsObject[] = [];
  for (let startAt = 0; ; ) {
    const page = await assets.searchObjects(layout, objectTypeOf(DEFINITION, 'employee'), startAt, 100);
    employees.push(...page.objects);
    startAt += page.objects.length;
    if (page.isLast || page.objects.length === 0) break;
  }
  return new Map(
    employees.map((e) => [e.values.entraUserId as string, JSON.stringify([...((e.values.groups as string[] | null) ?? [])].sort())]),
  );
}

/** The run counts the group scenarios report (0 for a run that counted nothing). */
function countsOf(c: RunState['counts']): GroupScenarioFigures['counts'] {
  return {
    creates: c?.creates ?? 0,
    updates: c?.updates ?? 0,
    groupCreates: c?.groupCreates ?? 0,
    groupUpdates: c?.groupUpdates ?? 0,
    groupInactivations: c?.groupInactivations ?? 0,
    membershipChanges: c?.membershipChanges ?? 0,
  };
}

/** Groups delta requests the fake tenant served since request number `from`. */
function groupsDeltaCallsSince(h: Harness, from: number): number {
  return h.sim.entra.requests.slice(from).filter((r) => r.path === '/v1.0/groups/delta').length;
}
