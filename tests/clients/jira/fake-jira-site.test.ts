/**
 * The fake site's own promises: it fails loudly on anything it does not understand, and it refuses what the real
 * API refuses, so client tests passing against it mean something.
 */
import { APP_AUTHORIZATION, userAuthorization } from '../../../fakes/jira/fake-jira-fetch';
import { type FakeJiraSite, startFakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import { fakeClock, jiraUser, jiraUsers } from './support';

describe('fake Jira site', () => {
  let site: FakeJiraSite;
  const clock = fakeClock();
  const ada = jiraUser({ accountId: 'acc-ada', emailHidden: true });

  beforeEach(async () => {
    site = await startFakeJiraSite({ users: [ada], now: clock.now });
  });
  afterEach(async () => {
    await site.close();
  });

  const assets = (path: string): string => `${site.url}/jsm/assets/workspace/${site.workspaceId}/v1/${path}`;
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: APP_AUTHORIZATION },
      body: JSON.stringify(body),
    });
  /** A GET as the app (asApp). */
  const get = (url: string, authorization = APP_AUTHORIZATION) => fetch(url, { headers: { Authorization: authorization } });

  it('answers 501 to a request it does not understand, records it, and expectNoUnexpected says so', async () => {
    const response = await get(`${site.url}/rest/api/3/myself`);
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('does not understand GET /rest/api/3/myself');
    expect(site.unexpected).toHaveLength(1);
    expect(() => site.expectNoUnexpected()).toThrow('/rest/api/3/myself');
  });

  it('refuses AQL outside the subset, and paging sent in the body', async () => {
    expect((await post(assets('object/aql'), { qlQuery: 'Name LIKE Ada' })).status).toBe(400);
    expect((await post(assets('object/aql?startAt=0'), { qlQuery: 'objectTypeId = 1', maxResults: 10 })).status).toBe(400);
    expect(site.unexpected.map((u) => u.reason)).toEqual([
      expect.stringContaining('AQL not understood'),
      'object/aql takes startAt and maxResults in the query string, not the body',
    ]);
  });

  it('refuses request lines over 8 KB with 414', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `accountId=${'x'.repeat(20)}${i}`).join('&');
    const response = await get(`${site.url}/rest/api/3/user/email/bulk?${ids}`);
    expect(response.status).toBe(414);
    expect(site.unexpected).toHaveLength(1);
  });

  it('requires an iconId to create an object type', async () => {
    const schema = (await (await post(assets('objectschema/create'), { name: 'S', objectSchemaKey: 'SS' })).json()) as { id: string };
    const response = await post(assets('objecttype/create'), { name: 'Employee', objectSchemaId: schema.id });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errorMessages: [], errors: { iconId: 'Icon is required' } });
    site.expectNoUnexpected();
  });

  it('serves the single-account email endpoint regardless of visibility', async () => {
    const response = await get(`${site.url}/rest/api/3/user/email?accountId=acc-ada`);
    expect(await response.json()).toEqual({ accountId: 'acc-ada', email: ada.email });
    expect((await get(`${site.url}/rest/api/3/user/email?accountId=nobody`)).status).toBe(404);
  });

  it('records method, path, query, status and the clock time of every request', async () => {
    await get(`${site.url}/rest/api/3/users/search?startAt=0&maxResults=5`);
    expect(site.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/rest/api/3/users/search',
        query: 'startAt=0&maxResults=5',
        status: 200,
        time: clock.now(),
        endpoint: 'users/search',
      }),
    ]);
  });

  it('answers injected failures the given number of times, then normally', async () => {
    site.failNext({ path: '/users/search', status: 503, times: 2, headers: { 'Retry-After': '1' } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${site.url}/rest/api/3/users/search`)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });
});

describe("fake Jira site: the caller and Jira's permission model", () => {
  const clock = fakeClock();
  const admin = jiraUser({ accountId: 'acc-admin' });
  const member = jiraUser({ accountId: 'acc-member' });
  let site: FakeJiraSite | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
  });

  const as = (authorization: string | null, path: string, init: RequestInit = {}) =>
    fetch(`${site!.url}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(authorization === null ? {} : { Authorization: authorization }) },
    });
  const check = (authorization: string | null, body: unknown) =>
    as(authorization, '/rest/api/3/permissions/check', { method: 'POST', body: JSON.stringify(body) });
  const administer = async (response: Response) =>
    ((await response.json()) as { permissions: { ADMINISTER: { havePermission: boolean } } }).permissions.ADMINISTER.havePermission;

  it('refuses a request with no or an unknown Authorization with 401, loudly', async () => {
    site = await startFakeJiraSite({ users: [admin], now: clock.now });
    expect((await as(null, '/rest/api/3/users/search')).status).toBe(401);
    expect((await as('Bearer something-else', '/rest/api/3/users/search')).status).toBe(401);
    expect((await as('Basic Zm9vOmJhcg==', '/rest/api/3/users/search')).status).toBe(401);
    expect(site.unexpected.map((u) => u.reason)).toEqual([
      'no or unknown Authorization',
      'no or unknown Authorization',
      'no or unknown Authorization',
    ]);
  });

  it('lets a user check their own permissions, and refuses the app checking another user (403, as Jira does)', async () => {
    site = await startFakeJiraSite({ users: [admin, member], administrators: ['acc-admin'], now: clock.now });
    expect(await administer(await as(userAuthorization('acc-admin'), '/rest/api/3/mypermissions?permissions=ADMINISTER'))).toBe(true);
    expect(await administer(await as(userAuthorization('acc-member'), '/rest/api/3/mypermissions?permissions=ADMINISTER'))).toBe(false);
    // As the app, mypermissions answers the app's own user: no ADMINISTER.
    expect(await administer(await as(APP_AUTHORIZATION, '/rest/api/3/mypermissions?permissions=ADMINISTER'))).toBe(false);

    expect((await check(APP_AUTHORIZATION, { accountId: 'acc-admin', globalPermissions: ['ADMINISTER'] })).status).toBe(403);
    const self = await check(userAuthorization('acc-admin'), { globalPermissions: ['ADMINISTER'] });
    expect(await self.json()).toEqual({ globalPermissions: ['ADMINISTER'], projectPermissions: [] });
    expect((await check(userAuthorization('acc-member'), { accountId: 'acc-admin', globalPermissions: ['ADMINISTER'] })).status).toBe(403);
    const byAdmin = await check(userAuthorization('acc-admin'), { accountId: 'acc-member', globalPermissions: ['ADMINISTER'] });
    expect(await byAdmin.json()).toEqual({ globalPermissions: [], projectPermissions: [] });
    site.expectNoUnexpected();
  });

  it("keeps the old friendly reading as permissionModel 'lenient': no Authorization needed, the app may check anyone", async () => {
    site = await startFakeJiraSite({ users: [admin], administrators: ['acc-admin'], permissionModel: 'lenient', now: clock.now });
    const answer = await check(null, { accountId: 'acc-admin', globalPermissions: ['ADMINISTER'] });
    expect(await answer.json()).toEqual({ globalPermissions: ['ADMINISTER'], projectPermissions: [] });
    expect(await administer(await as(userAuthorization('acc-admin'), '/rest/api/3/mypermissions?permissions=ADMINISTER'))).toBe(true);
  });

  it('sends its own clock in the Date header', async () => {
    const skewed = fakeClock(Date.parse('2026-03-02T09:00:00Z'));
    site = await startFakeJiraSite({ users: [admin], now: skewed.now });
    const response = await as(APP_AUTHORIZATION, '/rest/api/3/users/search');
    expect(response.headers.get('date')).toBe('Mon, 02 Mar 2026 09:00:00 GMT');
  });

  it('serves short users/search pages before the end by default (usersPageCap 100), and 409s when asked', async () => {
    site = await startFakeJiraSite({ users: jiraUsers(150), now: clock.now, usersSearch409Every: 2 });
    const first = await as(APP_AUTHORIZATION, '/rest/api/3/users/search?startAt=0&maxResults=1000');
    expect(((await first.json()) as unknown[]).length).toBe(100);
    expect((await as(APP_AUTHORIZATION, '/rest/api/3/users/search?startAt=100&maxResults=1000')).status).toBe(409);
    const second = await as(APP_AUTHORIZATION, '/rest/api/3/users/search?startAt=100&maxResults=1000');
    expect(((await second.json()) as unknown[]).length).toBe(50);
  });

  it.each([
    ['gateway', { 'x-ratelimit-reset': '2026-03-02T09:01Z' }, ['retry-after', 'ratelimit-reason']],
    ['burst', { 'retry-after': '60', 'ratelimit-reason': 'jira-burst-based', 'x-ratelimit-reset': '2026-03-02T09:01Z' }, []],
    ['cost-based', { 'retry-after': '60', 'ratelimit-reason': 'jira-cost-based' }, []],
    ['quota', { 'ratelimit-reason': 'jira-quota-tenant-based', 'x-ratelimit-reset': '2026-03-02T09:01Z' }, ['retry-after']],
    [
      'beta',
      { 'x-beta-ratelimit-reason': 'jira-cost-based', 'x-beta-ratelimit-reset': '2026-03-02T09:01:00.000Z' },
      ['retry-after', 'ratelimit-reason'],
    ],
  ] as const)('answers a Jira 429 in the %s form', async (variant, present, absent) => {
    const at = fakeClock(Date.parse('2026-03-02T09:00:00Z'));
    site = await startFakeJiraSite({
      users: [admin],
      now: at.now,
      rateLimits: { enabled: true, perMinute: { 'users/search': 1 }, jira429: variant },
    });
    await as(APP_AUTHORIZATION, '/rest/api/3/users/search');
    const refused = await as(APP_AUTHORIZATION, '/rest/api/3/users/search');
    expect(refused.status).toBe(429);
    for (const [name, value] of Object.entries(present)) expect(refused.headers.get(name)).toBe(value);
    for (const name of absent) expect(refused.headers.get(name)).toBeNull();
  });
});
