/**
 * The entraGroups stage through the real pipeline (step runner, stages, Graph client) against the fake tenant's
 * groups (fakes/entra/group-state.ts) in its default, less friendly behaviour: a group with more than 100 members
 * comes as several objects on groups delta, pages of 100 objects, paging links and delta tokens that expire.
 * Issue 13: the incremental read (groups/delta with members@delta), a no-change resync that reads one page and
 * writes nothing, the full reconciliation, large and odd groups, kills and duplicated events, the permission.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { FakeGroup, FakeGroupMember, World } from '../../fakes/world/types';
import { buildSchemaDefinition } from '../../src/domain/attribute-catalogue';
import { FULL_READ_MAX_AGE_DAYS } from '../../src/domain/directory-delta';
import type { GroupMemberKind } from '../../src/domain/entra-group';
import { fromStoredGroups, toStoredGroups } from '../../src/domain/group-directory';
import type { GroupSelection } from '../../src/domain/group-sync';
import { MAX_FULL_READ_RESTARTS } from '../../src/pipeline/delta-rounds';
import { readGroupDirectory, readGroupDirectoryMeta } from '../../src/pipeline/group-cache';
import { saveLayout } from '../../src/pipeline/layout-store';
import { createAssets } from '../../src/services/connections';
import { type Harness, type HarnessOptions, harnessPerTest, startHarness } from '../support/pipeline-harness';

const DAY = 24 * 60 * 60 * 1000;
const gid = (n: number) => `0a000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const did = (n: number) => `0d000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const FILLER_GROUPS = 130;

function group(n: number, overrides: Partial<FakeGroup> = {}): FakeGroup {
  return {
    id: gid(n),
    displayName: `Group ${n}`,
    mail: null,
    description: null,
    groupTypes: [],
    mailEnabled: false,
    securityEnabled: true,
    membershipRule: null,
    members: [],
    ...overrides,
  };
}

/**
 * A generated world plus groups of the kinds the issue lists: a large group (users and devices, split by groups
 * delta), a Microsoft 365 group, a distribution list, a dynamic group, an empty group, a group with a contact and a
 * service principal, nested groups with a cycle, and enough small groups for several delta pages.
 */
function groupsWorld(users = 60, seed = 31): World {
  const base = generateWorld({ users, seed });
  const ids = base.entra.users.map((u) => u.id);
  const user = (i: number): FakeGroupMember => ({ type: 'user', id: ids[i % ids.length]! });
  const devices = Array.from({ length: 60 }, (_, i) => ({ id: did(i + 1), type: 'device' as const, displayName: `Laptop ${i}` }));
  const contact = base.entra.orgContacts[0];
  const groups: FakeGroup[] = [
    group(1, {
      displayName: 'All staff',
      members: [...ids.map((id) => ({ type: 'user' as const, id })), ...devices.map((d) => ({ type: 'device' as const, id: d.id }))],
    }),
    group(2, {
      displayName: 'Sales',
      groupTypes: ['Unified'],
      mailEnabled: true,
      securityEnabled: false,
      mail: 'sales@contoso.com',
      members: [user(0), user(1), user(2), { type: 'group', id: gid(3) }],
    }),
    group(3, { displayName: 'Sales EMEA', members: [user(3), user(4), { type: 'group', id: gid(2) }] }),
    group(4, { displayName: 'Newsletter', mailEnabled: true, securityEnabled: false, mail: 'news@contoso.com', members: [user(5)] }),
    group(5, {
      displayName: 'Engineers (dynamic)',
      groupTypes: ['DynamicMembership'],
      membershipRule: 'user.department -eq "Engineering"',
      members: [user(6), user(7)],
    }),
    group(6, { displayName: 'Empty', description: 'nobody yet' }),
    group(7, {
      displayName: 'Odd members',
      members: [
        user(8),
        { type: 'servicePrincipal', id: did(900) },
        ...(contact === undefined ? [] : [{ type: 'orgContact' as const, id: contact.id }]),
      ],
    }),
    ...Array.from({ length: FILLER_GROUPS }, (_, i) => group(100 + i, { displayName: `Team ${i}`, members: [user(i), user(i + 1)] })),
  ];
  return {
    ...base,
    entra: {
      ...base.entra,
      groups,
      directoryObjects: [...devices, { id: did(900), type: 'servicePrincipal', displayName: 'Build bot' }],
    },
  };
}

const KIND: Record<FakeGroupMember['type'], GroupMemberKind> = {
  user: 'user',
  group: 'group',
  device: 'other',
  orgContact: 'other',
  servicePrincipal: 'other',
};

