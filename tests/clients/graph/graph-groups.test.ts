/**
 * The Graph client's groups (graph-groups.ts) against the fake tenant over HTTP: a full groups delta round whose
 * large groups come split into repeated objects (merged here as the sync merges them), an incremental round after
 * mutations, the missing permission, expired links, and groups by id through $batch.
 */
import type { GroupDeltaChange, GroupMemberKind } from '../../../src/domain/entra-group';
import { AppError } from '../../../src/domain/errors';
import {
  directory,
  failureOf,
  fakeGroup,
  groupId,
  groupMember,
  readGroupsRound,
  startWorld,
  TENANT,
  userId,
  userMember,
  type World,
  type WorldOptions,
} from './graph-test-kit';

const DEVICE = '00000000-0000-4000-a000-000000000001';
const CONTACT = '00000000-0000-4000-a000-000000000003';

let world: World | null = null;

async function start(options: WorldOptions = {}): Promise<World> {
  world = await startWorld({
    users: directory(300),
    orgContacts: [{ id: CONTACT, displayName: 'Supplier contact', mail: null }],
    directoryObjects: [{ id: DEVICE, type: 'device', displayName: 'Kiosk' }],
    groups: [
      fakeGroup(
        1,
        Array.from({ length: 260 }, (_, i) => userMember(i + 1)),
        { displayName: 'All staff' },
      ),
      fakeGroup(2, [userMember(1), groupMember(3), { type: 'device', id: DEVICE }, { type: 'orgContact', id: CONTACT }], {
        displayName: 'Sales (M365)',
        groupTypes: ['Unified', 'DynamicMembership'],
        membershipRule: 'user.department -eq "Sales"',
        mailEnabled: true,
        mail: 'sales@contoso.com',
        securityEnabled: false,
      }),
      fakeGroup(3, [userMember(2), groupMember(2)], { displayName: 'Nested (cycle)' }),
      fakeGroup(4, [], { displayName: 'Empty', description: null }),
    ],
    ...options,
  });
  return world;
}

afterEach(async () => {
  if (world !== null) {
    world.fake.expectNoUnexpected();
    await world.close();
  }
  world = null;
});

interface MergedGroup {
  fields: Record<string, unknown>;
  members: Map<string, GroupMemberKind>;
}

/** Applies changes the way a directory kept by delta would: repeated groups merge, removals delete. */
function apply(into: Map<string, MergedGroup>, changes: readonly GroupDeltaChange[]): void {
  for (const change of changes) {
    if (change.kind === 'removed') {
      into.delete(change.id);
      continue;
    }
    const group = into.get(change.id) ?? { fields: {}, members: new Map<string, GroupMemberKind>() };
    Object.assign(group.fields, change.fields);
    for (const member of change.membersAdded) group.members.set(member.id, member.kind);
    for (const id of change.membersRemoved) group.members.delete(id);
    into.set(change.id, group);
  }
}

