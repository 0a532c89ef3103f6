/**
 * The one retry policy for every outbound call (Microsoft token endpoint, Graph, Jira, Assets).
 *
 * - Retryable statuses (429 everywhere; 503/504 for Graph; 5xx for Jira/Assets) honour Retry-After, in seconds or
 *   as an HTTP date, and (where the service's rules name them) reset-time headers such as Jira's X-RateLimit-Reset.
 *   A date is measured against the response's own `Date` header when it has one (RFC 9110 §6.6.1: the origin's
 *   clock when it made the response), so a Forge clock running ahead of the server's cannot shorten the wait.
 *   Without any of these (Assets often sends 429 with no headers) we back off exponentially with jitter.
 * - A wait up to `maxInlineWaitMs` is slept in-process; a longer one is handed back to the caller as an AppError
 *   with retry 'later' and retryAfterSeconds, so a Forge consumer reschedules its event instead of sleeping away
 *   billed invocation time.
 * - Network failures (the transport throws) are retried briefly, then surface as the service's unreachable code.
 *
 * p-retry drives the attempts; its own delay is switched off because the delay depends on each response.
 */
import pRetry, { AbortError } from 'p-retry';

import { AppError, type ErrorCode, type ErrorContext } from '../domain/errors';
import type { HttpResponse } from './http';

export interface RetryPolicy {
  /** Attempts in this invocation, the first included. */
  readonly maxAttempts: number;
  /** The longest single wait slept in-process; longer waits become "retry later". */
  readonly maxInlineWaitMs: number;
  /** The most time all inline waits of one call may add up to. */
  readonly maxTotalInlineWaitMs: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injected so tests are deterministic. */
  readonly random: () => number;
  /** Epoch milliseconds; used to read Retry-After given as an HTTP date. */
  readonly now: () => number;
}

export interface RetryRules {
  /** Human name of the service for messages, e.g. "Microsoft Graph". */
  readonly service: string;
  readonly isRetryable: (status: number) => boolean;
  /** Code used when the service keeps throttling (429). */
  readonly throttledCode: ErrorCode;
  /** Code used when the service keeps answering 5xx. */
  readonly unavailableCode: ErrorCode;
  /** Code used when the service cannot be reached at all. */
  readonly unreachableCode: ErrorCode;
  /**
   * Headers (lower case) that carry the time a limit resets, read when Retry-After is absent, in order. Each holds
   * an absolute time (ISO 8601 or HTTP date), or epoch seconds; see parseResetTime.
   */
  readonly resetHeaders?: readonly string[];
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  maxInlineWaitMs: 5_000,
  maxTotalInlineWaitMs: 10_000,
  baseBackoffMs: 500,
  maxBackoffMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

/** The longest "retry later" we ask for: Forge's InvocationError retryAfter maximum. */
export const MAX_RETRY_LATER_SECONDS = 900;

/** The response's `Date` header as epoch ms (the server's clock when it answered); undefined when absent or unreadable. */
export function serverDateOf(response: Pick<HttpResponse, 'headers'>): number | undefined {
  const value = response.headers.get('date');
  if (value === null) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Retry-After as milliseconds to wait: delta-seconds, or an HTTP date; undefined when absent or unreadable. A date is
 * measured against `serverNowMs` (the response's Date header) when given, else against the local `nowMs`.
 */
export function parseRetryAfter(value: string | null, nowMs: number, serverNowMs?: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - (serverNowMs ?? nowMs));
}

/**
 * A reset-time header as milliseconds to wait. Atlassian documents X-RateLimit-Reset as an ISO 8601 timestamp in the
 * form yyyy-MM-ddTHH:mmZ (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/); other services and
 * the beta headers are read tolerantly: an ISO 8601 / HTTP date, or a number of epoch seconds (> 10^9). Measured
 * against the server's Date when given. undefined when absent or unreadable.
 */
export function parseResetTime(value: string | null, nowMs: number, serverNowMs?: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  let at: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n < 1e9) return undefined;
    at = n * 1000;
  } else {
    at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
  }
  return Math.max(0, at - (serverNowMs ?? nowMs));
}

