import { USER_SELECT } from '../../../src/clients/graph/graph-client';
import { applyDeltaChanges } from '../../../src/domain/directory-delta';
import type { EntraUser } from '../../../src/domain/entra-user';
import type { AppError } from '../../../src/domain/errors';
import { directory, failureOf, graphUser, readAllUsers, readDeltaRound, startWorld, userId, type World } from './graph-test-kit';

let world: World | undefined;

afterEach(async () => {
  world?.fake.expectNoUnexpected();
  await world?.close();
  world = undefined;
});

describe('deltaPage: first round', () => {
  it('pages through everyone 200 at a time, then hands out a deltaLink', async () => {
    world = await startWorld({ users: directory(450) });
    const first = await world.graph.deltaPage(null);
    expect(first.changes).toHaveLength(200);
    expect(first.nextLink).not.toBeNull();
    expect(first.deltaLink).toBeNull();
    const second = await world.graph.deltaPage(first.nextLink);
    const third = await world.graph.deltaPage(second.nextLink);
    expect(third.changes).toHaveLength(50);
    expect(third.nextLink).toBeNull();
    expect(third.deltaLink).toMatch(/\$deltatoken=/);
    expect(world.graphRequests()[0]?.query).toEqual({ $select: `${USER_SELECT},manager` });
  });

  it('first-round changes are complete upserts with the manager from manager@delta', async () => {
    world = await startWorld({ users: directory(12) });
    const { changes } = await readDeltaRound(world.graph, null);
    expect(changes.find((c) => c.id === userId(12))).toEqual({
      kind: 'upsert',
      id: userId(12),
      fields: {
        displayName: 'Employee 12',
        mail: 'employee12@contoso.com',
        userPrincipalName: 'employee12@contoso.onmicrosoft.com',
        proxyAddresses: ['SMTP:employee12@contoso.com'],
        otherMails: [],
        jobTitle: 'Engineer',
        department: 'R&D',
        accountEnabled: true,
        managerId: userId(2),
      },
    });
  });
});