/** What the cache must hold for these groups (every group, direct members by kind), in the stored order. */
function expectedCache(groups: readonly FakeGroup[]) {
  return toStoredGroups(
    fromStoredGroups(
      groups.map(({ id, displayName, mail, description, groupTypes, mailEnabled, securityEnabled }) => ({
        id,
        displayName,
        mail,
        description,
        groupTypes: [...groupTypes],
        mailEnabled,
        securityEnabled,
      })),
      groups.flatMap((g) => g.members.map((m) => [g.id, KIND[m.type], m.id] as [string, GroupMemberKind, string])),
    ),
  );
}

async function cached(h: Harness) {
  const meta = await readGroupDirectoryMeta(h.store);
  if (meta === null) throw new Error('no cached group directory');
  return { meta, stored: toStoredGroups(await readGroupDirectory(h.store, meta)) };
}

/** Group sync on (settings) and the Entra Group type in the schema, as Create Schema makes it. */
async function turnGroupsOn(h: Harness, groups: GroupSelection = { mode: 'all' }) {
  await h.configure({ groups, groupMembership: 'transitive' });
  const result = await createAssets(h.connectionDeps).ensureSchema(buildSchemaDefinition([], [], { groups: true }));
  await saveLayout(h.store, result.layout, h.clock.now());
}

const groupCalls = (h: Harness, from = 0) => h.sim.entra.requests.slice(from).filter((r) => r.path.startsWith('/v1.0/groups'));

/** Every KVS key of the group cache. */
const groupKeys = (h: Harness) => [...h.store.memory.data.keys()].filter((key) => key.startsWith('grp:')).sort();

const { harness } = harnessPerTest({ world: groupsWorld(), seed: 31 });

describe('full read: the first groups delta round into the group cache', () => {
  it.each([
    ['large groups split across objects (default)', {}],
    ['every member in one object', { groupDeltaMembersPerObject: null }],
  ])('%s: every group with its direct members by kind, from groups delta only', async (_name, behaviour) => {
    const hh = await harness({ simulation: { entra: { behaviour } } });
    await turnGroupsOn(hh);
    const mark = hh.sim.entra.requests.length;
    const { run } = await hh.run('sync');
    expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });

    const { meta, stored } = await cached(hh);
    expect(stored).toEqual(expectedCache(hh.world.entra.groups!));
    expect(stored.edges.filter(([g]) => g === gid(1))).toHaveLength(120);
    expect(meta).toMatchObject({ generation: run.runId, groups: 7 + FILLER_GROUPS, deltaLink: expect.any(String) });
    // Pages of 100 objects: at least two; each a plain groups/delta call, no members or per-group reads.
    const calls = groupCalls(hh, mark);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((r) => r.path))).toEqual(new Set(['/v1.0/groups/delta']));
    expect(calls[0]!.query['$select']).toContain('members');
    expect(hh.logs.some((l) => l.event === 'stage.entra-groups' && l.fields.mode === 'full')).toBe(true);
  });

  it('a run without group sync reads no group and leaves the cache alone', async () => {
    const hh = await harness();
    const { run } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    expect(groupCalls(hh)).toEqual([]);
    expect(groupKeys(hh)).toEqual([]);

    await turnGroupsOn(hh);
    await hh.run('sync');
    const keysBefore = groupKeys(hh);
    const metaBefore = (await cached(hh)).meta;
    await hh.configure({ groups: { mode: 'off' } });
    const mark = hh.sim.entra.requests.length;
    hh.clock.advance(60_000);
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    expect(groupCalls(hh, mark)).toEqual([]);
    expect(groupKeys(hh)).toEqual(keysBefore);
    expect((await cached(hh)).meta).toEqual(metaBefore);
  });
});

