import type { FakeJiraSiteOptions } from '../../../fakes/jira/fake-jira-site';
import type { RetryPolicy } from '../../../src/clients/retry-policy';
import { CORE_SCHEMA } from '../../../src/domain/attribute-catalogue';
import type { AppError } from '../../../src/domain/errors';
import { type ObjectValues, type ObjectWrite, textOf } from '../../../src/domain/object-values';
import { layoutOfType, type ObjectTypeLayout, type SchemaLayout } from '../../../src/domain/schema-layout';
import { type FakeClock, jiraUser, patientPolicy, rejection, testPolicy } from '../jira/support';
import { type AssetsTestBed, assetsTestBed, EMPLOYEE, employeeWrite, served } from './assets-support';

const ADA = jiraUser({ accountId: 'acc-ada' });
const GRACE = jiraUser({ accountId: 'acc-grace' });

const employee = (overrides: ObjectWrite = {}): ObjectWrite => employeeWrite(ADA.accountId, overrides);

describe('Assets Employee snapshot and writes', () => {
  let bed: AssetsTestBed | undefined;
  let layout: SchemaLayout;
  /** The Employee type's ids in `layout`. */
  let ids: ObjectTypeLayout;

  afterEach(async () => {
    bed?.site.expectNoUnexpected();
    await bed?.site.close();
    bed = undefined;
  });

  async function setup(
    options: FakeJiraSiteOptions = {},
    policyFor: (clock: FakeClock) => RetryPolicy = testPolicy,
  ): Promise<AssetsTestBed> {
    bed = await assetsTestBed({ users: [ADA, GRACE], ...options }, policyFor);
    layout = (await bed.client.ensureSchema(CORE_SCHEMA)).layout;
    ids = layoutOfType(layout, EMPLOYEE, { complete: true });
    return bed;
  }

  function created(result: Awaited<ReturnType<AssetsTestBed['client']['createObject']>>): { objectId: string; objectKey: string } {
    if (!result.ok) throw new Error(`create failed: ${result.failure.message}`);
    return result;
  }

  describe('create and update', () => {
    it('round-trips every encoding through decode (text, Boolean, User, reference)', async () => {
      const { client, site } = await setup();
      const manager = created(
        await client.createObject(
          layout,
          EMPLOYEE,
          employee({ fullName: 'Grace Hopper', entraUserId: 'e-grace', jiraUser: GRACE.accountId, active: false }),
        ),
      );
      expect(manager.objectKey).toMatch(/^ENTRA-\d+$/);
      const report = created(
        await client.createObject(layout, EMPLOYEE, employee({ manager: manager.objectId, managerAtlassianAccountId: GRACE.accountId })),
      );

      const page = await client.searchObjects(layout, EMPLOYEE, 0, 50);
      expect(page.isLast).toBe(true);
      const byId = new Map(page.objects.map((o) => [o.objectId, o]));
      const expected: ObjectValues = employee({ manager: manager.objectId, managerAtlassianAccountId: GRACE.accountId });
      expect(byId.get(report.objectId)).toEqual({ objectId: report.objectId, objectKey: report.objectKey, values: expected });
      expect(byId.get(manager.objectId)?.values).toMatchObject({ active: false, jiraUser: GRACE.accountId, manager: null });
      expect(site.employees().find((e) => e.objectId === report.objectId)?.values).toEqual(expected);

      const createBody = served(site, 'object/create')[1]?.body as { objectTypeId: string; attributes: unknown[] };
      expect(createBody.objectTypeId).toBe(ids.objectTypeId);
      expect(createBody.attributes).toContainEqual({
        objectTypeAttributeId: ids.attributeIds.active,
        objectAttributeValues: [{ value: 'true' }],
      });
      expect(createBody.attributes).toContainEqual({
        objectTypeAttributeId: ids.attributeIds.manager,
        objectAttributeValues: [{ value: manager.objectId }],
      });
      // null on create is simply not sent: the manager's create carries 8 of the 10 attributes
      expect((served(site, 'object/create')[0]?.body as { attributes: unknown[] }).attributes).toHaveLength(8);
    });

    it('updates only the attributes given, and null clears one', async () => {
      const { client, site } = await setup();
      const { objectId } = created(await client.createObject(layout, EMPLOYEE, employee()));
      const result = await client.updateObject(layout, EMPLOYEE, objectId, {
        jobTitle: 'Principal Engineer',
        department: null,
        active: false,
      });
      expect(result).toMatchObject({ ok: true, objectId });
      const body = served(site, 'object/update')[0]?.body as { attributes: unknown[] };
      expect(body.attributes).toEqual([
        { objectTypeAttributeId: ids.attributeIds.jobTitle, objectAttributeValues: [{ value: 'Principal Engineer' }] },
        { objectTypeAttributeId: ids.attributeIds.department, objectAttributeValues: [] },
        { objectTypeAttributeId: ids.attributeIds.active, objectAttributeValues: [{ value: 'false' }] },
      ]);
      const [found] = await client.findObjectsByAnchor(layout, EMPLOYEE, [textOf(employee().entraUserId) ?? '']);
      expect(found?.values).toEqual(employee({ jobTitle: 'Principal Engineer', department: null, active: false }));
    });

    it('maps per-attribute validation errors back to the attribute, without quoting the value', async () => {
      const { client } = await setup();
      created(await client.createObject(layout, EMPLOYEE, employee()));
      const longName = 'L'.repeat(300);
      const tooLong = await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-2', fullName: longName }));
      expect(tooLong).toEqual({
        ok: false,
        failure: {
          code: 'value-too-long',
          attribute: 'fullName',
          message: 'Assets rejected the value of "Full Name": it is longer than 255 characters.',
        },
        throttled: 0,
        redirects: 0,
      });
      const duplicate = await client.createObject(layout, EMPLOYEE, employee({ email: 'other@example.com' }));
      expect(duplicate).toMatchObject({ ok: false, failure: { code: 'duplicate-value', attribute: 'entraUserId' } });
      const unknownUser = await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-3', jiraUser: 'acc-nobody' }));
      expect(unknownUser).toMatchObject({ ok: false, failure: { code: 'unknown-user', attribute: 'jiraUser' } });
      for (const result of [duplicate, unknownUser]) {
        expect(JSON.stringify(result)).not.toContain('ada@example.com');
        expect(JSON.stringify(result)).not.toContain('acc-nobody');
      }
    });

    it('reports an update of a deleted object as a per-object failure', async () => {
      const { client, site } = await setup();
      const { objectId } = created(await client.createObject(layout, EMPLOYEE, employee()));
      site.deleteObject(objectId);
      expect(await client.updateObject(layout, EMPLOYEE, objectId, { jobTitle: 'x' })).toMatchObject({
        ok: false,
        failure: { code: 'object-not-found', attribute: null },
      });
    });
  });

  describe('snapshot', () => {
    it('pages through 1,000 objects with paging in the query string until isLast', async () => {
      const { client, site } = await setup({ aqlMaxResults: 1000 });
      for (let i = 0; i < 1000; i++)
        site.addObject({ attributes: { 'Full Name': `Person ${i}`, 'Entra User ID': `e-${i}`, Active: 'true' } });
      const seen = new Set<string>();
      let startAt: number | null = 0;
      let pages = 0;
      while (startAt !== null) {
        const page: Awaited<ReturnType<typeof client.searchObjects>> = await client.searchObjects(layout, EMPLOYEE, startAt, 250);
        page.objects.forEach((o) => seen.add(textOf(o.values.entraUserId) ?? ''));
        startAt = page.nextStartAt;
        pages += 1;
        if (page.isLast) expect(page.nextStartAt).toBeNull();
      }
      expect(seen.size).toBe(1000);
      expect(pages).toBe(4);
      const calls = served(site, 'object/aql');
      expect(calls.map((c) => c.query)).toEqual([0, 250, 500, 750].map((s) => `startAt=${s}&maxResults=250&includeAttributes=true`));
      expect(calls[0]?.body).toEqual({ qlQuery: `objectTypeId = ${ids.objectTypeId}` });
    });

    it('trusts the page size Assets echoes when it serves less than asked', async () => {
      const { client, site } = await setup({ aqlMaxResults: 100 });
      for (let i = 0; i < 230; i++) site.addObject({ attributes: { 'Entra User ID': `e-${i}` } });
      const first = await client.searchObjects(layout, EMPLOYEE, 0, 500);
      expect(first).toMatchObject({ isLast: false, nextStartAt: 100 });
      expect(first.objects).toHaveLength(100);
      const second = await client.searchObjects(layout, EMPLOYEE, 100, 500);
      const third = await client.searchObjects(layout, EMPLOYEE, second.nextStartAt ?? -1, 500);
      expect(third).toMatchObject({ isLast: true, nextStartAt: null });
      expect(third.objects).toHaveLength(30);
    });

    it('finds objects by Entra User ID in one AQL query, escaping quotes and backslashes', async () => {
      const { client, site } = await setup();
      const tricky = 'odd"id\\with quotes';
      const made = site.addObject({ attributes: { 'Entra User ID': tricky } });
      site.addObject({ attributes: { 'Entra User ID': 'plain' } });
      site.addObject({ attributes: { 'Entra User ID': 'other' } });
      const found = await client.findObjectsByAnchor(layout, EMPLOYEE, [tricky, 'plain', 'missing', 'plain']);
      expect(found.map((o) => o.values.entraUserId).sort()).toEqual([tricky, 'plain'].sort());
      expect(found.find((o) => o.values.entraUserId === tricky)?.objectId).toBe(made.objectId);
      const calls = served(site, 'object/aql');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.body).toEqual({
        qlQuery: `objectTypeId = ${ids.objectTypeId} AND "Entra User ID" IN ("odd\\"id\\\\with quotes", "plain", "missing")`,
      });
      expect(await client.findObjectsByAnchor(layout, EMPLOYEE, [])).toEqual([]);
      expect(served(site, 'object/aql')).toHaveLength(1);
    });

    it('decodes hand-edited objects and tolerates missing values', async () => {
      const { client, site } = await setup();
      const { objectId } = site.addObject({ attributes: { 'Entra User ID': 'e-1', Active: 'true', 'Jira User': ADA.accountId } });
      site.editObject(objectId, 'Active', null);
      const [object] = (await client.searchObjects(layout, EMPLOYEE, 0, 10)).objects;
      expect(object?.values).toMatchObject({ entraUserId: 'e-1', active: null, jiraUser: ADA.accountId, fullName: null });
    });

    it('reads a malformed AQL page as RESPONSE_MALFORMED', async () => {
      const { client, site } = await setup();
      site.failNext({ path: '/object/aql', status: 200, body: { values: [{ id: '1' }] } });
      expect(await rejection(client.searchObjects(layout, EMPLOYEE, 0, 10))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
      site.failNext({ path: '/object/create', status: 201, body: '<html>' });
      expect(await rejection(client.createObject(layout, EMPLOYEE, employee()))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
    });
  });

  describe('throttling and failures', () => {
    it('waits out a 429 Retry-After: no request to the endpoint before it (recorded times)', async () => {
      const { client, site } = await setup(
        { rateLimits: { enabled: true, perMinute: { 'object/create': 2 }, sendRetryAfter: true }, assetsRedirects: 'off' }, // a redirect takes a slot too
        (clock) => patientPolicy(clock),
      );
      for (let i = 0; i < 3; i++) created(await client.createObject(layout, EMPLOYEE, employee({ entraUserId: `e-${i}` })));
      const calls = served(site, 'object/create');
      expect(calls.map((c) => c.status)).toEqual([201, 201, 429, 201]);
      const throttled = calls[2]!;
      const after = calls.slice(3);
      expect(after.every((c) => c.time >= throttled.time + 60_000)).toBe(true);
    });

    it('backs off exponentially with jitter when a 429 has no Retry-After', async () => {
      const { client, site, clock } = await setup(
        { rateLimits: { enabled: true, perMinute: { 'object/create': 1 }, sendRetryAfter: false }, assetsRedirects: 'off' },
        (c) => patientPolicy(c, { baseBackoffMs: 20_000, maxBackoffMs: 120_000, maxAttempts: 5 }),
      );
      created(await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-1' })));
      created(await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-2' })));
      const calls = served(site, 'object/create');
      expect(calls.map((c) => c.status)).toEqual([201, 429, 429, 429, 201]);
      expect(clock.slept).toEqual([15_000, 30_000, 60_000]);
      const gaps = calls.slice(1).map((c, i) => c.time - calls[i]!.time);
      expect(gaps.slice(1)).toEqual([15_000, 30_000, 60_000]);
    });

    it('hands persistent throttling back as ASSETS_THROTTLED retry later', async () => {
      const { client, site, clock } = await setup({
        rateLimits: { enabled: true, perMinute: { 'object/aql': 1 }, sendRetryAfter: false },
        assetsRedirects: 'off',
      });
      await client.searchObjects(layout, EMPLOYEE, 0, 10);
      const error = await rejection(client.searchObjects(layout, EMPLOYEE, 0, 10));
      expect(error).toMatchObject({ code: 'ASSETS_THROTTLED', retry: 'later' });
      expect((error as AppError).retryAfterSeconds).toBeGreaterThan(0);
      expect(clock.slept.length).toBeGreaterThan(0);
      expect(served(site, 'object/aql').filter((c) => c.status === 429).length).toBe(clock.slept.length + 1);
      // Issue 16: the 429s the call met travel with it, so the write stage's pacer counts them (a count only).
      expect((error as AppError).context['throttled']).toBe(clock.slept.length + 1);
    });

    it('retries a 5xx in-process and defers a persistent one', async () => {
      const { client, site } = await setup();
      site.failNext({ method: 'POST', path: '/object/create', status: 503, times: 1 });
      created(await client.createObject(layout, EMPLOYEE, employee()));
      site.failNext({ method: 'PUT', path: '/object/', status: 500, times: 10 });
      const error = await rejection(client.updateObject(layout, EMPLOYEE, '1', { jobTitle: 'x' }));
      expect(error).toMatchObject({ code: 'ASSETS_REQUEST_FAILED', retry: 'later' });
    });

    it('maps 401/403 on writes to ASSETS_UNAUTHORIZED naming the scopes and the Assets roles, and a redirect off the API to a clear error', async () => {
      const { client, site } = await setup();
      for (const status of [401, 403]) {
        site.failNext({ path: '/object/create', status, body: { errorMessages: ['Forbidden'] } });
        const auth = await rejection(client.createObject(layout, EMPLOYEE, employee()));
        expect(auth).toMatchObject({ code: 'ASSETS_UNAUTHORIZED', retry: 'permanent' });
        const message = (auth as AppError).message;
        expect(message).toContain('write:cmdb-object:jira');
        expect(message).toContain('Schema configuration -> Roles');
        expect(message).toContain('"Object schema managers"');
        expect(message).toContain('"Object schema developers"');
        expect(message).not.toContain('ada@example.com');
      }
      site.failNext({ path: '/object/create', status: 303, headers: { Location: '/login' } });
      const redirect = await rejection(client.createObject(layout, EMPLOYEE, employee()));
      expect(redirect).toMatchObject({ code: 'ASSETS_REDIRECT_FAILED', retry: 'permanent' });
      expect((redirect as AppError).message).toContain('redirect (HTTP 303)');
    });

    it('says the object type is gone when a create answers 404', async () => {
      const { client, site } = await setup();
      site.failNext({ path: '/object/create', status: 404, body: { errorMessages: ['Object type not found'] } });
      expect(await rejection(client.createObject(layout, EMPLOYEE, employee()))).toMatchObject({ code: 'ASSETS_SCHEMA_MISSING' });
    });
  });
});
