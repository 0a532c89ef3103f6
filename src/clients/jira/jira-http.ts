/**
 * How the Jira platform client sends a request and classifies what comes back: the retry rules for Jira, the
 * quota-based 429 that must become "retry later" at once, redirects Forge will not follow, and the mapping of
 * error statuses to AppError codes with messages an admin can act on.
 */
import { AppError, type ErrorContext } from '../../domain/errors';
import { readJsonLoose, type HttpResponse, type JiraFetch } from '../http';
import { parseRetryAfter, sendWithRetry, toRetryAfterSeconds, type RetryPolicy, type RetryRules } from '../retry-policy';

export const JIRA_RETRY_RULES: RetryRules = {
  service: 'Jira',
  isRetryable: (status) => status === 429 || status >= 500,
  throttledCode: 'JIRA_THROTTLED',
  unavailableCode: 'JIRA_REQUEST_FAILED',
  unreachableCode: 'JIRA_REQUEST_FAILED',
};

/** When Retry-After and X-RateLimit-Reset are both missing from a quota 429: the hourly quota resets within the hour. */
const QUOTA_FALLBACK_WAIT_MS = 15 * 60 * 1000;

export interface JiraGet {
  readonly path: string;
  readonly rules: RetryRules;
  readonly context: ErrorContext;
}

/**
 * GET with the retry policy. A 429 whose RateLimit-Reason is a quota (jira-quota-*) is not retried in-process:
 * the hourly points budget is spent, so waiting seconds cannot help; it becomes "retry later" until the reset.
 */
export async function jiraGet(fetch: JiraFetch, policy: RetryPolicy, request: JiraGet): Promise<HttpResponse> {
  return sendWithRetry(
    async () => {
      const response = await fetch({ method: 'GET', url: request.path, headers: { Accept: 'application/json' } });
      if (response.status === 429 && isQuotaReason(response.headers.get('ratelimit-reason'))) {
        throw quotaExhausted(response, policy.now(), request.context);
      }
      return response;
    },
    request.rules,
    policy,
    request.context,
  );
}

function isQuotaReason(reason: string | null): boolean {
  return reason !== null && reason.trim().toLowerCase().startsWith('jira-quota');
}

function quotaExhausted(response: HttpResponse, nowMs: number, context: ErrorContext): AppError {
  const waitMs =
    parseRetryAfter(response.headers.get('retry-after'), nowMs) ?? parseResetDate(response.headers.get('x-ratelimit-reset'), nowMs) ?? QUOTA_FALLBACK_WAIT_MS;
  const seconds = toRetryAfterSeconds(waitMs);
  return new AppError('JIRA_THROTTLED', `Jira's hourly rate limit quota for this app is used up; the app will retry in ${seconds} s.`, {
    context: { ...context, status: 429, reason: response.headers.get('ratelimit-reason') },
    retry: 'later',
    retryAfterSeconds: seconds,
  });
}

function parseResetDate(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Maps a response that is not a success to an AppError. `scope` is the Forge scope the call needs. */
export async function jiraFailure(response: HttpResponse, what: string, scope: string, context: ErrorContext): Promise<AppError> {
  const status = response.status;
  const body = await readJsonLoose(response);
  const ctx = { ...context, status };
  if (status === 401 || status === 403) {
    return new AppError(
      'JIRA_UNAUTHORIZED',
      `Jira refused ${what} (HTTP ${status}). The app needs the scope ${scope}: check that the installed app version has it ` +
        `(an upgrade that adds a scope must be accepted by a Jira admin) and that the app can browse users.`,
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
