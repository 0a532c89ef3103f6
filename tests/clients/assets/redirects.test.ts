/**
 * Issue 11 point 2: Forge does not follow Assets 3xx answers ("Assets scopes for OAuth 2.0 (3LO) and Forge apps",
 * Redirect response codes), so the client re-issues the request to the Location path itself, through the same
 * site transport, a few hops at most, with the Fetch standard's method rules. The fake redirects by default.
 */
import type { FakeJiraSiteOptions, RecordedRequest } from '../../../fakes/jira/fake-jira-site';
import { MAX_ASSETS_REDIRECTS } from '../../../src/clients/assets/assets-http';
import type { AppError } from '../../../src/domain/errors';
import type { ObjectWrite } from '../../../src/domain/object-values';
import type { SchemaLayout } from '../../../src/domain/schema-layout';
import { jiraUser, rejection } from '../jira/support';
import { type AssetsTestBed, coreSchemaBedPerTest, EMPLOYEE, employeeWrite, isRedirect } from './assets-support';

const ADA = jiraUser({ accountId: 'acc-ada' });

const employee = (entraUserId: string): ObjectWrite => employeeWrite(ADA.accountId, { entraUserId });

const v1 = (r: RecordedRequest): string => `${r.method} ${r.url.replace(/^\/jsm\/assets\/workspace\/[^/]+\/v1\//, '')} ${r.status}`;

