/**
 * Graph's per app+tenant throttling as documented for directory reads: a budget of resource units per 10 s, with
 * request costs by kind (users list 2, -1 with $select, +1 with $expand, at least 1; other GETs 1). The bucket is
 * refilled whole every 10 s from the first request of a window; a throttled request still counts against the
 * window and is told, in Retry-After, when the next window opens.
 */

export interface ThrottleOptions {
  /** Resource units per 10 s; off when absent. */
  readonly resourceUnitsPer10s?: number;
  /** Injectable clock (epoch ms) so tests can advance time instead of sleeping. */
  readonly now?: () => number;
}

export type ThrottleDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export const WINDOW_MS = 10_000;

export class ResourceBucket {
  private windowStart: number | null = null;
  private spent = 0;

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  take(cost: number): ThrottleDecision {
    const now = this.now();
    if (this.windowStart === null || now >= this.windowStart + WINDOW_MS) {
      this.windowStart = now;
      this.spent = 0;
    }
    const fits = this.spent + cost <= this.capacity;
    this.spent += cost;
    if (fits) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - now) / 1000)) };
  }
}

/**
 * Resource units a GET costs (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits:
 * base cost users 2, groups/{id}/members 3, groups/{id}/transitiveMembers 5, any other identity path 1; $select -1,
 * $expand +1, $top under 20 -1; never below 1). For the groups paths all of these apply; /users keeps its
 * original model.
 */
export function requestCost(path: string, query: URLSearchParams): number {
  const groupBase = /^\/v1\.0\/groups\/[^/]+\/members$/.test(path)
    ? 3
    : /^\/v1\.0\/groups\/[^/]+\/transitiveMembers$/.test(path)
      ? 5
      : null;
  if (groupBase !== null || path === '/v1.0/groups' || path.startsWith('/v1.0/groups/')) {
    const top = Number(query.get('$top') ?? '100');
    return Math.max(1, (groupBase ?? 1) - (query.has('$select') ? 1 : 0) + (query.has('$expand') ? 1 : 0) - (top < 20 ? 1 : 0));
  }
  if (path !== '/v1.0/users') return 1;
  const select = query.has('$select') ? 1 : 0;
  const expand = query.has('$expand') ? 1 : 0;
  return Math.max(1, 2 - select + expand);
}
