/**
 * The fake tenant's own contract, checked with plain HTTP: it must behave like Graph where the clients depend on
 * it, and fail loudly (501 + `unexpected`) where it does not model Graph.
 */
import { type FakeEntra, type FakeEntraOptions, startFakeEntra } from '../../../fakes/entra/fake-entra-server';
import { requestCost, ResourceBucket } from '../../../fakes/entra/throttle';
import { directory, fakeClock, graphUser, TENANT, userId } from './graph-test-kit';

let fake: FakeEntra;
let started = false;

async function start(options: Partial<FakeEntraOptions> = {}): Promise<void> {
  fake = await startFakeEntra({ tenant: TENANT, users: directory(250), ...options });
  started = true;
}

afterEach(async () => {
  if (started) await fake.close();
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
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
  const response = await fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${await token()}`, ...headers } });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, headers: response.headers, text };
}

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;
const values = (body: unknown) => (body as { value: Record<string, unknown>[] }).value;

describe('fake Entra: fails loudly on what it does not model', () => {
  it('answers 501 and records an unknown route', async () => {
    await start();
    const res = await get('/v1.0/devices');
    expect(res.status).toBe(501);
    expect(res.text).toContain('GET /v1.0/devices');
    expect(fake.unexpected).toHaveLength(1);
    expect(() => fake.expectNoUnexpected()).toThrow(/did not understand/);
  });

  it('answers 501 to query options it does not model', async () => {
    await start();
    expect((await get('/v1.0/users?$orderby=displayName')).status).toBe(501);
    expect(fake.unexpected[0]?.reason).toContain("'$orderby'");
  });

  it('answers 501 to a token request that is not the client-credentials grant', async () => {
    await start();
    const res = await fetch(`${fake.url}/${TENANT.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(res.status).toBe(501);
    expect(fake.unexpected).toHaveLength(1);
  });
});