describe('Assets redirects', () => {
  const start = coreSchemaBedPerTest([ADA]);
  let layout: SchemaLayout;

  async function setup(options: FakeJiraSiteOptions = {}): Promise<AssetsTestBed> {
    const started = await start(options);
    layout = started.layout;
    return started.bed;
  }

  it('creates the schema, creates and updates an object, and searches, when Assets redirects every request', async () => {
    const { client, site } = await setup({ assetsRedirects: 'all' });
    const made = await client.createObject(layout, EMPLOYEE, employee('e-1'));
    if (!made.ok) throw new Error(made.failure.message);
    const updated = await client.updateObject(layout, EMPLOYEE, made.objectId, { jobTitle: 'Analyst' });
    expect(updated).toMatchObject({ ok: true, objectId: made.objectId });
    // Each write reports the redirect it followed: one more request against the Assets limit, which the pacer counts.
    expect([made.redirects, updated.redirects]).toEqual([1, 1]);
    const page = await client.searchObjects(layout, EMPLOYEE, 0, 25);
    expect(page.objects.map((o) => [o.values.entraUserId, o.values.jobTitle])).toEqual([['e-1', 'Analyst']]);
    expect(site.employees()).toHaveLength(1);

    // Every Assets request was answered with a redirect first, then served at the Location with the same method and body.
    const assets = site.requests.filter((r) => r.path.startsWith('/jsm/assets/'));
    const answered = assets.filter((r) => !isRedirect(r.status));
    expect(answered.length).toBeGreaterThan(10);
    for (const [i, r] of assets.entries()) {
      if (!isRedirect(r.status)) continue;
      const next = assets[i + 1]!;
      expect(next.query).toContain('redirected=1');
      expect(next.method).toBe(r.method === 'GET' ? 'GET' : r.method);
      expect(next.body).toEqual(r.body);
    }
    expect(assets.filter((r) => r.endpoint === 'object/create').map((r) => r.status)).toEqual([307, 201]);
    expect(assets.filter((r) => r.endpoint === 'object/update').map((r) => r.status)).toEqual([307, 200]);
    expect(assets.filter((r) => r.endpoint === 'object/aql').map((r) => r.status)).toEqual([308, 200]);
    expect(
      assets
        .filter((r) => r.path.endsWith('/objectschema/list'))
        .map((r) => r.status)
        .slice(0, 2),
    ).toEqual([303, 200]);
  });

  it('works in the default mode too, where some requests redirect', async () => {
    const { client, site } = await setup();
    for (let i = 0; i < 10; i++) expect(await client.createObject(layout, EMPLOYEE, employee(`e-${i}`))).toMatchObject({ ok: true });
    expect(site.employees()).toHaveLength(10);
    expect(site.requestsTo('object/create').filter((r) => isRedirect(r.status)).length).toBeGreaterThan(0);
  });

  it('takes only the path and query of an absolute Location', async () => {
    const { client, site } = await setup({ assetsRedirects: 'off' });
    const target = `https://api.atlassian.com/jsm/assets/workspace/${site.workspaceId}/v1/object/create?redirected=1`;
    site.failNext({ method: 'POST', path: '/object/create', status: 307, headers: { Location: target } });
    expect(await client.createObject(layout, EMPLOYEE, employee('e-abs'))).toMatchObject({ ok: true });
    expect(site.requestsTo('object/create').map(v1)).toEqual(['POST object/create 307', 'POST object/create?redirected=1 201']);
  });

  it('follows the Fetch standard: 303 makes a GET without body, 302 turns a POST into a GET, 301 keeps a PUT and its body', async () => {
    const { client, site } = await setup({ assetsRedirects: 'off' });
    const first = await client.createObject(layout, EMPLOYEE, employee('e-a'));
    if (!first.ok) throw new Error(first.failure.message);
    const mark = site.requests.length;

    site.failNext({ method: 'POST', path: '/object/create', status: 303, headers: { Location: `${first.objectId}` } }); // relative to .../v1/object/create
    expect(await client.createObject(layout, EMPLOYEE, employee('e-b'))).toMatchObject({ ok: true, objectId: first.objectId });
    site.failNext({ method: 'POST', path: '/object/create', status: 302, headers: { Location: `${first.objectId}` } }); // relative to .../v1/object/create
    expect(await client.createObject(layout, EMPLOYEE, employee('e-c'))).toMatchObject({ ok: true, objectId: first.objectId });
    site.failNext({
      method: 'PUT',
      path: `/object/${first.objectId}`,
      status: 301,
      headers: { Location: `${first.objectId}?redirected=1` },
    });
    expect(await client.updateObject(layout, EMPLOYEE, first.objectId, { department: 'Ops' })).toMatchObject({ ok: true });

    const after = site.requests.slice(mark);
    expect(after.map(v1)).toEqual([
      'POST object/create 303',
      `GET object/${first.objectId} 200`,
      'POST object/create 302',
      `GET object/${first.objectId} 200`,
      `PUT object/${first.objectId} 301`,
      `PUT object/${first.objectId}?redirected=1 200`,
    ]);
    expect(after[1]!.body).toBeUndefined();
    expect(after[5]!.body).toEqual(after[4]!.body);
    expect(site.employees().find((e) => e.objectId === first.objectId)?.values.department).toBe('Ops');
  });

  it(`stops a redirect loop after ${MAX_ASSETS_REDIRECTS} hops with a clear error to retry later`, async () => {
    const { client, site } = await setup({ assetsRedirects: 'off' });
    const loop = `/jsm/assets/workspace/${site.workspaceId}/v1/object/create`;
    site.failNext({ method: 'POST', path: '/object/create', status: 307, headers: { Location: loop }, times: 20 });
    const error = await rejection(client.createObject(layout, EMPLOYEE, employee('e-loop')));
    expect(error).toMatchObject({ code: 'ASSETS_REDIRECT_FAILED', retry: 'later' });
    expect((error as AppError).message).toContain(`more than ${MAX_ASSETS_REDIRECTS} times`);
    expect(site.requestsTo('object/create')).toHaveLength(MAX_ASSETS_REDIRECTS + 1);
    expect(site.employees()).toHaveLength(0);
  });

  it('refuses a Location outside the Assets REST API, or none at all', async () => {
    const { client, site } = await setup({ assetsRedirects: 'off' });
    site.failNext({ method: 'POST', path: '/object/aql', status: 307, headers: { Location: 'https://evil.example/rest/api/3/myself' } });
    const away = await rejection(client.searchObjects(layout, EMPLOYEE, 0, 25));
    expect(away).toMatchObject({ code: 'ASSETS_REDIRECT_FAILED', retry: 'permanent' });
    site.failNext({ method: 'POST', path: '/object/aql', status: 308, headers: { Location: '../../../../../rest/api/3/myself' } });
    expect(await rejection(client.searchObjects(layout, EMPLOYEE, 0, 25))).toMatchObject({ code: 'ASSETS_REDIRECT_FAILED' });
    site.failNext({ method: 'POST', path: '/object/aql', status: 307 });
    expect(await rejection(client.searchObjects(layout, EMPLOYEE, 0, 25))).toMatchObject({ code: 'ASSETS_REDIRECT_FAILED' });
    expect(site.requests.filter((r) => !r.path.startsWith('/jsm/assets/') && r.path !== '/rest/servicedeskapi/assets/workspace')).toEqual(
      [],
    );
  });
});
