/**
 * The fake tenant's groups, checked with plain HTTP against Microsoft's documented shapes
 * (https://learn.microsoft.com/graph/delta-query-groups, group-list, group-get, group-list-members,
 * group-list-transitivemembers, throttling-limits): paging, members with @odata.type, transitive members with a
 * cycle, groups delta with repeated group objects, members@delta additions and removals, removed groups, expiry,
 * the permission, $batch and the resource-unit costs.
 */
import { type FakeEntra, type FakeEntraOptions, startFakeEntra } from '../../../fakes/entra/fake-entra-server';
import { requestCost } from '../../../fakes/entra/throttle';
import type { FakeGroup } from '../../../fakes/world/types';
import { directory, fakeClock, fakeGroup, groupId, groupMember, TENANT, userId, userMember } from './graph-test-kit';

let fake: FakeEntra;
let started = false;

const DEVICE = '00000000-0000-4000-a000-000000000001';
const SERVICE_PRINCIPAL = '00000000-0000-4000-a000-000000000002';
const CONTACT = '00000000-0000-4000-a000-000000000003';

/** 1: 250 users (a large group); 2: every member kind; 3 <-> 4: a cycle, 4 also holds 5; 5: one user; 6: empty. */
function groups(): FakeGroup[] {
  return [
    fakeGroup(
      1,
      Array.from({ length: 250 }, (_, i) => userMember(i + 1)),
      { displayName: 'All staff' },
    ),
    fakeGroup(
      2,
      [
        userMember(1),
        groupMember(6),
        { type: 'device', id: DEVICE },
        { type: 'orgContact', id: CONTACT },
        { type: 'servicePrincipal', id: SERVICE_PRINCIPAL },
      ],
      {
        displayName: 'Mixed',
        groupTypes: ['Unified'],
        mailEnabled: true,
        mail: 'mixed@contoso.com',
        securityEnabled: false,
      },
    ),
    fakeGroup(3, [userMember(3), groupMember(4)], { displayName: 'Cycle A' }),
    fakeGroup(4, [userMember(4), groupMember(3), groupMember(5)], { displayName: 'Cycle B' }),
    fakeGroup(5, [userMember(5)], { displayName: 'Nested leaf' }),
    fakeGroup(6, [], { displayName: 'Empty' }),
  ];
}

async function start(options: Partial<FakeEntraOptions> = {}): Promise<void> {
  fake = await startFakeEntra({
    tenant: TENANT,
    users: directory(250),
    orgContacts: [{ id: CONTACT, displayName: 'Supplier contact', mail: 'supplier@example.org' }],
    groups: groups(),
    directoryObjects: [
      { id: DEVICE, type: 'device', displayName: 'Kiosk 1' },
      { id: SERVICE_PRINCIPAL, type: 'servicePrincipal', displayName: 'Build agent' },
    ],
    ...options,
  });
  started = true;
}

afterEach(async () => {
  if (started) {
    fake.expectNoUnexpected();
    await fake.close();
  }
  started = false;
});