describe('deltaPage: later rounds', () => {
  it('a round with no changes costs one request and returns nothing', async () => {
    world = await startWorld({ users: directory(450) });
    const { deltaLink } = await readDeltaRound(world.graph, null);
    const before = world.graphRequests().length;
    const next = await readDeltaRound(world.graph, deltaLink);
    expect(next.changes).toEqual([]);
    expect(world.graphRequests().length - before).toBe(1);
  });

  it('returns only what changed: partial updates, manager changes, soft and hard deletes, restores, new users', async () => {
    const users = directory(30);
    world = await startWorld({ users });
    const { deltaLink } = await readDeltaRound(world.graph, null);
    const { fake } = world;

    fake.upsertUser({ ...users[4]!, jobTitle: 'Lead', department: 'Ops' });
    fake.upsertUser({ ...users[5]!, officeLocation: 'Bergen' }); // not selected: must not surface
    fake.setManager(userId(7), userId(20));
    fake.setManager(userId(8), null);
    // Users 22+ manage nobody, so deleting them changes no one else.
    fake.softDeleteUser(userId(22));
    fake.hardDeleteUser(userId(23));
    fake.softDeleteUser(userId(24));
    fake.restoreUser(userId(24));
    const newcomer = graphUser({ id: userId(500), managerId: userId(1) });
    fake.upsertUser(newcomer);

    const { changes } = await readDeltaRound(world.graph, deltaLink);
    const byId = new Map(changes.map((c) => [c.id, c]));
    expect(byId.get(userId(5))).toEqual({ kind: 'upsert', id: userId(5), fields: { jobTitle: 'Lead', department: 'Ops' } });
    expect(byId.has(userId(6))).toBe(false);
    expect(byId.get(userId(7))).toEqual({ kind: 'upsert', id: userId(7), fields: { managerId: userId(20) } });
    expect(byId.get(userId(8))).toEqual({ kind: 'upsert', id: userId(8), fields: { managerId: null } });
    expect(byId.get(userId(22))).toEqual({ kind: 'removed', id: userId(22), reason: 'changed' });
    expect(byId.get(userId(23))).toEqual({ kind: 'removed', id: userId(23), reason: 'deleted' });
    expect(byId.get(userId(24))).toMatchObject({ kind: 'upsert', fields: { displayName: 'Employee 24', accountEnabled: true } });
    expect(byId.get(userId(500))).toMatchObject({ kind: 'upsert', fields: { mail: newcomer.mail, managerId: userId(1) } });
    expect(changes).toHaveLength(7);
  });

  it('deleting a manager detaches their reports, reported as manager changes', async () => {
    world = await startWorld({ users: directory(30) });
    const { deltaLink } = await readDeltaRound(world.graph, null);
    world.fake.softDeleteUser(userId(10));
    const { changes } = await readDeltaRound(world.graph, deltaLink);
    expect(changes).toEqual([
      { kind: 'removed', id: userId(10), reason: 'changed' },
      { kind: 'upsert', id: userId(20), fields: { managerId: null } },
    ]);
  });

  it('a soft delete followed by the hard delete reports reason deleted', async () => {
    world = await startWorld({ users: directory(5) });
    const { deltaLink } = await readDeltaRound(world.graph, null);
    world.fake.softDeleteUser(userId(3));
    const round = await readDeltaRound(world.graph, deltaLink);
    expect(round.changes).toEqual([{ kind: 'removed', id: userId(3), reason: 'changed' }]);
    world.fake.hardDeleteUser(userId(3));
    const after = await readDeltaRound(world.graph, round.deltaLink);
    expect(after.changes).toEqual([{ kind: 'removed', id: userId(3), reason: 'deleted' }]);
  });

  it('changes made while a round is paged replay in the next round', async () => {
    const users = directory(450);
    world = await startWorld({ users });
    const first = await world.graph.deltaPage(null);
    world.fake.upsertUser({ ...users[0]!, department: 'Moved' });
    let link = first.nextLink;
    let deltaLink: string | null = null;
    while (link !== null) {
      const page = await world.graph.deltaPage(link);
      link = page.nextLink;
      deltaLink = page.deltaLink;
    }
    const next = await readDeltaRound(world.graph, deltaLink);
    expect(next.changes).toEqual([{ kind: 'upsert', id: userId(1), fields: { department: 'Moved' } }]);
  });

  it('latestDeltaLink starts "from now on": earlier changes are left to the full read, later ones replay', async () => {
    const users = directory(20);
    world = await startWorld({ users });
    world.fake.upsertUser({ ...users[1]!, jobTitle: 'Before' });
    const link = await world.graph.latestDeltaLink();
    expect(world.graphRequests()[0]?.query).toEqual({ $select: `${USER_SELECT},manager`, $deltatoken: 'latest' });
    await readAllUsers(world.graph);
    world.fake.upsertUser({ ...users[2]!, jobTitle: 'After' });
    const { changes } = await readDeltaRound(world.graph, link);
    expect(changes).toEqual([{ kind: 'upsert', id: userId(3), fields: { jobTitle: 'After' } }]);
  });

  it('incremental changes folded into a full read equal a fresh full read', async () => {
    const users = directory(700);
    world = await startWorld({ users });
    const link = await world.graph.latestDeltaLink();
    const cached = new Map<string, EntraUser>((await readAllUsers(world.graph)).users.map((u) => [u.id, u]));

    const { fake } = world;
    fake.upsertUser({ ...users[10]!, mail: 'renamed@contoso.com', proxyAddresses: ['SMTP:renamed@contoso.com'] });
    fake.upsertUser({ ...users[11]!, accountEnabled: false });
    fake.setManager(userId(13), userId(400));
    fake.setManager(userId(14), null);
    fake.softDeleteUser(userId(15));
    fake.hardDeleteUser(userId(16));
    fake.upsertUser(graphUser({ id: userId(9_001), managerId: userId(3) }));

    const { changes } = await readDeltaRound(world.graph, link);
    const result = applyDeltaChanges(cached, changes);
    // 4 edits + the reports of the two deleted users, who lost their manager.
    expect(result).toEqual({ added: 1, updated: 6, removed: 2, incomplete: [] });
    const fresh = (await readAllUsers(world.graph)).users;
    expect(cached.size).toBe(fresh.length);
    for (const user of fresh) expect(cached.get(user.id)).toEqual(user);
  });
});

