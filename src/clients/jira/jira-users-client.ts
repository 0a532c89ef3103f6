/**
 * Reads the site's Atlassian accounts (Jira user search) and the emails their profiles hide (Jira email API).
 * The email API may be unavailable to the app (not approved: 400; not enabled: 503): that is not an error but a
 * reason matching is incomplete, handed back so the pipeline can put it in the run report.
 */
import type { ErrorContext } from '../../domain/errors';
import { type JiraFetch, readJson } from '../http';
import type { RetryPolicy, RetryRules } from '../retry-policy';
import { BROWSE_USERS_PERMISSION, JIRA_RETRY_RULES, type JiraAccess, jiraFailure, jiraGet } from './jira-http';
import { emailBulkSchema, type JiraAccountRecord, usersSearchPageSchema } from './jira-user-schemas';

export type { JiraAccountRecord } from './jira-user-schemas';

/** Jira's maximum page for users/search. */
export const JIRA_USERS_PAGE_SIZE = 1000;
/** URLs stay under 8 KB (proxies reject longer ones); this leaves room for the host. */
export const EMAIL_BULK_MAX_URL_LENGTH = 7_500;
export const EMAIL_BULK_MAX_IDS = 100;
/**
 * Email lookups sent at once. A 1,000-account page whose emails are hidden needs ten of them, and one after the other
 * they were most of the first sync's reading time (issue 16: 95 lookups, about 20 s at 10,000 users). Four at a time
 * stays far below Jira's burst limit for GETs (100 a second, ../shared: Jira's 2026 rate limits) and costs no more
 * points: the same requests, sooner. A 429 is retried per lookup by the retry policy as before.
 */
export const EMAIL_BULK_CONCURRENCY = 4;

export const USERS_SEARCH_PATH = '/rest/api/3/users/search';
export const EMAIL_BULK_PATH = '/rest/api/3/user/email/bulk';

const READ_USERS_ACCESS: JiraAccess = { scope: 'read:jira-user', permission: BROWSE_USERS_PERMISSION };
/** The email API checks no Jira permission: it needs the scope, a call as the app, and Atlassian's approval (400). */
const READ_EMAIL_ACCESS: JiraAccess = { scope: 'read:email-address:jira' };

/**
 * users/search documents 409 "Returned if the request takes longer than 10 seconds or is interrupted"
 * (jira-platform.swagger-v3.json): a slow search, not a wrong request. Retried in-process with backoff, then later.
 */
const USERS_SEARCH_RULES: RetryRules = {
  ...JIRA_RETRY_RULES,
  isRetryable: (status) => status === 409 || JIRA_RETRY_RULES.isRetryable(status),
};

/** 503 from the email API means "not enabled": permanent for this site, so it is not retried. */
const EMAIL_RETRY_RULES: RetryRules = { ...JIRA_RETRY_RULES, isRetryable: (status) => status === 429 || (status >= 500 && status !== 503) };

export interface JiraUsersPage {
  readonly accounts: JiraAccountRecord[];
  /** Accounts whose email the search did not show (hidden by profile visibility, or none). */
  readonly emailHidden: string[];
  /**
   * True only for an EMPTY page. The endpoint gives no total and nothing documents that a short page is the last:
   * maxResults is "The maximum number of items to return" (the spec), so Jira may answer fewer before the end.
   */
  readonly isLast: boolean;
}

export interface EmailApiUnavailable {
  readonly status: 400 | 503;
  readonly message: string;
}

export interface EmailsResult {
  readonly emails: Map<string, string>;
  readonly unavailable: null | EmailApiUnavailable;
}

export interface JiraUsersClient {
  listUsersPage(startAt: number): Promise<JiraUsersPage>;
  getEmails(accountIds: readonly string[]): Promise<EmailsResult>;
}

