/**
 * The fake's Jira platform and JSM endpoints: user search (all account types, active and inactive, hidden emails
 * left out as profile visibility does), the email API in its three states (ok, not approved: 400, disabled: 503),
 * and the Assets workspace lookup. Response bodies follow the Jira platform and JSM OpenAPI schemas (checked by
 * tests/clients/jira/spec-conformance.test.ts).
 */
import type { FakeJiraUser } from '../world/types';
import { intParam, jiraError, json, misuse, type RouteRequest, type RouteResponse } from './routing';

export interface JiraRouteDeps {
  readonly users: () => readonly FakeJiraUser[];
  readonly origin: () => string;
  readonly emailApi: 'ok' | 'not-approved' | 'disabled';
  readonly emailBulkShape: 'array' | 'object';
  readonly assetsEnabled: boolean;
  readonly workspaceId: string;
  /** accountIds holding the Jira global permission ADMINISTER. */
  readonly administrators: () => ReadonlySet<string>;
}

const USERS_MAX_RESULTS = 1000;
const USERS_DEFAULT_RESULTS = 50;

export function routeJira(deps: JiraRouteDeps, request: RouteRequest): RouteResponse | null {
  if (request.method === 'POST' && request.path === '/rest/api/3/permissions/check') return permissionsCheck(deps, request);
  if (request.method !== 'GET') return null;
  switch (request.path) {
    case '/rest/api/3/users/search':
      return usersSearch(deps, request);
    case '/rest/api/3/user/email/bulk':
      return emailBulk(deps, request);
    case '/rest/api/3/user/email':
      return email(deps, request);
    case '/rest/servicedeskapi/assets/workspace':
      return workspace(deps);
    default:
      return null;
  }
}

function usersSearch(deps: JiraRouteDeps, request: RouteRequest): RouteResponse {
  const startAt = intParam(request.query, 'startAt', 0);
  const maxResults = intParam(request.query, 'maxResults', USERS_DEFAULT_RESULTS);
  if (startAt === null || maxResults === null) return misuse('startAt and maxResults must be integers');
  const size = Math.min(maxResults, USERS_MAX_RESULTS);
  const page = deps.users().slice(startAt, startAt + size);
  return json(
    200,
    page.map((user) => renderUser(deps.origin(), user)),
  );
}

export function renderUser(origin: string, user: FakeJiraUser): Record<string, unknown> {
  const avatar = (size: number): string => `${origin}/avatars/${encodeURIComponent(user.accountId)}.png?size=${size}`;
  return {
    self: `${origin}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    accountType: user.accountType,
    ...(user.email !== null && !user.emailHidden ? { emailAddress: user.email } : {}),
    avatarUrls: { '48x48': avatar(48), '24x24': avatar(24), '16x16': avatar(16), '32x32': avatar(32) },
    displayName: user.displayName,
    active: user.active,
    locale: 'en_US',
  };
}

function emailUnavailable(deps: JiraRouteDeps): RouteResponse | null {
  if (deps.emailApi === 'not-approved') return jiraError(400, ['The app is not approved to use this API.']);
  if (deps.emailApi === 'disabled') return jiraError(503, ['This API is not currently enabled.']);
  return null;
}

function emailBulk(deps: JiraRouteDeps, request: RouteRequest): RouteResponse {
  const ids = request.query.getAll('accountId');
  if (ids.length === 0) return misuse('user/email/bulk needs at least one accountId');
  if (ids.some((id) => id.length > 128)) return misuse('accountId is at most 128 characters');
  const unavailable = emailUnavailable(deps);
  if (unavailable) return unavailable;
  const byId = new Map(deps.users().map((u) => [u.accountId, u]));
  const entries = ids.flatMap((id) => {
    const user = byId.get(id);
    return user && user.email !== null ? [{ accountId: id, email: user.email }] : [];
  });
  if (deps.emailBulkShape === 'object' && ids.length === 1) {
    const only = entries[0];
    if (only) return json(200, only);
  }
  return json(200, entries);
}

function email(deps: JiraRouteDeps, request: RouteRequest): RouteResponse {
  const id = request.query.get('accountId');
  if (id === null) return misuse('user/email needs accountId');
  const unavailable = emailUnavailable(deps);
  if (unavailable) return unavailable;
  const user = deps.users().find((u) => u.accountId === id);
  if (!user) return jiraError(404, [`User ${id} does not exist.`]);
  return json(200, { accountId: id, email: user.email ?? '' });
}

function workspace(deps: JiraRouteDeps): RouteResponse {
  const values = deps.assetsEnabled ? [{ workspaceId: deps.workspaceId }] : [];
  return json(200, {
    _expands: [],
    size: values.length,
    start: 0,
    limit: 50,
    isLastPage: true,
    _links: { base: `${deps.origin()}/rest/servicedeskapi`, context: '', self: `${deps.origin()}/rest/servicedeskapi/assets/workspace` },
    values,
  });
}

/** POST /rest/api/3/permissions/check (BulkPermissionsRequestBean -> BulkPermissionGrants), global permissions only. */
function permissionsCheck(deps: JiraRouteDeps, request: RouteRequest): RouteResponse {
  const body = request.body as { accountId?: unknown; globalPermissions?: unknown; projectPermissions?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || typeof body.accountId !== 'string' || !Array.isArray(body.globalPermissions)) {
    return misuse('permissions/check needs {accountId, globalPermissions: [...]}');
  }
  if (body.projectPermissions !== undefined) return misuse('the fake answers global permissions only');
  const isAdmin = deps.administrators().has(body.accountId);
  const granted = body.globalPermissions.filter((p): p is string => typeof p === 'string' && (p === 'ADMINISTER' ? isAdmin : false));
  return json(200, { globalPermissions: granted, projectPermissions: [] });
}
