/**
 * The one way the Assets client talks to Assets: every call goes to `/jsm/assets/workspace/{id}/v1/...` through
 * the site transport, with the retry policy (429 with or without Retry-After, 5xx), and every failure is mapped
 * once, here, to an AppError an admin can act on (missing cmdb scopes, redirects Forge does not follow).
 */
import type { z } from 'zod';
import { AppError, type ErrorContext } from '../../domain/errors';
import { readJson, readJsonLoose, type HttpMethod, type HttpResponse, type JiraFetch } from '../http';
import { sendWithRetry, type RetryPolicy, type RetryRules } from '../retry-policy';

export const ASSETS_RETRY_RULES: RetryRules = {
  service: 'Assets',
  isRetryable: (status) => status === 429 || status >= 500,
  throttledCode: 'ASSETS_THROTTLED',
  unavailableCode: 'ASSETS_REQUEST_FAILED',
  unreachableCode: 'ASSETS_REQUEST_FAILED',
};

export const ASSETS_SCOPES =
  'read:cmdb-schema:jira, write:cmdb-schema:jira, read:cmdb-type:jira, write:cmdb-type:jira, read:cmdb-attribute:jira, ' +
  'write:cmdb-attribute:jira, read:cmdb-object:jira, write:cmdb-object:jira, read:cmdb-config:jira, write:cmdb-config:jira, read:cmdb-icon:jira';

export interface AssetsTransport {
  readonly fetch: JiraFetch;
  readonly policy: RetryPolicy;
}

export interface AssetsCall {
  readonly method: HttpMethod;
  /** Path below `/v1/`, path parameters already encoded (use `segment`). */
  readonly path: string;
  readonly body?: unknown;
  /** What the call does, for messages: "creating the Employee object type". */
  readonly what: string;
  readonly context?: ErrorContext;
}

export function assetsPath(workspaceId: string, path: string): string {
  return `/jsm/assets/workspace/${encodeURIComponent(workspaceId)}/v1/${path}`;
}

/** A path parameter, encoded. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

export async function assetsSend(transport: AssetsTransport, workspaceId: string, call: AssetsCall): Promise<HttpResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const url = assetsPath(workspaceId, call.path);
  return sendWithRetry(
    () => transport.fetch({ method: call.method, url, headers, ...(body === undefined ? {} : { body }) }),
    ASSETS_RETRY_RULES,
    transport.policy,
    contextOf(call),
  );
}

/** Sends the call and parses a success body; any other status becomes an AppError. */
export async function assetsJson<S extends z.ZodType>(
  transport: AssetsTransport,
  workspaceId: string,
  call: AssetsCall,
  schema: S,
): Promise<z.infer<S>> {
  const response = await assetsSend(transport, workspaceId, call);
  if (response.status < 200 || response.status >= 300) throw await assetsFailure(response, call);
  return readJson(response, schema, `Assets (${call.what})`, contextOf(call));
}

export async function assetsFailure(response: HttpResponse, call: Pick<AssetsCall, 'what' | 'context' | 'method' | 'path'>): Promise<AppError> {
  const status = response.status;
  const body = await readJsonLoose(response);
  const context = { ...contextOf(call), status };
  if (status === 401 || status === 403) {
    return new AppError(
      'ASSETS_UNAUTHORIZED',
      `Assets refused ${call.what} (HTTP ${status}). The app needs the Assets scopes (${ASSETS_SCOPES}); check that the ` +
        `installed app version has them (an upgrade that adds scopes must be accepted by a Jira admin).`,
      { context, cause: body },
    );
  }
  if (status >= 300 && status < 400) {
    return new AppError(
      'ASSETS_REQUEST_FAILED',
      `Assets answered ${call.what} with a redirect (HTTP ${status}), which Forge does not follow. Check that Assets is ` +
        `enabled on this site; if it is, report this to the app vendor.`,
      { context, cause: body },
    );
  }
  const detail = errorSummary(body);
  return new AppError('ASSETS_REQUEST_FAILED', `Assets could not complete ${call.what} (HTTP ${status})${detail ? `: ${detail}` : '.'}`, {
    context,
    cause: body,
    retry: status >= 500 ? 'later' : 'permanent',
    ...(status >= 500 ? { retryAfterSeconds: 60 } : {}),
  });
}

/**
 * The field names Assets reported as wrong, never the messages themselves: those can quote the rejected value
 * (an email, a name), which must not reach logs or run history.
 */
function errorSummary(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const errors = (body as { errors?: unknown }).errors;
  if (typeof errors !== 'object' || errors === null) return '';
  const fields = Object.keys(errors);
  return fields.length === 0 ? '' : `Assets rejected the field(s) ${fields.join(', ')}.`;
}

function contextOf(call: Pick<AssetsCall, 'context' | 'method' | 'path'>): ErrorContext {
  return { endpoint: `${call.method} ${call.path.split('?')[0] ?? call.path}`, ...call.context };
}
