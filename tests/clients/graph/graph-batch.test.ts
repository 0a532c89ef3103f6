import type { RecordedRequest } from '../../../fakes/entra/fake-entra-server';
import { MANAGER_EXPAND_ID_ONLY, USER_SELECT } from '../../../src/clients/graph/graph-client';
import { directory, failureOf, graphUser, readDeltaRound, startWorld, userId, type World } from './graph-test-kit';

let world: World | undefined;

afterEach(async () => {
  world?.fake.expectNoUnexpected();
  await world?.close();
  world = undefined;
});

const envelopes = (w: World) => w.graphRequests().filter((r) => r.path === '/v1.0/$batch');
const itemsOf = (w: World, envelope: RecordedRequest) => w.graphRequests().filter((r) => r.batchOf === envelope.seq);

/** Every request to a path after a 429 on it came no earlier than the Retry-After it was given. */
function expectRetryAfterRespected(requests: readonly RecordedRequest[]): number {
  let checked = 0;
  requests.forEach((request, index) => {
    if (request.status !== 429 || request.retryAfter === null) return;
    const next = requests.slice(index + 1).find((later) => later.path === request.path);
    if (next === undefined) return;
    expect(next.time).toBeGreaterThanOrEqual(request.time + Number(request.retryAfter) * 1000);
    checked++;
  });
  return checked;
}

describe('getUsersByIds ($batch)', () => {
  it('sends at most 20 unique requests per batch and reports unknown ids as notFound', async () => {
    world = await startWorld({ users: directory(60) });
    const wanted = [...Array.from({ length: 40 }, (_, i) => userId(i + 1)), userId(1), userId(2), userId(9_999), userId(9_998)];
    const { users, notFound } = await world.graph.getUsersByIds(wanted);

    expect(users.map((u) => u.id).sort()).toEqual(Array.from({ length: 40 }, (_, i) => userId(i + 1)).sort());
    expect(notFound.sort()).toEqual([userId(9_998), userId(9_999)]);
    const sent = envelopes(world);
    expect(sent).toHaveLength(3);
    for (const envelope of sent) {
      const items = itemsOf(world, envelope);
      expect(items.length).toBeLessThanOrEqual(20);
      expect(new Set(items.map((i) => i.path)).size).toBe(items.length);
      for (const item of items) expect(item.query).toEqual({ $select: USER_SELECT, $expand: MANAGER_EXPAND_ID_ONLY });
    }
    expect(sent.map((e) => itemsOf(world!, e).length)).toEqual([20, 20, 2]);
  });

  it('maps each user from its own item although responses come back shuffled', async () => {
    world = await startWorld({ users: directory(20) });
    const { users } = await world.graph.getUsersByIds(Array.from({ length: 20 }, (_, i) => userId(i + 1)));
    for (const user of users) expect(user.displayName).toBe(`Employee ${Number.parseInt(user.id.slice(-12), 16)}`);
  });

  it('resends only the items answered 429, after their own Retry-After', async () => {
    world = await startWorld({ users: directory(20) });
    world.fake.failNext({ path: `/v1.0/users/${userId(7)}`, status: 429, headers: { 'Retry-After': '3' } });
    world.fake.failNext({ path: `/v1.0/users/${userId(9)}`, status: 503, headers: { 'Retry-After': '2' } });
    const { users } = await world.graph.getUsersByIds(Array.from({ length: 20 }, (_, i) => userId(i + 1)));

    expect(users).toHaveLength(20);
    const [first, second] = envelopes(world);
    expect(
      itemsOf(world, second!)
        .map((i) => i.path)
        .sort(),
    ).toEqual([`/v1.0/users/${userId(7)}`, `/v1.0/users/${userId(9)}`]);
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(3_000);
    expect(world.clock.slept).toEqual([3_000]);
    expect(expectRetryAfterRespected(world.graphRequests())).toBe(1);
  });

  it('a long Retry-After on an item -> GRAPH_THROTTLED retry later, without sleeping', async () => {
    world = await startWorld({ users: directory(5) });
    world.fake.failNext({ path: `/v1.0/users/${userId(2)}`, status: 429, headers: { 'Retry-After': '90' } });
    const error = await failureOf(world.graph.getUsersByIds([userId(1), userId(2)]));
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED', retry: 'later', retryAfterSeconds: 90 });
    expect(world.clock.slept).toEqual([]);
    expect(envelopes(world)).toHaveLength(1);
  });

  it('an item that keeps failing gives up after the policy attempts', async () => {
    world = await startWorld({ users: directory(5) });
    world.fake.failNext({ path: `/v1.0/users/${userId(2)}`, status: 503, times: 10 });
    const error = await failureOf(world.graph.getUsersByIds([userId(1), userId(2)]));
    expect(error).toMatchObject({ code: 'GRAPH_UNAVAILABLE', retry: 'later' });
    expect(envelopes(world)).toHaveLength(4);
  });

  it('items throttled by the tenant bucket wait for Retry-After and are resent alone', async () => {
    world = await startWorld({
      users: directory(40),
      throttling: { resourceUnitsPer10s: 25 },
      policy: { maxInlineWaitMs: 10_000, maxTotalInlineWaitMs: 30_000 },
    });
    const { users } = await world.graph.getUsersByIds(Array.from({ length: 40 }, (_, i) => userId(i + 1)));
    expect(users).toHaveLength(40);
    const items = world.graphRequests().filter((r) => r.batchOf !== null);
    expect(items.filter((i) => i.status === 429).length).toBeGreaterThan(0);
    expect(expectRetryAfterRespected(items)).toBeGreaterThan(0);
    // Every user was read exactly once successfully: nothing was resent that had already succeeded.
    expect(items.filter((i) => i.status === 200)).toHaveLength(40);
  });

  it('an item of the wrong shape -> RESPONSE_MALFORMED', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: `/v1.0/users/${userId(2)}`, status: 200, body: { displayName: 'no id' } });
    await expect(world.graph.getUsersByIds([userId(1), userId(2)])).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });

  it('an envelope that is not JSON -> RESPONSE_MALFORMED', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.failNext({ path: '/v1.0/$batch', status: 200, body: 'not json' });
    await expect(world.graph.getUsersByIds([userId(1)])).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });

  it('an item Graph refuses for another reason -> GRAPH_REQUEST_FAILED with its Graph code', async () => {
    world = await startWorld({ users: directory(3), behaviour: { managerExpandSelect: 'honoured' } });
    world.fake.failNext({
      path: `/v1.0/users/${userId(2)}`,
      status: 400,
      times: 2,
      body: { error: { code: 'Request_BadRequest', message: 'x' } },
    });
    const error = await failureOf(world.graph.getUsersByIds([userId(1), userId(2)]));
    expect(error).toMatchObject({ code: 'GRAPH_REQUEST_FAILED', context: { status: 400, graphCode: 'Request_BadRequest' } });
  });

  it('an empty list sends nothing', async () => {
    world = await startWorld();
    await expect(world.graph.getUsersByIds([])).resolves.toEqual({ users: [], notFound: [] });
    expect(world.fake.requests).toHaveLength(0);
  });
});

