/**
 * Forge's delivery rules as the emulator applies them, without the app: at least once, InvocationError retries
 * after retryAfter with a retryContext, thrown errors and overruns retried with backoff, 24-hour retention,
 * in-flight events redelivered after a restart, seeded duplicates, and a stopped invocation's late calls refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EmulatedClock } from '../../sandbox/clock';
import { backoffMs, Delivery, RETENTION_MS } from '../../sandbox/delivery';
import { createForgeFetch } from '../../sandbox/forge-fetch';
import type { InvocationContext } from '../../sandbox/invocation-context';
import { type InvocationOutcome, type InvocationRequest, Invoker } from '../../sandbox/invoker';
import { createKvsApi } from '../../sandbox/kvs-api';
import { FileKeyValueStore } from '../../sandbox/kvs-store';
import type { Manifest } from '../../sandbox/manifest';
import { createQueueApi, type DeliveryFaults, PUBLISH_PATH } from '../../sandbox/queue-api';
import { FileQueueStore } from '../../sandbox/queue-store';
import { installRuntime } from '../../sandbox/runtime-globals';
import { mulberry32 } from '../support/queue-driver';

const T0 = Date.parse('2026-03-02T09:00:00Z');

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    appId: 'ari:cloud:ecosystem::app/test',
    functions: new Map([
      [
        'consume',
        { key: 'consume', modulePath: join(__dirname, 'fixtures', 'test-handlers'), exportName: 'slowWriter', timeoutSeconds: 300 },
      ],
      ['quick', { key: 'quick', modulePath: join(__dirname, 'fixtures', 'test-handlers'), exportName: 'quickWriter', timeoutSeconds: 300 }],
    ]),
    consumers: new Map([
      ['work', { moduleKey: 'work-consumer', functionKey: 'consume' }],
      ['quick', { moduleKey: 'quick-consumer', functionKey: 'quick' }],
    ]),
    triggers: new Map(),
    adminPage: null,
    actions: new Map(),
    scopes: new Set(['storage:app']),
    egress: [],
    ...overrides,
  };
}

type Reply = (request: InvocationRequest, n: number) => 'ok' | 'throw' | 'timeout' | { retryAfter: number; retryData?: unknown };

function fakeInvoker(reply: Reply) {
  const seen: InvocationRequest[] = [];
  return {
    seen,
    invoke: async (request: InvocationRequest): Promise<InvocationOutcome> => {
      seen.push(request);
      const context = { functionKey: request.functionKey } as InvocationContext;
      const r = reply(request, seen.length);
      if (r === 'ok') return { kind: 'returned', value: undefined, context };
      if (r === 'throw') return { kind: 'threw', error: new Error('boom'), context };
      if (r === 'timeout') return { kind: 'timed-out', context };
      return {
        kind: 'returned',
        value: { _retry: true, retryOptions: { retryAfter: r.retryAfter, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: r.retryData } },
        context,
      };
    },
  };
}

describe('delivery', () => {
  let dir: string;
  let real: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'delivery-'));
    real = T0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function setUp(reply: Reply, options: { faults?: DeliveryFaults; fastForward?: boolean; timeFactor?: number } = {}) {
    const clock = new EmulatedClock(dir, () => real);
    const store = new FileQueueStore(join(dir, 'queues'));
    const invoker = fakeInvoker(reply);
    const random = mulberry32(7);
    const publish = createQueueApi({
      store,
      now: clock.now,
      consumerTimeout: () => 300,
      random,
      faults: options.faults ?? {},
      log: () => undefined,
    });
    const delivery = new Delivery({
      store,
      invoker,
      manifest: manifest(),
      clock,
      cloudId: 'cloud',
      timeFactor: options.timeFactor ?? 1,
      fastForward: options.fastForward ?? true,
      reorder: options.faults?.reorder ?? false,
      random,
      log: () => undefined,
    });
    const push = (body: Record<string, unknown>, delayInSeconds?: number) =>
      publish(
        PUBLISH_PATH,
        {
          queueName: 'work',
          jobId: 'j',
          type: 'avi:forge:app:event',
          schema: 'ari:cloud:ecosystem::forge/app-event-2',
          payload: [{ body, ...(delayInSeconds ? { delayInSeconds } : {}) }],
          time: '',
        },
        'chain-a',
      );
    return { clock, store, invoker, delivery, push };
  }

  it('redelivers an InvocationError after retryAfter with its retryContext, on the emulated clock', async () => {
    const h = setUp((_r, n) => (n === 1 ? { retryAfter: 120, retryData: { page: 2 } } : 'ok'));
    expect(h.push({ step: 1 }).status).toBe(201);
    const stats = await h.delivery.drain();
    expect(stats).toMatchObject({ invocations: 2, retriesRequested: 1, succeeded: 1, fastForwardedMs: 120_000 });
    const [first, second] = h.invoker.seen.map((r) => r.args[0] as { eventId: string; retryContext?: unknown; body: unknown });
    expect(first?.retryContext).toBeUndefined();
    expect(second).toMatchObject({
      eventId: first?.eventId,
      body: { step: 1 },
      retryContext: { retryCount: 1, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { page: 2 } },
    });
    expect(h.invoker.seen[1]?.chainId).toBe('chain-a');
    expect(h.store.size()).toBe(0);
  });

  it('retries thrown errors and overruns with growing backoff until the event succeeds', async () => {
    const h = setUp((_r, n) => (n === 1 ? 'throw' : n === 2 ? 'timeout' : n === 3 ? 'throw' : 'ok'));
    h.push({});
    const stats = await h.delivery.drain();
    expect(stats).toMatchObject({ invocations: 4, failed: 2, timedOut: 1, succeeded: 1 });
    expect(stats.fastForwardedMs).toBe(backoffMs(1) + backoffMs(2) + backoffMs(3));
    const reasons = h.invoker.seen.map((r) => (r.args[0] as { retryContext?: { retryReason: string } }).retryContext?.retryReason);
    expect(reasons).toEqual([undefined, 'FUNCTION_PLATFORM_UNKNOWN_ERROR', 'FUNCTION_TIME_OUT', 'FUNCTION_PLATFORM_UNKNOWN_ERROR']);
  });

  it('drops an event that keeps failing once it is 24 hours old', async () => {
    const h = setUp(() => 'throw');
    h.push({});
    const stats = await h.delivery.drain();
    expect(stats.dropped).toBe(1);
    expect(h.clock.now() - T0).toBeGreaterThan(RETENTION_MS);
    expect(h.store.size()).toBe(0);
  });

  it('honours delayInSeconds and, without fast-forward, waits in real time scaled by the time factor', async () => {
    const h = setUp(() => 'ok', { fastForward: false, timeFactor: 0.001 });
    h.push({}, 900);
    const started = performance.now();
    const stats = await h.delivery.drain();
    expect(stats.invocations).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(800);
    expect(h.clock.now() - T0).toBeGreaterThanOrEqual(900_000);
  });

  it('delivers an event that was in flight when the process died again, as a retry', async () => {
    const first = setUp(() => 'ok');
    first.push({ n: 1 });
    const [event] = first.store.pending();
    first.store.save({ ...event!, inFlightSince: first.clock.now() });

    const again = setUp(() => 'ok');
    expect(again.store.interrupted).toHaveLength(1);
    await again.delivery.drain();
    expect(again.invoker.seen).toHaveLength(1);
    expect(again.invoker.seen[0]?.args[0]).toMatchObject({
      body: { n: 1 },
      retryContext: { retryCount: 1, retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR' },
    });
  });

  it('duplicates every event with duplicateRate 1 (same eventId) and stops early when until() says so', async () => {
    const h = setUp(() => 'ok', { faults: { duplicateRate: 1, reorder: true, maxDelayMs: 5_000 } });
    for (let i = 0; i < 3; i++) h.push({ i });
    expect(h.store.size()).toBe(6);
    await h.delivery.drain({ until: async () => h.invoker.seen.length >= 4 });
    expect(h.invoker.seen).toHaveLength(4);
    await h.delivery.drain();
    const ids = h.invoker.seen.map((r) => (r.args[0] as { eventId: string }).eventId);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('invoker', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'invoker-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops an invocation at its (scaled) limit and refuses the platform calls it makes afterwards', async () => {
    const app = new FileKeyValueStore(join(dir, 'kvs'), Date.now);
    const uninstall = installRuntime({
      identity: { appId: 'a', environmentId: 'e', installationId: 'i', cloudId: 'c', scopes: ['storage:app'], egress: [] },
      forgeFetch: createForgeFetch({
        kvs: createKvsApi(app, new FileKeyValueStore(join(dir, 'secret'), Date.now)),
        publish: () => ({ status: 500 }),
        requestJira: async () => new Response(null, { status: 500 }),
        scopes: new Set(['storage:app']),
      }),
      egressFetch: fetch,
      now: Date.now,
      onLog: () => undefined,
    });
    try {
      // 300 s x 0.001 = 300 ms.
      const invoker = new Invoker(manifest(), 0.001);
      invoker.loadHandlers();
      const slow = await invoker.invoke({
        functionKey: 'consume',
        moduleKey: 'work-consumer',
        args: [{ body: { waitMs: 600, key: 'late' } }],
      });
      expect(slow.kind).toBe('timed-out');
      const quick = await invoker.invoke({ functionKey: 'quick', moduleKey: 'quick-consumer', args: [{ body: { key: 'on-time' } }] });
      expect(quick.kind).toBe('returned');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(app.keys()).toEqual(['on-time']);
    } finally {
      uninstall();
    }
  });
});