export function createJiraUsersClient(deps: { fetch: JiraFetch; policy: RetryPolicy }): JiraUsersClient {
  const { fetch, policy } = deps;

  async function listUsersPage(startAt: number): Promise<JiraUsersPage> {
    const context: ErrorContext = { endpoint: 'users/search', startAt };
    const path = `${USERS_SEARCH_PATH}?startAt=${startAt}&maxResults=${JIRA_USERS_PAGE_SIZE}`;
    const response = await jiraGet(fetch, policy, { path, rules: USERS_SEARCH_RULES, context });
    if (response.status !== 200) throw await jiraFailure(response, 'the user search', READ_USERS_ACCESS, context);
    const accounts = await readJson(response, usersSearchPageSchema, 'Jira user search', context);
    return {
      accounts,
      emailHidden: accounts.filter((a) => a.emailAddress === null).map((a) => a.accountId),
      isLast: accounts.length === 0,
    };
  }

  async function getEmails(accountIds: readonly string[]): Promise<EmailsResult> {
    const emails = new Map<string, string>();
    const unique = [...new Set(accountIds)];
    const chunks = chunkForUrl(unique);
    // The first "not available" answer (400 / 503) stops the lookups not yet sent; the ones in flight finish.
    let unavailable: 400 | 503 | null = null;
    // A lookup that failed (thrown) stops the others from sending more too.
    let failed = false;
    let next = 0;
    const lookup = async (): Promise<void> => {
      try {
        while (unavailable === null && !failed && next < chunks.length) {
          const index = next++;
          const chunk = chunks[index]!;
          const context: ErrorContext = { endpoint: 'user/email/bulk', chunk: index, ids: chunk.length };
          const response = await jiraGet(fetch, policy, { path: emailBulkUrl(chunk), rules: EMAIL_RETRY_RULES, context });
          if (response.status === 400 || response.status === 503) {
            await response.text().catch(() => undefined);
            unavailable ??= response.status;
            return;
          }
          if (response.status !== 200) throw await jiraFailure(response, 'the email lookup', READ_EMAIL_ACCESS, context);
          const entries = await readJson(response, emailBulkSchema, 'Jira email lookup', context);
          for (const entry of entries) {
            if (typeof entry.email === 'string' && entry.email.trim() !== '') emails.set(entry.accountId, entry.email);
          }
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    // allSettled, then the first failure: a lookup that failed does not leave the others running unobserved.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(EMAIL_BULK_CONCURRENCY, chunks.length) }, lookup));
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected !== undefined) throw rejected.reason;
    if (unavailable !== null) {
      return { emails, unavailable: { status: unavailable, message: unavailableMessage(unavailable, unique.length - emails.size) } };
    }
    return { emails, unavailable: null };
  }

  return { listUsersPage, getEmails };
}

export function emailBulkUrl(accountIds: readonly string[]): string {
  return `${EMAIL_BULK_PATH}?${accountIds.map((id) => `accountId=${encodeURIComponent(id)}`).join('&')}`;
}

/** Splits ids so each URL stays under the limit (and at most EMAIL_BULK_MAX_IDS ids), keeping the order. */
export function chunkForUrl(accountIds: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = EMAIL_BULK_PATH.length + 1;
  for (const id of accountIds) {
    const part = `accountId=${encodeURIComponent(id)}`.length + 1;
    if (current.length > 0 && (current.length >= EMAIL_BULK_MAX_IDS || length + part > EMAIL_BULK_MAX_URL_LENGTH)) {
      chunks.push(current);
      current = [];
      length = EMAIL_BULK_PATH.length + 1;
    }
    current.push(id);
    length += part;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function unavailableMessage(status: 400 | 503, missing: number): string {
  const why =
    status === 400
      ? 'Jira answered that this app is not approved to read email addresses hidden by profile visibility (HTTP 400).'
      : 'Jira answered that its email API is not enabled on this site (HTTP 503).';
  return (
    `${why} ${missing} account(s) with a hidden email could not be matched by email; they are reported as unmatched. ` +
    `Users can make their email visible in their Atlassian profile, or the app vendor can request email access from Atlassian.`
  );
}