/** How long a response asks the client to wait: Retry-After, else the first readable reset header of the rules. */
export function waitFromHeaders(
  response: Pick<HttpResponse, 'headers'>,
  nowMs: number,
  resetHeaders: readonly string[] = [],
): number | undefined {
  const serverNow = serverDateOf(response);
  const fromRetryAfter = parseRetryAfter(response.headers.get('retry-after'), nowMs, serverNow);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  for (const name of resetHeaders) {
    const wait = parseResetTime(response.headers.get(name), nowMs, serverNow);
    if (wait !== undefined) return wait;
  }
  return undefined;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so waits never collapse to zero. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseBackoffMs' | 'maxBackoffMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}

/** Seconds to hand back for a "retry later": at least 1, at most Forge's 900. */
export function toRetryAfterSeconds(ms: number): number {
  return Math.min(MAX_RETRY_LATER_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}

class RetryableResponse extends Error {
  constructor(
    readonly response: HttpResponse,
    readonly waitMs: number,
  ) {
    super(`retryable HTTP ${response.status}`);
  }
}

class NetworkFailure extends Error {
  constructor(readonly original: unknown) {
    super('network failure');
  }
}

/**
 * Sends a request with the policy. Returns the first response that is not retryable (success or an error the
 * caller maps); throws AppError when retrying must continue later or the service cannot be reached.
 */
export async function sendWithRetry(
  send: (attempt: number) => Promise<HttpResponse>,
  rules: RetryRules,
  policy: RetryPolicy,
  context: ErrorContext = {},
): Promise<HttpResponse> {
  let waitedMs = 0;
  let last: RetryableResponse | NetworkFailure | undefined;

  try {
    return await pRetry(
      async (attempt) => {
        let response: HttpResponse;
        try {
          response = await send(attempt);
        } catch (error) {
          if (error instanceof AppError) throw new AbortError(error);
          throw new NetworkFailure(error);
        }
        if (!rules.isRetryable(response.status)) return response;
        // Drain the body so the connection can be reused; its content is not needed.
        await response.text().catch(() => undefined);
        const fromHeader = waitFromHeaders(response, policy.now(), rules.resetHeaders);
        throw new RetryableResponse(response, fromHeader ?? backoffMs(attempt, policy));
      },
      {
        retries: policy.maxAttempts - 1,
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        shouldRetry: ({ error }) => error instanceof RetryableResponse || error instanceof NetworkFailure,
        onFailedAttempt: async ({ error, retriesLeft, attemptNumber }) => {
          if (!(error instanceof RetryableResponse || error instanceof NetworkFailure)) return;
          last = error;
          const waitMs = error instanceof RetryableResponse ? error.waitMs : backoffMs(attemptNumber, policy);
          if (retriesLeft === 0) return;
          if (waitMs > policy.maxInlineWaitMs || waitedMs + waitMs > policy.maxTotalInlineWaitMs) {
            throw new AbortError(deferred(rules, error, waitMs, context));
          }
          waitedMs += waitMs;
          await policy.sleep(waitMs);
        },
      },
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof AbortError && error.originalError instanceof AppError) throw error.originalError;
    const failure = last ?? (error instanceof RetryableResponse || error instanceof NetworkFailure ? error : undefined);
    if (failure instanceof RetryableResponse) {
      const waitMs = Math.max(failure.waitMs, backoffMs(policy.maxAttempts, policy));
      throw deferred(rules, failure, waitMs, context);
    }
    if (failure instanceof NetworkFailure) {
      throw new AppError(rules.unreachableCode, `${rules.service} could not be reached. Check the network and try again.`, {
        context,
        cause: failure.original,
        retry: 'now',
      });
    }
    throw error;
  }
}

function deferred(rules: RetryRules, failure: RetryableResponse | NetworkFailure, waitMs: number, context: ErrorContext): AppError {
  const seconds = toRetryAfterSeconds(waitMs);
  if (failure instanceof NetworkFailure) {
    return new AppError(rules.unreachableCode, `${rules.service} could not be reached; the app will retry in ${seconds} s.`, {
      context,
      cause: failure.original,
      retry: 'later',
      retryAfterSeconds: seconds,
    });
  }
  const status = failure.response.status;
  const throttled = status === 429;
  const message = throttled
    ? `${rules.service} is throttling the app; it will retry after ${seconds} s.`
    : `${rules.service} is temporarily unavailable (HTTP ${status}); the app will retry after ${seconds} s.`;
  return new AppError(throttled ? rules.throttledCode : rules.unavailableCode, message, {
    context: { ...context, status },
    retry: 'later',
    retryAfterSeconds: seconds,
  });
}
