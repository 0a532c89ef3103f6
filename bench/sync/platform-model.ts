/**
 * The Forge platform as the sync benchmark models it (issue 16, "A benchmark that models the platform"), on top of
 * the fakes' own limits (latency, Graph throttling and page sizes, Assets rate limits and redirects):
 *
 * - Forge KVS round trips: every storage operation waits 10-20 ms (uniform, seeded, drawn per operation). No public
 *   source gives a figure for Forge storage latency; 10-20 ms is the assumption. The wait is real time on the
 *   scaled clock (ms / k), because an invocation's other requests may be in flight meanwhile; setTimeout overshoots
 *   by up to a millisecond or so of real time, i.e. up to about k ms of virtual time per operation: the model keeps
 *   both the asked and the measured wait so the report can state that error (it only ever makes figures worse).
 * - Forge queue delivery: 1-5 s between a push and its delivery (uniform, seeded; the assumption, no public
 *   figure). The queue driver jumps the virtual clock to the delivery when nothing else is in flight, so the delay
 *   is exact virtual time, not a real sleep.
 * - Forge's per-invocation outbound request limit (sandbox/fetch-limit.ts: ECO-491, the 100th request of an
 *   invocation is refused with a 429 carrying `forge-proxy-error: FETCH_LIMIT_EXCEEDED`), in both readings of
 *   https://developer.atlassian.com/platform/forge/limits-invocation: the global fetch always counts; requestJira
 *   counts only under `countsJira` (a refused requestJira throws @forge/api's ProxyRequestError, as the real
 *   @forge/api does). The transports are wrapped as src/functions/wiring.ts wraps them (withFetchLimit, with the
 *   egress pacer outside it).
 * - Assets write limits of 600, 1,000 or 2,000 requests a minute per write endpoint (object/create, object/update);
 *   the app is not told which (its pipeline config is the shipped one). 1,000 is the documented figure
 *   (JSDCLOUD-11605, fakes/jira/rate-limiter.ts); 600 and 2,000 bracket it.
 * - Assets' `Updated > now(-Nm)` AQL query (ADR 0008): accepted (`'supported'`) or refused (`'refused'`, the fake's
 *   default). The no-change and churn targets are measured under the accepted reading; the refused reading's cost
 *   is measured and reported next to them.
 * - Time between runs: one day (the sync interval the harness configures), so a resync's "updated since the last
 *   read" window covers the day, as on a real site, not the minutes since the previous scenario.
 */
import { ProxyRequestError } from '@forge/api';

import { createFetchLimiter, type FetchLimiter } from '../../sandbox/fetch-limit';
import type { InvocationContext } from '../../sandbox/invocation-context';
import { withFetchLimit } from '../../src/adapters/forge-fetch-limit';
import type { ExternalFetch, HttpResponse, JiraFetch } from '../../src/clients/http';
import type { KeyValueStore } from '../../src/pipeline/ports';
import { aroundStoreOps } from '../../src/pipeline/store-ops';
import { mulberry32 } from '../../tests/support/queue-driver';

export type AqlUpdatedFilter = 'refused' | 'supported';

export interface PlatformModel {
  /** Every KVS operation waits a uniform [min, max] ms of virtual time. */
  readonly kvsRoundTripMs: readonly [number, number];
  /** Every queue push is delivered a uniform [min, max] ms of virtual time later. */
  readonly queueDelayMs: readonly [number, number];
  /** The site's limit on each Assets write endpoint, requests a minute. */
  readonly assetsWritesPerMinute: number;
  /** Forge's per-invocation request limit; null leaves it out. */
  readonly fetchLimit: { readonly countsJira: boolean } | null;
  readonly aqlUpdatedFilter: AqlUpdatedFilter;
  /** Virtual time between two runs on the same site. */
  readonly betweenRunsMs: number;
  readonly seed: number;
}

export const ASSETS_WRITE_LIMITS: readonly number[] = [600, 1_000, 2_000];

export const DEFAULT_PLATFORM: PlatformModel = {
  kvsRoundTripMs: [10, 20],
  queueDelayMs: [1_000, 5_000],
  assetsWritesPerMinute: 1_000,
  fetchLimit: { countsJira: false },
  aqlUpdatedFilter: 'supported',
  betweenRunsMs: 24 * 3_600_000,
  seed: 16,
};

/** What the model added during a scenario (the report states it next to the figures). */
export interface ModelCost {
  readonly kvsOperations: number;
  /** Sum of the round trips the model drew (virtual ms). */
  readonly kvsAskedMs: number;
  /** Sum of the virtual time those waits really took (asked + timer overshoot). */
  readonly kvsWaitedMs: number;
  readonly queueDeliveries: number;
  readonly fetchLimitRefused: { readonly external: number; readonly jira: number };
}

