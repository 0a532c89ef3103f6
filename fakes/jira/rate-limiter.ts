/**
 * Per-endpoint request limits over a rolling minute, on an injectable clock. Assets: the REST docs as quoted in
 * JSDCLOUD-11605 (https://jira.atlassian.com/browse/JSDCLOUD-11605): "All endpoints are rate-limited to 1,000 requests
 * per minute per instance with a total limit of 10,000 requests per minute per instance", so every Assets endpoint
 * class gets 1,000 a minute and all of them together 10,000 (the fake lumps the schema endpoints into one class,
 * 'assets/config': stricter than per endpoint). The same ticket says a 429 carries no Retry-After or reset header,
 * so by default an Assets 429 has none (`sendRetryAfter: true` is the old friendly fake). The 2,000 a minute the
 * fake used to allow for object create/get/update had no source. A refused request says when the oldest request in
 * the window leaves it: that is the Retry-After the fake sends when asked to.
 */
import type { FakeEndpoint, FakeJira429Variant, FakeRateLimits } from './types';

export const DEFAULT_PER_MINUTE: Readonly<Record<FakeEndpoint, number>> = {
  'users/search': 600,
  'user/email': 600,
  'user/email/bulk': 600,
  'assets/workspace': 600,
  'object/create': 1000,
  'object/get': 1000,
  'object/update': 1000,
  'object/aql': 1000,
  'assets/config': 1000,
};

/** All Assets endpoints together, per rolling minute (JSDCLOUD-11605, above). */
export const DEFAULT_ASSETS_TOTAL_PER_MINUTE = 10_000;

export function isAssetsEndpoint(endpoint: FakeEndpoint): boolean {
  return endpoint.startsWith('object') || endpoint === 'assets/config';
}

const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly accepted = new Map<FakeEndpoint, number[]>();
  private assetsAccepted: number[] = [];

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
    if (isAssetsEndpoint(endpoint)) {
      const total = this.limits.assetsTotalPerMinute ?? DEFAULT_ASSETS_TOTAL_PER_MINUTE;
      while (this.assetsAccepted.length > 0 && this.assetsAccepted[0]! <= now - WINDOW_MS) this.assetsAccepted.shift();
      if (this.assetsAccepted.length >= total) return Math.max(1, (this.assetsAccepted[0] ?? now) + WINDOW_MS - now);
      this.assetsAccepted.push(now);
    }
    times.push(now);
    return null;
  }

  /** Whether an Assets 429 carries Retry-After: by default not (JSDCLOUD-11605). */
  get sendsRetryAfter(): boolean {
    return this.limits?.sendRetryAfter ?? false;
  }
}

const JIRA_429_VARIANTS: readonly Exclude<FakeJira429Variant, 'mixed'>[] = ['gateway', 'burst', 'cost-based', 'quota', 'beta'];

/**
 * The headers of a Jira platform 429 in one of the forms real sites send. Sources: "Rate limiting"
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/, quoted in JRACLOUD-69262): 429s "may be
 * accompanied by Retry-After and X-RateLimit-Reset"; X-RateLimit-Reset is ISO 8601 "yyyy-MM-ddTHH:mmZ"; RateLimit-Reason
 * is jira-burst-based, jira-cost-based or jira-quota-*. The 2026 points-based limits add beta headers
 * (X-Beta-RateLimit-Reason, X-Beta-RateLimit-Reset) and a gateway 429 with no Retry-After (issue 11 point 4).
 * - gateway: X-RateLimit-Reset only (no Retry-After, no reason): the least friendly, the default;
 * - burst: Retry-After + RateLimit-Reason jira-burst-based + X-RateLimit-Reset (the old fake);
 * - cost-based: the same with jira-cost-based;
 * - quota: RateLimit-Reason jira-quota-tenant-based + X-RateLimit-Reset (the hourly budget is spent);
 * - beta: X-Beta-RateLimit-Reason jira-cost-based + X-Beta-RateLimit-Reset (ISO 8601), no Retry-After;
 * - mixed: the forms above in turn, one per refused request.
 * The reset time is rounded UP to the whole minute the documented format can carry, so it never precedes the moment
 * the limiter accepts again.
 */
export class Jira429Headers {
  private turn = 0;

  constructor(private readonly variant: FakeJira429Variant = 'gateway') {}

  headers(waitMs: number, nowMs: number): Record<string, string> {
    const variant = this.variant === 'mixed' ? (JIRA_429_VARIANTS[this.turn++ % JIRA_429_VARIANTS.length] ?? 'gateway') : this.variant;
    const resetAt = Math.ceil((nowMs + waitMs) / 60_000) * 60_000;
    const reset = new Date(resetAt).toISOString().slice(0, 16) + 'Z';
    const retryAfter = String(Math.max(1, Math.ceil((resetAt - nowMs) / 1000)));
    switch (variant) {
      case 'gateway':
        return { 'X-RateLimit-Reset': reset };
      case 'burst':
        return { 'Retry-After': retryAfter, 'RateLimit-Reason': 'jira-burst-based', 'X-RateLimit-Reset': reset };
      case 'cost-based':
        return { 'Retry-After': retryAfter, 'RateLimit-Reason': 'jira-cost-based', 'X-RateLimit-Reset': reset };
      case 'quota':
        return { 'RateLimit-Reason': 'jira-quota-tenant-based', 'X-RateLimit-Reset': reset };
      case 'beta':
        return { 'X-Beta-RateLimit-Reason': 'jira-cost-based', 'X-Beta-RateLimit-Reset': new Date(resetAt).toISOString() };
    }
  }
}
