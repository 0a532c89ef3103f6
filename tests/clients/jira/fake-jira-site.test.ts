/**
 * The fake site's own promises: it fails loudly on anything it does not understand, and it refuses what the real
 * API refuses, so client tests passing against it mean something.
 */
import { startFakeJiraSite, type FakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import { fakeClock, jiraUser } from './support';

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
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 501 to a request it does not understand, records it, and expectNoUnexpected says so', async () => {
    const response = await fetch(`${site.url}/rest/api/3/myself`);
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
    const response = await fetch(`${site.url}/rest/api/3/user/email/bulk?${ids}`);
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
    const response = await fetch(`${site.url}/rest/api/3/user/email?accountId=acc-ada`);
    expect(await response.json()).toEqual({ accountId: 'acc-ada', email: ada.email });
    expect((await fetch(`${site.url}/rest/api/3/user/email?accountId=nobody`)).status).toBe(404);
  });

  it('records method, path, query, status and the clock time of every request', async () => {
    await fetch(`${site.url}/rest/api/3/users/search?startAt=0&maxResults=5`);
    expect(site.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/rest/api/3/users/search', query: 'startAt=0&maxResults=5', status: 200, time: clock.now(), endpoint: 'users/search' }),
    ]);
  });

  it('answers injected failures the given number of times, then normally', async () => {
    site.failNext({ path: '/users/search', status: 503, times: 2, headers: { 'Retry-After': '1' } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${site.url}/rest/api/3/users/search`)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });
});