export interface PlatformRuntime {
  readonly model: PlatformModel;
  readonly limiter: FetchLimiter | null;
  wrapStore(store: KeyValueStore): KeyValueStore;
  wrapExternalFetch(fetch: ExternalFetch): ExternalFetch;
  wrapJiraFetch(fetch: JiraFetch): JiraFetch;
  /** Call at the start and the end of every invocation (the per-invocation request count). */
  beginInvocation(stage: string): void;
  endInvocation(): void;
  /** Totals so far; subtract two readings for one scenario. */
  cost(deliveries: number): ModelCost;
}

/**
 * The model's runtime pieces over a clock that can sleep virtual time (the bench's ScaledClock, or a test's fake).
 */
export function platformRuntime(model: PlatformModel, clock: { now(): number; sleep(ms: number): Promise<void> }): PlatformRuntime {
  const random = mulberry32(model.seed);
  const [kvsMin, kvsMax] = model.kvsRoundTripMs;
  const limiter = model.fetchLimit === null ? null : createFetchLimiter({ countsJira: model.fetchLimit.countsJira });
  let invocation: InvocationContext | undefined;
  let invocations = 0;
  const totals = { kvsOperations: 0, kvsAskedMs: 0, kvsWaitedMs: 0 };

  const roundTrip = async (): Promise<void> => {
    const asked = kvsMin + random() * (kvsMax - kvsMin);
    const before = clock.now();
    totals.kvsOperations++;
    totals.kvsAskedMs += asked;
    await clock.sleep(asked);
    totals.kvsWaitedMs += clock.now() - before;
  };

  const refusal = (): HttpResponse => ({
    status: 429,
    headers: new Headers({ 'forge-proxy-error': 'FETCH_LIMIT_EXCEEDED' }),
    text: async () => '',
  });

  return {
    model,
    limiter,
    wrapStore: (store) => aroundStoreOps(store, async (_op, _key, call) => (await roundTrip(), call())),
    wrapExternalFetch: (fetch) => {
      if (limiter === null) return fetch;
      const proxied: ExternalFetch = async (request) => (limiter.take(invocation, 'external') ? fetch(request) : refusal());
      return withFetchLimit(proxied, 'external');
    },
    wrapJiraFetch: (fetch) => {
      if (limiter === null) return fetch;
      const proxied: JiraFetch = async (request) => {
        // What @forge/api's requestJira does with a forge-proxy-error header (handleProxyResponseErrors).
        if (!limiter.take(invocation, 'jira')) throw new ProxyRequestError(429, 'FETCH_LIMIT_EXCEEDED');
        return fetch(request);
      };
      return withFetchLimit(proxied, 'jira');
    },
    beginInvocation: (stage) => {
      invocations++;
      invocation = {
        invocationId: `bench-${invocations}`,
        functionKey: stage,
        moduleKey: stage,
        chainId: 'bench',
        accountId: undefined,
        startedAt: performance.now(),
        limitMs: 900_000,
        dead: false,
        logs: [],
      };
    },
    endInvocation: () => {
      invocation = undefined;
    },
    cost: (deliveries) => ({
      kvsOperations: totals.kvsOperations,
      kvsAskedMs: Math.round(totals.kvsAskedMs),
      kvsWaitedMs: Math.round(totals.kvsWaitedMs),
      queueDeliveries: deliveries,
      fetchLimitRefused: { external: limiter?.refused.external ?? 0, jira: limiter?.refused.jira ?? 0 },
    }),
  };
}

export function costBetween(before: ModelCost, after: ModelCost): ModelCost {
  return {
    kvsOperations: after.kvsOperations - before.kvsOperations,
    kvsAskedMs: after.kvsAskedMs - before.kvsAskedMs,
    kvsWaitedMs: after.kvsWaitedMs - before.kvsWaitedMs,
    queueDeliveries: after.queueDeliveries - before.queueDeliveries,
    fetchLimitRefused: {
      external: after.fetchLimitRefused.external - before.fetchLimitRefused.external,
      jira: after.fetchLimitRefused.jira - before.fetchLimitRefused.jira,
    },
  };
}

/** The queue driver's delivery options for the model's queue delay: minDelayMs plus a uniform jitter. */
export function queueDelivery(model: PlatformModel): { minDelayMs: number; maxJitterMs: number; seed: number } {
  const [min, max] = model.queueDelayMs;
  return { minDelayMs: min, maxJitterMs: max - min, seed: model.seed };
}
