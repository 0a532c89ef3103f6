/**
 * Forge's per-invocation outbound request limit (ECO-491: the 100th request of an invocation is answered 429 with
 * `forge-proxy-error: FETCH_LIMIT_EXCEEDED`) through the real pipeline: the transports are wrapped as
 * src/functions/wiring.ts wraps them (withFetchLimit), and a model of the Forge proxy in front of the simulated
 * site and tenant refuses requests past the limit in each invocation, in both of the forms the app meets in
 * Forge: the global fetch hands back the 429 response, @forge/api's requestJira throws its ProxyRequestError.
 */
import { ProxyRequestError } from '@forge/api';

import { withFetchLimit } from '../../src/adapters/forge-fetch-limit';
import type { HttpRequest, HttpResponse } from '../../src/clients/http';
import { MAX_FETCH_LIMIT_STALLS } from '../../src/pipeline/step-runner';
import { type Harness, startHarness } from '../support/pipeline-harness';

type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** A model of the Forge proxy: counts outbound requests per invocation; the `limit`-th and later are refused. */
function forgeProxy(limit: number, countsJira: boolean) {
  // Set-up (settings, schema) happens outside any invocation; the limit applies from the first delivery on.
  let used = Number.NEGATIVE_INFINITY;
  const refused = { external: 0, jira: 0 };
  const refusal = (): HttpResponse => {
    const headers = new Headers({ 'forge-proxy-error': 'FETCH_LIMIT_EXCEEDED' });
    return { status: 429, headers, text: async () => '' };
  };
  return {
    refused,
    newInvocation: () => {
      used = 0;
    },
    external:
      (inner: Transport): Transport =>
      async (request) => {
        if (++used >= limit) {
          refused.external++;
          return refusal();
        }
        return inner(request);
      },
    jira:
      (inner: Transport): Transport =>
      async (request) => {
        if (countsJira && ++used >= limit) {
          refused.jira++;
          // What @forge/api's requestJira does with a forge-proxy-error header (handleProxyResponseErrors).
          throw new ProxyRequestError(429, 'FETCH_LIMIT_EXCEEDED');
        }
        return inner(request);
      },
  };
}

async function harnessWith(proxy: ReturnType<typeof forgeProxy>, users: number): Promise<Harness> {
  return startHarness({
    users,
    seed: 23,
    wrapExternalFetch: (fetch) => withFetchLimit(proxy.external(fetch), 'external'),
    wrapJiraFetch: (fetch) => withFetchLimit(proxy.jira(fetch), 'jira'),
    observeInvocation: { before: () => proxy.newInvocation() },
  });
}

describe("Forge's per-invocation request limit in a run", () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('a first sync whose writes pass the limit continues in new invocations and ends like an unlimited one, with no retry counted', async () => {
    const proxy = forgeProxy(100, true);
    h = await harnessWith(proxy, 260);
    const { run, stats } = await h.run('sync');
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(proxy.refused.jira).toBeGreaterThan(0);
    // Not throttling: no "retry later", no in-process retry, no waiting.
    expect(run.retries).toEqual({ later: 0, now: 0 });
    expect(stats.retriesLater).toBe(0);
    expect(stats.thrown).toBe(0);
    const continuations = h.logs.filter((l) => l.event === 'step.fetch-limit');
    expect(continuations.length).toBeGreaterThan(0);
    expect(
      continuations.every(
        (l) => l.fields.stage === 'writeAssets' || l.fields.stage === 'assetsSnapshot' || l.fields.stage === 'atlassianUsers',
      ),
    ).toBe(true);
    // Every matched user exactly once, managers linked: the replayed batches made no duplicates.
    expect(h.sim.jira.employees()).toHaveLength(run.counts!.creates);
    expect(run.counts!.creates).toBeGreaterThan(200);
    expect(h.duplicateEntraIds()).toEqual([]);
    expect(run.counts!.writeFailures).toBe(0);
  });

  it('a sync where only external requests count finishes too', async () => {
    const proxy = forgeProxy(100, false);
    h = await harnessWith(proxy, 260);
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(proxy.refused.jira).toBe(0);
    expect(run.retries).toEqual({ later: 0, now: 0 });
    expect(h.duplicateEntraIds()).toEqual([]);
  });

  it('a stage that cannot save anything within one allowance fails with FORGE_FETCH_LIMIT instead of looping', async () => {
    // Every request refused: no stage can reach its first checkpoint.
    const proxy = forgeProxy(1, true);
    h = await harnessWith(proxy, 20);
    const { run, stats } = await h.run('sync');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('FORGE_FETCH_LIMIT');
    expect(run.error?.message).toContain('The entraDirectory step');
    expect(run.error?.message).toContain('made no progress in 3 invocations in a row');
    // The first stage saves the start of its full read before its first request: that invocation made progress,
    // the three after it made none.
    expect(stats.invocations).toBe(1 + MAX_FETCH_LIMIT_STALLS);
    expect(run.retries).toEqual({ later: 0, now: 0 });
  });
});
