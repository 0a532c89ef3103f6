import { MANAGER_EXPAND_FULL, MANAGER_EXPAND_ID_ONLY, USER_SELECT } from '../../../src/clients/graph/graph-client';
import { AppError } from '../../../src/domain/errors';
import { directory, failureOf, graphUser, readAllUsers, startWorld, userId, type World } from './graph-test-kit';

let world: World | undefined;

afterEach(async () => {
  world?.fake.expectNoUnexpected();
  await world?.close();
  world = undefined;
});

describe('listUsersPage: full read', () => {
  it('with $expand Graph serves at most 100 users a page whatever $top says (known issue 13635): 2,500 users take 25 pages', async () => {
    world = await startWorld({ users: directory(2_500) });
    const { users, pages } = await readAllUsers(world.graph);
    expect(pages).toBe(25);
    expect(users).toHaveLength(2_500);
    expect(new Set(users.map((u) => u.id)).size).toBe(2_500);
    expect(world.graphRequests()[0]?.query).toEqual({ $select: USER_SELECT, $expand: MANAGER_EXPAND_ID_ONLY, $top: '999' });
  });

  it('reads 2,500 users in pages of 999 by following the opaque nextLink (the friendly reading: $top honoured with $expand)', async () => {
    world = await startWorld({ users: directory(2_500), behaviour: { expandPageCap: null } });
    const { users, pages } = await readAllUsers(world.graph);

    expect(pages).toBe(3);
    expect(users).toHaveLength(2_500);
    expect(new Set(users.map((u) => u.id)).size).toBe(2_500);
    const requests = world.graphRequests();
    expect(requests).toHaveLength(3);
    expect(requests[0]?.query).toEqual({ $select: USER_SELECT, $expand: MANAGER_EXPAND_ID_ONLY, $top: '999' });
    expect(requests[1]?.query['$skiptoken']).toBeDefined();
    expect(requests[2]?.query['$skiptoken']).toBeDefined();
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it('maps Graph users into EntraUser with the manager id', async () => {
    world = await startWorld({ users: directory(12) });
    const { users } = await readAllUsers(world.graph);
    expect(users.find((u) => u.id === userId(12))).toEqual({
      id: userId(12),
      displayName: 'Employee 12',
      mail: 'employee12@contoso.com',
      userPrincipalName: 'employee12@contoso.onmicrosoft.com',
      proxyAddresses: ['SMTP:employee12@contoso.com'],
      otherMails: [],
      jobTitle: 'Engineer',
      department: 'R&D',
      accountEnabled: true,
      managerId: userId(2),
    });
    expect(users.find((u) => u.id === userId(1))?.managerId).toBeNull();
  });

  it('sends x-ms-throttle-priority Low, a bearer token and a fresh client-request-id on every request', async () => {
    world = await startWorld({ users: directory(2_500) });
    await readAllUsers(world.graph);
    const requests = world.graphRequests();
    for (const request of requests) {
      expect(request.headers['x-ms-throttle-priority']).toBe('Low');
      expect(request.headers['authorization']).toBe('Bearer ***');
      expect(request.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(requests.map((r) => r.headers['client-request-id'])).size).toBe(requests.length);
  });

  it('reads all users when Graph caps expanded pages at 100', async () => {
    world = await startWorld({ users: directory(250), behaviour: { expandPageCap: 100 } });
    const { users, pages } = await readAllUsers(world.graph);
    expect(users).toHaveLength(250);
    expect(pages).toBe(3);
  });

  it('accepts an empty directory (a single empty page)', async () => {
    world = await startWorld({ users: [] });
    await expect(world.graph.listUsersPage(null)).resolves.toEqual({ users: [], nextLink: null });
  });
});

describe('listUsersPage: the manager in every reading of $expand', () => {
  const boss = graphUser({ id: userId(1) });
  const contactId = 'c0000000-0000-4000-8000-000000000001';
  const users = [
    boss,
    graphUser({ id: userId(2), managerId: boss.id }),
    graphUser({ id: userId(3), managerId: contactId }),
    graphUser({ id: userId(4), managerId: null }),
  ];
  const orgContacts = [{ id: contactId, displayName: 'External Boss', mail: 'boss@partner.example' }];
  const managers = (list: { id: string; managerId: string | null }[]) => Object.fromEntries(list.map((u) => [u.id, u.managerId]));
  const expected = { [userId(1)]: null, [userId(2)]: userId(1), [userId(3)]: contactId, [userId(4)]: null };

  it('id only (nested $select honoured), org contact, absent key', async () => {
    world = await startWorld({ users, orgContacts });
    expect(managers((await readAllUsers(world.graph)).users)).toEqual(expected);
  });

  it('full object (nested $select ignored) and manager: null for users without one', async () => {
    world = await startWorld({ users, orgContacts, behaviour: { managerExpandSelect: 'ignored', absentManager: 'null' } });
    expect(managers((await readAllUsers(world.graph)).users)).toEqual(expected);
  });

  it('nested $select refused with 400: switches to $expand=manager once and keeps using it', async () => {
    world = await startWorld({
      users: [...users, ...directory(1_200).slice(10)],
      orgContacts,
      behaviour: { managerExpandSelect: 'rejected' },
    });
    const { users: read } = await readAllUsers(world.graph);
    expect(managers(read.slice(0, 4))).toEqual(expected);
    await world.graph.getUsersByIds([userId(2)]);
    const expands = world.graphRequests().map((r) => [r.status, r.query['$expand']]);
    expect(expands.slice(0, 2)).toEqual([
      [400, MANAGER_EXPAND_ID_ONLY],
      [200, MANAGER_EXPAND_FULL],
    ]);
    const batchItem = world.graphRequests().find((r) => r.batchOf !== null);
    expect(batchItem?.query['$expand']).toBe(MANAGER_EXPAND_FULL);
  });
});

describe('listUsersPage: values Graph may send', () => {
  it('null collections become empty lists and accountEnabled null counts as disabled', async () => {
    world = await startWorld();
    world.fake.failNext({
      path: '/v1.0/users',
      status: 200,
      body: {
        value: [
          {
            id: 'u-1',
            displayName: null,
            mail: null,
            userPrincipalName: 'x@contoso.com',
            proxyAddresses: null,
            otherMails: null,
            accountEnabled: null,
          },
        ],
      },
    });
    const page = await world.graph.listUsersPage(null);
    expect(page.users[0]).toEqual({
      id: 'u-1',
      displayName: null,
      mail: null,
      userPrincipalName: 'x@contoso.com',
      proxyAddresses: [],
      otherMails: [],
      jobTitle: null,
      department: null,
      accountEnabled: false,
      managerId: null,
    });
  });

  it('refuses to follow a nextLink that is not on the Graph host, without sending anything', async () => {
    world = await startWorld({ users: directory(3) });
    const error = await failureOf(world.graph.listUsersPage('https://attacker.example/v1.0/users?$skiptoken=x'));
    expect(error).toMatchObject({ code: 'GRAPH_REQUEST_FAILED', retry: 'permanent' });
    expect(world.fake.requests).toHaveLength(0);
  });

  it('a nextLink from Graph that leaves the Graph host is a malformed response', async () => {
    world = await startWorld();
    world.fake.failNext({
      path: '/v1.0/users',
      status: 200,
      body: { value: [], '@odata.nextLink': 'https://attacker.example/v1.0/users' },
    });
    await expect(world.graph.listUsersPage(null)).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['the wrong shape', { value: 5 }],
    ['a user without id', { value: [{ displayName: 'x' }] }],
  ])('a 200 with %s -> RESPONSE_MALFORMED', async (_name, body) => {
    world = await startWorld();
    world.fake.failNext({ path: '/v1.0/users', status: 200, body });
    const error = await failureOf(world.graph.listUsersPage(null));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'RESPONSE_MALFORMED', retry: 'now', context: { operation: 'listUsers', status: 200 } });
  });
});

describe('countUsers', () => {
  it('asks $count with ConsistencyLevel: eventual and reads the plain-text number', async () => {
    world = await startWorld({ users: directory(2_500) });
    await expect(world.graph.countUsers()).resolves.toBe(2_500);
    expect(world.graphRequests()[0]).toMatchObject({ path: '/v1.0/users/$count', headers: { consistencylevel: 'eventual' }, status: 200 });
  });

  it('tolerates a byte order mark before the number', async () => {
    world = await startWorld();
    world.fake.failNext({ path: '/v1.0/users/$count', status: 200, body: '\uFEFF42' });
    await expect(world.graph.countUsers()).resolves.toBe(42);
  });

  it('anything but digits -> RESPONSE_MALFORMED', async () => {
    world = await startWorld();
    world.fake.failNext({ path: '/v1.0/users/$count', status: 200, body: '{"count": 3}' });
    await expect(world.graph.countUsers()).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });
});
