/**
 * Forge's limit on outbound requests per invocation, as the sandbox enforces it.
 *
 * - ECO-491 (https://jira.atlassian.com/browse/ECO-491): "when hitting the network requests limit per invocation
 *   (limit of 100 requests) when we reach the 100th call, we receive the 429 response", statusText 'Too Many
 *   Requests', the header `forge-proxy-error: FETCH_LIMIT_EXCEEDED` and nothing else. So the count is per invocation
 *   and the 100th request is the first one refused (the stricter reading of "limit of 100").
 * - Forge's invocation limits page (https://developer.atlassian.com/platform/forge/limits-invocation) calls
 *   outbound requests "fetch requests, including both Atlassian app REST API and external API requests", but no
 *   source says whether requestJira counts towards the per-invocation number. The sandbox always counts the global
 *   fetch to egress hosts; it counts requestJira only with `countsJira` (`--fetch-limit-counts-jira`).
 * - A refused requestJira gets the same 429 with the header; the unmodified @forge/api turns it into a thrown
 *   ProxyRequestError (handleProxyResponseErrors), exactly as on Forge.
 * Storage (KVS), queue pushes and the privacy API are platform calls, not outbound requests: never counted.
 */
import type { InvocationContext } from './invocation-context';

/** ECO-491's "limit of 100 requests": the 100th outbound request of an invocation is refused. */
export const FORGE_FETCH_LIMIT_PER_INVOCATION = 100;

export interface FetchLimitOptions {
  /** Count requestJira towards the limit (default false: only the global fetch to egress hosts counts). */
  readonly countsJira?: boolean;
  /** The number of the first refused request in an invocation (default 100). */
  readonly perInvocation?: number;
}

export interface FetchLimiter {
  readonly countsJira: boolean;
  readonly perInvocation: number;
  /** Counts one outbound request of the invocation; false when Forge would refuse it. */
  take(invocation: InvocationContext | undefined, kind: 'external' | 'jira'): boolean;
  /** Requests refused so far in this process, by kind. */
  readonly refused: { external: number; jira: number };
}

export function createFetchLimiter(options: FetchLimitOptions = {}): FetchLimiter {
  const perInvocation = options.perInvocation ?? FORGE_FETCH_LIMIT_PER_INVOCATION;
  if (!Number.isInteger(perInvocation) || perInvocation < 1)
    throw new Error('fetchLimit.perInvocation must be a whole number of at least 1');
  const used = new WeakMap<InvocationContext, number>();
  const refused = { external: 0, jira: 0 };
  const countsJira = options.countsJira ?? false;
  return {
    countsJira,
    perInvocation,
    refused,
    take(invocation, kind) {
      // Calls outside any invocation (tests seeding the fakes) are not the app's.
      if (invocation === undefined) return true;
      if (kind === 'jira' && !countsJira) return true;
      const count = (used.get(invocation) ?? 0) + 1;
      used.set(invocation, count);
      if (count < perInvocation) return true;
      refused[kind]++;
      return false;
    },
  };
}

/** Forge's answer to a request past the limit. */
export function fetchLimitResponse(): Response {
  return new Response(null, { status: 429, statusText: 'Too Many Requests', headers: { 'forge-proxy-error': 'FETCH_LIMIT_EXCEEDED' } });
}