describe('fake Entra: Graph behaviour', () => {
  it('requires a valid bearer token', async () => {
    await start();
    const res = await fetch(`${fake.url}/v1.0/users`);
    expect(res.status).toBe(401);
    expect(errorCode(await res.json())).toBe('InvalidAuthenticationToken');
  });

  it("returns only the $select-ed properties plus id, and Graph's default set without $select", async () => {
    await start();
    const selected = values((await get('/v1.0/users?$select=mail&$top=1')).body)[0];
    expect(Object.keys(selected ?? {}).sort()).toEqual(['id', 'mail']);
    const plain = values((await get('/v1.0/users?$top=1')).body)[0];
    expect(plain).not.toHaveProperty('accountEnabled');
    expect(plain).toHaveProperty('userPrincipalName');
    expect((await get('/v1.0/users?$select=nope')).status).toBe(400);
  });

  it('pages 100 by default and refuses $top above 999', async () => {
    await start();
    const first = await get('/v1.0/users');
    expect(values(first.body)).toHaveLength(100);
    expect((first.body as Record<string, unknown>)['@odata.nextLink']).toEqual(expect.stringContaining('$skiptoken='));
    expect((await get('/v1.0/users?$top=1000')).status).toBe(400);
  });

  it('supports the plain $filter subset and refuses the rest with Request_UnsupportedQuery', async () => {
    await start({ users: [...directory(20), graphUser({ id: userId(99), mail: 'Off@Contoso.com', accountEnabled: false })] });
    const ids = (path: string) => get(path).then((r) => values(r.body).map((u) => u['id']));
    expect(await ids("/v1.0/users?$filter=mail eq 'off@contoso.com'")).toEqual([userId(99)]);
    expect(await ids("/v1.0/users?$filter=userPrincipalName eq 'EMPLOYEE3@contoso.onmicrosoft.com'")).toEqual([userId(3)]);
    expect(await ids('/v1.0/users?$filter=accountEnabled eq false')).toEqual([userId(99)]);
    expect(await ids(`/v1.0/users?$filter=id in ('${userId(1)}','${userId(2)}') and accountEnabled eq true`)).toEqual([
      userId(1),
      userId(2),
    ]);
    const unsupported = await get("/v1.0/users?$filter=startswith(mail,'a')");
    expect(unsupported.status).toBe(400);
    expect(errorCode(unsupported.body)).toBe('Request_UnsupportedQuery');
    const sixteen = Array.from({ length: 16 }, (_, i) => `'${userId(i + 1)}'`).join(',');
    expect(errorCode((await get(`/v1.0/users?$filter=id in (${sixteen})`)).body)).toBe('Request_UnsupportedQuery');
  });

  it('$count needs ConsistencyLevel: eventual', async () => {
    await start();
    expect((await get('/v1.0/users/$count')).status).toBe(400);
    const ok = await get('/v1.0/users/$count', { ConsistencyLevel: 'eventual' });
    expect(ok.text).toBe('250');
    expect(ok.headers.get('content-type')).toContain('text/plain');
  });

  it("answers 404 Request_ResourceNotFound in Graph's error shape, with matching request ids", async () => {
    await start();
    const res = await get(`/v1.0/users/${userId(9_999)}`, { 'client-request-id': 'c1d2' });
    expect(res.status).toBe(404);
    const error = (res.body as { error: { code: string; innerError: Record<string, string> } }).error;
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(error.innerError['request-id']).toBe(res.headers.get('request-id'));
    expect(error.innerError['client-request-id']).toBe('c1d2');
    expect(error.innerError['date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('resolves /users/{userPrincipalName} and /users/{id}/manager (404 when there is none)', async () => {
    await start({ orgContacts: [{ id: 'contact-1', displayName: 'Partner', mail: 'p@partner.example' }] });
    fake.setManager(userId(5), 'contact-1');
    expect((await get('/v1.0/users/employee3@contoso.onmicrosoft.com')).status).toBe(200);
    expect((await get(`/v1.0/users/${userId(1)}/manager`)).status).toBe(404);
    expect((await get(`/v1.0/users/${userId(2)}/manager`)).body).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: userId(1) });
    expect((await get(`/v1.0/users/${userId(5)}/manager`)).body).toMatchObject({
      '@odata.type': '#microsoft.graph.orgContact',
      id: 'contact-1',
    });
  });

  it('delta ignores $top and pages 200 at a time', async () => {
    await start();
    expect(values((await get('/v1.0/users/delta?$select=id&$top=5')).body)).toHaveLength(200);
  });

  it('$batch: at most 20 requests with unique ids; items it does not model are recorded', async () => {
    await start();
    const auth = `Bearer ${await token()}`;
    const post = (requests: unknown[]) =>
      fetch(`${fake.url}/v1.0/$batch`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
    const item = (id: string) => ({ id, method: 'GET', url: `/users/${userId(1)}` });
    expect((await post(Array.from({ length: 21 }, (_, i) => item(String(i))))).status).toBe(400);
    expect((await post([item('1'), item('1')])).status).toBe(400);
    const mixed = await post([item('1'), { id: '2', method: 'PATCH', url: `/users/${userId(1)}` }]);
    expect(mixed.status).toBe(200);
    const statuses = Object.fromEntries(
      ((await mixed.json()) as { responses: { id: string; status: number }[] }).responses.map((r) => [r.id, r.status]),
    );
    expect(statuses).toEqual({ '1': 200, '2': 501 });
    expect(fake.unexpected).toHaveLength(1);
  });
});

describe('fake Entra: throttling', () => {
  it('costs list reads by $select and $expand as documented', () => {
    const cost = (query: string) => requestCost('/v1.0/users', new URLSearchParams(query));
    expect(cost('')).toBe(2);
    expect(cost('$select=id')).toBe(1);
    expect(cost('$select=id&$expand=manager')).toBe(2);
    expect(cost('$expand=manager')).toBe(3);
    expect(requestCost('/v1.0/users/abc', new URLSearchParams('$select=id'))).toBe(1);
  });

  it('a budget per 10 s: early retries are refused (and counted), the next window is open', () => {
    const clock = fakeClock();
    const bucket = new ResourceBucket(3, clock.now);
    expect([bucket.take(2), bucket.take(1)]).toEqual([{ ok: true }, { ok: true }]);
    clock.advance(4_000);
    expect(bucket.take(1)).toEqual({ ok: false, retryAfterSeconds: 6 });
    clock.advance(5_000);
    expect(bucket.take(1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1_000);
    expect(bucket.take(3)).toEqual({ ok: true });
  });

  it('answers 429 TooManyRequests with Retry-After when the budget is spent', async () => {
    const clock = fakeClock();
    await start({ throttling: { resourceUnitsPer10s: 1, now: clock.now } });
    expect((await get(`/v1.0/users/${userId(1)}`)).status).toBe(200);
    const throttled = await get(`/v1.0/users/${userId(1)}`);
    expect(throttled.status).toBe(429);
    expect(errorCode(throttled.body)).toBe('TooManyRequests');
    expect(throttled.headers.get('retry-after')).toBe('10');
  });
});
