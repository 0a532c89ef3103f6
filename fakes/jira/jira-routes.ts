/**
 * The fake's Jira platform and JSM endpoints: user search (all account types, active and inactive, hidden emails
 * left out as profile visibility does), the email API in its three states (ok, not approved: 400, disabled: 503),
 * the Assets workspace lookup, and the caller's permissions (mypermissions, permissions/check) under Jira's permission
 * model for the principal the request comes from (app or user). Response bodies follow the Jira platform and JSM OpenAPI schemas (checked by
 * tests/clients/jira/spec-conformance.test.ts).
 */
import type { FakeJiraUser } from '../world/types';
import { intParam, jiraError, json, misuse, type RouteRequest, type RouteResponse } from './routing';
import type { FakePrincipal } from './types';

export interface JiraRouteDeps {
  readonly users: () => readonly FakeJiraUser[];
  readonly origin: () => string;
  readonly emailApi: 'ok' | 'not-approved' | 'disabled';
  readonly emailBulkShape: 'array' | 'object';
  readonly assetsEnabled: boolean;
  readonly workspaceId: string;
  /** accountIds holding the Jira global permission ADMINISTER. */
  readonly administrators: () => ReadonlySet<string>;
  readonly permissionModel: 'jira' | 'lenient';
  readonly usersPageCap: number | null;
  readonly usersSearch409Every: number;
  /**
   * Whether GET /rest/api/3/user/search?query= matches an email that profile visibility hides. The spec says only
   * that the query "is matched against user attributes (displayName, and emailAddress)" and that "Privacy controls are
   * applied to the response" (jira-platform.swagger-v3.json): silent on hidden emails, so the default (absent) is
   * 'unmatched' (the less friendly reading); 'matched' is the friendly one.
   */
  readonly userSearchHiddenEmails?: 'unmatched' | 'matched';
  /** Counts users/search requests (1, 2, ...) for usersSearch409Every. */
  readonly countSearch: () => number;
}

const USERS_MAX_RESULTS = 1000;
const USERS_DEFAULT_RESULTS = 50;

