import type { EntraGroup, GroupMemberEdge } from '../../src/domain/entra-group';
import { fromStoredGroups, type GroupDirectory } from '../../src/domain/group-directory';
import { computeMemberships } from '../../src/domain/group-membership';
import type { GroupSelection } from '../../src/domain/group-sync';

const ALL: GroupSelection = { mode: 'all' };

function group(id: string, displayName: string | null = `Group ${id}`): EntraGroup {
  return { id, displayName, mail: null, description: null, groupTypes: [], mailEnabled: false, securityEnabled: true };
}

function directoryOf(groups: EntraGroup[], edges: GroupMemberEdge[]): GroupDirectory {
  return fromStoredGroups(groups, edges);
}

describe('computeMemberships: direct', () => {
  const directory = directoryOf(
    [group('g3', 'Sales'), group('g1', 'Engineering'), group('g2', 'Sales EMEA'), group('g4', 'Empty')],
    [
      ['g1', 'user', 'u1'],
      ['g1', 'user', 'u2'],
      ['g1', 'group', 'g2'],
      ['g1', 'other', 'device-1'],
      ['g1', 'other', 'sp-1'],
      ['g2', 'user', 'u3'],
      ['g2', 'other', 'device-1'],
      ['g3', 'user', 'u1'],
    ],
  );

  it('lists the selected groups sorted by id and each user direct groups sorted', () => {
    const result = computeMemberships(directory, ALL, 'direct');
    expect(result.selected.map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4']);
    expect(result.groupsOf('u1')).toEqual(['g1', 'g3']);
    expect(result.groupsOf('u2')).toEqual(['g1']);
    // A member of a nested group is not a direct member of the outer one.
    expect(result.groupsOf('u3')).toEqual(['g2']);
    expect(result.groupsOf('nobody')).toEqual([]);
    expect(result.cycles).toBe(0);
  });

  it('counts devices, contacts and service principals of selected groups once per group', () => {
    expect(computeMemberships(directory, ALL, 'direct').skippedMembers).toBe(3);
    expect(computeMemberships(directory, { mode: 'ids', ids: ['g2'] }, 'direct').skippedMembers).toBe(1);
  });

  it('keeps to the selection: chosen ids, a name prefix (case-insensitive), off', () => {
    const ids = computeMemberships(directory, { mode: 'ids', ids: ['g3'] }, 'direct');
    expect(ids.selected.map((g) => g.id)).toEqual(['g3']);
    expect(ids.groupsOf('u1')).toEqual(['g3']);
    expect(ids.groupsOf('u2')).toEqual([]);

    const prefix = computeMemberships(directory, { mode: 'prefix', prefix: 'sales' }, 'direct');
    expect(prefix.selected.map((g) => g.id)).toEqual(['g2', 'g3']);
    expect(prefix.groupsOf('u1')).toEqual(['g3']);
    expect(prefix.groupsOf('u3')).toEqual(['g2']);

    const off = computeMemberships(directory, { mode: 'off' }, 'direct');
    expect(off.selected).toEqual([]);
    expect(off.groupsOf('u1')).toEqual([]);
    expect(off.skippedMembers).toBe(0);
  });
});

describe('computeMemberships: transitive', () => {
  it('flattens nested groups at any depth, nested groups need not be selected', () => {
    // g1 contains g2 contains g3 contains u1; only g1 and g3 are selected.
    const directory = directoryOf(
      [group('g1', 'Sync All'), group('g2', 'Hidden middle'), group('g3', 'Sync Team')],
      [
        ['g1', 'group', 'g2'],
        ['g2', 'group', 'g3'],
        ['g3', 'user', 'u1'],
        ['g2', 'user', 'u2'],
      ],
    );
    const result = computeMemberships(directory, { mode: 'prefix', prefix: 'Sync' }, 'transitive');
    expect(result.selected.map((g) => g.id)).toEqual(['g1', 'g3']);
    expect(result.groupsOf('u1')).toEqual(['g1', 'g3']);
    expect(result.groupsOf('u2')).toEqual(['g1']);
    expect(result.cycles).toBe(0);
    expect(computeMemberships(directory, { mode: 'prefix', prefix: 'Sync' }, 'direct').groupsOf('u1')).toEqual(['g3']);
  });

  it('tolerates nested cycles (and a group containing itself) and counts each cycle once', () => {
    const directory = directoryOf(
      [group('a'), group('b'), group('c'), group('d'), group('self')],
      [
        ['a', 'group', 'b'],
        ['b', 'group', 'c'],
        ['c', 'group', 'a'],
        ['c', 'user', 'u1'],
        ['d', 'group', 'a'],
        ['self', 'group', 'self'],
        ['self', 'user', 'u2'],
      ],
    );
    const result = computeMemberships(directory, ALL, 'transitive');
    expect(result.groupsOf('u1')).toEqual(['a', 'b', 'c', 'd']);
    expect(result.groupsOf('u2')).toEqual(['self']);
    expect(result.cycles).toBe(2);
    expect(computeMemberships(directory, ALL, 'direct').cycles).toBe(0);
  });

  it('an edge to a nested group that is not in the directory leads nowhere', () => {
    const directory = directoryOf(
      [group('g1')],
      [
        ['g1', 'group', 'unknown'],
        ['g1', 'user', 'u1'],
      ],
    );
    const result = computeMemberships(directory, ALL, 'transitive');
    expect(result.groupsOf('u1')).toEqual(['g1']);
    expect(result.cycles).toBe(0);
  });

  it('a user in 250 groups gets all of them', () => {
    const groups = Array.from({ length: 250 }, (_, i) => group(`g${String(i).padStart(3, '0')}`));
    const edges: GroupMemberEdge[] = groups.map((g) => [g.id, 'user', 'u1']);
    for (const mode of ['direct', 'transitive'] as const) {
      expect(computeMemberships(directoryOf(groups, edges), ALL, mode).groupsOf('u1')).toEqual(groups.map((g) => g.id));
    }
  });

  it('a deep nesting chain (5,000 levels) neither overflows the stack nor misses the top group', () => {
    const groups = Array.from({ length: 5_000 }, (_, i) => group(`g${String(i).padStart(5, '0')}`));
    const edges: GroupMemberEdge[] = groups.slice(1).map((g, i) => [groups[i]!.id, 'group', g.id]);
    edges.push([groups[4_999]!.id, 'user', 'u1'], [groups[4_999]!.id, 'group', groups[0]!.id]);
    const result = computeMemberships(directoryOf(groups, edges), ALL, 'transitive');
    expect(result.groupsOf('u1')).toHaveLength(5_000);
    expect(result.cycles).toBe(1);
  });
});

/** A seeded world of the size: 10k users, 2k groups, ~150k direct edges, one 10k+ group, nesting with cycles. */
function largeWorld(): { directory: GroupDirectory; users: string[]; edges: number } {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const users = Array.from({ length: 10_000 }, (_, i) => `u${i}`);
  const groups = Array.from({ length: 2_000 }, (_, i) => group(`g${String(i).padStart(4, '0')}`));
  const edges: GroupMemberEdge[] = [];
  // Group 0 holds every user (and a few devices); user 0 is in 220 groups.
  for (const user of users) edges.push(['g0000', 'user', user]);
  for (let i = 0; i < 30; i++) edges.push(['g0000', 'other', `device-${i}`]);
  for (let g = 1; g <= 220; g++) edges.push([groups[g]!.id, 'user', 'u0']);
  // ~14 more memberships per user on average, spread unevenly.
  for (const user of users.slice(1)) {
    const count = Math.floor(random() * 28);
    const seen = new Set<number>();
    for (let k = 0; k < count; k++) {
      const g = 1 + Math.floor(random() ** 2 * 1_999);
      if (seen.has(g)) continue;
      seen.add(g);
      edges.push([groups[g]!.id, 'user', user]);
    }
  }
  // Nesting: each group 1..1999 nested in up to 3 others, some pointing back (cycles).
  for (let g = 1; g < 2_000; g++) {
    for (let k = 0; k < 3; k++) if (random() < 0.3) edges.push([groups[Math.floor(random() * 2_000)]!.id, 'group', groups[g]!.id]);
  }
  return { directory: fromStoredGroups(groups, edges), users, edges: edges.length };
}

describe('figures (printed, not asserted on time)', () => {
  it('10k users, 2k groups, ~150k edges, one group of 10k members: direct and transitive for every user', () => {
    const { directory, users, edges } = largeWorld();
    const lines: string[] = [`edges ${edges}`];
    for (const mode of ['direct', 'transitive'] as const) {
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const result = computeMemberships(directory, ALL, mode);
      let memberships = 0;
      for (const user of users) memberships += result.groupsOf(user).length;
      const ms = performance.now() - started;
      const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
      lines.push(`${mode}: ${ms.toFixed(0)} ms, ${memberships} memberships, cycles ${result.cycles}, heap +${heapMb.toFixed(1)} MB`);
      expect(result.groupsOf('u0').length).toBeGreaterThanOrEqual(221);
      expect(result.skippedMembers).toBe(30);
      if (mode === 'transitive') expect(result.cycles).toBeGreaterThan(0);
    }

    console.log(`group memberships: ${lines.join('; ')}`);
  });
});
