/**
 * Response values shared by the fake's routes: a route returns a FakeResponse (so $batch can run the same GET
 * routes for its items) and throws NotUnderstood for anything outside what the fake models, which the server
 * answers with 501 and records as unexpected.
 */

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
}

export class NotUnderstood extends Error {}

/** What every Graph route needs to know about the request being answered. */
export interface GraphRequestContext {
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
  readonly clientRequestId: string | null;
  readonly now: number;
  readonly origin: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body };
}

export function graphError(
  ctx: Pick<GraphRequestContext, 'requestId' | 'clientRequestId' | 'now'>,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): FakeResponse {
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': ctx.requestId,
          'client-request-id': ctx.clientRequestId ?? ctx.requestId,
        },
      },
    },
    headers,
  );
}

/** The Graph error code a status usually carries, for injected failures without a body. */
export function defaultErrorCode(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 503) return 'ServiceNotAvailable';
  if (status === 504) return 'GatewayTimeout';
  if (status === 401) return 'InvalidAuthenticationToken';
  if (status === 403) return 'Authorization_RequestDenied';
  if (status === 404) return 'Request_ResourceNotFound';
  if (status >= 500) return 'UnknownError';
  return 'Request_BadRequest';
}

/** Only the given query options may be present; others are outside the fake's model. */
export function allowOnly(query: URLSearchParams, allowed: readonly string[], route: string): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key))
      throw new NotUnderstood(`${route}: query option '${key}' is not modelled (allowed: ${allowed.join(', ') || 'none'})`);
  }
}
