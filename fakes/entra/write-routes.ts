/**
 * The Graph writes the fake tenant accepts for the write-back actions (issue 17), and the two reads the app makes
 * before writing. Each answer follows Microsoft's page for the call:
 * - PATCH /v1.0/users/{id} (https://learn.microsoft.com/graph/api/user-update): 204 No Content. accountEnabled alone
 *   needs User.EnableDisableAccount.All (or User.ReadWrite.All / Directory.ReadWrite.All); other properties need
 *   User.ReadWrite.All (or Directory.ReadWrite.All). A property the user type lacks, or a value longer than the
 *   property allows (https://learn.microsoft.com/graph/api/resources/user#properties), is 400 Request_BadRequest.
 * - PUT /v1.0/users/{id}/manager/$ref (https://learn.microsoft.com/graph/api/user-post-manager): 204; User.ReadWrite.All.
 * - POST /v1.0/users/{id}/revokeSignInSessions (https://learn.microsoft.com/graph/api/user-revokesigninsessions):
 *   200 with `value: true`; User.RevokeSessions.All (or User.ReadWrite.All / Directory.ReadWrite.All).
 * - POST /v1.0/groups/{id}/members/$ref (https://learn.microsoft.com/graph/api/group-post-members): 204; "400 Bad
 *   Request ... when the object is already a member of the group", "404 Not Found ... when the object being added
 *   doesn't exist"; GroupMember.ReadWrite.All (or Group.ReadWrite.All / Directory.ReadWrite.All).
 * - DELETE /v1.0/groups/{id}/members/{id}/$ref (https://learn.microsoft.com/graph/api/group-delete-members): 204;
 *   404 Request_ResourceNotFound when the object is not a member; the same permissions.
 * - GET /v1.0/users/{id}/memberOf/microsoft.graph.directoryRole (https://learn.microsoft.com/graph/api/user-list-memberof,
 *   the cast "to get only directory roles"): the activated directory roles the user is a direct member of.
 * - Without the permission: 403 Authorization_RequestDenied "Insufficient privileges to complete the operation."
 *   (https://learn.microsoft.com/graph/errors; the answer quoted for group writes in Microsoft Entra developer support,
 *   https://blogs.aaddevsup.xyz/2024/05/authorization_requestdenied-error-when-using-microsoft-graph-api-to-add-users-to-a-group/).
 * - Privileged targets: only some administrator roles may change sensitive properties of, or sign out, users who hold
 *   administrator roles ("Who can perform sensitive actions", https://learn.microsoft.com/graph/api/resources/users#who-can-perform-sensitive-actions);
 *   an application permission alone does not. The default (`privilegedTargets: 'refused'`, the less friendly reading)
 *   answers 403 Authorization_RequestDenied for any directory-role member; 'allowed' is the friendlier reading in
 *   which the write goes through. The app refuses such targets itself before asking, under both.
 */
import type { FakeGraphUser } from '../world/types';
import { type FakeResponse, graphError, type GraphRequestContext, json, NotUnderstood } from './fake-http';
import type { TenantState } from './tenant-state';

export interface WriteBehaviour {
  /** See the module comment. Default 'refused'. */
  readonly privilegedTargets: 'refused' | 'allowed';
}

export interface FakeDirectoryRole {
  readonly id: string;
  readonly displayName: string;
  readonly roleTemplateId: string;
  readonly memberIds: Set<string>;
}

/** Template ids from "Microsoft Entra built-in roles" (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const BUILT_IN_ROLE_TEMPLATES: Readonly<Record<string, string>> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
};

const USER_WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const ENABLE_DISABLE = ['User.EnableDisableAccount.All', ...USER_WRITE];
const REVOKE = ['User.RevokeSessions.All', ...USER_WRITE];
const GROUP_MEMBER_WRITE = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const USER_READ = ['User.Read.All', ...USER_WRITE, 'Directory.Read.All'];

/** Graph's limits on the properties the fake accepts in a PATCH (user resource, Properties). */
const PATCHABLE: Readonly<Record<string, { max: number; list?: true } | { boolean: true }>> = {
  accountEnabled: { boolean: true },
  jobTitle: { max: 128 },
  department: { max: 64 },
  officeLocation: { max: 128 },
  mobilePhone: { max: 64 },
  employeeId: { max: 16 },
  businessPhones: { max: 64, list: true },
};

