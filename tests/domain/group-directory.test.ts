import fc from 'fast-check';

import { type EntraGroup, type GroupDeltaChange, groupDeltaChangeSchema, type GroupMemberKind } from '../../src/domain/entra-group';
import {
  applyGroupDeltaChanges,
  emptyGroupDirectory,
  fromStoredGroups,
  type GroupDirectory,
  toStoredGroups,
} from '../../src/domain/group-directory';

function group(id: string, overrides: Partial<EntraGroup> = {}): EntraGroup {
  return {
    id,
    displayName: `Group ${id}`,
    mail: null,
    description: null,
    groupTypes: [],
    mailEnabled: false,
    securityEnabled: true,
    ...overrides,
  };
}

const upsert = (
  id: string,
  fields: Partial<Omit<EntraGroup, 'id'>>,
  membersAdded: { id: string; kind: GroupMemberKind }[] = [],
  membersRemoved: string[] = [],
): GroupDeltaChange => ({ kind: 'upsert', id, fields, membersAdded, membersRemoved });

const fullItem = (g: EntraGroup, members: { id: string; kind: GroupMemberKind }[] = []): GroupDeltaChange => {
  const { id, ...fields } = g;
  return upsert(id, fields, members);
};

const membersOf = (directory: GroupDirectory, id: string) => Object.fromEntries([...(directory.members.get(id) ?? new Map())].sort());

describe('applyGroupDeltaChanges', () => {
  it('adds a new group with its properties and members by kind', () => {
    const directory = emptyGroupDirectory();
    const result = applyGroupDeltaChanges(directory, [
      fullItem(group('g1', { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, mail: 'team@contoso.com' }), [
        { id: 'u1', kind: 'user' },
        { id: 'g2', kind: 'group' },
        { id: 'd1', kind: 'other' },
      ]),
    ]);
    expect(result).toEqual({ added: 1, updated: 0, removed: 0, membershipChanges: 3 });
    expect(directory.groups.get('g1')).toEqual(
      group('g1', { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, mail: 'team@contoso.com' }),
    );
    expect(membersOf(directory, 'g1')).toEqual({ d1: 'other', g2: 'group', u1: 'user' });
  });

  it('adds up the members of a group repeated across pages, the last property values present winning', () => {
    const directory = emptyGroupDirectory();
    const result = applyGroupDeltaChanges(directory, [
      fullItem(group('g1', { displayName: 'Sales' }), [{ id: 'u1', kind: 'user' }]),
      upsert('g1', {}, [{ id: 'u2', kind: 'user' }]),
      upsert('g1', { displayName: 'Sales EMEA' }, [{ id: 'u3', kind: 'user' }]),
    ]);
    expect(result).toEqual({ added: 1, updated: 0, removed: 0, membershipChanges: 3 });
    expect(directory.groups.get('g1')!.displayName).toBe('Sales EMEA');
    expect(directory.groups.get('g1')!.securityEnabled).toBe(true);
    expect(Object.keys(membersOf(directory, 'g1'))).toEqual(['u1', 'u2', 'u3']);
  });

  it('keeps the properties a later change does not carry and counts a rename as an update', () => {
    const directory = fromStoredGroups([group('g1', { description: 'Everyone in sales' })], [['g1', 'user', 'u1']]);
    const result = applyGroupDeltaChanges(directory, [upsert('g1', { displayName: 'Renamed' })]);
    expect(result).toEqual({ added: 0, updated: 1, removed: 0, membershipChanges: 0 });
    expect(directory.groups.get('g1')).toEqual(group('g1', { displayName: 'Renamed', description: 'Everyone in sales' }));
    expect(membersOf(directory, 'g1')).toEqual({ u1: 'user' });
  });

  it('removes members, ignores removing a member that is not there, and counts only real membership changes', () => {
    const directory = fromStoredGroups(
      [group('g1')],
      [
        ['g1', 'user', 'u1'],
        ['g1', 'user', 'u2'],
      ],
    );
    const result = applyGroupDeltaChanges(directory, [upsert('g1', {}, [{ id: 'u3', kind: 'user' }], ['u1', 'nobody'])]);
    expect(result).toEqual({ added: 0, updated: 0, removed: 0, membershipChanges: 2 });
    expect(membersOf(directory, 'g1')).toEqual({ u2: 'user', u3: 'user' });
  });

  it('counts membership changes net: a member added then removed in the same round is no change', () => {
    const directory = fromStoredGroups([group('g1')], []);
    const result = applyGroupDeltaChanges(directory, [upsert('g1', {}, [{ id: 'u1', kind: 'user' }]), upsert('g1', {}, [], ['u1'])]);
    expect(result).toEqual({ added: 0, updated: 0, removed: 0, membershipChanges: 0 });
  });

  it('drops a removed group with its members; a restore brings it back with the members it carries', () => {
    const directory = fromStoredGroups(
      [group('g1'), group('g2')],
      [
        ['g1', 'user', 'u1'],
        ['g1', 'user', 'u2'],
        ['g2', 'user', 'u1'],
      ],
    );
    const removal = applyGroupDeltaChanges(directory, [{ kind: 'removed', id: 'g1' }]);
    expect(removal).toEqual({ added: 0, updated: 0, removed: 1, membershipChanges: 2 });
    expect(directory.groups.has('g1')).toBe(false);
    expect(directory.members.has('g1')).toBe(false);
    expect(membersOf(directory, 'g2')).toEqual({ u1: 'user' });

    const restore = applyGroupDeltaChanges(directory, [fullItem(group('g1'), [{ id: 'u2', kind: 'user' }])]);
    expect(restore).toEqual({ added: 1, updated: 0, removed: 0, membershipChanges: 1 });
    expect(membersOf(directory, 'g1')).toEqual({ u2: 'user' });
  });

  it('a group removed and restored within one round is neither added nor removed', () => {
    const directory = fromStoredGroups([group('g1')], [['g1', 'user', 'u1']]);
    const result = applyGroupDeltaChanges(directory, [{ kind: 'removed', id: 'g1' }, fullItem(group('g1'), [{ id: 'u1', kind: 'user' }])]);
    expect(result).toEqual({ added: 0, updated: 0, removed: 0, membershipChanges: 0 });
  });

  it('a removal of a group it never knew is ignored', () => {
    const directory = emptyGroupDirectory();
    expect(applyGroupDeltaChanges(directory, [{ kind: 'removed', id: 'gx' }])).toEqual({
      added: 0,
      updated: 0,
      removed: 0,
      membershipChanges: 0,
    });
    expect(directory.groups.size).toBe(0);
  });

  it('never shares an array with the changes it applied', () => {
    const directory = emptyGroupDirectory();
    const change = fullItem(group('g1', { groupTypes: ['Unified'] }));
    applyGroupDeltaChanges(directory, [change]);
    (change as { fields: { groupTypes: string[] } }).fields.groupTypes.push('DynamicMembership');
    expect(directory.groups.get('g1')!.groupTypes).toEqual(['Unified']);
  });
});

