/**
 * How the Jira platform client sends a request and classifies what comes back: the retry rules for Jira, the
 * quota-based 429 that must become "retry later" at once, redirects Forge will not follow, and the mapping of
 * error statuses to AppError codes with messages an admin can act on.
 */
import { AppError, type ErrorContext } from '../../domain/errors';
import { type HttpResponse, type JiraFetch, readJsonLoose } from '../http';
import { type RetryPolicy, type RetryRules, sendWithRetry, toRetryAfterSeconds, waitFromHeaders } from '../retry-policy';

/**
 * Headers that say when a Jira rate limit resets, read when a 429 has no Retry-After. X-RateLimit-Reset is an ISO 8601
 * timestamp (yyyy-MM-ddTHH:mmZ) per https://developer.atlassian.com/cloud/jira/platform/rate-limiting/ (quoted in
 * JRACLOUD-69262); the gateway's 429 may carry it with no Retry-After. X-Beta-RateLimit-Reset comes with the 2026
 * points-based limits (beta headers, format not documented: read tolerantly by parseResetTime).
 */
export const JIRA_RESET_HEADERS = ['x-ratelimit-reset', 'x-beta-ratelimit-reset'] as const;

export const JIRA_RETRY_RULES: RetryRules = {
  service: 'Jira',
  isRetryable: (status) => status === 429 || status >= 500,
  throttledCode: 'JIRA_THROTTLED',
  unavailableCode: 'JIRA_REQUEST_FAILED',
  unreachableCode: 'JIRA_REQUEST_FAILED',
  resetHeaders: JIRA_RESET_HEADERS,
};

/** When no header says when a quota 429 resets: the hourly quota resets within the hour. */
const QUOTA_FALLBACK_WAIT_MS = 15 * 60 * 1000;

export interface JiraGet {
  readonly path: string;
  readonly rules: RetryRules;
  readonly context: ErrorContext;
}

/**
 * GET with the retry policy. A 429 whose RateLimit-Reason (or X-Beta-RateLimit-Reason) is a quota (jira-quota-*) is
 * not retried in-process: the hourly points budget is spent, so waiting seconds cannot help; it becomes "retry later"
 * until the reset. Any other 429 (jira-burst-based, jira-cost-based, or none: the gateway's) waits until its
 * Retry-After or reset time, measured against the response's Date header: in-process when short, else retry later.
 */
export async function jiraGet(fetch: JiraFetch, policy: RetryPolicy, request: JiraGet): Promise<HttpResponse> {
  return sendWithRetry(
    async () => {
      const response = await fetch({ method: 'GET', url: request.path, headers: { Accept: 'application/json' } });
      if (response.status === 429 && isQuota(response)) {
        await response.text().catch(() => undefined);
        throw quotaExhausted(response, policy.now(), request.context);
      }
      return response;
    },
    request.rules,
    policy,
    request.context,
  );
}

/** The reason a Jira 429 gives: the current header, else the 2026 beta one. */
export function rateLimitReason(response: Pick<HttpResponse, 'headers'>): string | null {
  return response.headers.get('ratelimit-reason') ?? response.headers.get('x-beta-ratelimit-reason');
}

function isQuota(response: HttpResponse): boolean {
  return [response.headers.get('ratelimit-reason'), response.headers.get('x-beta-ratelimit-reason')].some(
    (reason) => reason !== null && reason.trim().toLowerCase().startsWith('jira-quota'),
  );
}

function quotaExhausted(response: HttpResponse, nowMs: number, context: ErrorContext): AppError {
  const waitMs = waitFromHeaders(response, nowMs, JIRA_RESET_HEADERS) ?? QUOTA_FALLBACK_WAIT_MS;
  const seconds = toRetryAfterSeconds(waitMs);
  return new AppError('JIRA_THROTTLED', `Jira's hourly rate limit quota for this app is used up; the app will retry in ${seconds} s.`, {
    context: { ...context, status: 429, reason: rateLimitReason(response) },
    retry: 'later',
    retryAfterSeconds: seconds,
  });
}

/** What a Jira call needs: the Forge scope, and (where the endpoint checks one) the Jira permission of the caller. */
export interface JiraAccess {
  /** The manifest scope, e.g. read:jira-user. */
  readonly scope: string;
  /** The Jira permission and where an admin grants it, as one phrase; omitted when the endpoint checks none. */
  readonly permission?: string;
}

/** users/search needs "Browse users and groups" (jira-platform spec, GET /rest/api/3/users/search, Permissions required). */
export const BROWSE_USERS_PERMISSION =
  'the Jira global permission "Browse users and groups" for the app\'s user (a Jira admin grants it in Jira settings > System > ' +
  "Global permissions, to a group the app's user is in, such as atlassian-addons-admin)";

/**
 * Maps a response that is not a success to an AppError. A 401/403 names both possible causes: the Forge scope the
 * call needs (an upgrade adding it must be accepted by an admin) and the Jira permission the app's user needs.
 */
export async function jiraFailure(
  response: HttpResponse,
  what: string,
  access: JiraAccess | string,
  context: ErrorContext,
): Promise<AppError> {
  const { scope, permission } = typeof access === 'string' ? { scope: access, permission: undefined } : access;
  const status = response.status;
  const body = await readJsonLoose(response);
  const ctx = { ...context, status };
  if (status === 401 || status === 403) {
    const needs = permission === undefined ? '' : ` Or the app lacks ${permission}.`;
    return new AppError(
      'JIRA_UNAUTHORIZED',
      `Jira refused ${what} (HTTP ${status}). The app needs the scope ${scope}: check that the installed app version has it ` +
        `(an upgrade that adds a scope must be accepted by a Jira admin in Apps > Manage apps).${needs}`,
      { context: ctx, cause: body },
    );
  }
  if (status >= 300 && status < 400) {
    return new AppError(
      'JIRA_REQUEST_FAILED',
      `Jira answered ${what} with a redirect (HTTP ${status}), which Forge does not follow. This usually means the site ` +
        `moved or the request path is wrong; report it to the app vendor.`,
      { context: ctx, cause: body },
    );
  }
  return new AppError('JIRA_REQUEST_FAILED', `Jira could not complete ${what} (HTTP ${status}).`, {
    context: ctx,
    cause: body,
    retry: status >= 500 ? 'later' : 'permanent',
    ...(status >= 500 ? { retryAfterSeconds: 60 } : {}),
  });
}