export interface WriteRouteHost {
  readonly state: TenantState;
  readonly roles: ReadonlyMap<string, FakeDirectoryRole>;
  readonly behaviour: WriteBehaviour;
}

const denied = (ctx: GraphRequestContext) =>
  graphError(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
const notFound = (ctx: GraphRequestContext, id: string) =>
  graphError(
    ctx,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const badRequest = (ctx: GraphRequestContext, message: string) => graphError(ctx, 400, 'Request_BadRequest', message);
const noContent: FakeResponse = { status: 204 };

function holds(tokenRoles: readonly string[], allowed: readonly string[]): boolean {
  return tokenRoles.some((role) => allowed.includes(role));
}

function isPrivileged(host: WriteRouteHost, userId: string): boolean {
  return [...host.roles.values()].some((role) => [...role.memberIds].some((id) => id.toLowerCase() === userId.toLowerCase()));
}

function parseBody(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The id at the end of an @odata.id reference (…/directoryObjects/{id} or …/users/{id}); null when absent. */
function referencedId(body: Record<string, unknown> | null): string | null {
  const ref = body?.['@odata.id'];
  if (typeof ref !== 'string') return null;
  const match = /\/(?:directoryObjects|users)\/([^/?#]+)$/.exec(ref);
  return match?.[1] === undefined ? null : decodeURIComponent(match[1]);
}

/** null when the request is not one of these routes. */
export function routeWrite(
  host: WriteRouteHost,
  method: string,
  ctx: GraphRequestContext,
  body: string,
  tokenRoles: readonly string[],
): FakeResponse | null {
  const path = ctx.path;
  let m = /^\/v1\.0\/users\/([^/]+)\/memberOf\/microsoft\.graph\.directoryRole$/.exec(path);
  if (m !== null && method === 'GET') {
    if (!holds(tokenRoles, USER_READ)) return denied(ctx);
    const id = decodeURIComponent(m[1] ?? '');
    if (host.state.activeUser(id) === undefined) return notFound(ctx, id);
    const value = [...host.roles.values()]
      .filter((role) => [...role.memberIds].some((member) => member.toLowerCase() === id.toLowerCase()))
      .map((role) => ({
        '@odata.type': '#microsoft.graph.directoryRole',
        id: role.id,
        displayName: role.displayName,
        roleTemplateId: role.roleTemplateId,
      }));
    return json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#directoryRoles`, value });
  }
  m = /^\/v1\.0\/users\/([^/]+)$/.exec(path);
  if (m !== null && method === 'PATCH') return patchUser(host, ctx, decodeURIComponent(m[1] ?? ''), parseBody(body), tokenRoles);
  m = /^\/v1\.0\/users\/([^/]+)\/manager\/\$ref$/.exec(path);
  if (m !== null && method === 'PUT') {
    if (!holds(tokenRoles, USER_WRITE)) return denied(ctx);
    const user = host.state.activeUser(decodeURIComponent(m[1] ?? ''));
    if (user === undefined) return notFound(ctx, decodeURIComponent(m[1] ?? ''));
    if (host.behaviour.privilegedTargets === 'refused' && isPrivileged(host, user.id)) return denied(ctx);
    const managerId = referencedId(parseBody(body));
    if (managerId === null) return badRequest(ctx, 'Invalid request body: an @odata.id reference is required.');
    const manager = host.state.activeUser(managerId);
    if (manager === undefined) return notFound(ctx, managerId);
    host.state.upsertUser({ ...user, managerId: manager.id });
    return noContent;
  }
  m = /^\/v1\.0\/users\/([^/]+)\/revokeSignInSessions$/.exec(path);
  if (m !== null && method === 'POST') {
    if (!holds(tokenRoles, REVOKE)) return denied(ctx);
    const user = host.state.activeUser(decodeURIComponent(m[1] ?? ''));
    if (user === undefined) return notFound(ctx, decodeURIComponent(m[1] ?? ''));
    if (host.behaviour.privilegedTargets === 'refused' && isPrivileged(host, user.id)) return denied(ctx);
    return json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#Edm.Boolean`, value: true });
  }
  m = /^\/v1\.0\/groups\/([^/]+)\/members\/\$ref$/.exec(path);
  if (m !== null && method === 'POST') {
    if (!holds(tokenRoles, GROUP_MEMBER_WRITE)) return denied(ctx);
    const groupId = decodeURIComponent(m[1] ?? '');
    const record = host.state.groups.findActive(groupId);
    if (record === undefined) return notFound(ctx, groupId);
    const memberId = referencedId(parseBody(body));
    if (memberId === null) return badRequest(ctx, 'Invalid request body: an @odata.id reference is required.');
    const user = host.state.activeUser(memberId);
    if (user === undefined) return notFound(ctx, memberId);
    if (record.members.has(user.id))
      return badRequest(ctx, "One or more added object references already exist for the following modified properties: 'members'.");
    host.state.groups.addMember(record.group.id, { id: user.id, type: 'user' });
    return noContent;
  }
  m = /^\/v1\.0\/groups\/([^/]+)\/members\/([^/]+)\/\$ref$/.exec(path);
  if (m !== null && method === 'DELETE') {
    if (!holds(tokenRoles, GROUP_MEMBER_WRITE)) return denied(ctx);
    const groupId = decodeURIComponent(m[1] ?? '');
    const memberId = decodeURIComponent(m[2] ?? '');
    const record = host.state.groups.findActive(groupId);
    if (record === undefined) return notFound(ctx, groupId);
    const user = host.state.activeUser(memberId);
    if (user === undefined || !record.members.has(user.id)) return notFound(ctx, memberId);
    host.state.groups.removeMember(record.group.id, user.id);
    return noContent;
  }
  if (method !== 'GET' && /^\/v1\.0\/(users|groups)\//.test(path))
    throw new NotUnderstood(`${method} ${path} is not a write the fake Entra tenant models`);
  return null;
}

function patchUser(
  host: WriteRouteHost,
  ctx: GraphRequestContext,
  id: string,
  body: Record<string, unknown> | null,
  tokenRoles: readonly string[],
): FakeResponse {
  if (body === null || Object.keys(body).length === 0) return badRequest(ctx, 'Invalid request body.');
  const names = Object.keys(body);
  const onlyEnable = names.length === 1 && names[0] === 'accountEnabled';
  if (!holds(tokenRoles, onlyEnable ? ENABLE_DISABLE : USER_WRITE)) return denied(ctx);
  const user = host.state.activeUser(id);
  if (user === undefined) return notFound(ctx, id);
  const changes: Partial<FakeGraphUser> = {};
  for (const name of names) {
    const rule = PATCHABLE[name];
    if (rule === undefined) return badRequest(ctx, `Property '${name}' does not exist on type 'microsoft.graph.user'.`);
    const value = body[name];
    const invalid = badRequest(ctx, `Invalid value specified for property '${name}' of resource 'User'.`);
    if ('boolean' in rule) {
      if (typeof value !== 'boolean') return invalid;
      changes.accountEnabled = value;
    } else if (rule.list === true) {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length > rule.max) || value.length > 1) return invalid;
      changes.businessPhones = value as string[];
    } else {
      if (value !== null && (typeof value !== 'string' || value.length > rule.max)) return invalid;
      (changes as Record<string, unknown>)[name] = value;
    }
  }
  if (host.behaviour.privilegedTargets === 'refused' && isPrivileged(host, user.id)) return denied(ctx);
  host.state.upsertUser({ ...user, ...changes });
  return noContent;
}
