import { AppError } from '../../src/domain/errors';
import type { HttpResponse } from '../../src/clients/http';
import { backoffMs, parseRetryAfter, sendWithRetry, type RetryPolicy, type RetryRules } from '../../src/clients/retry-policy';

const rules: RetryRules = {
  service: 'Microsoft Graph',
  isRetryable: (status) => status === 429 || status === 503 || status === 504,
  throttledCode: 'GRAPH_THROTTLED',
  unavailableCode: 'GRAPH_UNAVAILABLE',
  unreachableCode: 'MICROSOFT_UNREACHABLE',
};

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, headers: { get: (name) => lower[name.toLowerCase()] ?? null }, text: async () => '' };
}

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return {
    maxAttempts: 4,
    maxInlineWaitMs: 5_000,
    maxTotalInlineWaitMs: 10_000,
    baseBackoffMs: 500,
    maxBackoffMs: 60_000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    slept,
    ...overrides,
  };
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta seconds', () => expect(parseRetryAfter('7', now)).toBe(7000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000));
  it('treats a date in the past as no wait', () => expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0));
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('grows exponentially with jitter and a cap', () => {
    const p = { baseBackoffMs: 500, maxBackoffMs: 4_000, random: () => 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, p))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(backoffMs(1, { ...p, random: () => 0.999 })).toBeGreaterThan(490);
  });
});

describe('sendWithRetry', () => {
  it('returns a non-retryable response at once', async () => {
    const p = policy();
    const res = await sendWithRetry(async () => response(404), rules, p);
    expect(res.status).toBe(404);
    expect(p.slept).toEqual([]);
  });

  it('waits the Retry-After in-process when it is short, then succeeds', async () => {
    const p = policy();
    const statuses = [429, 503, 200];
    const res = await sendWithRetry(async () => response(statuses.shift() ?? 500, { 'Retry-After': '2' }), rules, p);
    expect(res.status).toBe(200);
    expect(p.slept).toEqual([2000, 2000]);
  });

  it('hands a long Retry-After back as retry later, without sleeping', async () => {
    const p = policy();
    const error = await sendWithRetry(async () => response(429, { 'Retry-After': '120' }), rules, p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED', retry: 'later', retryAfterSeconds: 120 });
    expect(p.slept).toEqual([]);
  });

  it('backs off exponentially on 429 without headers and defers when attempts run out', async () => {
    const p = policy({ random: () => 0 });
    let calls = 0;
    const error = await sendWithRetry(async () => (calls++, response(429)), rules, p).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(p.slept).toEqual([250, 500, 1000]);
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED', retry: 'later' });
  });

  it('maps repeated 503s to the unavailable code', async () => {
    const error = await sendWithRetry(async () => response(503), rules, policy()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GRAPH_UNAVAILABLE', retry: 'later' });
  });

  it('retries network failures and then reports the service unreachable', async () => {
    const p = policy();
    let calls = 0;
    const error = await sendWithRetry(
      async () => {
        calls++;
        throw new Error('ECONNREFUSED');
      },
      rules,
      p,
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(error).toMatchObject({ code: 'MICROSOFT_UNREACHABLE' });
  });

  it('lets an AppError thrown by the transport through untouched', async () => {
    const original = new AppError('ASSETS_UNAUTHORIZED', 'no');
    const error = await sendWithRetry(async () => { throw original; }, rules, policy()).catch((e: unknown) => e);
    expect(error).toBe(original);
  });
});