describe('toStoredGroups / fromStoredGroups', () => {
  it('round-trips a directory in a stable order (groups by id, edges by group then member)', () => {
    const directory = emptyGroupDirectory();
    applyGroupDeltaChanges(directory, [
      fullItem(group('g2'), [
        { id: 'u9', kind: 'user' },
        { id: 'g1', kind: 'group' },
      ]),
      fullItem(group('g1'), [{ id: 'c1', kind: 'other' }]),
      fullItem(group('g3')),
    ]);
    const stored = toStoredGroups(directory);
    expect(stored.groups.map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
    expect(stored.edges).toEqual([
      ['g1', 'other', 'c1'],
      ['g2', 'group', 'g1'],
      ['g2', 'user', 'u9'],
    ]);
    const again = fromStoredGroups(stored.groups, stored.edges);
    expect(toStoredGroups(again)).toEqual(stored);
    expect(again.members.get('g3')!.size).toBe(0);
  });

  it('drops an edge of a group that is not stored', () => {
    const directory = fromStoredGroups(
      [group('g1')],
      [
        ['g1', 'user', 'u1'],
        ['gone', 'user', 'u1'],
      ],
    );
    expect(toStoredGroups(directory).edges).toEqual([['g1', 'user', 'u1']]);
  });
});

// ---- property: a full round, then an incremental round, equals a full round of the end state ----

interface GroupState {
  readonly props: EntraGroup;
  readonly members: ReadonlyMap<string, GroupMemberKind>;
}
type World = ReadonlyMap<string, GroupState>;

const GROUP_IDS = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'];
const MEMBER_IDS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'd0', ...GROUP_IDS];
const kindOf = (id: string): GroupMemberKind => (id.startsWith('u') ? 'user' : id.startsWith('g') ? 'group' : 'other');

