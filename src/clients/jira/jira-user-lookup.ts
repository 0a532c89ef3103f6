/**
 * One Atlassian account at a time, for the single-user sync (src/services/single-user-sync.ts): by account id
 * (GET /rest/api/3/user) and by email (GET /rest/api/3/user/search?query=). Both answer under profile visibility
 * ("Privacy controls are applied to the response based on the user's preferences. This could mean ... that the
 * user's email address is hidden": jira-platform.swagger-v3.json, both operations), so a hidden email is read with
 * the email API (jira-users-client.ts getEmails), and a search by an email that profile visibility hides may find
 * nothing: the spec only says the query "is matched against user attributes (displayName, and emailAddress)".
 */
import type { ErrorContext } from '../../domain/errors';
import { type JiraFetch, readJson } from '../http';
import type { RetryPolicy } from '../retry-policy';
import { BROWSE_USERS_PERMISSION, JIRA_RETRY_RULES, type JiraAccess, jiraFailure, jiraGet } from './jira-http';
import { type JiraAccountRecord, jiraAccountRecordSchema, usersSearchPageSchema } from './jira-user-schemas';

export const USER_PATH = '/rest/api/3/user';
export const USER_SEARCH_PATH = '/rest/api/3/user/search';
/** Accounts read from one search: an exact email names one person; a few more show what else the query matched. */
export const USER_SEARCH_MAX_RESULTS = 20;

const READ_USERS_ACCESS: JiraAccess = { scope: 'read:jira-user', permission: BROWSE_USERS_PERMISSION };

export interface JiraUserLookup {
  /** The account, or null when Jira does not know the id (404). */
  getUser(accountId: string): Promise<JiraAccountRecord | null>;
  /** Active accounts the search finds for the query (display name or visible email, by prefix). */
  searchUsers(query: string): Promise<JiraAccountRecord[]>;
}

export function createJiraUserLookup(deps: { fetch: JiraFetch; policy: RetryPolicy }): JiraUserLookup {
  const { fetch, policy } = deps;
  return {
    async getUser(accountId) {
      const context: ErrorContext = { endpoint: 'user' };
      const response = await jiraGet(fetch, policy, {
        path: `${USER_PATH}?accountId=${encodeURIComponent(accountId)}`,
        rules: JIRA_RETRY_RULES,
        context,
      });
      // "404 Returned if the user is not found." (the spec).
      if (response.status === 404) {
        await response.text().catch(() => undefined);
        return null;
      }
      if (response.status !== 200) throw await jiraFailure(response, 'the user lookup', READ_USERS_ACCESS, context);
      return readJson(response, jiraAccountRecordSchema, 'Jira user', context);
    },
    async searchUsers(query) {
      const context: ErrorContext = { endpoint: 'user/search' };
      const response = await jiraGet(fetch, policy, {
        path: `${USER_SEARCH_PATH}?query=${encodeURIComponent(query)}&maxResults=${USER_SEARCH_MAX_RESULTS}`,
        rules: JIRA_RETRY_RULES,
        context,
      });
      if (response.status !== 200) throw await jiraFailure(response, 'the user search', READ_USERS_ACCESS, context);
      return readJson(response, usersSearchPageSchema, 'Jira user search', context);
    },
  };
}
