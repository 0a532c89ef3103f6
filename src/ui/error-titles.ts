/**
 * A short title for each error the page can show, above the backend's message (which says what to do). Codes not
 * listed get a neutral title; the message is always shown in full.
 */
const TITLES: Readonly<Record<string, string>> = {
  PERMISSION_DENIED: 'Only Jira administrators can use this page',
  INPUT_INVALID: 'The request was not understood',
  SETTINGS_INVALID: 'The settings are not valid',
  SETTINGS_MISSING: 'The Microsoft connection is not set up',
  SECRET_MISSING: 'No client secret is stored',
  ENTRA_TENANT_NOT_FOUND: 'Tenant not found',
  ENTRA_TENANT_INVALID: 'Tenant ID not valid',
  ENTRA_CLIENT_ID_INVALID: 'App registration not found',
  ENTRA_SECRET_INVALID: 'Client secret rejected',
  ENTRA_SECRET_EXPIRED: 'Client secret expired',
  ENTRA_SCOPE_INVALID: 'Microsoft cloud does not match the tenant',
  ENTRA_AUTH_FAILED: 'Microsoft sign-in failed',
  ENTRA_WRONG_CLOUD: 'Tenant is in another Microsoft cloud',
  GRAPH_CONSENT_MISSING: 'Permission User.Read.All not granted',
  GRAPH_GROUPS_FORBIDDEN: 'Permission GroupMember.Read.All not granted',
  GRAPH_THROTTLED: 'Microsoft Graph is busy',
  GRAPH_UNAVAILABLE: 'Microsoft Graph is unavailable',
  GRAPH_REQUEST_FAILED: 'Microsoft Graph refused a request',
  MICROSOFT_UNREACHABLE: 'Microsoft could not be reached',
  JIRA_UNAUTHORIZED: 'Jira refused the app',
  JIRA_THROTTLED: 'Jira is busy',
  JIRA_REQUEST_FAILED: 'Jira could not answer',
  GRAPH_PAGE_TOKEN_EXPIRED: 'Microsoft Graph paging expired',
  FORGE_FETCH_LIMIT: 'Forge request limit reached',
  SCHEMA_JOB_FAILED: 'Create Schema did not finish',
  ASSETS_REDIRECT_FAILED: 'Assets redirected the app away',
  ASSETS_THROTTLED: 'Assets is busy',
  ASSETS_REQUEST_FAILED: 'Assets refused a request',
  ASSETS_NOT_AVAILABLE: 'Assets is not available on this site',
  ASSETS_UNAUTHORIZED: 'Assets refused the app',
  ASSETS_SCHEMA_CONFLICT: 'Another schema is in the way',
  ASSETS_SCHEMA_MISSING: 'The Entra Directory schema is missing',
  RUN_ALREADY_ACTIVE: 'A run is already active',
  RUN_NOT_FOUND: 'Run not found',
  RUN_INVALID_STATE: 'The run has moved on',
  RUN_STALE: 'The run stopped',
  SYNC_USER_NOT_FOUND: 'Sync one user: not found',
  SYNC_USER_NO_EMAIL: 'Sync one user: no email',
  SYNC_USER_NOT_MATCHED: 'Sync one user: not matched',
  SYNC_USER_OUT_OF_SCOPE: 'Sync one user: out of scope',
  SYNC_USER_SCOPE_UNKNOWN: 'Sync one user: out of scope',
  RESPONSE_MALFORMED: 'Unexpected answer',
  UNREACHABLE: 'The app could not be reached',
};

export function errorTitle(code: string | null | undefined): string {
  return (code === null || code === undefined ? undefined : TITLES[code]) ?? 'Something went wrong';
}
