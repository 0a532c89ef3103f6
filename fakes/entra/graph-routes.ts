/**
 * The Graph GET routes the fake serves: /users (paged, $select/$top/$expand/$filter), /users/$count,
 * /users/{id}, /users/{id}/manager and /users/delta (rounds, delta tokens, @removed, manager@delta). Used both for
 * plain requests and for $batch items; authentication and throttling happen before a route is reached.
 */
import type { FakeGraphUser } from '../world/types';
import { allowOnly, type FakeResponse, graphError, type GraphRequestContext, json, NotUnderstood } from './fake-http';
import { type GroupBehaviour, isGroupPath, routeGroups } from './group-routes';
import {
  DEFAULT_USER_PROPERTIES,
  hasLambdaFilter,
  type ManagerExpansion,
  parseExpand,
  parseFilter,
  parseSelect,
  parseTop,
  QueryError,
  type Selection,
  singleMailEquals,
  USER_PROPERTIES,
  type UserProperty,
} from './odata-query';
import { type ManagerTarget, projectUser, type TenantState } from './tenant-state';

/** How the token presented may read users: it may, it has no roles claim at all, or its roles do not allow it. */
export type TokenAccess = 'granted' | 'noRoles' | 'insufficient';

/** The token's access to users and, separately, to groups and their members. */
export interface TokenAccessByArea {
  readonly users: TokenAccess;
  readonly groups: TokenAccess;
}

/** Readings of Graph behaviour the documentation leaves open; tests pick one to prove the client copes. */
export interface GraphBehaviour extends GroupBehaviour {
  /** `$expand=manager($select=id)`: honoured (id only), ignored (full object) or rejected (400). */
  readonly managerExpandSelect: 'honoured' | 'ignored' | 'rejected';
  /** A user without a manager under $expand: key left out, or `manager: null`. */
  readonly absentManager: 'omit' | 'null';
  /**
   * Page size cap when $expand is used; null = $top as asked. Default 100: Microsoft's known issue 13635 "$expand
   * on directory objects returns a maximum of 100 objects" whatever $top says
   * (https://developer.microsoft.com/graph/known-issues/?search=13635, and the $expand section of
   * https://learn.microsoft.com/graph/query-parameters#expand-parameter). null is the old friendly reading.
   */
  readonly expandPageCap: number | null;
  /**
   * `$filter=proxyAddresses/any(...)` / `otherMails/any(...)`: 'advanced-only' (default, absent) answers 400
   * Request_UnsupportedQuery unless the request sends `ConsistencyLevel: eventual` and `$count=true`, as
   * docs/clients/graph.md records from "Advanced query capabilities" (https://learn.microsoft.com/graph/aad-advanced-queries);
   * 'basic' is the friendlier reading of the $filter page (https://learn.microsoft.com/graph/filter-query-parameter),
   * whose `imAddresses/any(...)` example sends neither.
   */
  readonly lambdaFilters?: 'advanced-only' | 'basic';
  /** Delta page size; Graph uses about 200 and ignores $top. */
  readonly deltaPageSize: number;
  /**
   * Seconds after a user is created or restored during which a GET by id (plain or inside $batch) still answers
   * 404 Request_ResourceNotFound, although /users and delta already list it: Entra ID is eventually consistent
   * across replicas (Microsoft Entra developer support, "Why do I sometimes get a 404 when trying to update an
   * Azure directory object after I just created it?",
   * https://blogs.aaddevsup.xyz/2021/08/why-do-i-sometimes-get-a-404-when-trying-to-update-an-azure-directory-object-after-i-just-created-it/;
   * Graph's user docs warn of replication delay for recent changes). Microsoft gives no figure; default 120 s,
   * 0 switches it off (the old friendly reading). Users the fake starts with count as long replicated.
   */
  readonly replicationLagSeconds: number;
  /**
   * What Graph answers a token without a roles claim (consent never granted): 403 AccessDenied "Either scp or roles
   * claim need to be present in the token." (default: the answer reported for app-only tokens without roles, e.g.
   * https://pnp.github.io/cli-microsoft365/user-guide/cli-certificate-caveats/) or 403 Authorization_RequestDenied
   * (the old reading, and what a token whose roles do not allow the read always gets).
   */
  readonly rolelessToken: 'AccessDenied' | 'Authorization_RequestDenied';
  /**
   * Delta items of users new to a round leave out properties whose value is null (as `Prefer: return=minimal`
   * would for changes). Default false: Microsoft documents that delta's default mode returns every selected
   * property (https://learn.microsoft.com/graph/delta-query-users#properties); true exercises the app's re-read
   * path for items that lack a property.
   */
  readonly deltaOmitsNulls: boolean;
  /**
   * Incremental delta rounds report changes to employeeHireDate, employeeOrgData, onPremisesExtensionAttributes and
   * directory extension properties. Default false: Microsoft does not document that users/delta tracks them
   * (tenant-state.ts deltaUntracked, with the sources); true is the friendly reading. Either way a round from
   * scratch returns them.
   */
  readonly deltaTracksOptionalProperties: boolean;
}