describe("getUsersByIds: the fake tenant's replication lag and roleless tokens", () => {
  it('a user created seconds ago answers 404 by id (replication lag, default) although delta reports it; later it is found', async () => {
    world = await startWorld({ users: directory(3) });
    const fresh = graphUser();
    world.fake.upsertUser(fresh);
    const { changes } = await readDeltaRound(world.graph, null);
    expect(changes.some((c) => c.id === fresh.id)).toBe(true);
    await expect(world.graph.getUsersByIds([fresh.id])).resolves.toEqual({ users: [], notFound: [fresh.id] });
    world.clock.advance(121_000);
    await expect(world.graph.getUsersByIds([fresh.id])).resolves.toMatchObject({ users: [{ id: fresh.id }], notFound: [] });
  });

  it('with the lag switched off the new user is found at once', async () => {
    world = await startWorld({ users: directory(3), behaviour: { replicationLagSeconds: 0 } });
    const fresh = graphUser();
    world.fake.upsertUser(fresh);
    await expect(world.graph.getUsersByIds([fresh.id])).resolves.toMatchObject({ users: [{ id: fresh.id }], notFound: [] });
  });

  it('a $batch item answered 403 AccessDenied (token without roles) -> GRAPH_CONSENT_MISSING and the cached token is dropped', async () => {
    world = await startWorld({ users: directory(3) });
    await world.tokens.getToken();
    world.fake.failNext({
      path: /^\/v1\.0\/users\/[^/]+$/,
      status: 403,
      body: { error: { code: 'AccessDenied', message: 'Either scp or roles claim need to be present in the token.' } },
    });
    await expect(world.graph.getUsersByIds([userId(1)])).rejects.toMatchObject({
      code: 'GRAPH_CONSENT_MISSING',
      context: { graphCode: 'AccessDenied' },
    });
    expect(world.cache.value).toBeUndefined();
  });
});