describe('Graph client: groups delta', () => {
  it('full round: asks for the group properties and members, merges a large group split over repeated objects, maps member kinds', async () => {
    const w = await start({ behaviour: { groupsDeltaPageSize: 2 } });
    const round = await readGroupsRound(w.graph, null);
    const first = w.graphRequests()[0]!;
    expect(first.path).toBe('/v1.0/groups/delta');
    expect(first.query['$select']).toBe('id,displayName,mail,description,groupTypes,mailEnabled,securityEnabled,members');
    expect(first.headers['x-ms-throttle-priority']).toBe('Low');

    // 260 members at 100 per object: the large group comes three times.
    expect(round.changes.filter((change) => change.id === groupId(1))).toHaveLength(3);
    expect(round.pages).toBeGreaterThan(2);
    const merged = new Map<string, MergedGroup>();
    apply(merged, round.changes);
    expect(merged.get(groupId(1))?.members.size).toBe(260);
    expect(merged.get(groupId(2))).toEqual({
      fields: {
        displayName: 'Sales (M365)',
        mail: 'sales@contoso.com',
        description: 'Test group 2',
        groupTypes: ['Unified', 'DynamicMembership'],
        mailEnabled: true,
        securityEnabled: false,
      },
      members: new Map<string, GroupMemberKind>([
        [userId(1), 'user'],
        [groupId(3), 'group'],
        [DEVICE, 'other'],
        [CONTACT, 'other'],
      ]),
    });
    expect(merged.get(groupId(4))).toEqual({
      fields: { displayName: 'Empty', mail: null, description: null, groupTypes: [], mailEnabled: false, securityEnabled: true },
      members: new Map(),
    });
  });

  it('the friendly reading (one object per group) merges to the same directory', async () => {
    const split = new Map<string, MergedGroup>();
    apply(split, (await readGroupsRound((await start()).graph, null)).changes);
    await world!.close();
    world = null;
    const whole = new Map<string, MergedGroup>();
    const w = await start({ behaviour: { groupDeltaMembersPerObject: null } });
    const round = await readGroupsRound(w.graph, null);
    expect(round.changes.filter((change) => change.id === groupId(1))).toHaveLength(1);
    apply(whole, round.changes);
    expect(whole).toEqual(split);
  });

  it('incremental round from the deltaLink: additions, removals (also of a deleted user), a rename, removed groups; a no-change round is one empty page', async () => {
    const w = await start();
    const full = await readGroupsRound(w.graph, null);
    const directoryState = new Map<string, MergedGroup>();
    apply(directoryState, full.changes);

    const quiet = await readGroupsRound(w.graph, full.deltaLink);
    expect([quiet.pages, quiet.changes]).toEqual([1, []]);

    w.fake.addGroupMember(groupId(4), userMember(299));
    w.fake.removeGroupMember(groupId(2), userId(1));
    w.fake.updateGroup(groupId(3), { displayName: 'Nested renamed' });
    w.fake.softDeleteUser(userId(5));
    w.fake.softDeleteGroup(groupId(2));
    const round = await readGroupsRound(w.graph, quiet.deltaLink);
    expect(round.changes).toContainEqual({ kind: 'removed', id: groupId(2) });
    expect(round.changes).toContainEqual(
      expect.objectContaining({ kind: 'upsert', id: groupId(4), membersAdded: [{ id: userId(299), kind: 'user' }], membersRemoved: [] }),
    );
    expect(round.changes).toContainEqual(
      expect.objectContaining({ kind: 'upsert', id: groupId(1), membersAdded: [], membersRemoved: [userId(5)] }),
    );
    apply(directoryState, round.changes);
    expect(directoryState.has(groupId(2))).toBe(false);
    expect(directoryState.get(groupId(3))?.fields['displayName']).toBe('Nested renamed');
    expect([...(directoryState.get(groupId(4))?.members.keys() ?? [])]).toEqual([userId(299)]);
    expect(directoryState.get(groupId(1))?.members.size).toBe(259);

    // The directory kept by delta equals a fresh full read.
    const fresh = new Map<string, MergedGroup>();
    apply(fresh, (await readGroupsRound(w.graph, null)).changes);
    expect(directoryState).toEqual(fresh);
  });

  it('without GroupMember.Read.All: GRAPH_GROUPS_FORBIDDEN telling the admin which permission to add, after one fresh sign-in', async () => {
    const w = await start({ tenant: { ...TENANT, grantedRoles: ['User.Read.All'] } });
    const error = await failureOf(w.graph.groupsDeltaPage(null));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('GRAPH_GROUPS_FORBIDDEN');
    expect((error as AppError).retry).toBe('permanent');
    expect((error as AppError).message).toContain('GroupMember.Read.All');
    expect((error as AppError).message).toContain('grant admin consent');
    expect((error as AppError).context).toMatchObject({ status: 403, graphCode: 'Authorization_RequestDenied', operation: 'groupsDelta' });
    expect(w.tokenRequests()).toHaveLength(2);
    // Users stay readable: the permission is about groups only.
    await expect(w.graph.countUsers()).resolves.toBe(300);
  });

  it.each([400, 410] as const)('an expired deltaLink (%s) -> GRAPH_DELTA_EXPIRED; a fresh round works', async (status) => {
    const w = await start();
    const full = await readGroupsRound(w.graph, null);
    w.fake.expireDeltaTokens(status);
    const error = await failureOf(w.graph.groupsDeltaPage(full.deltaLink));
    expect((error as AppError).code).toBe('GRAPH_DELTA_EXPIRED');
    expect((await readGroupsRound(w.graph, null)).changes.length).toBeGreaterThan(0);
  });

  it('an expired nextLink mid-round -> GRAPH_PAGE_TOKEN_EXPIRED; a link on another host -> GRAPH_DELTA_EXPIRED without a request', async () => {
    const w = await start({ behaviour: { groupsDeltaPageSize: 1 } });
    const page = await w.graph.groupsDeltaPage(null);
    w.fake.expirePageTokens();
    expect(((await failureOf(w.graph.groupsDeltaPage(page.nextLink))) as AppError).code).toBe('GRAPH_PAGE_TOKEN_EXPIRED');
    const before = w.graphRequests().length;
    const foreign = await failureOf(w.graph.groupsDeltaPage('https://evil.example.com/v1.0/groups/delta?$deltatoken=x'));
    expect((foreign as AppError).code).toBe('GRAPH_DELTA_EXPIRED');
    expect(w.graphRequests()).toHaveLength(before);
  });
});

describe('Graph client: groups by id', () => {
  it('reads groups through $batch (20 per call); unknown and malformed ids come back in notFound', async () => {
    const w = await start({ groups: Array.from({ length: 25 }, (_, i) => fakeGroup(i + 1)) });
    const ids = [...Array.from({ length: 24 }, (_, i) => groupId(i + 1)), groupId(999), 'Sales'];
    const result = await w.graph.getGroupsByIds(ids);
    expect(result.groups.map((group) => group.id).sort()).toEqual(Array.from({ length: 24 }, (_, i) => groupId(i + 1)).sort());
    expect(result.groups.find((group) => group.id === groupId(1))).toEqual({
      id: groupId(1),
      displayName: 'Group 1',
      mail: null,
      description: 'Test group 1',
      groupTypes: [],
      mailEnabled: false,
      securityEnabled: true,
    });
    expect(result.notFound.sort()).toEqual([groupId(999), 'Sales'].sort());
    const batches = w.graphRequests().filter((r) => r.path === '/v1.0/$batch');
    expect(batches).toHaveLength(2);
    expect(
      w
        .graphRequests()
        .filter((r) => r.batchOf !== null)
        .every((r) => r.query['$select'] !== undefined),
    ).toBe(true);
  });

  it('without the permission: GRAPH_GROUPS_FORBIDDEN', async () => {
    const w = await start({ tenant: { ...TENANT, grantedRoles: ['User.Read.All'] } });
    const error = await failureOf(w.graph.getGroupsByIds([groupId(1)]));
    expect((error as AppError).code).toBe('GRAPH_GROUPS_FORBIDDEN');
  });

  it('a throttled item is resent after its Retry-After', async () => {
    const w = await start();
    w.fake.failNext({ path: `/v1.0/groups/${groupId(2)}`, status: 429, headers: { 'Retry-After': '2' } });
    const result = await w.graph.getGroupsByIds([groupId(1), groupId(2)]);
    expect(result.groups.map((group) => group.id).sort()).toEqual([groupId(1), groupId(2)]);
    expect(w.clock.slept).toContain(2000);
  });
});