describe('incremental: later runs follow the deltaLink', () => {
  it('a rename, a member added, a member removed, a group deleted and restored reach the cache from delta pages only', async () => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    const first = await cached(hh);
    const groups = structuredClone(hh.world.entra.groups!);
    const ids = hh.world.entra.users.map((u) => u.id);
    const find = (n: number) => groups.find((g) => g.id === gid(n))!;

    hh.sim.entra.updateGroup(gid(2), { displayName: 'Sales and Marketing' });
    find(2).displayName = 'Sales and Marketing';
    hh.sim.entra.addGroupMember(gid(6), { type: 'user', id: ids[9]! });
    find(6).members.push({ type: 'user', id: ids[9]! });
    hh.sim.entra.removeGroupMember(gid(3), ids[3]!);
    find(3).members = find(3).members.filter((m) => m.id !== ids[3]);
    hh.sim.entra.softDeleteGroup(gid(4));

    hh.clock.advance(DAY);
    let mark = hh.sim.entra.requests.length;
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    let now = await cached(hh);
    expect(now.stored).toEqual(expectedCache(groups.filter((g) => g.id !== gid(4))));
    // Only the changes: one delta page, from the stored deltaLink; the generation moved, the full read did not.
    const calls = groupCalls(hh, mark);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query['$deltatoken'] ?? calls[0]!.query['$skiptoken']).toBeDefined();
    expect(now.meta.fullReadAt).toBe(first.meta.fullReadAt);
    expect(now.meta.generation).not.toBe(first.meta.generation);
    // The old generation is gone.
    expect(groupKeys(hh).filter((key) => key.startsWith(`grp:${first.meta.generation}:`))).toEqual([]);

    hh.sim.entra.restoreGroup(gid(4));
    hh.clock.advance(DAY);
    mark = hh.sim.entra.requests.length;
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    now = await cached(hh);
    expect(now.stored).toEqual(expectedCache(groups));
    expect(groupCalls(hh, mark)).toHaveLength(1);
  });

  it('a deleted member user leaves the group in the cache', async () => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    const gone = hh.world.entra.users[1]!.id;
    hh.sim.entra.softDeleteUser(gone);
    hh.clock.advance(DAY);
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    const { stored } = await cached(hh);
    expect(stored.edges.filter(([, , member]) => member === gone)).toEqual([]);
  });

  it('a resync without changes reads one groups delta page and writes only the meta', async () => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    const before = await cached(hh);
    const keysBefore = groupKeys(hh);
    const writes: string[] = [];
    const set = hh.store.memory.set.bind(hh.store.memory);
    hh.store.memory.set = async (key, value, options) => {
      if (key.startsWith('grp:')) writes.push(key);
      return set(key, value, options);
    };

    hh.clock.advance(60 * 60_000);
    const mark = hh.sim.entra.requests.length;
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    expect(groupCalls(hh, mark)).toHaveLength(1);
    expect(writes).toEqual(['grp:meta']);
    expect(groupKeys(hh)).toEqual(keysBefore);
    const after = await cached(hh);
    expect(after.stored).toEqual(before.stored);
    expect(after.meta).toEqual({ ...before.meta, deltaLink: after.meta.deltaLink, updatedAt: new Date(hh.clock.now()).toISOString() });
    expect(after.meta.generation).toBe(before.meta.generation);
  });

  it(`reads every group again when the last full read is ${FULL_READ_MAX_AGE_DAYS}+ days old`, async () => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    const first = await cached(hh);
    // Due after 7 days; the cache itself lives 8 days after the last run that read groups.
    hh.clock.advance(FULL_READ_MAX_AGE_DAYS * DAY + 60 * 60_000);
    const mark = hh.sim.entra.requests.length;
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    const calls = groupCalls(hh, mark);
    expect(calls[0]!.query['$deltatoken']).toBeUndefined();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    const now = await cached(hh);
    expect(now.meta.fullReadAt).not.toBe(first.meta.fullReadAt);
    expect(now.stored).toEqual(first.stored);
    expect(hh.logs.some((l) => l.event === 'stage.entra-groups.full-read' && l.fields.reason === 'reconciliation-due')).toBe(true);
  });

  it.each([[400], [410]] as const)('an expired delta link (%s) switches to a full read', async (answer) => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    hh.sim.entra.updateGroup(gid(5), { description: 'after expiry' });
    hh.sim.entra.expireDeltaTokens(answer);
    hh.clock.advance(DAY);
    expect((await hh.run('sync')).run.status).toBe('succeeded');
    const groups = structuredClone(hh.world.entra.groups!);
    groups.find((g) => g.id === gid(5))!.description = 'after expiry';
    expect((await cached(hh)).stored).toEqual(expectedCache(groups));
    expect(hh.logs.some((l) => l.event === 'stage.entra-groups.delta-expired')).toBe(true);
  });
});

