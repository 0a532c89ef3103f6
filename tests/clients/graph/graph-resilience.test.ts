import { AppError } from '../../../src/domain/errors';
import { directory, failureOf, readAllUsers, startWorld, TENANT, userId, type World } from './graph-test-kit';

let world: World | undefined;

afterEach(async () => {
  world?.fake.expectNoUnexpected();
  await world?.close();
  world = undefined;
});

describe('consent and tokens', () => {
  it.each([
    ['AccessDenied', 'AccessDenied'],
    ['Authorization_RequestDenied', 'Authorization_RequestDenied'],
  ] as const)(
    'missing admin consent (a token without roles answered %s) -> GRAPH_CONSENT_MISSING naming User.Read.All, after one fresh sign-in',
    async (rolelessToken, graphCode) => {
      world = await startWorld({ users: directory(3), tenant: { ...TENANT, consentGranted: false }, behaviour: { rolelessToken } });
      const error = await failureOf(world.graph.countUsers());
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'GRAPH_CONSENT_MISSING', retry: 'permanent', context: { status: 403, graphCode } });
      expect((error as AppError).message).toMatch(/application permission User\.Read\.All.*grant admin consent/);
      expect(world.tokenRequests()).toHaveLength(2);
      expect(world.graphRequests().map((r) => r.status)).toEqual([403, 403]);
    },
  );

  it('works as soon as consent is granted, although the cached token was issued without it', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.setConsent(false);
    await world.tokens.getToken();
    world.fake.setConsent(true);
    await expect(world.graph.countUsers()).resolves.toBe(3);
    expect(world.graphRequests().map((r) => r.status)).toEqual([403, 200]);
  });

  it('missing consent inside $batch -> GRAPH_CONSENT_MISSING and the stale token is dropped', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.setConsent(false);
    await expect(world.graph.getUsersByIds([userId(1)])).rejects.toMatchObject({ code: 'GRAPH_CONSENT_MISSING' });
    expect(world.cache.value).toBeUndefined();
  });

  it('401 (expired token) -> exactly one new sign-in, then the request succeeds', async () => {
    world = await startWorld({ users: directory(3) });
    await world.graph.countUsers();
    world.fake.expireAccessTokens();
    await expect(world.graph.countUsers()).resolves.toBe(3);
    expect(world.tokenRequests()).toHaveLength(2);
    expect(world.graphRequests().map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('a 401 that persists after the new sign-in -> GRAPH_REQUEST_FAILED, no loop', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: '/v1.0/users', status: 401, times: 5 });
    const error = await failureOf(world.graph.listUsersPage(null));
    expect(error).toMatchObject({ code: 'GRAPH_REQUEST_FAILED', context: { status: 401 } });
    expect(world.graphRequests()).toHaveLength(2);
    expect(world.tokenRequests()).toHaveLength(2);
  });
});

describe('request headers', () => {
  it('every Graph request of every operation carries x-ms-throttle-priority: Low and its own client-request-id', async () => {
    world = await startWorld({ users: directory(30) });
    await world.graph.countUsers();
    await readAllUsers(world.graph);
    await world.graph.latestDeltaLink();
    await world.graph.deltaPage(null);
    await world.graph.getUsersByIds([userId(1), userId(2)]);
    const sent = world.graphRequests().filter((r) => r.batchOf === null);
    expect(sent.map((r) => r.path)).toEqual([
      '/v1.0/users/$count',
      '/v1.0/users',
      '/v1.0/users/delta',
      '/v1.0/users/delta',
      '/v1.0/$batch',
    ]);
    for (const request of sent) {
      expect(request.headers).toMatchObject({ 'x-ms-throttle-priority': 'Low', authorization: 'Bearer ***' });
      expect(request.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(sent.map((r) => r.headers['client-request-id'])).size).toBe(sent.length);
  });
});

describe('retries and throttling outside $batch', () => {
  it('a short Retry-After is waited out in-process, and no request comes earlier', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: '/v1.0/users', status: 429, headers: { 'Retry-After': '4' } });
    await expect(world.graph.listUsersPage(null)).resolves.toMatchObject({ users: expect.any(Array) });
    const [throttled, retried] = world.graphRequests();
    expect(throttled).toMatchObject({ status: 429, retryAfter: '4' });
    expect(retried!.time - throttled!.time).toBeGreaterThanOrEqual(4_000);
    expect(world.clock.slept).toEqual([4_000]);
  });

  it('a long Retry-After -> GRAPH_THROTTLED retry later, not a sleep', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: '/v1.0/users/delta', status: 429, headers: { 'Retry-After': '120' } });
    const error = await failureOf(world.graph.deltaPage(null));
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED', retry: 'later', retryAfterSeconds: 120 });
    expect(world.clock.slept).toEqual([]);
    expect(world.graphRequests()).toHaveLength(1);
  });

  it('a 503/504 storm -> GRAPH_UNAVAILABLE retry later after the policy attempts', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: '/v1.0/users/$count', status: 503, times: 2 });
    world.fake.failNext({ path: '/v1.0/users/$count', status: 504, times: 5 });
    const error = await failureOf(world.graph.countUsers());
    expect(error).toMatchObject({ code: 'GRAPH_UNAVAILABLE', retry: 'later' });
    expect(world.graphRequests()).toHaveLength(4);
  });

  it('a 500 is not waited out: GRAPH_UNAVAILABLE retry now', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: '/v1.0/users/$count', status: 500 });
    await expect(world.graph.countUsers()).rejects.toMatchObject({ code: 'GRAPH_UNAVAILABLE', retry: 'now' });
  });

  it('the tenant bucket throttles a full read: the client waits for Retry-After and never comes early', async () => {
    // List pages cost 2 RU ($select -1, $expand +1): 3 pages of 999 do not fit a budget of 4 per 10 s.
    world = await startWorld({
      users: directory(2_500),
      throttling: { resourceUnitsPer10s: 4 },
      policy: { maxInlineWaitMs: 10_000 },
      behaviour: { expandPageCap: null },
    });
    const { users } = await readAllUsers(world.graph);
    expect(users).toHaveLength(2_500);
    const requests = world.graphRequests();
    expect(requests.map((r) => r.status)).toEqual([200, 200, 429, 200]);
    const [, , throttled, retried] = requests;
    expect(retried!.time).toBeGreaterThanOrEqual(throttled!.time + Number(throttled!.retryAfter) * 1000);
    expect(retried!.query['$skiptoken']).toBe(throttled!.query['$skiptoken']);
  });

  it('other Graph errors -> GRAPH_REQUEST_FAILED with the Graph code and request id in context, not the Graph message', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({
      path: '/v1.0/users',
      status: 400,
      times: 2,
      body: { error: { code: 'Request_UnsupportedQuery', message: 'Unsupported query for employee1@contoso.com' } },
    });
    const error = (await failureOf(world.graph.listUsersPage(null))) as AppError;
    expect(error.code).toBe('GRAPH_REQUEST_FAILED');
    expect(error.context).toMatchObject({ status: 400, graphCode: 'Request_UnsupportedQuery', operation: 'listUsers' });
    expect(error.context['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.context['clientRequestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).not.toContain('contoso.com');
  });

  it('Graph unreachable -> MICROSOFT_UNREACHABLE', async () => {
    world = await startWorld({ users: directory(3) });
    await world.tokens.getToken();
    await world.fake.close();
    const error = await failureOf(world.graph.countUsers());
    expect(error).toMatchObject({ code: 'MICROSOFT_UNREACHABLE' });
    world = undefined;
  });
});
