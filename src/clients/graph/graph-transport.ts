/**
 * One authenticated Graph request, as every Graph operation sends it: bearer token, priority (Low for background), a fresh
 * client-request-id per attempt, the shared retry policy, and one new sign-in when Graph rejects the token (401)
 * or its roles (403 Authorization_RequestDenied or AccessDenied: consent may have been granted after the token was issued).
 * Failures come back as data so each operation decides what a status means for it.
 */
import { AppError, type ErrorContext } from '../../domain/errors';
import type { MicrosoftCloudEndpoints } from '../../domain/microsoft-cloud';
import { type ExternalFetch, type HttpRequest, type HttpResponse, readJsonLoose } from '../http';
import { type RetryPolicy, sendWithRetry } from '../retry-policy';
import { GRAPH_RETRY_RULES, type GraphFailure, isConsentDenied, unknownExtensionProperty } from './graph-errors';
import { graphErrorSchema, isGraphLink } from './graph-schemas';
import type { TokenProvider } from './token-client';

export interface GraphClientDeps {
  readonly fetch: ExternalFetch;
  readonly endpoints: MicrosoftCloudEndpoints;
  readonly tokens: TokenProvider;
  readonly policy: RetryPolicy;
  /** A GUID per request, sent as client-request-id so Microsoft support can find the call. */
  readonly newRequestId: () => string;
  /**
   * 'background' (the default: the sync) sends `x-ms-throttle-priority: Low`, so Graph throttles the app's
   * background reads before its interactive ones; 'interactive' (Test connection, an admin waiting) leaves the
   * header out (normal priority). https://learn.microsoft.com/graph/throttling#throttling-priority
   */
  readonly priority?: 'background' | 'interactive';
}

/** The throttle-priority header for a request under these deps: Low for background work, nothing otherwise. */
export function priorityHeaders(deps: Pick<GraphClientDeps, 'priority'>): Record<string, string> {
  return (deps.priority ?? 'background') === 'background' ? { 'x-ms-throttle-priority': 'Low' } : {};
}

export type GraphResult =
  | { readonly ok: true; readonly response: HttpResponse; readonly clientRequestId: string; readonly context: ErrorContext }
  | { readonly ok: false; readonly failure: GraphFailure };

export type GraphCall = (operation: string, request: HttpRequest) => Promise<GraphResult>;

export function createGraphCall(deps: GraphClientDeps): GraphCall {
  return async (operation, request) => {
    for (let refreshed = false; ; refreshed = true) {
      const token = await deps.tokens.getToken();
      let clientRequestId = '';
      const response = await sendWithRetry(
        () => {
          clientRequestId = deps.newRequestId();
          return deps.fetch({
            ...request,
            headers: {
              Accept: 'application/json',
              ...request.headers,
              Authorization: `Bearer ${token}`,
              ...priorityHeaders(deps),
              'client-request-id': clientRequestId,
            },
          });
        },
        GRAPH_RETRY_RULES,
        deps.policy,
        { operation },
      );
      const requestId = response.headers.get('request-id');
      if (response.status >= 200 && response.status < 300) {
        return { ok: true, response, clientRequestId, context: { operation, status: response.status, requestId, clientRequestId } };
      }
      const parsed = graphErrorSchema.safeParse(await readJsonLoose(response));
      const failure: GraphFailure = {
        status: response.status,
        graphCode: parsed.success ? parsed.data.error.code : null,
        requestId,
        clientRequestId,
        unknownProperty: unknownExtensionProperty(response.status, parsed.success ? parsed.data.error.message : undefined),
        // Add member: "400 Bad Request ... when the object is already a member" (https://learn.microsoft.com/graph/api/group-post-members).
        alreadyMember:
          response.status === 400 && parsed.success && /added object references already exist/i.test(parsed.data.error.message ?? ''),
      };
      if (!refreshed && (failure.status === 401 || isConsentDenied(failure))) {
        await deps.tokens.invalidate();
        continue;
      }
      return { ok: false, failure };
    }
  };
}

/** Links from earlier pages (possibly stored between invocations) are only followed on the configured Graph host. */
export function assertGraphLink(link: string, graphOrigin: string, operation: string): void {
  if (isGraphLink(link, graphOrigin)) return;
  throw new AppError(
    'GRAPH_REQUEST_FAILED',
    'A saved Microsoft Graph paging link does not belong to the configured Microsoft cloud. Start a full sync again.',
    { context: { operation } },
  );
}
