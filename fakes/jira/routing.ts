/**
 * The small request/response vocabulary the fake's route files share. A route returns null when it does not
 * understand a request: the server then answers 501 and records it as unexpected, so tests fail loudly.
 */

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface RouteResponse {
  readonly status: number;
  /** JSON-serialised; a string is sent as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set when the request was understood but is wrong in a way the app should never do: recorded as unexpected. */
  readonly unexpected?: string;
}

export function json(status: number, body: unknown): RouteResponse {
  return { status, body };
}

/** Jira and Assets error body: `{errorMessages: [...], errors: {field: message}}`. */
export function jiraError(status: number, errorMessages: string[], errors: Record<string, string> = {}): RouteResponse {
  return { status, body: { errorMessages, errors } };
}

/** A request the app should never send (bad body, unsupported parameter): 400 and recorded. */
export function misuse(reason: string): RouteResponse {
  return { status: 400, body: { errorMessages: [reason], errors: {} }, unexpected: reason };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function intParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}