async function token(): Promise<string> {
  const response = await fetch(`${fake.url}/${TENANT.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: TENANT.clientId,
      client_secret: TENANT.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function get(pathOrUrl: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${fake.url}${pathOrUrl}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${await token()}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

const values = (body: Record<string, unknown>) => body['value'] as Record<string, unknown>[];
const errorCode = (body: Record<string, unknown>) => (body['error'] as { code: string }).code;
const DELTA = '/v1.0/groups/delta?$select=id,displayName,mail,description,groupTypes,mailEnabled,securityEnabled,members';

/** Every item of a delta round, following nextLinks; and the page count and deltaLink. */
async function deltaRound(
  start: string,
): Promise<{ items: Record<string, unknown>[]; pages: Record<string, unknown>[][]; deltaLink: string }> {
  const items: Record<string, unknown>[] = [];
  const pages: Record<string, unknown>[][] = [];
  let url = start;
  for (;;) {
    const page = await get(url);
    expect(page.status).toBe(200);
    pages.push(values(page.body));
    items.push(...values(page.body));
    const deltaLink = page.body['@odata.deltaLink'];
    if (typeof deltaLink === 'string') return { items, pages, deltaLink };
    url = page.body['@odata.nextLink'] as string;
  }
}

const membersOf = (items: Record<string, unknown>[], id: string) =>
  items.filter((item) => item['id'] === id).flatMap((item) => (item['members@delta'] as Record<string, unknown>[] | undefined) ?? []);

describe('fake Entra groups: /groups and /groups/{id}', () => {
  it('pages the group list ($top default 100, max 999), honours $select and startswith(displayName)', async () => {
    const many = Array.from({ length: 150 }, (_, i) => fakeGroup(100 + i));
    await start({ groups: many });
    const first = await get('/v1.0/groups?$select=id,displayName');
    expect(values(first.body)).toHaveLength(100);
    expect(Object.keys(values(first.body)[0] ?? {})).toEqual(['id', 'displayName']);
    const second = await get(first.body['@odata.nextLink'] as string);
    expect(values(second.body)).toHaveLength(50);
    expect(second.body['@odata.nextLink']).toBeUndefined();
    expect(values((await get('/v1.0/groups?$top=999')).body)).toHaveLength(150);
    expect((await get('/v1.0/groups?$top=1000')).status).toBe(400);
    const filtered = await get(`/v1.0/groups?$filter=${encodeURIComponent("startswith(displayName,'Group 10')")}`);
    expect(values(filtered.body).map((g) => g['displayName'])).toEqual(Array.from({ length: 10 }, (_, i) => `Group ${100 + i}`));
  });

  it('gets a group by id with Graph property shapes; unknown id 404, malformed id 400', async () => {
    await start();
    const mixed = await get(`/v1.0/groups/${groupId(2)}`);
    expect(mixed.body).toMatchObject({
      id: groupId(2),
      groupTypes: ['Unified'],
      mailEnabled: true,
      securityEnabled: false,
      mail: 'mixed@contoso.com',
      membershipRule: null,
    });
    const missing = await get(`/v1.0/groups/${groupId(99)}`);
    expect([missing.status, errorCode(missing.body)]).toEqual([404, 'Request_ResourceNotFound']);
    const malformed = await get('/v1.0/groups/Sales');
    expect([malformed.status, errorCode(malformed.body)]).toEqual([400, 'Request_BadRequest']);
  });
});

describe('fake Entra groups: members and transitiveMembers', () => {
  it('lists direct members of every kind with their @odata.type, paged by $top', async () => {
    await start();
    const all = await get(`/v1.0/groups/${groupId(2)}/members`);
    expect(values(all.body).map((m) => [m['@odata.type'], m['id']])).toEqual([
      ['#microsoft.graph.user', userId(1)],
      ['#microsoft.graph.group', groupId(6)],
      ['#microsoft.graph.device', DEVICE],
      ['#microsoft.graph.orgContact', CONTACT],
      ['#microsoft.graph.servicePrincipal', SERVICE_PRINCIPAL],
    ]);
    const page = await get(`/v1.0/groups/${groupId(1)}/members?$top=999`);
    expect(values(page.body)).toHaveLength(250);
    const small = await get(`/v1.0/groups/${groupId(1)}/members?$select=id&$top=200`);
    expect(values(small.body)).toHaveLength(200);
    expect(Object.keys(values(small.body)[0] ?? {}).sort()).toEqual(['@odata.type', 'id']);
    const rest = await get(small.body['@odata.nextLink'] as string);
    expect(values(rest.body)).toHaveLength(50);
  });

  it('transitiveMembers flattens nested groups, lists the nested groups themselves and ends a cycle', async () => {
    await start();
    const res = await get(`/v1.0/groups/${groupId(3)}/transitiveMembers`);
    const ids = values(res.body).map((m) => m['id']);
    expect(new Set(ids)).toEqual(new Set([userId(3), groupId(4), userId(4), groupId(5), userId(5)]));
    expect(ids).toHaveLength(5);
    expect(ids).not.toContain(groupId(3));
  });

  it('a deleted user leaves the member lists; restored, it is back', async () => {
    await start();
    fake.softDeleteUser(userId(5));
    expect(values((await get(`/v1.0/groups/${groupId(5)}/members`)).body)).toEqual([]);
    fake.restoreUser(userId(5));
    expect(values((await get(`/v1.0/groups/${groupId(5)}/members`)).body).map((m) => m['id'])).toEqual([userId(5)]);
  });
});

describe('fake Entra groups: groups delta', () => {
  it('first round: every group with members@delta; a large group comes as several objects with the same properties, not adjacent; an empty group has no members@delta; $top is ignored', async () => {
    await start({ behaviour: { groupsDeltaPageSize: 3 } });
    const round = await deltaRound(`${DELTA}&$top=999`);
    expect(round.pages.every((page) => page.length <= 3)).toBe(true);
    const large = round.items.filter((item) => item['id'] === groupId(1));
    expect(large.map((item) => (item['members@delta'] as unknown[]).length)).toEqual([100, 100, 50]);
    for (const part of large) expect(part).toMatchObject({ displayName: 'All staff', securityEnabled: true, groupTypes: [] });
    const positions = round.items.flatMap((item, index) => (item['id'] === groupId(1) ? [index] : []));
    expect(positions[1]! - positions[0]!).toBeGreaterThan(1);
    expect(new Set(membersOf(round.items, groupId(1)).map((m) => m['id'])).size).toBe(250);
    const empty = round.items.find((item) => item['id'] === groupId(6));
    expect(empty).toBeDefined();
    expect(empty).not.toHaveProperty('members@delta');
    expect(membersOf(round.items, groupId(2)).map((m) => m['@odata.type'])).toEqual([
      '#microsoft.graph.user',
      '#microsoft.graph.group',
      '#microsoft.graph.device',
      '#microsoft.graph.orgContact',
      '#microsoft.graph.servicePrincipal',
    ]);
  });

  it('friendly reading (groupDeltaMembersPerObject null): one object per group', async () => {
    await start({ behaviour: { groupDeltaMembersPerObject: null } });
    const round = await deltaRound(DELTA);
    expect(round.items.filter((item) => item['id'] === groupId(1))).toHaveLength(1);
    expect(membersOf(round.items, groupId(1))).toHaveLength(250);
  });

  it('later rounds: only changed groups, all their properties, members added and removed (a deleted user too), removed groups with their reason, a restored group whole', async () => {
    await start();
    const first = await deltaRound(DELTA);
    expect(values((await get(first.deltaLink)).body)).toEqual([]);

    fake.addGroupMember(groupId(5), userMember(7));
    fake.removeGroupMember(groupId(3), userId(3));
    fake.updateGroup(groupId(4), { displayName: 'Cycle B renamed' });
    fake.softDeleteUser(userId(4));
    fake.softDeleteGroup(groupId(6));
    fake.hardDeleteGroup(groupId(2));
    const second = await deltaRound(first.deltaLink);
    const byId = new Map(second.items.map((item) => [item['id'], item]));
    expect(byId.get(groupId(5))).toEqual({
      id: groupId(5),
      displayName: 'Nested leaf',
      mail: null,
      description: 'Test group 5',
      groupTypes: [],
      mailEnabled: false,
      securityEnabled: true,
      'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: userId(7) }],
    });
    expect(byId.get(groupId(3))?.['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: userId(3), '@removed': { reason: 'deleted' } },
    ]);
    // Renamed and its member user 4 deleted: both in one object.
    expect(byId.get(groupId(4))).toMatchObject({
      displayName: 'Cycle B renamed',
      'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: userId(4), '@removed': { reason: 'deleted' } }],
    });
    expect(byId.get(groupId(6))).toEqual({ id: groupId(6), '@removed': { reason: 'changed' } });
    expect(byId.get(groupId(2))).toEqual({ id: groupId(2), '@removed': { reason: 'deleted' } });
    // User 4 was in the large group too: only that removal, not its 250 members again.
    expect(membersOf(second.items, groupId(1))).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: userId(4), '@removed': { reason: 'deleted' } },
    ]);
    expect(second.items).toHaveLength(6);

    fake.restoreGroup(groupId(6));
    fake.restoreUser(userId(4));
    const third = await deltaRound(second.deltaLink);
    const restored = third.items.find((item) => item['id'] === groupId(6));
    expect(restored).toMatchObject({ displayName: 'Empty' });
    expect(membersOf(third.items, groupId(4))).toEqual([{ '@odata.type': '#microsoft.graph.user', id: userId(4) }]);
  });

  it('expired delta tokens answer 400 syncStateNotFound or 410; an unknown token 400', async () => {
    await start();
    const first = await deltaRound(DELTA);
    fake.expireDeltaTokens(400);
    const gone400 = await get(first.deltaLink);
    expect([gone400.status, errorCode(gone400.body)]).toEqual([400, 'syncStateNotFound']);
    const second = await deltaRound(DELTA);
    fake.expireDeltaTokens(410);
    expect((await get(second.deltaLink)).status).toBe(410);
    expect((await get('/v1.0/groups/delta?$deltatoken=nonsense')).status).toBe(400);
  });

  it('counts its requests as the throttling page says (members 3, transitiveMembers 5, $select -1, never below 1)', async () => {
    await start();
    expect(requestCost(`/v1.0/groups/${groupId(1)}/members`, new URLSearchParams())).toBe(3);
    expect(requestCost(`/v1.0/groups/${groupId(1)}/members`, new URLSearchParams('$select=id'))).toBe(2);
    expect(requestCost(`/v1.0/groups/${groupId(1)}/transitiveMembers`, new URLSearchParams())).toBe(5);
    expect(requestCost('/v1.0/groups/delta', new URLSearchParams('$select=id,members'))).toBe(1);
    const res = await get(`/v1.0/groups/${groupId(1)}/transitiveMembers?$select=id`);
    expect(res.headers.get('x-ms-resource-unit')).toBe('4');
  });
});

describe('fake Entra groups: the permission', () => {
  it('without a group role (User.Read.All only): 403 Authorization_RequestDenied on every group route, users still readable', async () => {
    await start({ tenant: { ...TENANT, grantedRoles: ['User.Read.All'] } });
    for (const path of [DELTA, '/v1.0/groups', `/v1.0/groups/${groupId(1)}`, `/v1.0/groups/${groupId(1)}/members`]) {
      const res = await get(path);
      expect([res.status, errorCode(res.body)]).toEqual([403, 'Authorization_RequestDenied']);
    }
    expect((await get('/v1.0/users')).status).toBe(200);
  });

  it.each(['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'])('%s reads groups', async (role) => {
    await start({ tenant: { ...TENANT, grantedRoles: ['User.Read.All', role] } });
    expect((await get(DELTA)).status).toBe(200);
  });

  it('no consent at all: 403 AccessDenied (a token without roles)', async () => {
    await start({ tenant: { ...TENANT, consentGranted: false } });
    const res = await get(DELTA);
    expect([res.status, errorCode(res.body)]).toEqual([403, 'AccessDenied']);
  });
});

describe('fake Entra groups: $batch and snapshots', () => {
  it('answers /groups/{id} and /groups/{id}/members items', async () => {
    await start();
    const response = await fetch(`${fake.url}/v1.0/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/groups/${groupId(5)}?$select=id,displayName` },
          { id: '2', method: 'GET', url: `/groups/${groupId(5)}/members` },
          { id: '3', method: 'GET', url: `/groups/${groupId(77)}` },
        ],
      }),
    });
    const { responses } = (await response.json()) as { responses: { id: string; status: number; body: Record<string, unknown> }[] };
    const byId = new Map(responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.body).toMatchObject({ id: groupId(5), displayName: 'Nested leaf' });
    expect(values(byId.get('2')!.body).map((m) => m['id'])).toEqual([userId(5)]);
    expect(byId.get('3')?.status).toBe(404);
  });

  it('keeps groups and groups delta tokens across export and import', async () => {
    await start();
    const first = await deltaRound(DELTA);
    fake.addGroupMember(groupId(6), userMember(9));
    const snapshot = JSON.parse(JSON.stringify(fake.exportState())) as ReturnType<FakeEntra['exportState']>;
    await fake.close();
    fake = await startFakeEntra({ tenant: TENANT, now: fakeClock().now });
    fake.importState(snapshot);
    // The access tokens came with the snapshot; a new one is issued by the same tenant.
    const link = new URL(first.deltaLink);
    const second = await deltaRound(`${link.pathname}${link.search}`);
    expect(second.items).toHaveLength(1);
    expect(membersOf(second.items, groupId(6))).toEqual([{ '@odata.type': '#microsoft.graph.user', id: userId(9) }]);
  });
});