describe('expired paging links, throttling and the permission', () => {
  /**
   * Expires every paging link handed out so far right before the first `times` requests for a next page of groups
   * delta (a $skiptoken link), as Graph does when a page token outlives its lifetime.
   */
  function expiringPageLinks(times: number): { options: HarnessOptions; harnessRef: { h?: Harness } } {
    const harnessRef: { h?: Harness } = {};
    let left = times;
    return {
      harnessRef,
      options: {
        wrapExternalFetch: (fetch) => async (request) => {
          if (left > 0 && request.url.includes('/groups/delta') && request.url.includes('skiptoken')) {
            left--;
            harnessRef.h!.sim.entra.expirePageTokens();
          }
          return fetch(request);
        },
      },
    };
  }

  it('an expired paging link mid full read restarts the read and the cache is whole', async () => {
    const { options, harnessRef } = expiringPageLinks(1);
    const hh = (harnessRef.h = await harness(options));
    await turnGroupsOn(hh);
    const { run } = await hh.run('sync', { budgetCalls: 2 });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
    expect((await cached(hh)).stored).toEqual(expectedCache(hh.world.entra.groups!));
    expect(hh.logs.filter((l) => l.event === 'stage.entra-groups.full-read-restart').map((l) => l.fields.restarts)).toEqual([1]);
  });

  it(`after ${MAX_FULL_READ_RESTARTS} restarts in a run it waits 60 s and reads again`, async () => {
    const { options, harnessRef } = expiringPageLinks(MAX_FULL_READ_RESTARTS + 1);
    const hh = (harnessRef.h = await harness(options));
    await turnGroupsOn(hh);
    const { run, stats } = await hh.run('sync');
    expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
    expect(stats.retriesLater).toBe(1);
    expect(hh.logs.filter((l) => l.event === 'stage.entra-groups.full-read-restart').map((l) => l.fields.restarts)).toEqual([1, 2, 3, 4]);
    const delta = groupCalls(hh).filter((r) => r.path === '/v1.0/groups/delta');
    const waited = delta.findIndex((r, i) => i > 0 && r.time - delta[i - 1]!.time >= 60_000);
    expect(waited).toBeGreaterThan(0);
    expect((await cached(hh)).stored).toEqual(expectedCache(hh.world.entra.groups!));
  });

  it('a throttled groups delta is rescheduled after Retry-After, never slept away', async () => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    hh.sim.entra.failNext({ path: '/v1.0/groups/delta', status: 429, headers: { 'Retry-After': '120' }, times: 3 });
    hh.clock.advance(DAY);
    const mark = hh.sim.entra.requests.length;
    const { run, stats } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    expect(stats.retriesLater).toBeGreaterThanOrEqual(1);
    const calls = groupCalls(hh, mark);
    for (let i = 1; i < calls.length; i++) {
      if (calls[i - 1]!.status === 429) expect(calls[i]!.time - calls[i - 1]!.time).toBeGreaterThanOrEqual(120_000);
    }
    expect(calls.at(-1)!.status).toBe(200);
  });

  it('without GroupMember.Read.All the run fails with GRAPH_GROUPS_FORBIDDEN and the cache is left as it was', async () => {
    const hh = await harness({ simulation: { tenant: { grantedRoles: ['User.Read.All'] } } });
    await turnGroupsOn(hh);
    const { run } = await hh.run('sync');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('GRAPH_GROUPS_FORBIDDEN');
    expect(run.error?.message).toContain('GroupMember.Read.All');
    expect(groupKeys(hh)).toEqual([]);
    // Nothing was written to Assets: the run stopped before the plan.
    expect(hh.assetsWrites()).toBe(0);
  });

  it('a permission withdrawn after a sync fails the run and keeps the cached groups untouched', async () => {
    const hh = await harness();
    await turnGroupsOn(hh);
    await hh.run('sync');
    const before = await cached(hh);
    const keysBefore = groupKeys(hh);
    hh.sim.entra.setConsent(true, ['User.Read.All']);
    hh.sim.entra.updateGroup(gid(2), { displayName: 'Never seen' });
    hh.clock.advance(DAY);
    const { run } = await hh.run('sync');
    expect(run.error?.code).toBe('GRAPH_GROUPS_FORBIDDEN');
    expect(groupKeys(hh)).toEqual(keysBefore);
    expect(await cached(hh)).toEqual(before);
  });
});

