/**
 * Forge's own outbound request limit, recognised in one place for every transport (Microsoft through the global
 * fetch, Jira and Assets through requestJira).
 *
 * What the platform does (public sources):
 * - ECO-491 (https://jira.atlassian.com/browse/ECO-491): "when hitting the network requests limit per invocation
 *   (limit of 100 requests) when we reach the 100th call, we receive the 429 response" whose only distinguishing
 *   mark is the header `forge-proxy-error: FETCH_LIMIT_EXCEEDED`. So the limit is per INVOCATION, not per minute of
 *   the site or the app: a new invocation starts with a fresh allowance.
 * - Forge's invocation limits page (https://developer.atlassian.com/platform/forge/limits-invocation) defines
 *   outbound requests as "fetch requests, including both Atlassian app REST API and external API requests". Whether
 *   requestJira calls count towards the per-invocation number is not stated anywhere we found, so the app is built
 *   for both readings (the sandbox has a switch for each).
 * - @forge/api 8.x turns any `forge-proxy-error` response header on a product call (requestJira) into a thrown
 *   ProxyRequestError {status, errorCode} (node_modules/@forge/api/out/api/fetch.js, handleProxyResponseErrors);
 *   the global fetch hands the 429 response back as it is. Both forms are recognised here.
 *
 * It is not API throttling: waiting does not help, a new invocation does. The error raised here (FORGE_FETCH_LIMIT)
 * is turned by the step runner into "save done, continue in a new invocation", without a wait and without counting
 * against the run's retries.
 */
import type { HttpRequest, HttpResponse } from '../clients/http';
import { AppError } from '../domain/errors';

export const FORGE_PROXY_ERROR_HEADER = 'forge-proxy-error';
export const FETCH_LIMIT_EXCEEDED = 'FETCH_LIMIT_EXCEEDED';

type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** True for the thrown form: @forge/api's ProxyRequestError with errorCode FETCH_LIMIT_EXCEEDED. */
export function isFetchLimitError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { errorCode?: unknown }).errorCode === FETCH_LIMIT_EXCEEDED;
}

/** True for the response form: a 429 carrying forge-proxy-error: FETCH_LIMIT_EXCEEDED. */
export function isFetchLimitResponse(response: Pick<HttpResponse, 'status' | 'headers'>): boolean {
  return response.status === 429 && (response.headers.get(FORGE_PROXY_ERROR_HEADER) ?? '').trim().toUpperCase() === FETCH_LIMIT_EXCEEDED;
}

export function fetchLimitError(transport: 'external' | 'jira', cause?: unknown): AppError {
  return new AppError(
    'FORGE_FETCH_LIMIT',
    "Forge's limit on outbound requests in one invocation was reached. The app continues in a new invocation; if a page action shows this, try it again.",
    // retry 'later' with 1 s only for callers that do not know this code (e.g. a consumer outside the step runner).
    { context: { transport }, cause, retry: 'later', retryAfterSeconds: 1 },
  );
}

/** Wraps a transport so Forge's per-invocation fetch limit surfaces as AppError FORGE_FETCH_LIMIT, in either form. */
export function withFetchLimit<T extends Transport>(transport: T, kind: 'external' | 'jira'): T {
  const wrapped = async (request: HttpRequest): Promise<HttpResponse> => {
    let response: HttpResponse;
    try {
      response = await transport(request);
    } catch (error) {
      if (isFetchLimitError(error)) throw fetchLimitError(kind, error);
      throw error;
    }
    if (isFetchLimitResponse(response)) {
      await response.text().catch(() => undefined);
      throw fetchLimitError(kind);
    }
    return response;
  };
  return wrapped as T;
}