export function routeJira(deps: JiraRouteDeps, request: RouteRequest, principal: FakePrincipal): RouteResponse | null {
  if (request.method === 'POST' && request.path === '/rest/api/3/permissions/check') return permissionsCheck(deps, request, principal);
  if (request.method !== 'GET') return null;
  switch (request.path) {
    case '/rest/api/3/mypermissions':
      return myPermissions(deps, request, principal);
    case '/rest/api/3/users/search':
      return usersSearch(deps, request, deps.countSearch());
    case '/rest/api/3/user':
      return oneUser(deps, request);
    case '/rest/api/3/user/search':
      return userSearch(deps, request);
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

function usersSearch(deps: JiraRouteDeps, request: RouteRequest, count: number): RouteResponse {
  const startAt = intParam(request.query, 'startAt', 0);
  const maxResults = intParam(request.query, 'maxResults', USERS_DEFAULT_RESULTS);
  if (startAt === null || maxResults === null) return misuse('startAt and maxResults must be integers');
  if (deps.usersSearch409Every > 0 && count % deps.usersSearch409Every === 0) {
    return jiraError(409, ['The request took longer than 10 seconds and was interrupted.']);
  }
  const size = Math.min(maxResults, USERS_MAX_RESULTS, deps.usersPageCap ?? USERS_MAX_RESULTS);
  const page = deps.users().slice(startAt, startAt + size);
  return json(
    200,
    page.map((user) => renderUser(deps.origin(), user)),
  );
}

/** GET /rest/api/3/user?accountId= (the spec: 200 the user, 404 "Returned if the user is not found"). */
function oneUser(deps: JiraRouteDeps, request: RouteRequest): RouteResponse {
  const id = request.query.get('accountId');
  if (id === null || id === '') return misuse('user needs accountId');
  const user = deps.users().find((u) => u.accountId === id);
  if (user === undefined) return jiraError(404, [`The user with account ID '${id}' does not exist.`]);
  return json(200, renderUser(deps.origin(), user));
}

/**
 * GET /rest/api/3/user/search?query= : "Returns a list of active users that match the search string" by prefix of
 * displayName or emailAddress (the spec's description and its query parameter); emails hidden by profile visibility
 * match only under userSearchHiddenEmails 'matched'.
 */
function userSearch(deps: JiraRouteDeps, request: RouteRequest): RouteResponse {
  const query = (request.query.get('query') ?? '').trim().toLowerCase();
  if (query === '') return misuse('user/search needs query (accountId and property are not modelled)');
  const maxResults = intParam(request.query, 'maxResults', USERS_DEFAULT_RESULTS);
  if (maxResults === null) return misuse('maxResults must be an integer');
  const hiddenMatch = deps.userSearchHiddenEmails === 'matched';
  const found = deps.users().filter((user) => {
    if (!user.active) return false;
    if (user.displayName.toLowerCase().startsWith(query)) return true;
    const email = user.email === null || (user.emailHidden && !hiddenMatch) ? null : user.email.toLowerCase();
    return email !== null && email.startsWith(query);
  });
  return json(
    200,
    found.slice(0, Math.min(maxResults, USERS_MAX_RESULTS)).map((user) => renderUser(deps.origin(), user)),
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

/** The global permissions the fake knows: ADMINISTER only (UserPermission fields from the spec's example). */
const GLOBAL_PERMISSIONS: Readonly<Record<string, { id: string; name: string; description: string }>> = {
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.',
  },
};

/** Whether an account (or the app's own user, which holds no global admin permission) has a global permission. */
function holds(deps: JiraRouteDeps, who: FakePrincipal, permission: string): boolean {
  return permission === 'ADMINISTER' && who.kind === 'user' && deps.administrators().has(who.accountId);
}

/**
 * GET /rest/api/3/mypermissions?permissions=A,B (Permissions: {permissions: {KEY: UserPermission}}): the CALLER's own
 * permissions ("Permissions required: None"). As the app, that is the app's user: never ADMINISTER.
 */
function myPermissions(deps: JiraRouteDeps, request: RouteRequest, principal: FakePrincipal): RouteResponse {
  const keys = (request.query.get('permissions') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  if (keys.length === 0) return jiraError(400, ['The permissions parameter is required.']);
  const unknown = keys.find((k) => GLOBAL_PERMISSIONS[k] === undefined);
  if (unknown !== undefined)
    return misuse(`the fake answers mypermissions for ${Object.keys(GLOBAL_PERMISSIONS).join(', ')} only, not ${unknown}`);
  const permissions = Object.fromEntries(
    keys.map((key) => [key, { ...GLOBAL_PERMISSIONS[key], key, type: 'GLOBAL', havePermission: holds(deps, principal, key) }]),
  );
  return json(200, { permissions });
}

/**
 * POST /rest/api/3/permissions/check (BulkPermissionsRequestBean -> BulkPermissionGrants), global permissions only.
 * The spec: "If no account ID is provided, the operation returns details for the logged in user"; checking ANOTHER
 * user needs *Administer Jira*, else 403 "Returned if the user does not have the necessary permission". The app's
 * user is not a Jira admin, so the app may not check anyone but itself. 'lenient' keeps the old fake (anyone may ask).
 */
function permissionsCheck(deps: JiraRouteDeps, request: RouteRequest, principal: FakePrincipal): RouteResponse {
  const body = request.body as { accountId?: unknown; globalPermissions?: unknown; projectPermissions?: unknown } | undefined;
  if (
    typeof body !== 'object' ||
    body === null ||
    (body.accountId !== undefined && typeof body.accountId !== 'string') ||
    !Array.isArray(body.globalPermissions)
  ) {
    return misuse('permissions/check needs {accountId?, globalPermissions: [...]}');
  }
  if (body.projectPermissions !== undefined) return misuse('the fake answers global permissions only');
  const asked = typeof body.accountId === 'string' ? body.accountId : undefined;
  const self = principal.kind === 'user' && (asked === undefined || asked === principal.accountId);
  let subject: FakePrincipal;
  if (asked === undefined) subject = principal;
  else if (self || deps.permissionModel === 'lenient' || holds(deps, principal, 'ADMINISTER')) subject = { kind: 'user', accountId: asked };
  else return jiraError(403, ['You do not have the permission to see the specified permissions of other users.']);
  const granted = body.globalPermissions.filter((p): p is string => typeof p === 'string' && holds(deps, subject, p));
  return json(200, { globalPermissions: granted, projectPermissions: [] });
}