describe('kills and duplicated events', () => {
  const world = groupsWorld(40, 37);
  const options: HarnessOptions = { world, seed: 37 };
  const BUDGET_CALLS = 2;

  async function prepared(extra: HarnessOptions = {}) {
    const h = await startHarness({ ...options, ...extra });
    await turnGroupsOn(h);
    return h;
  }

  /** A first sync, then changes for the incremental run the kills hit. */
  function change(h: Harness) {
    const ids = h.world.entra.users.map((u) => u.id);
    h.sim.entra.updateGroup(gid(2), { displayName: 'Renamed mid-test' });
    h.sim.entra.addGroupMember(gid(6), { type: 'user', id: ids[3]! });
    h.sim.entra.removeGroupMember(gid(1), ids[0]!);
    h.sim.entra.softDeleteGroup(gid(4));
  }

  async function reference() {
    const h = await prepared();
    try {
      const full = await h.run('sync', { budgetCalls: BUDGET_CALLS });
      const afterFull = (await cached(h)).stored;
      change(h);
      h.clock.advance(DAY);
      const delta = await h.run('sync', { budgetCalls: BUDGET_CALLS });
      return { full, delta, afterFull, afterDelta: (await cached(h)).stored };
    } finally {
      await h.close();
    }
  }

  /** The invocations of the groups stage in a run's log (1-based across the pump), with their storage operations. */
  const groupInvocations = (stats: { invocationLog: { stage: string }[]; opsPerInvocation: number[] }) =>
    stats.invocationLog.flatMap((record, i) =>
      record.stage === 'entraGroups' ? [{ invocation: i + 1, ops: stats.opsPerInvocation[i]! }] : [],
    );

  const killPoints = (invocations: { invocation: number; ops: number }[]) =>
    invocations.flatMap(({ invocation, ops }) =>
      [...new Set([1, 2, Math.ceil(ops / 4), Math.ceil(ops / 2), Math.ceil((3 * ops) / 4), ops - 1, ops])]
        .filter((op) => op >= 1)
        .map((op) => ({ invocation, op })),
    );

  let ref: Awaited<ReturnType<typeof reference>>;
  beforeAll(async () => {
    ref = await reference();
  });

  it('has a reference with more than one groups invocation in each run', () => {
    expect(ref.full.run.status).toBe('succeeded');
    expect(ref.delta.run.status).toBe('succeeded');
    expect(groupInvocations(ref.full.stats).length).toBeGreaterThanOrEqual(2);
    expect(ref.afterDelta).not.toEqual(ref.afterFull);
  });

  it('a kill at any storage operation of the full read or its merge ends with the same cache', async () => {
    const points = killPoints(groupInvocations(ref.full.stats));
    for (const point of points) {
      const h = await prepared();
      try {
        const { run, stats } = await h.run('sync', {
          budgetCalls: BUDGET_CALLS,
          crashAt: (n) => (n === point.invocation ? point.op : null),
        });
        const label = `full: kill invocation ${point.invocation} at op ${point.op}`;
        expect({ label, status: run.status, crashes: stats.crashes }).toEqual({ label, status: 'succeeded', crashes: 1 });
        expect({ label, stored: (await cached(h)).stored }).toEqual({ label, stored: ref.afterFull });
      } finally {
        await h.close();
      }
    }
    expect(points.length).toBeGreaterThan(10);
  }, 240_000);

  it('a kill at any storage operation of the incremental read or its merge ends with the same cache, changes applied once', async () => {
    const points = killPoints(groupInvocations(ref.delta.stats));
    for (const point of points) {
      const h = await prepared();
      try {
        await h.run('sync', { budgetCalls: BUDGET_CALLS });
        change(h);
        h.clock.advance(DAY);
        const { run, stats } = await h.run('sync', {
          budgetCalls: BUDGET_CALLS,
          crashAt: (n) => (n === point.invocation ? point.op : null),
        });
        const label = `delta: kill invocation ${point.invocation} at op ${point.op}`;
        expect({ label, status: run.status, crashes: stats.crashes }).toEqual({ label, status: 'succeeded', crashes: 1 });
        expect({ label, stored: (await cached(h)).stored }).toEqual({ label, stored: ref.afterDelta });
        // No generation but the current one is left behind (the replaced one is deleted once the meta moved).
        const { meta } = await cached(h);
        const generations = new Set(
          groupKeys(h)
            .filter((k) => k !== 'grp:meta')
            .map((k) => k.split(':')[1]),
        );
        expect({ label, generations: [...generations] }).toEqual({ label, generations: [meta.generation] });
      } finally {
        await h.close();
      }
    }
    expect(points.length).toBeGreaterThan(3);
  }, 240_000);

  it('duplicated, reordered and delayed events end with the same cache', async () => {
    for (const seed of [1, 2, 3]) {
      const h = await prepared({ delivery: { duplicateRate: 0.5, reorder: true, maxJitterMs: 30_000, seed } });
      try {
        expect((await h.run('sync', { budgetCalls: BUDGET_CALLS })).run.status).toBe('succeeded');
        expect((await cached(h)).stored).toEqual(ref.afterFull);
        change(h);
        h.clock.advance(DAY);
        expect((await h.run('sync', { budgetCalls: BUDGET_CALLS })).run.status).toBe('succeeded');
        expect((await cached(h)).stored).toEqual(ref.afterDelta);
      } finally {
        await h.close();
      }
    }
  }, 120_000);
});