const worldArb: fc.Arbitrary<World> = fc
  .dictionary(
    fc.constantFrom(...GROUP_IDS),
    fc.record({
      displayName: fc.option(fc.constantFrom('Sales', 'Sales EMEA', 'Engineering', 'All staff'), { nil: null }),
      mail: fc.option(fc.constantFrom('a@contoso.com', 'b@contoso.com'), { nil: null }),
      description: fc.option(fc.constantFrom('one', 'two'), { nil: null }),
      groupTypes: fc.subarray(['Unified', 'DynamicMembership']),
      mailEnabled: fc.boolean(),
      securityEnabled: fc.boolean(),
      members: fc.subarray(MEMBER_IDS),
    }),
  )
  .map(
    (raw) =>
      new Map(
        Object.entries(raw).map(([id, { members, ...props }]) => [
          id,
          { props: { id, ...props }, members: new Map(members.map((m) => [m, kindOf(m)] as const)) },
        ]),
      ),
  );

/** A full round: every group, its members split over up to three items (a later item may carry no properties). */
function fullRound(world: World, splits: readonly number[]): GroupDeltaChange[] {
  const changes: GroupDeltaChange[] = [];
  let n = 0;
  for (const { props, members } of world.values()) {
    const list = [...members].map(([id, kind]) => ({ id, kind }));
    const parts = 1 + ((splits[n++ % Math.max(1, splits.length)] ?? 0) % 3);
    const size = Math.ceil(list.length / parts) || 1;
    const { id, ...fields } = props;
    for (let i = 0; i === 0 || i * size < list.length; i++) {
      changes.push(upsert(id, i === 0 ? fields : {}, list.slice(i * size, (i + 1) * size)));
    }
  }
  return changes;
}

/** What groups delta reports from `from` to `to`: removed groups, new ones in full, changed properties and member diffs. */
function incrementalRound(from: World, to: World): GroupDeltaChange[] {
  const changes: GroupDeltaChange[] = [];
  for (const id of from.keys()) if (!to.has(id)) changes.push({ kind: 'removed', id });
  for (const [id, state] of to) {
    const old = from.get(id);
    if (old === undefined) {
      changes.push(...fullRound(new Map([[id, state]]), [0]));
      continue;
    }
    const fields: Partial<Omit<EntraGroup, 'id'>> = {};
    for (const key of ['displayName', 'mail', 'description', 'groupTypes', 'mailEnabled', 'securityEnabled'] as const) {
      if (JSON.stringify(old.props[key]) !== JSON.stringify(state.props[key])) Object.assign(fields, { [key]: state.props[key] });
    }
    const added = [...state.members].filter(([m]) => !old.members.has(m)).map(([m, kind]) => ({ id: m, kind }));
    const removed = [...old.members.keys()].filter((m) => !state.members.has(m));
    if (Object.keys(fields).length > 0 || added.length > 0 || removed.length > 0) changes.push(upsert(id, fields, added, removed));
  }
  return changes;
}

describe('property: a full round then an incremental round equals a full round of the end state', () => {
  it('holds for random start and end states, pages split at random, changes stored and read back', () => {
    fc.assert(
      fc.property(worldArb, worldArb, fc.array(fc.nat(5), { maxLength: 6 }), (start, end, splits) => {
        const reparse = (changes: GroupDeltaChange[]) => changes.map((c) => groupDeltaChangeSchema.parse(JSON.parse(JSON.stringify(c))));
        const incremental = emptyGroupDirectory();
        applyGroupDeltaChanges(incremental, reparse(fullRound(start, splits)));
        const stored = toStoredGroups(incremental);
        const resumed = fromStoredGroups(stored.groups, stored.edges);
        applyGroupDeltaChanges(resumed, reparse(incrementalRound(start, end)));

        const fresh = emptyGroupDirectory();
        applyGroupDeltaChanges(fresh, reparse(fullRound(end, splits)));
        expect(toStoredGroups(resumed)).toEqual(toStoredGroups(fresh));
      }),
      { numRuns: 300 },
    );
  });
});
