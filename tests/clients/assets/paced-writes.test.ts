/**
 * Issue 16, "at most 2% of write requests answered 429": a paced write (the write stage's, AssetsCall.paced) hands a
 * 429 back at once instead of retrying it in-process, so the stage's pacer hears it as it arrives. Other callers
 * keep the in-process retries. Against the fake Jira site's rolling-minute limiter (fakes/jira/rate-limiter.ts:
 * JSDCLOUD-11605, no Retry-After on an Assets 429 by default; `sendRetryAfter: true` the friendly reading).
 */
import type { FakeJiraSiteOptions } from '../../../fakes/jira/fake-jira-site';
import type { AppError } from '../../../src/domain/errors';
import type { ObjectWrite } from '../../../src/domain/object-values';
import type { SchemaLayout } from '../../../src/domain/schema-layout';
import { jiraUser, rejection } from '../jira/support';
import { type AssetsTestBed, coreSchemaBedPerTest, EMPLOYEE, employeeWrite, served } from './assets-support';

const ADA = jiraUser({ accountId: 'acc-ada' });
const employee = (overrides: ObjectWrite = {}): ObjectWrite => employeeWrite(ADA.accountId, overrides);

describe('paced Assets writes (issue 16)', () => {
  const start = coreSchemaBedPerTest([ADA]);
  let layout: SchemaLayout;

  async function setup(options: FakeJiraSiteOptions): Promise<AssetsTestBed> {
    const started = await start(options);
    layout = started.layout;
    return started.bed;
  }

  const limited = (perMinute: number, sendRetryAfter?: boolean): FakeJiraSiteOptions => ({
    rateLimits: {
      enabled: true,
      perMinute: { 'object/create': perMinute, 'object/update': perMinute },
      ...(sendRetryAfter === undefined ? {} : { sendRetryAfter }),
    },
    assetsRedirects: 'off',
  });

  it('a paced create that meets a 429 (no Retry-After, the default) is sent once and throws ASSETS_THROTTLED with throttled 1', async () => {
    const { client, site, clock } = await setup(limited(1));
    const first = await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-1' }), { paced: true });
    expect(first.ok).toBe(true);
    const error = (await rejection(client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-2' }), { paced: true }))) as AppError;
    expect(error).toMatchObject({ code: 'ASSETS_THROTTLED', retry: 'later' });
    expect(error.context).toMatchObject({ throttled: 1, status: 429, endpoint: 'POST object/create' });
    // No Retry-After: the pacer, not a blind backoff, decides when the write goes again.
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(served(site, 'object/create').map((c) => c.status)).toEqual([201, 429]);
    expect(clock.slept).toEqual([]);
  });

  it('a paced create that meets a 429 with Retry-After (the friendly reading) hands the wait back with it', async () => {
    const { client, site } = await setup(limited(1, true));
    await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-1' }), { paced: true });
    const error = (await rejection(client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-2' }), { paced: true }))) as AppError;
    expect(error).toMatchObject({ code: 'ASSETS_THROTTLED', retry: 'later' });
    expect(error.context['throttled']).toBe(1);
    // The fake says when the oldest request leaves the rolling minute: 60 s after the first create.
    expect(error.retryAfterSeconds).toBe(60);
    expect(served(site, 'object/create').map((c) => c.status)).toEqual([201, 429]);
  });

  it('a paced update that meets a 429 is sent once too', async () => {
    const { client, site } = await setup(limited(1));
    const created = await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-1' }));
    if (!created.ok) throw new Error('create failed');
    await client.updateObject(layout, EMPLOYEE, created.objectId, { jobTitle: 'Analyst' }, { paced: true });
    const error = (await rejection(
      client.updateObject(layout, EMPLOYEE, created.objectId, { jobTitle: 'Lead' }, { paced: true }),
    )) as AppError;
    expect(error).toMatchObject({ code: 'ASSETS_THROTTLED', context: { throttled: 1 } });
    expect(served(site, 'object/update').map((c) => c.status)).toEqual([200, 429]);
  });

  it('an unpaced create (single-user sync, schema setup) still retries a 429 in-process', async () => {
    const { client, site, clock } = await setup(limited(1));
    await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-1' }));
    const error = (await rejection(client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-2' })))) as AppError;
    expect(error).toMatchObject({ code: 'ASSETS_THROTTLED', retry: 'later' });
    expect(clock.slept.length).toBeGreaterThan(0);
    const refused = served(site, 'object/create').filter((c) => c.status === 429).length;
    expect(refused).toBe(clock.slept.length + 1);
    expect(error.context['throttled']).toBe(refused);
  });

  it('a paced write still retries a 5xx in-process', async () => {
    const { client, site } = await setup({ assetsRedirects: 'off' });
    site.failNext({ method: 'POST', path: '/object/create', status: 503, times: 1 });
    const result = await client.createObject(layout, EMPLOYEE, employee(), { paced: true });
    expect(result.ok).toBe(true);
    expect(served(site, 'object/create').map((c) => c.status)).toEqual([503, 201]);
  });

  it('a paced write follows Assets redirects as before, and a 429 after the hop is handed back at once', async () => {
    const { client, site } = await setup({ rateLimits: { enabled: true, perMinute: { 'object/create': 2 } } });
    const first = await client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-1' }), { paced: true });
    expect(first).toMatchObject({ ok: true, redirects: 1, throttled: 0 });
    const error = (await rejection(client.createObject(layout, EMPLOYEE, employee({ entraUserId: 'e-2' }), { paced: true }))) as AppError;
    expect(error).toMatchObject({ code: 'ASSETS_THROTTLED', context: { throttled: 1 } });
    expect(site.requests.filter((r) => r.endpoint === 'object/create').map((r) => r.status)).toEqual([307, 201, 429]);
  });
});
