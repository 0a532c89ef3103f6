import type { HttpResponse } from '../../src/clients/http';
import {
  backoffMs,
  parseResetTime,
  parseRetryAfter,
  type RetryPolicy,
  type RetryRules,
  sendWithRetry,
  waitFromHeaders,
} from '../../src/clients/retry-policy';
import { AppError } from '../../src/domain/errors';

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

describe("reset times measured against the server's Date header", () => {
  const local = Date.parse('2026-01-01T00:00:30Z'); // the app's clock, 30 s ahead of the server's
  const server = 'Thu, 01 Jan 2026 00:00:00 GMT';
  it('measures an HTTP-date Retry-After from the Date header, not the local clock', () => {
    expect(waitFromHeaders(response(429, { 'Retry-After': 'Thu, 01 Jan 2026 00:01:00 GMT', Date: server }), local)).toBe(60_000);
    expect(waitFromHeaders(response(429, { 'Retry-After': 'Thu, 01 Jan 2026 00:01:00 GMT' }), local)).toBe(30_000);
  });
  it('reads reset headers only when the rules name them, in order, and only when Retry-After is absent', () => {
    const headers = { 'X-RateLimit-Reset': '2026-01-01T00:02Z', 'X-Beta-RateLimit-Reset': '2026-01-01T00:03:00Z', Date: server };
    expect(waitFromHeaders(response(429, headers), local)).toBeUndefined();
    expect(waitFromHeaders(response(429, headers), local, ['x-ratelimit-reset', 'x-beta-ratelimit-reset'])).toBe(120_000);
    expect(
      waitFromHeaders(response(429, { ...headers, 'X-RateLimit-Reset': 'garbage' }), local, [
        'x-ratelimit-reset',
        'x-beta-ratelimit-reset',
      ]),
    ).toBe(180_000);
    expect(waitFromHeaders(response(429, { ...headers, 'Retry-After': '5' }), local, ['x-ratelimit-reset'])).toBe(5_000);
  });
  it('reads epoch seconds, refuses small numbers (not a time), and never waits a negative time', () => {
    expect(parseResetTime(String(Date.parse('2026-01-01T00:01:00Z') / 1000), local)).toBe(30_000);
    expect(parseResetTime('30', local)).toBeUndefined();
    expect(parseResetTime('2025-12-31T23:00Z', local)).toBe(0);
  });
  it('sendWithRetry defers a 429 until the reset its rules read, measured from Date', async () => {
    const p = policy({ now: () => local });
    const error = await sendWithRetry(
      async () => response(429, { 'X-RateLimit-Reset': '2026-01-01T00:05Z', Date: server }),
      { ...rules, resetHeaders: ['x-ratelimit-reset'] },
      p,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED', retry: 'later', retryAfterSeconds: 300 });
    expect(p.slept).toEqual([]);
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
    const error = await sendWithRetry(
      async () => {
        throw original;
      },
      rules,
      policy(),
    ).catch((e: unknown) => e);
    expect(error).toBe(original);
  });
});
