/**
 * Per-endpoint request limits over a rolling minute, on an injectable clock, like Assets' documented limits
 * (object/create 2,000/min, GET object 2,000/min, object/aql 1,000/min). A refused request says when the oldest
 * request in the window leaves it: that is the Retry-After the fake sends (when it sends one at all).
 */
import type { FakeEndpoint, FakeRateLimits } from './types';

export const DEFAULT_PER_MINUTE: Readonly<Record<FakeEndpoint, number>> = {
  'users/search': 600,
  'user/email': 600,
  'user/email/bulk': 600,
  'assets/workspace': 600,
  'object/create': 2000,
  'object/get': 2000,
  'object/update': 2000,
  'object/aql': 1000,
  'assets/config': 500,
};

const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly accepted = new Map<FakeEndpoint, number[]>();

  constructor(
    private readonly limits: FakeRateLimits | undefined,
    private readonly now: () => number,
  ) {}

  /** null when the request may proceed (and is counted); otherwise the ms until a slot frees up. */
  take(endpoint: FakeEndpoint): number | null {
    if (!this.limits?.enabled) return null;
    const limit = this.limits.perMinute?.[endpoint] ?? DEFAULT_PER_MINUTE[endpoint];
    const now = this.now();
    const times = (this.accepted.get(endpoint) ?? []).filter((t) => t > now - WINDOW_MS);
    this.accepted.set(endpoint, times);
    if (times.length >= limit) {
      const oldest = times[0] ?? now;
      return Math.max(1, oldest + WINDOW_MS - now);
    }
    times.push(now);
    return null;
  }

  get sendsRetryAfter(): boolean {
    return this.limits?.sendRetryAfter ?? true;
  }
}
