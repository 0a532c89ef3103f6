/**
 * The one way the Assets client talks to Assets: every call goes to `/jsm/assets/workspace/{id}/v1/...` through
 * the site transport, with the retry policy (429 with or without Retry-After, 5xx; a paced write hands a 429 back at
 * once, AssetsCall.paced), and every failure is mapped
 * once, here, to an AppError an admin can act on (missing cmdb scopes or Assets roles). Redirects, which Forge does
 * not follow for Assets, are followed here (assetsExchange).
 */
import type { z } from 'zod';

import { AppError, type ErrorContext } from '../../domain/errors';
import { type HttpMethod, type HttpResponse, type JiraFetch, readJson, readJsonLoose } from '../http';
import { type RetryPolicy, type RetryRules, sendWithRetry, toRetryAfterSeconds, waitFromHeaders } from '../retry-policy';

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
  /**
   * A paced write (the write stage's pacer spaces it): a 429 is handed back at once as ASSETS_THROTTLED (context
   * `throttled: 1`) instead of being retried in-process, so the pacer hears it as it arrives and the retry waits its
   * turn in a window that has room (issue 16). 5xx answers and network failures are still retried in-process.
   */
  readonly paced?: boolean;
}

export function assetsPath(workspaceId: string, path: string): string {
  return `/jsm/assets/workspace/${encodeURIComponent(workspaceId)}/v1/${path}`;
}

/** A path parameter, encoded. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

/** Statuses Forge hands back instead of following (see the module comment). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects followed for one call; one more is a loop or a misrouted site, reported as ASSETS_REDIRECT_FAILED. */
export const MAX_ASSETS_REDIRECTS = 3;
/** Where a redirect may lead: the Assets REST API of a workspace, nothing else on the site. */
const ASSETS_API_PATH = /^\/jsm\/assets\/workspace\/[^/]+\/v1\//;

/** What one call met on the way to its answer: the pacer counts the 429s, Diagnostics the redirects. */
export interface AssetsExchange {
  readonly response: HttpResponse;
  /** 429 answers retried (in-process) before this response. */
  readonly throttled: number;
  readonly redirects: number;
}

export async function assetsSend(transport: AssetsTransport, workspaceId: string, call: AssetsCall): Promise<HttpResponse> {
  return (await assetsExchange(transport, workspaceId, call)).response;
}

/**
 * Sends the call with the retry policy and follows Assets redirects itself. Atlassian's "Assets scopes for OAuth 2.0
 * (3LO) and Forge apps" page (https://developer.atlassian.com/cloud/assets/assets-rest-api-guide/scopes-for-oauth-2-3LO-and-forge-apps/,
 * "Redirect response codes") says Assets 3xx answers are not handled by Forge and the app must re-issue the request
 * to the Location path through requestJira (which takes a site-relative path: an absolute Location keeps only its
 * path and query, as the page's sample does). Method and body follow the Fetch standard
 * (https://fetch.spec.whatwg.org/#http-redirect-fetch): 307/308 keep both; 303 becomes a GET without body; 301/302
 * turn a POST into a GET without body and keep any other method (PUT stays PUT with its body).
 */