describe('deltaPage: expired and foreign links', () => {
  it.each([400, 410] as const)('an expired delta token answered with %d -> GRAPH_DELTA_EXPIRED (permanent)', async (status) => {
    world = await startWorld({ users: directory(5) });
    const { deltaLink } = await readDeltaRound(world.graph, null);
    world.fake.expireDeltaTokens(status);
    const error = await failureOf(world.graph.deltaPage(deltaLink));
    expect(error).toMatchObject({ code: 'GRAPH_DELTA_EXPIRED', retry: 'permanent', context: { status } });
    expect(world.graphRequests().at(-1)?.status).toBe(status);
  });

  it('an expired round mid-way (its nextLink) -> GRAPH_DELTA_EXPIRED', async () => {
    world = await startWorld({ users: directory(450) });
    const first = await world.graph.deltaPage(null);
    world.fake.expireDeltaTokens(410);
    await expect(world.graph.deltaPage(first.nextLink)).rejects.toMatchObject({ code: 'GRAPH_DELTA_EXPIRED' });
  });

  it('a token Graph does not know (400 syncStateNotFound) -> GRAPH_DELTA_EXPIRED', async () => {
    world = await startWorld({ users: directory(5) });
    const error = await failureOf(world.graph.deltaPage(`${world.fake.url}/v1.0/users/delta?$deltatoken=unknown`));
    expect(error).toMatchObject({ code: 'GRAPH_DELTA_EXPIRED', context: { status: 400, graphCode: 'syncStateNotFound' } });
  });

  it.each(['SyncStateNotFound', 'SYNCSTATEINVALID', 'ResyncRequired'])(
    'the reset code %s is recognised whatever its letter case -> GRAPH_DELTA_EXPIRED',
    async (code) => {
      world = await startWorld({ users: directory(3) });
      const { deltaLink } = await readDeltaRound(world.graph, null);
      world.fake.failNext({ path: '/v1.0/users/delta', status: 400, body: { error: { code, message: 'Please perform a full sync.' } } });
      await expect(world.graph.deltaPage(deltaLink)).rejects.toMatchObject({
        code: 'GRAPH_DELTA_EXPIRED',
        context: { status: 400, graphCode: code },
      });
    },
  );

  it('an expired paging link mid-round (400 Directory_ExpiredPageToken) -> GRAPH_PAGE_TOKEN_EXPIRED', async () => {
    world = await startWorld({ users: directory(450) });
    const first = await world.graph.deltaPage(null);
    world.fake.expirePageTokens();
    const error = (await failureOf(world.graph.deltaPage(first.nextLink))) as AppError;
    expect(error).toMatchObject({ code: 'GRAPH_PAGE_TOKEN_EXPIRED', context: { status: 400, graphCode: 'Directory_ExpiredPageToken' } });
  });

  it('an expired paging link of the user list -> GRAPH_PAGE_TOKEN_EXPIRED', async () => {
    world = await startWorld({ users: directory(250) });
    const first = await world.graph.listUsersPage(null);
    world.fake.expirePageTokens();
    await expect(world.graph.listUsersPage(first.nextLink)).rejects.toMatchObject({ code: 'GRAPH_PAGE_TOKEN_EXPIRED' });
  });

  it('a stored delta link of another cloud -> GRAPH_DELTA_EXPIRED without a request', async () => {
    world = await startWorld();
    await expect(world.graph.deltaPage('https://graph.microsoft.us/v1.0/users/delta?$deltatoken=abc')).rejects.toMatchObject({
      code: 'GRAPH_DELTA_EXPIRED',
    });
    expect(world.fake.requests).toHaveLength(0);
  });

  it.each([
    ['neither link', { value: [] }],
    ['both links', { value: [], '@odata.nextLink': 'NEXT', '@odata.deltaLink': 'DELTA' }],
    ['not JSON', 'gateway says hi'],
  ])('a delta page with %s -> RESPONSE_MALFORMED', async (_name, body) => {
    world = await startWorld();
    const resolved =
      typeof body === 'string'
        ? body
        : JSON.parse(
            JSON.stringify(body)
              .replace('NEXT', `${world.fake.url}/v1.0/users/delta?$skiptoken=a`)
              .replace('DELTA', `${world.fake.url}/v1.0/users/delta?$deltatoken=b`),
          );
    world.fake.failNext({ path: '/v1.0/users/delta', status: 200, body: resolved });
    await expect(world.graph.deltaPage(null)).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });
});
