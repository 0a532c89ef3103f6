/**
 * Issue 16, "If Forge counts requestJira calls towards the per-invocation outbound request limit": the first sync's
 * writes through the real pipeline (step runner, write stage, Assets client over HTTP to the fake site) when every
 * invocation may send at most 99 requests (ECO-491: the 100th is refused with forge-proxy-error FETCH_LIMIT_EXCEEDED;
 * sandbox/fetch-limit.ts models both readings, `--fetch-limit-counts-jira`), next to the reading where requestJira is
 * not counted, against sites whose write limit is 600, 1,000 and 2,000 requests a minute. Each push waits 1-5 s
 * before its delivery (issue 16's platform model). Figures: the write stage's span (first to last Assets write
 * request) against the floor the site's limit sets (the write requests it let through, redirect hops included,
 * at its limit), printed for docs/performance.md ("Write pacing"). The harness does not model KVS round trips,
 * and its sleeps advance one shared clock in turn, so the figures are a measurement of the method, not a benchmark.
 */
import { ProxyRequestError } from '@forge/api';

import { withFetchLimit } from '../../src/adapters/forge-fetch-limit';
import type { HttpRequest, HttpResponse } from '../../src/clients/http';
import { defaultRetryPolicy } from '../../src/clients/retry-policy';
import { defaultPipelineConfig } from '../../src/pipeline/deps';
import { type Harness, startHarness } from '../support/pipeline-harness';

type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** The Forge proxy as tests/pipeline/fetch-limit.test.ts models it: the 100th request of an invocation is refused. */
function forgeProxy(limit: number, countsJira: boolean) {
  let used = Number.NEGATIVE_INFINITY;
  let refused = 0;
  return {
    refused: () => refused,
    newInvocation: () => {
      used = 0;
    },
    jira:
      (inner: Transport): Transport =>
      async (request) => {
        if (countsJira && ++used >= limit) {
          refused++;
          throw new ProxyRequestError(429, 'FETCH_LIMIT_EXCEEDED');
        }
        return inner(request);
      },
  };
}

interface Figures {
  readonly reading: string;
  readonly limit: number;
  readonly accepted: number;
  readonly throttled: number;
  readonly spanS: number;
  readonly floorS: number;
  readonly invocations: number;
  readonly refused: number;
}

const figures: Figures[] = [];
afterAll(() => {
  for (const f of figures)
    process.stdout.write(
      `${f.reading}, limit ${f.limit}: ${f.accepted} write requests in ${f.spanS.toFixed(1)} s = ${(f.spanS / f.floorS).toFixed(3)}x floor ` +
        `${f.floorS.toFixed(1)} s; 429s ${f.throttled} (${((100 * f.throttled) / (f.accepted + f.throttled)).toFixed(2)}%); ` +
        `write invocations ${f.invocations}; refused by the invocation limit ${f.refused}\n`,
    );
});

const isWrite = (r: { method: string; path: string }) =>
  (r.method === 'POST' && /\/object\/create$/.test(r.path)) || (r.method === 'PUT' && /\/object\/\d+$/.test(r.path));

async function firstSync(limit: number, countsJira: boolean): Promise<Figures> {
  const proxy = forgeProxy(100, countsJira);
  const h: Harness = await startHarness({
    users: 1_500,
    seed: 16,
    simulation: {
      jira: {
        rateLimits: { enabled: true, perMinute: { 'object/create': limit, 'object/update': limit } },
        indexes: true,
        recordBodies: false,
      },
    },
    delivery: { minDelayMs: 1_000, maxJitterMs: 4_000, seed: 16 },
    wrapJiraFetch: (fetch) => withFetchLimit(proxy.jira(fetch), 'jira'),
    observeInvocation: { before: () => proxy.newInvocation() },
  });
  try {
    const { run, stats } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(run.retries).toEqual({ later: 0, now: 0 });
    const writes = h.sim.jira.requests.filter((r) => isWrite(r) || (r.endpoint === 'object/create' && r.status >= 300 && r.status < 400));
    const accepted = writes.filter((r) => r.status !== 429);
    const throttled = writes.length - accepted.length;
    const spanS = (writes[writes.length - 1]!.time - writes[0]!.time) / 1000;
    return {
      reading: countsJira ? 'requestJira counts' : 'requestJira not counted',
      limit,
      accepted: accepted.length,
      throttled,
      spanS,
      floorS: (accepted.length * 60) / limit,
      invocations: stats.invocationLog.filter((i) => i.stage === 'writeAssets').length,
      refused: proxy.refused(),
    };
  } finally {
    await h.close();
  }
}

describe('first sync writes under both readings of the per-invocation request limit (issue 16)', () => {
  it.each([
    [600, false],
    [1_000, false],
    [2_000, false],
    [600, true],
    [1_000, true],
    [2_000, true],
  ])(
    'site limit %i a minute, requestJira counted: %s',
    async (limit, countsJira) => {
      const f = await firstSync(limit, countsJira);
      figures.push(f);
      // Learning the limit costs 429s once (the writes in flight when the window fills, each retried by the client),
      // bounded by the writes in flight times the client's attempts, plus the probe: not a sawtooth through the run.
      expect(f.throttled).toBeLessThanOrEqual(defaultPipelineConfig.writeConcurrency * defaultRetryPolicy.maxAttempts + 8);
      if (countsJira) {
        // Every write invocation ends at Forge's limit and the next goes on: at most 99 requests each.
        expect(f.refused).toBeGreaterThan(0);
        expect(f.invocations).toBeGreaterThanOrEqual(Math.ceil((f.accepted + f.throttled) / 99));
      } else {
        expect(f.refused).toBe(0);
      }
    },
    180_000,
  );
});