export async function assetsExchange(transport: AssetsTransport, workspaceId: string, call: AssetsCall): Promise<AssetsExchange> {
  let method = call.method;
  let body = call.body === undefined ? undefined : JSON.stringify(call.body);
  let url = assetsPath(workspaceId, call.path);
  let throttled = 0;
  for (let redirects = 0; ; redirects++) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const request = { method, url, headers, ...(body === undefined ? {} : { body }) };
    const response = await sendWithRetry(
      async () => {
        const answer = await transport.fetch(request);
        if (answer.status === 429) {
          throttled++;
          if (call.paced === true) throw await pacedThrottled(answer, transport.policy, call);
        }
        return answer;
      },
      ASSETS_RETRY_RULES,
      transport.policy,
      contextOf(call),
    ).catch((error: unknown) => {
      // Handed back as "retry later": the write stage's pacer counts the 429s the call met (a count, no data).
      if (error instanceof AppError && error.code === 'ASSETS_THROTTLED') throw withThrottledCount(error, throttled);
      throw error;
    });
    if (!REDIRECT_STATUSES.has(response.status)) return { response, throttled, redirects };
    await response.text().catch(() => undefined);
    const context = { ...contextOf(call), status: response.status, redirects };
    if (redirects >= MAX_ASSETS_REDIRECTS) {
      throw new AppError(
        'ASSETS_REDIRECT_FAILED',
        `Assets redirected ${call.what} more than ${MAX_ASSETS_REDIRECTS} times in a row, so the app stopped following. This is a ` +
          `problem on the Assets side: try again later, and if it repeats, report it to Atlassian support with this error code.`,
        { context, retry: 'later', retryAfterSeconds: 300 },
      );
    }
    const next = redirectTarget(response.headers.get('location'), url);
    if (next === null) {
      throw new AppError(
        'ASSETS_REDIRECT_FAILED',
        `Assets answered ${call.what} with a redirect (HTTP ${response.status}) to a place outside the Assets REST API (or to no ` +
          `place at all), which the app does not follow. Check that Assets is enabled on this site; if it is, report this to the app vendor.`,
        { context },
      );
    }
    url = next;
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

/**
 * A paced call's 429, handed back at once (sendWithRetry passes an AppError thrown by the send through unretried).
 * retryAfterSeconds only when the answer says how long (Retry-After; Assets often omits it, JSDCLOUD-11605): the
 * pacer, not a blind backoff, decides when the write goes again (its window cap holds it until the site's rolling
 * minute has room). Should the error end the invocation, the step runner's default "retry later" (60 s, one
 * rolling minute) applies.
 */
async function pacedThrottled(response: HttpResponse, policy: RetryPolicy, call: AssetsCall): Promise<AppError> {
  await response.text().catch(() => undefined);
  const waitMs = waitFromHeaders(response, policy.now(), ASSETS_RETRY_RULES.resetHeaders);
  const seconds = waitMs === undefined ? undefined : toRetryAfterSeconds(waitMs);
  return new AppError(
    'ASSETS_THROTTLED',
    `Assets is throttling the app; it will retry ${seconds === undefined ? 'when the write rate allows' : `after ${seconds} s`}.`,
    {
      context: { ...contextOf(call), status: 429, throttled: 1 },
      retry: 'later',
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
    },
  );
}

function withThrottledCount(error: AppError, throttled: number): AppError {
  return new AppError(error.code, error.message, {
    context: { ...error.context, throttled },
    cause: error.cause,
    retry: error.retry,
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
  });
}

/** The site-relative path and query a Location points to, or null when it leaves the Assets REST API. */
/**
 * Only to resolve a relative Location: RFC 6761 reserves .invalid, no request ever goes there, and only the path and
 * query of the result are used (plain http, so it is not mistaken for an egress host).
 */
const PLACEHOLDER_ORIGIN = 'http://site.invalid';

function redirectTarget(location: string | null, from: string): string | null {
  if (location === null || location.trim() === '') return null;
  let target: URL;
  try {
    // Relative Locations resolve against the request; an absolute one keeps only its path and query.
    target = new URL(location.trim(), new URL(from, PLACEHOLDER_ORIGIN));
  } catch {
    return null;
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return null;
  const path = `${target.pathname}${target.search}`;
  return ASSETS_API_PATH.test(target.pathname) ? path : null;
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

export async function assetsFailure(
  response: HttpResponse,
  call: Pick<AssetsCall, 'what' | 'context' | 'method' | 'path'>,
): Promise<AppError> {
  const status = response.status;
  const body = await readJsonLoose(response);
  const context = { ...contextOf(call), status };
  if (status === 401 || status === 403) {
    return new AppError('ASSETS_UNAUTHORIZED', unauthorizedMessage(call.what, status), { context, cause: body });
  }
  const detail = errorSummary(body);
  return new AppError('ASSETS_REQUEST_FAILED', `Assets could not complete ${call.what} (HTTP ${status})${detail ? `: ${detail}` : '.'}`, {
    context,
    cause: body,
    retry: status >= 500 ? 'later' : 'permanent',
    ...(status >= 500 ? { retryAfterSeconds: 60 } : {}),
  });
}

/** Where an admin grants the app its Assets roles (Atlassian's "What are roles?" page names the schema's Roles tab). */
export const ASSETS_ROLES_PLACE = 'Assets -> Object schemas -> "Entra Directory" -> Schema configuration -> Roles';

/**
 * Assets checks two things, and a 401/403 does not say which failed, so the message names both:
 * 1. the app's OAuth scopes (the cmdb scopes in manifest.yml, accepted by a Jira admin on install or upgrade);
 * 2. the Assets roles of the app's user. Atlassian's "What are roles?" page
 *    (https://support.atlassian.com/jira-service-management-cloud/docs/what-are-roles/) says Marketplace apps that
 *    need Assets permissions are added to a schema's roles (the "Apps" column) automatically or can be added by hand;
 *    object schema managers configure the schema (object types, attributes), developers create and edit objects,
 *    users only view them. We assume (not documented for Forge apps) that a Forge app's user is placed like any
 *    other app and needs "Object schema managers" for Create Schema and at least "Object schema developers" for a
 *    sync. A May 2025 community thread reports 401s from Forge despite the cmdb scopes: unverified, hence both causes.
 */
export function unauthorizedMessage(what: string, status: number): string {
  return (
    `Assets refused ${what} (HTTP ${status}). Two things can cause this. 1) Scopes: the installed app version must have the ` +
    `Assets scopes (${ASSETS_SCOPES}); if an upgrade added scopes, a Jira admin must accept it (Jira settings -> Apps -> Manage apps). ` +
    `2) Assets roles: the app must hold a role on its schema. In ${ASSETS_ROLES_PLACE}, add the app (Apps column) to ` +
    `"Object schema managers" (needed to create and repair the schema) or at least "Object schema developers" (needed to ` +
    `create and update Employee objects), then try again.`
  );
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
