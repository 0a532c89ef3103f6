/**
 * Issue 11 point 5 through the real write stage and client against the fake site's Assets limits (1,000 requests a
 * minute per endpoint, 10,000 in total, 429s without Retry-After: JSDCLOUD-11605): the adaptive pacer finishes with
 * few 429s, and the rate it learned is kept for the site's next run, which starts from it.
 */
import { readObservations } from '../../src/pipeline/platform-observations';
import { type Harness, startHarness } from '../support/pipeline-harness';

const throttledWrites = (h: Harness, since = 0) =>
  h.sim.jira.requests.slice(since).filter((r) => r.status === 429 && (r.endpoint === 'object/create' || r.endpoint === 'object/update'))
    .length;

describe('adaptive Assets write pacing', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('syncs 1,500 users under the documented 1,000 a minute with few 429s, and records the rate it settled on', async () => {
    h = await startHarness({
      users: 1_500,
      seed: 3,
      simulation: { jira: { rateLimits: { enabled: true }, indexes: true, recordBodies: false } },
    });
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    const writes = h.assetsWrites();
    expect(writes).toBeGreaterThan(1_200);
    const throttled = throttledWrites(h);
    expect(throttled).toBeLessThan(writes * 0.02);
    const learned = (await readObservations(h.store)).assetsWriteRate;
    expect(learned).toBeDefined();
    expect(learned!.perMinute).toBeGreaterThan(600);
    expect(learned!.perMinute).toBeLessThanOrEqual(1_300);
    const answered = h.sim.jira.requests.filter(
      (r) => (r.endpoint === 'object/create' || r.endpoint === 'object/update') && (r.status < 300 || r.status === 400),
    );
    expect(learned!.writes).toBe(answered.length);
    expect(learned!.throttled).toBe(throttled);
  }, 120_000);

  it('counts a followed redirect as a request against the limit: a site that redirects every write still sees few 429s', async () => {
    // Every create answers 307 first, and the hop counts against the same 1,000 a minute (fakes/jira: assetsRedirects).
    h = await startHarness({
      users: 1_500,
      seed: 5,
      simulation: { jira: { rateLimits: { enabled: true }, assetsRedirects: 'all', indexes: true, recordBodies: false } },
    });
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    const writes = h.assetsWrites();
    expect(writes).toBeGreaterThan(1_200);
    expect(throttledWrites(h)).toBeLessThan(writes * 0.02);
    // The learned rate is in requests (a redirected write takes two slots), so it stays near the limit.
    expect((await readObservations(h.store)).assetsWriteRate!.perMinute).toBeGreaterThan(600);
  }, 120_000);

  it('starts the next run from the learned rate: a site that allows 300 writes a minute throttles the second run far less', async () => {
    const limits = { enabled: true, perMinute: { 'object/create': 300, 'object/update': 300 } } as const;
    h = await startHarness({ users: 1_500, seed: 4, simulation: { jira: { rateLimits: limits, indexes: true, recordBodies: false } } });
    const first = await h.run('sync');
    expect(first.run.status).toBe('succeeded');
    const firstThrottled = throttledWrites(h);
    expect(firstThrottled).toBeGreaterThan(0);
    const learned = (await readObservations(h.store)).assetsWriteRate!;
    expect(learned.perMinute).toBeLessThan(400);
    // Counted per write that met them, and once per call the client gave up on (its own retries are not seen).
    expect(learned.throttled).toBeGreaterThan(0);
    expect(learned.throttled).toBeLessThanOrEqual(firstThrottled);

    // Someone empties the object type: the next run creates everything again, starting at the learned rate.
    for (const o of h.sim.jira.employees()) h.sim.jira.deleteObject(o.objectId);
    h.clock.advance(60 * 60_000);
    const mark = h.sim.jira.requests.length;
    const writesBefore = h.assetsWrites();
    const second = await h.run('sync');
    expect(second.run.status).toBe('succeeded');
    const creates = h.sim.jira.requests.slice(mark).filter((r) => r.endpoint === 'object/create' && r.status === 201);
    expect(h.assetsWrites() - writesBefore).toBeGreaterThan(300);
    // The first creates are spaced at the learned rate (or slower), not at the documented-safe start of 900 a minute.
    const gaps = creates.slice(1, 40).map((r, i) => r.time - creates[i]!.time);
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(meanGap).toBeGreaterThanOrEqual((60_000 / learned.perMinute) * 0.8);
    expect(meanGap).toBeGreaterThan((60_000 / 900) * 1.5);
    expect(throttledWrites(h, mark)).toBeLessThan(firstThrottled / 2);
  }, 120_000);
});