type Route = (ctx: GraphRequestContext, match: RegExpExecArray) => FakeResponse;

export function routeGraphGet(
  state: TenantState,
  behaviour: GraphBehaviour,
  ctx: GraphRequestContext,
  access: TokenAccessByArea,
): FakeResponse {
  if (isGroupPath(ctx.path)) {
    // Groups and members need GroupMember.Read.All, Group.Read.All or Directory.Read.All (group-list-members,
    // group-delta: Permissions); without one, the same 403s as for users.
    const denied = deniedAnswer(behaviour, ctx, access.groups);
    if (denied !== null) return denied;
    try {
      const answer = routeGroups(state, behaviour, ctx);
      if (answer !== null) return answer;
    } catch (error) {
      if (error instanceof QueryError) return graphError(ctx, error.status, error.code, error.message);
      throw error;
    }
    throw new NotUnderstood(`GET ${ctx.path} is not a route of the fake Graph`);
  }
  const consent = access.users;
  const routes: [RegExp, Route][] = [
    [/^\/v1\.0\/users$/, (c) => listUsers(state, behaviour, c)],
    [/^\/v1\.0\/users\/\$count$/, (c) => countUsers(state, c)],
    [/^\/v1\.0\/users\/delta$/, (c) => delta(state, behaviour, c)],
    [/^\/v1\.0\/users\/([^/]+)\/manager$/, (c, m) => getManager(state, c, decodeURIComponent(m[1] ?? ''))],
    [/^\/v1\.0\/users\/([^/]+)$/, (c, m) => getUser(state, behaviour, c, decodeURIComponent(m[1] ?? ''))],
  ];
  for (const [pattern, route] of routes) {
    const match = pattern.exec(ctx.path);
    if (match === null) continue;
    if (consent === 'noRoles' && behaviour.rolelessToken === 'AccessDenied') {
      return graphError(ctx, 403, 'AccessDenied', 'Either scp or roles claim need to be present in the token.');
    }
    if (consent !== 'granted')
      return graphError(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    try {
      return route(ctx, match);
    } catch (error) {
      if (error instanceof QueryError) return graphError(ctx, error.status, error.code, error.message);
      throw error;
    }
  }
  throw new NotUnderstood(`GET ${ctx.path} is not a route of the fake Graph`);
}

function deniedAnswer(behaviour: GraphBehaviour, ctx: GraphRequestContext, access: TokenAccess): FakeResponse | null {
  if (access === 'noRoles' && behaviour.rolelessToken === 'AccessDenied') {
    return graphError(ctx, 403, 'AccessDenied', 'Either scp or roles claim need to be present in the token.');
  }
  if (access !== 'granted')
    return graphError(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  return null;
}

// ---- /users ----

function listUsers(state: TenantState, behaviour: GraphBehaviour, ctx: GraphRequestContext): FakeResponse {
  allowOnly(ctx.query, ['$select', '$expand', '$top', '$filter', '$skiptoken', '$count'], 'GET /v1.0/users');
  const selection = parseSelect(ctx.query.get('$select'), state.extensionProperties);
  const expansion = checkExpansion(behaviour, parseExpand(ctx.query.get('$expand')));
  const top = parseTop(ctx.query.get('$top'));
  const filter = parseFilter(ctx.query.get('$filter'));
  const advanced = ctx.headers['consistencylevel']?.toLowerCase() === 'eventual' && ctx.query.get('$count') === 'true';
  if (hasLambdaFilter(ctx.query.get('$filter')) && (behaviour.lambdaFilters ?? 'advanced-only') === 'advanced-only' && !advanced) {
    throw new QueryError(
      400,
      'Request_UnsupportedQuery',
      'Unsupported query: this filter needs ConsistencyLevel: eventual and $count=true.',
    );
  }
  const pageSize = expansion !== null && behaviour.expandPageCap !== null ? Math.min(top, behaviour.expandPageCap) : top;

  const skiptoken = ctx.query.get('$skiptoken');
  let afterId: string | null = null;
  if (skiptoken !== null) {
    afterId = state.listCursors.get(skiptoken) ?? null;
    if (afterId === null) return expiredPageToken(ctx);
  }
  // parseFilter above has validated the filter; a lone `mail eq` (a per-user lookup) is answered from the index.
  const mail = singleMailEquals(ctx.query.get('$filter'));
  const users = mail === null ? state.activeUsers().filter(filter) : state.activeUsersWithMail(mail);
  const start = afterId === null ? 0 : users.findIndex((user) => user.id > afterId);
  const page = start < 0 ? [] : users.slice(start, start + pageSize);
  const last = page.at(-1);
  const more = start >= 0 && last !== undefined && start + pageSize < users.length;

  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users`,
    value: page.map((user) => userJson(state, behaviour, user, selection, expansion)),
  };
  if (more) {
    const token = state.newToken();
    state.listCursors.set(token, last.id);
    body['@odata.nextLink'] = linkWith(ctx, '/v1.0/users', [...paramsExcept(ctx.query, '$skiptoken'), ['$skiptoken', token]]);
  }
  return json(200, body);
}

function countUsers(state: TenantState, ctx: GraphRequestContext): FakeResponse {
  allowOnly(ctx.query, [], 'GET /v1.0/users/$count');
  if (ctx.headers['consistencylevel']?.toLowerCase() !== 'eventual') {
    return graphError(ctx, 400, 'Request_BadRequest', 'Count is not currently supported without the ConsistencyLevel: eventual header.');
  }
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: String(state.activeUsers().length) };
}

function getUser(state: TenantState, behaviour: GraphBehaviour, ctx: GraphRequestContext, key: string): FakeResponse {
  allowOnly(ctx.query, ['$select', '$expand'], 'GET /v1.0/users/{id}');
  const selection = parseSelect(ctx.query.get('$select'), state.extensionProperties);
  const expansion = checkExpansion(behaviour, parseExpand(ctx.query.get('$expand')));
  const user = state.findActive(key);
  if (user === undefined) return notFound(ctx, key);
  // Not replicated to the replica answering yet (see GraphBehaviour.replicationLagSeconds).
  if (state.createdWithin(user.id, ctx.now, behaviour.replicationLagSeconds * 1000)) return notFound(ctx, key);
  return json(200, {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users/$entity`,
    ...userJson(state, behaviour, user, selection, expansion),
  });
}

