/**
 * The emulator relies on shapes the @forge SDKs do not publish as a contract: how they call __forge_fetch__ (the
 * descriptor, the path, the JSON body), how they read its answers, what a consumer's InvocationError looks like,
 * how a resolver handler is called and what getAppContext reads. This test drives the pinned SDKs against a
 * recording __forge_fetch__ and fails loudly when an upgrade changes any of them; the second half runs the SDKs
 * against the emulator's own KVS and queue endpoints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type * as ApiModule from '@forge/api';
import type * as EventsModule from '@forge/events';
import type * as KvsModule from '@forge/kvs';
import type * as ResolverExports from '@forge/resolver';

import { createForgeFetch, type ForgeFetch, type ForgeFetchInit } from '../../sandbox/forge-fetch';
import { type InvocationContext, runInInvocation } from '../../sandbox/invocation-context';
import { createKvsApi } from '../../sandbox/kvs-api';
import { FileKeyValueStore } from '../../sandbox/kvs-store';
import { createQueueApi, PUBLISH_PATH } from '../../sandbox/queue-api';
import { FileQueueStore } from '../../sandbox/queue-store';
import { installRuntime } from '../../sandbox/runtime-globals';

interface Call {
  descriptor: unknown;
  path: string;
  init: ForgeFetchInit;
  body: unknown;
}

const calls: Call[] = [];
let answer: (call: Call) => Response = () => new Response(null, { status: 204 });
let target: ForgeFetch = async (descriptor, path, init = {}) => {
  const call = { descriptor, path, init, body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : init.body };
  calls.push(call);
  return answer(call);
};
let uninstall: () => void;

// The SDKs are loaded only after the runtime globals exist, as the emulator does.
type Kvs = typeof KvsModule;
type Events = typeof EventsModule;
type Api = typeof ApiModule;
type ResolverModule = typeof ResolverExports;
let kvsModule: Kvs;
let events: Events;
let api: Api;
let Resolver: ResolverModule['default'];

function invocation(overrides: Partial<InvocationContext> = {}): InvocationContext {
  return {
    invocationId: 'inv-1',
    functionKey: 'stage-plan',
    moduleKey: 'plan-consumer',
    chainId: 'chain-1',
    accountId: undefined,
    startedAt: performance.now(),
    limitMs: 300_000,
    dead: false,
    logs: [],
    ...overrides,
  };
}

beforeAll(async () => {
  uninstall = installRuntime({
    identity: {
      appId: 'ari:cloud:ecosystem::app/0000',
      environmentId: 'env-1',
      installationId: 'inst-1',
      cloudId: 'cloud-1',
      scopes: ['storage:app'],
      egress: [],
    },
    forgeFetch: (descriptor, path, init) => target(descriptor, path, init),
    egressFetch: fetch,
    now: Date.now,
    onLog: () => undefined,
  });
  kvsModule = await import('@forge/kvs');
  events = await import('@forge/events');
  api = await import('@forge/api');
  Resolver = (await import('@forge/resolver')).default;
});

afterAll(() => uninstall());

beforeEach(() => {
  calls.length = 0;
  answer = () => new Response(null, { status: 204 });
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('@forge/kvs 1.6.5 wire shapes', () => {
  it('sends every KVS call as a POST of JSON to /api/v1/<op> with the kvs descriptor', async () => {
    await kvsModule.kvs.set('run:1', { a: 1 }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 5, unit: 'SECONDS' } });
    expect(calls).toEqual([
      {
        descriptor: { type: 'kvs', provider: 'app', remote: 'kvs' },
        path: '/api/v1/set',
        init: expect.objectContaining({ method: 'POST' }),
        body: { key: 'run:1', value: { a: 1 }, options: { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 5, unit: 'SECONDS' } } },
      },
    ]);
  });

  it('reads a value from {key, value} and a missing key from a KEY_NOT_FOUND error body', async () => {
    answer = () => json(200, { key: 'k', value: 'v' });
    await expect(kvsModule.kvs.get('k')).resolves.toBe('v');
    answer = () => json(404, { code: 'KEY_NOT_FOUND', message: 'nope' });
    await expect(kvsModule.kvs.get('k')).resolves.toBeUndefined();
    expect(calls.map((c) => [c.path, c.body])).toEqual([
      ['/api/v1/get', { key: 'k' }],
      ['/api/v1/get', { key: 'k' }],
    ]);
  });

  it('turns any other {code, message} error body into ForgeKvsAPIError with that code', async () => {
    answer = () => json(409, { code: 'KEY_ALREADY_EXISTS', message: 'exists' });
    await expect(kvsModule.kvs.set('k', 1, { keyPolicy: 'FAIL_IF_EXISTS' })).rejects.toMatchObject({
      name: 'ForgeKvsError',
      code: 'KEY_ALREADY_EXISTS',
    });
  });

  it('returns the previous value for returnValue PREVIOUS, and undefined for an empty answer', async () => {
    answer = () => json(200, { key: 'k', value: 'old' });
    await expect(kvsModule.kvs.set('k', 'new', { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' })).resolves.toEqual({
      key: 'k',
      value: 'old',
    });
    answer = () => new Response(null, { status: 204 });
    await expect(kvsModule.kvs.set('k', 'new', { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' })).resolves.toBeUndefined();
  });

  it('queries with {limit, after, where: [BEGINS_WITH]} and reads {data, cursor}', async () => {
    answer = () => json(200, { data: [{ key: 'p:1', value: 1 }], cursor: 'c2' });
    const page = await kvsModule.kvs.query().where('key', kvsModule.WhereConditions.beginsWith('p:')).limit(5).cursor('c1').getMany();
    expect(page).toEqual({ results: [{ key: 'p:1', value: 1 }], nextCursor: 'c2' });
    expect(calls[0]).toMatchObject({
      path: '/api/v1/query',
      body: { limit: 5, after: 'c1', where: [{ property: 'key', condition: 'BEGINS_WITH', values: ['p:'] }] },
    });
  });

  it('keeps secrets on their own paths', async () => {
    await kvsModule.kvs.setSecret('entra:client-secret', 's3cr3t');
    answer = () => json(200, { key: 'entra:client-secret', value: 's3cr3t' });
    await kvsModule.kvs.getSecret('entra:client-secret');
    answer = () => new Response(null, { status: 204 });
    await kvsModule.kvs.deleteSecret('entra:client-secret');
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/secret/set', '/api/v1/secret/get', '/api/v1/secret/delete']);
  });

  it('sends a transaction set with its TTL as the fourth argument', async () => {
    await kvsModule.kvs
      .transact()
      .set('a', 1, undefined, { ttl: { value: 1, unit: 'DAYS' } })
      .delete('b')
      .execute();
    expect(calls[0]).toMatchObject({
      path: '/api/v1/transaction',
      body: { set: [{ key: 'a', value: 1, options: { ttl: { value: 1, unit: 'DAYS' } } }], delete: [{ key: 'b' }] },
    });
  });
});

describe('@forge/events 3.0.8 shapes', () => {
  it('publishes to the stargate queue endpoint with placeholders sent literally', async () => {
    answer = () => new Response(null, { status: 201 });
    const result = await new events.Queue({ key: 'sync-plan' }).push([
      { body: { v: 1 }, delayInSeconds: 30, concurrency: { key: 'run', limit: 1 } },
    ]);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.descriptor).toEqual({ type: 'fpp', provider: 'app', remote: 'stargate' });
    expect(call?.path).toBe(PUBLISH_PATH);
    expect(call?.body).toEqual({
      queueName: 'sync-plan',
      jobId: result.jobId,
      type: 'avi:forge:app:event',
      schema: 'ari:cloud:ecosystem::forge/app-event-2',
      payload: [{ body: { v: 1 }, delayInSeconds: 30, concurrency: { key: 'run', limit: 1 } }],
      time: expect.any(String),
    });
  });

  it('maps 405, 413, 429 and 202 to the SDK errors the app sees', async () => {
    const queue = new events.Queue({ key: 'sync-plan' });
    answer = () => json(405, {});
    await expect(queue.push({ body: {} })).rejects.toBeInstanceOf(events.InvocationLimitReachedError);
    answer = () => json(413, { errorMessage: 'too big' });
    await expect(queue.push({ body: {} })).rejects.toBeInstanceOf(events.PayloadTooBigError);
    answer = () => json(429, {});
    await expect(queue.push({ body: {} })).rejects.toBeInstanceOf(events.RateLimitError);
    answer = () => json(202, { failedEvents: [{ index: 0, errorMessage: 'no' }] });
    await expect(queue.push({ body: {} })).rejects.toBeInstanceOf(events.PartialSuccessError);
  });

  it('checks 50 events and 200 KB before sending anything', async () => {
    const queue = new events.Queue({ key: 'sync-plan' });
    await expect(queue.push(Array.from({ length: 51 }, () => ({ body: {} })))).rejects.toBeInstanceOf(events.TooManyEventsError);
    await expect(queue.push({ body: { blob: 'x'.repeat(205 * 1024) } })).rejects.toBeInstanceOf(events.PayloadTooBigError);
    expect(calls).toHaveLength(0);
  });

  it('makes InvocationError a plain {_retry, retryOptions} object', () => {
    const error: unknown = new events.InvocationError({
      retryAfter: 30,
      retryReason: events.InvocationErrorCode.FUNCTION_RETRY_REQUEST,
      retryData: { n: 1 },
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      _retry: true,
      retryOptions: { retryAfter: 30, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { n: 1 } },
    });
    expect(error).not.toBeInstanceOf(events.InvocationError);
  });
});

describe('@forge/api 8.3.0 and @forge/resolver 2.0.1 shapes', () => {
  it('sends asApp().requestJira with the jira descriptor and the route as the path', async () => {
    answer = () => json(200, []);
    await api.asApp().requestJira(api.route`/rest/api/3/users/search?startAt=${0}`, { method: 'GET' });
    expect(calls[0]).toMatchObject({
      descriptor: { type: 'fpp', provider: 'app', remote: 'jira' },
      path: '/rest/api/3/users/search?startAt=0',
    });
  });

  it('throws ProxyRequestError when the answer carries forge-proxy-error', async () => {
    answer = () => new Response(null, { status: 400, headers: { 'forge-proxy-error': 'INVALID_REMOTE_ERR' } });
    await expect(api.asApp().requestJira(api.route`/rest/api/3/myself`)).rejects.toBeInstanceOf(api.ProxyRequestError);
  });

  it('reports personal data as a POST to /app/report-accounts on stargate', async () => {
    answer = () => new Response(null, { status: 204 });
    await expect(api.privacy.reportPersonalData([{ accountId: 'a', updatedAt: '2026-01-01T00:00:00Z' }])).resolves.toEqual([]);
    expect(calls[0]).toMatchObject({
      descriptor: { type: 'fpp', provider: 'app', remote: 'stargate' },
      path: '/app/report-accounts',
      body: { accounts: [{ accountId: 'a' }] },
    });
  });

  it('reads the invocation context and remaining time from __forge_runtime__', async () => {
    const context = invocation({ limitMs: 60_000 });
    const seen = await runInInvocation(context, async () => api.getAppContext());
    expect(seen.invocationId).toBe('inv-1');
    expect(seen.moduleKey).toBe('plan-consumer');
    const remaining = await runInInvocation(context, async () => api.getAppContext().invocationRemainingTimeInMillis());
    expect(remaining).toBeGreaterThan(55_000);
    expect(remaining).toBeLessThanOrEqual(60_000);
  });

  it('calls a resolver with {call: {functionKey, payload}, context} and the principal as accountId, and JSON-clones the answer', async () => {
    const resolver = new Resolver();
    const seen: unknown[] = [];
    resolver.define('getStatus', (request) => {
      seen.push(request);
      return { when: new Date(0), skip: undefined };
    });
    const handler = resolver.getDefinitions() as unknown as (event: unknown, runtime: unknown) => Promise<unknown>;
    const result = await handler(
      { call: { functionKey: 'getStatus', payload: { a: 1 } }, context: { moduleKey: 'page' } },
      { principal: { accountId: 'acc-1' } },
    );
    expect(result).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    expect(seen[0]).toMatchObject({ payload: { a: 1 }, context: { moduleKey: 'page', accountId: 'acc-1' } });
  });
});

describe('the SDKs against the emulator endpoints', () => {
  let dir: string;
  let now = Date.parse('2026-03-02T09:00:00Z');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sdk-contract-'));
    const app = new FileKeyValueStore(join(dir, 'kvs', 'app'), () => now, 1_000);
    const secrets = new FileKeyValueStore(join(dir, 'kvs', 'secret'), () => now);
    const queues = new FileQueueStore(join(dir, 'queues'));
    const emulated = createForgeFetch({
      kvs: createKvsApi(app, secrets),
      publish: createQueueApi({
        store: queues,
        now: () => now,
        consumerTimeout: (q) => (q === 'sync-plan' ? 300 : undefined),
        random: () => 0.5,
        faults: {},
        log: () => undefined,
      }),
      requestJira: async () => new Response(null, { status: 500 }),
      scopes: new Set(['storage:app']),
    });
    target = async (descriptor, path, init) => {
      calls.push({ descriptor, path, init: init ?? {}, body: undefined });
      return emulated(descriptor, path, init);
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('claims with FAIL_IF_EXISTS, swaps with PREVIOUS and expires with TTL as the app expects', async () => {
    const { kvs } = kvsModule;
    await kvs.set('lock:run', { holder: 'a' }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 60, unit: 'SECONDS' } });
    await expect(kvs.set('lock:run', { holder: 'b' }, { keyPolicy: 'FAIL_IF_EXISTS' })).rejects.toMatchObject({
      code: 'KEY_ALREADY_EXISTS',
    });
    await expect(kvs.set('lock:run', { holder: 'c' }, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' })).resolves.toMatchObject({
      value: { holder: 'a' },
    });
    await expect(kvs.get('lock:run')).resolves.toEqual({ holder: 'c' });
    await kvs.set('short', 1, { ttl: { value: 10, unit: 'SECONDS' } } as never);
    now += 10_000;
    await expect(kvs.get('short')).resolves.toBeUndefined();
    await expect(kvs.set('short', 2, { keyPolicy: 'FAIL_IF_EXISTS' })).resolves.toBeUndefined();
  });

  it('refuses bad keys and values over 240 KiB, and keeps secrets apart from app storage', async () => {
    const { kvs } = kvsModule;
    await expect(kvs.set('user@example.com', 1)).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(kvs.set('big', 'x'.repeat(240 * 1024))).rejects.toMatchObject({ code: 'VALUE_TOO_LARGE' });
    await kvs.setSecret('entra:client-secret', 'value');
    await expect(kvs.get('entra:client-secret')).resolves.toBeUndefined();
    await expect(kvs.getSecret('entra:client-secret')).resolves.toBe('value');
  });

  it('answers get at once but a query only after the consistency delay', async () => {
    const { kvs, WhereConditions } = kvsModule;
    await kvs.set('fresh:1', 'v');
    await expect(kvs.get('fresh:1')).resolves.toBe('v');
    const query = () => kvs.query().where('key', WhereConditions.beginsWith('fresh:')).getMany();
    await expect(query()).resolves.toEqual({ results: [] });
    now += 1_000;
    await expect(query()).resolves.toEqual({ results: [{ key: 'fresh:1', value: 'v' }] });
    await kvs.delete('fresh:1');
    await expect(query()).resolves.toEqual({ results: [{ key: 'fresh:1', value: 'v' }] });
    now += 1_000;
    await expect(query()).resolves.toEqual({ results: [] });
  });

  it('keeps what it stored across a restart (one file per key)', async () => {
    const { kvs } = kvsModule;
    await kvs.set('settings', { a: 1 });
    const reopened = new FileKeyValueStore(join(dir, 'kvs', 'app'), () => now);
    expect(reopened.get('settings')?.value).toEqual({ a: 1 });
  });

  it('pages a prefix query with the cursor it hands out', async () => {
    const { kvs, WhereConditions } = kvsModule;
    for (let i = 0; i < 5; i++) await kvs.set(`history:${i}`, i);
    await kvs.set('other', 1);
    now += 1_000;
    const first = await kvs.query().where('key', WhereConditions.beginsWith('history:')).limit(3).getMany();
    expect(first.results.map((r) => r.key)).toEqual(['history:0', 'history:1', 'history:2']);
    const second = await kvs.query().where('key', WhereConditions.beginsWith('history:')).limit(3).cursor(first.nextCursor!).getMany();
    expect(second.results.map((r) => r.key)).toEqual(['history:3', 'history:4']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('answers 429 past 500 events a minute and 405 at the 1,001st push of one chain', async () => {
    const queue = new events.Queue({ key: 'sync-plan' });
    await runInInvocation(invocation({ chainId: 'long-chain' }), async () => {
      for (let i = 0; i < 500; i++) await queue.push({ body: { i } });
      await expect(queue.push({ body: {} })).rejects.toBeInstanceOf(events.RateLimitError);
      now += 60_000;
      for (let i = 500; i < 1000; i++) {
        now += 200;
        await queue.push({ body: { i } });
      }
      now += 60_000;
      await expect(queue.push({ body: {} })).rejects.toBeInstanceOf(events.InvocationLimitReachedError);
    });
    // Another chain (another originating invocation) is not affected.
    await runInInvocation(invocation({ chainId: 'fresh-chain' }), () => queue.push({ body: {} }));
  }, 60_000);
});