function getManager(state: TenantState, ctx: GraphRequestContext, key: string): FakeResponse {
  allowOnly(ctx.query, [], 'GET /v1.0/users/{id}/manager');
  const user = state.findActive(key);
  if (user === undefined) return notFound(ctx, key);
  const manager = state.managerOf(user);
  // By design: a user without a manager answers 404, not an empty body.
  if (manager === null) return notFound(ctx, 'manager');
  return json(200, fullManager(manager));
}

function notFound(ctx: GraphRequestContext, key: string): FakeResponse {
  return graphError(
    ctx,
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function checkExpansion(behaviour: GraphBehaviour, expansion: ManagerExpansion | null): ManagerExpansion | null {
  if (expansion !== null && expansion.select !== null && behaviour.managerExpandSelect === 'rejected') {
    throw new QueryError(400, 'Request_BadRequest', "Query option '$select' is not allowed within '$expand' for this resource.");
  }
  return expansion;
}

function userJson(
  state: TenantState,
  behaviour: GraphBehaviour,
  user: FakeGraphUser,
  selection: Selection,
  expansion: ManagerExpansion | null,
): Record<string, unknown> {
  const out = projectUser(user, selection.properties);
  if (expansion === null) return out;
  const manager = state.managerOf(user);
  if (manager === null) {
    if (behaviour.absentManager === 'null') out['manager'] = null;
    return out;
  }
  out['manager'] =
    expansion.select !== null && behaviour.managerExpandSelect === 'honoured'
      ? selectedManager(manager, expansion.select)
      : fullManager(manager);
  return out;
}

function selectedManager(manager: ManagerTarget, select: readonly string[]): Record<string, unknown> {
  if (manager.kind === 'contact') {
    const { contact } = manager;
    const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.orgContact', id: contact.id };
    if (select.includes('displayName')) out['displayName'] = contact.displayName;
    if (select.includes('mail')) out['mail'] = contact.mail;
    return out;
  }
  const properties = select.filter((name): name is UserProperty => (USER_PROPERTIES as readonly string[]).includes(name));
  return {
    '@odata.type': '#microsoft.graph.user',
    ...projectUser(manager.user, properties.includes('id') ? properties : ['id', ...properties]),
  };
}

function fullManager(manager: ManagerTarget): Record<string, unknown> {
  if (manager.kind === 'user') return { '@odata.type': '#microsoft.graph.user', ...projectUser(manager.user, DEFAULT_USER_PROPERTIES) };
  const { contact } = manager;
  return {
    '@odata.type': '#microsoft.graph.orgContact',
    id: contact.id,
    displayName: contact.displayName,
    mail: contact.mail,
    givenName: null,
    surname: null,
    jobTitle: null,
    companyName: null,
    proxyAddresses: contact.mail === null ? [] : [`SMTP:${contact.mail}`],
  };
}

// ---- /users/delta ----

function delta(state: TenantState, behaviour: GraphBehaviour, ctx: GraphRequestContext): FakeResponse {
  allowOnly(ctx.query, ['$select', '$deltatoken', '$skiptoken', '$top'], 'GET /v1.0/users/delta');
  const skiptoken = ctx.query.get('$skiptoken');
  const deltatoken = ctx.query.get('$deltatoken');
  if (skiptoken !== null) {
    const [roundId, offsetText] = Buffer.from(skiptoken, 'base64url').toString('utf8').split('.');
    const round = roundId === undefined ? undefined : state.deltaRounds.get(roundId);
    const offset = Number(offsetText);
    if (roundId === undefined || round === undefined || !Number.isInteger(offset)) return syncStateNotFound(ctx);
    if (round.expired !== null) return expired(ctx, round.expired);
    if (round.pageTokensExpired) return expiredPageToken(ctx);
    return deltaPage(state, behaviour, ctx, roundId, offset);
  }
  if (deltatoken === 'latest') {
    const token = state.newToken();
    state.deltaTokens.set(token, {
      seq: state.seq,
      selection: parseSelect(ctx.query.get('$select'), state.extensionProperties),
      expired: null,
    });
    return json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#users`, value: [], '@odata.deltaLink': deltaLink(ctx, token) });
  }
  let since: number | null = null;
  let selection: Selection;
  if (deltatoken !== null) {
    const known = state.deltaTokens.get(deltatoken);
    if (known === undefined) return syncStateNotFound(ctx);
    if (known.expired !== null) return expired(ctx, known.expired);
    since = known.seq;
    selection = known.selection;
  } else {
    selection = parseSelect(ctx.query.get('$select'), state.extensionProperties);
  }
  const roundId = state.newToken();
  state.deltaRounds.set(roundId, {
    items: state.deltaItems(since, selection, behaviour.deltaOmitsNulls, behaviour.deltaTracksOptionalProperties),
    deltaSeq: state.seq,
    selection,
    expired: null,
  });
  return deltaPage(state, behaviour, ctx, roundId, 0);
}

function deltaPage(state: TenantState, behaviour: GraphBehaviour, ctx: GraphRequestContext, roundId: string, offset: number): FakeResponse {
  const round = state.deltaRounds.get(roundId);
  if (round === undefined) return syncStateNotFound(ctx);
  const end = offset + behaviour.deltaPageSize;
  const body: Record<string, unknown> = { '@odata.context': `${ctx.origin}/v1.0/$metadata#users`, value: round.items.slice(offset, end) };
  if (end < round.items.length) {
    const skiptoken = Buffer.from(`${roundId}.${end}`, 'utf8').toString('base64url');
    body['@odata.nextLink'] = linkWith(ctx, '/v1.0/users/delta', [['$skiptoken', skiptoken]]);
  } else {
    const token = state.newToken();
    state.deltaTokens.set(token, { seq: round.deltaSeq, selection: round.selection, expired: null });
    body['@odata.deltaLink'] = deltaLink(ctx, token);
  }
  return json(200, body);
}

function deltaLink(ctx: GraphRequestContext, token: string): string {
  return linkWith(ctx, '/v1.0/users/delta', [['$deltatoken', token]]);
}

/**
 * A paging link (skiptoken) the directory no longer honours: 400 Directory_ExpiredPageToken, as reported for
 * long /users reads (microsoftgraph/msgraph-sdk-java#368; code listed in Azure AD Graph's error reference,
 * https://learn.microsoft.com/previous-versions/azure/ad/graph/howto/azure-ad-graph-api-error-codes-and-error-handling).
 */
function expiredPageToken(ctx: GraphRequestContext): FakeResponse {
  return graphError(
    ctx,
    400,
    'Directory_ExpiredPageToken',
    'The specified page token value has expired and can no longer be included in your request.',
  );
}

function syncStateNotFound(ctx: GraphRequestContext): FakeResponse {
  return graphError(ctx, 400, 'syncStateNotFound', 'The sync state generation is not found. Please perform a full sync.');
}

function expired(ctx: GraphRequestContext, status: 400 | 410): FakeResponse {
  if (status === 400) return syncStateNotFound(ctx);
  return graphError(ctx, 410, 'resyncRequired', 'The delta token has expired. Start a new delta round.');
}

// ---- links ----

function paramsExcept(query: URLSearchParams, omit: string): [string, string][] {
  return [...query.entries()].filter(([key]) => key !== omit);
}

/** Graph-style link: `$` option names left readable, values encoded. */
function linkWith(ctx: GraphRequestContext, path: string, params: readonly [string, string][]): string {
  return `${ctx.origin}${path}?${params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}
