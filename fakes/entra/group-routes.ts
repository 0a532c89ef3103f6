/**
 * The Graph group routes the fake serves: /groups (paged, $select/$top/$filter startswith), /groups/{id},
 * /groups/{id}/members and /groups/{id}/transitiveMembers (paged, each member with its @odata.type) and
 * /groups/delta (rounds with members@delta, repeated group objects for large groups, @removed, expiry). Used for
 * plain requests and $batch items alike; authentication, the groups permission and throttling are checked before.
 *
 * Sources: https://learn.microsoft.com/graph/api/group-list ($top 1-999, default page 100),
 * https://learn.microsoft.com/graph/api/group-get, https://learn.microsoft.com/graph/api/group-list-members and
 * https://learn.microsoft.com/graph/api/group-list-transitivemembers (members of every type with @odata.type; $top up
 * to 999, default 100), https://learn.microsoft.com/graph/api/group-delta and
 * https://learn.microsoft.com/graph/delta-query-groups (group-state.ts has the delta details).
 */
import type { FakeMemberType } from '../world/types';
import { allowOnly, type FakeResponse, graphError, type GraphRequestContext, json } from './fake-http';
import { GROUP_PROPERTIES, type GroupProperty, type GroupRecord, type GroupSelection, ODATA_TYPES, projectGroup } from './group-state';
import { DEFAULT_USER_PROPERTIES, parseTop, QueryError } from './odata-query';
import { projectUser, type TenantState } from './tenant-state';

/** Readings of the groups API the documentation leaves open (GraphBehaviour extends this). */
export interface GroupBehaviour {
  /**
   * Members per group object in a groups delta page: a group with more comes as several objects with the same
   * properties, each with part of members@delta. Microsoft documents the split ("Paging through members in a large
   * group", https://learn.microsoft.com/graph/delta-query-groups) but no figure; default 100 (the less friendly
   * reading: even mid-sized groups are split). null = every member in one object (the friendly reading).
   */
  readonly groupDeltaMembersPerObject: number | null;
  /**
   * Objects per groups delta page. The page size is the server's: group-delta documents no $top
   * (https://learn.microsoft.com/graph/api/group-delta#optional-query-parameters) and a $top sent is ignored.
   * Default 100.
   */
  readonly groupsDeltaPageSize: number;
}

/** The group paths, for the router and for throttling costs. */
export const GROUP_ROUTES = {
  list: /^\/v1\.0\/groups$/,
  delta: /^\/v1\.0\/groups\/delta$/,
  members: /^\/v1\.0\/groups\/([^/]+)\/members$/,
  transitiveMembers: /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/,
  get: /^\/v1\.0\/groups\/([^/]+)$/,
} as const;

export function isGroupPath(path: string): boolean {
  return path === '/v1.0/groups' || path.startsWith('/v1.0/groups/');
}

/** Entra object ids are GUIDs; anything else is answered 400 before any lookup. */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** null when the path is not a group route. */
export function routeGroups(state: TenantState, behaviour: GroupBehaviour, ctx: GraphRequestContext): FakeResponse | null {
  if (GROUP_ROUTES.list.test(ctx.path)) return listGroups(state, ctx);
  if (GROUP_ROUTES.delta.test(ctx.path)) return groupsDelta(state, behaviour, ctx);
  const members = GROUP_ROUTES.members.exec(ctx.path);
  if (members?.[1] !== undefined) return listMembers(state, ctx, decodeURIComponent(members[1]), false);
  const transitive = GROUP_ROUTES.transitiveMembers.exec(ctx.path);
  if (transitive?.[1] !== undefined) return listMembers(state, ctx, decodeURIComponent(transitive[1]), true);
  const get = GROUP_ROUTES.get.exec(ctx.path);
  if (get?.[1] !== undefined) return getGroup(state, ctx, decodeURIComponent(get[1]));
  return null;
}

// ---- /groups, /groups/{id} ----

function listGroups(state: TenantState, ctx: GraphRequestContext): FakeResponse {
  allowOnly(ctx.query, ['$select', '$top', '$filter', '$skiptoken'], 'GET /v1.0/groups');
  const properties = parseGroupSelect(ctx.query.get('$select'));
  const top = parseTop(ctx.query.get('$top'));
  const filter = parseGroupFilter(ctx.query.get('$filter'));
  const groups = state.groups.activeGroups().filter((record) => filter(record));
  return paged(state, ctx, '/v1.0/groups', `groups:${ctx.query.get('$filter') ?? ''}`, groups, top, (record) =>
    projectGroup(record.group, properties),
  );
}

function getGroup(state: TenantState, ctx: GraphRequestContext, id: string): FakeResponse {
  allowOnly(ctx.query, ['$select'], 'GET /v1.0/groups/{id}');
  const properties = parseGroupSelect(ctx.query.get('$select'));
  const record = lookUp(state, ctx, id);
  if ('status' in record) return record;
  return json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#groups/$entity`, ...projectGroup(record.group, properties) });
}

/**
 * An unknown or deleted group answers 404 Request_ResourceNotFound; an id that is not a GUID answers 400
 * Request_BadRequest "Invalid object identifier" (reported in Azure/active-directory-dotnet-graphapi-b2bportal-web#16
 * and microsoftgraph/microsoft-graph-docs-contrib#3854).
 */
function lookUp(state: TenantState, ctx: GraphRequestContext, id: string): GroupRecord | FakeResponse {
  if (!OBJECT_ID.test(id)) return graphError(ctx, 400, 'Request_BadRequest', `Invalid object identifier '${id}'.`);
  const record = state.groups.findActive(id);
  if (record === undefined) {
    return graphError(
      ctx,
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  return record;
}

// ---- members ----

const MEMBER_SELECTABLE = ['id', 'displayName', 'mail', 'userPrincipalName'] as const;

function listMembers(state: TenantState, ctx: GraphRequestContext, id: string, transitive: boolean): FakeResponse {
  const route = transitive ? 'GET /v1.0/groups/{id}/transitiveMembers' : 'GET /v1.0/groups/{id}/members';
  allowOnly(ctx.query, ['$select', '$top', '$skiptoken'], route);
  const select = parseMemberSelect(ctx.query.get('$select'));
  const top = parseTop(ctx.query.get('$top'));
  const record = lookUp(state, ctx, id);
  if ('status' in record) return record;
  const members = transitive ? state.groups.transitiveMembers(record) : state.groups.directMembers(record);
  const path = transitive ? `/v1.0/groups/${id}/transitiveMembers` : `/v1.0/groups/${id}/members`;
  return paged(state, ctx, path, path, members, top, (member) => memberJson(state, member.type, member.id, select));
}

/** A member as directoryObject JSON with its @odata.type; $select limited to the properties the fake knows. */
function memberJson(state: TenantState, type: FakeMemberType, id: string, select: readonly string[] | null): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': ODATA_TYPES[type], id };
  let full: Record<string, unknown> = {};
  if (type === 'user') {
    const user = state.findActive(id);
    if (user !== undefined) full = projectUser(user, DEFAULT_USER_PROPERTIES);
  } else if (type === 'group') {
    const group = state.groups.findActive(id);
    if (group !== undefined) full = projectGroup(group.group, GROUP_PROPERTIES);
  } else if (type === 'orgContact') {
    const contact = state.contact(id);
    if (contact !== undefined) full = { displayName: contact.displayName, mail: contact.mail };
  } else {
    full = { displayName: state.groups.directoryObjects.get(id)?.displayName ?? null };
  }
  for (const [key, value] of Object.entries(full)) if (select === null || select.includes(key)) out[key] = value;
  out['id'] = id;
  return out;
}

// ---- paging ----

function paged<T>(
  state: TenantState,
  ctx: GraphRequestContext,
  path: string,
  key: string,
  items: readonly T[],
  top: number,
  toJson: (item: T) => Record<string, unknown>,
): FakeResponse {
  const skiptoken = ctx.query.get('$skiptoken');
  let offset = 0;
  if (skiptoken !== null) {
    const cursor = state.groups.cursors.get(skiptoken);
    if (cursor?.key !== key) {
      return graphError(
        ctx,
        400,
        'Directory_ExpiredPageToken',
        'The specified page token value has expired and can no longer be included in your request.',
      );
    }
    offset = cursor.offset;
  }
  const page = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': `${ctx.origin}/v1.0/$metadata#directoryObjects`, value: page.map(toJson) };
  if (offset + top < items.length) {
    const token = state.newToken();
    state.groups.cursors.set(token, { key, offset: offset + top });
    const params = [...ctx.query.entries()].filter(([name]) => name !== '$skiptoken');
    body['@odata.nextLink'] = link(ctx, path, [...params, ['$skiptoken', token]]);
  }
  return json(200, body);
}

// ---- delta ----

function groupsDelta(state: TenantState, behaviour: GroupBehaviour, ctx: GraphRequestContext): FakeResponse {
  allowOnly(ctx.query, ['$select', '$expand', '$deltatoken', '$skiptoken', '$top'], 'GET /v1.0/groups/delta');
  const store = state.groups;
  const skiptoken = ctx.query.get('$skiptoken');
  if (skiptoken !== null) {
    const [roundId, offsetText] = Buffer.from(skiptoken, 'base64url').toString('utf8').split('.');
    const round = roundId === undefined ? undefined : store.deltaRounds.get(roundId);
    const offset = Number(offsetText);
    if (roundId === undefined || round === undefined || !Number.isInteger(offset)) return syncStateNotFound(ctx);
    if (round.expired !== null) return expired(ctx, round.expired);
    if (round.pageTokensExpired === true) {
      return graphError(
        ctx,
        400,
        'Directory_ExpiredPageToken',
        'The specified page token value has expired and can no longer be included in your request.',
      );
    }
    return deltaPage(state, behaviour, ctx, roundId, offset);
  }
  const deltatoken = ctx.query.get('$deltatoken');
  let since: number | null = null;
  let selection: GroupSelection;
  if (deltatoken !== null) {
    const known = store.deltaTokens.get(deltatoken);
    if (known === undefined) return syncStateNotFound(ctx);
    if (known.expired !== null) return expired(ctx, known.expired);
    since = known.seq;
    selection = known.selection;
  } else {
    selection = parseDeltaSelect(ctx.query.get('$select'), ctx.query.get('$expand'));
  }
  const roundId = state.newToken();
  store.deltaRounds.set(roundId, {
    items: store.deltaItems(since, selection, behaviour.groupDeltaMembersPerObject),
    deltaSeq: state.seq,
    selection,
    expired: null,
  });
  return deltaPage(state, behaviour, ctx, roundId, 0);
}

function deltaPage(state: TenantState, behaviour: GroupBehaviour, ctx: GraphRequestContext, roundId: string, offset: number): FakeResponse {
  const round = state.groups.deltaRounds.get(roundId);
  if (round === undefined) return syncStateNotFound(ctx);
  const end = offset + behaviour.groupsDeltaPageSize;
  const body: Record<string, unknown> = { '@odata.context': `${ctx.origin}/v1.0/$metadata#groups`, value: round.items.slice(offset, end) };
  if (end < round.items.length) {
    body['@odata.nextLink'] = link(ctx, '/v1.0/groups/delta', [
      ['$skiptoken', Buffer.from(`${roundId}.${end}`, 'utf8').toString('base64url')],
    ]);
  } else {
    const token = state.newToken();
    state.groups.deltaTokens.set(token, { seq: round.deltaSeq, selection: round.selection, expired: null });
    body['@odata.deltaLink'] = link(ctx, '/v1.0/groups/delta', [['$deltatoken', token]]);
  }
  return json(200, body);
}

function syncStateNotFound(ctx: GraphRequestContext): FakeResponse {
  return graphError(ctx, 400, 'syncStateNotFound', 'The sync state generation is not found. Please perform a full sync.');
}

function expired(ctx: GraphRequestContext, status: 400 | 410): FakeResponse {
  if (status === 400) return syncStateNotFound(ctx);
  return graphError(ctx, 410, 'resyncRequired', 'The delta token has expired. Start a new delta round.');
}

// ---- query options ----

function parseGroupSelect(value: string | null): GroupProperty[] {
  if (value === null) return [...GROUP_PROPERTIES];
  const properties: GroupProperty[] = [];
  for (const name of value.split(',').map((part) => part.trim())) {
    if (!(GROUP_PROPERTIES as readonly string[]).includes(name)) {
      throw new QueryError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.group'.`);
    }
    if (!properties.includes(name as GroupProperty)) properties.push(name as GroupProperty);
  }
  if (!properties.includes('id')) properties.unshift('id');
  return properties;
}

/**
 * groups/delta: `members` in $select (or $expand=members, the older form in delta-query-groups) tracks membership;
 * without $select every property and the members are returned ("members@delta is included by default when $select
 * has not been specified").
 */
function parseDeltaSelect(select: string | null, expand: string | null): GroupSelection {
  if (expand !== null && expand !== 'members')
    throw new QueryError(400, 'Request_BadRequest', `Unsupported $expand '${expand}' on groups delta.`);
  if (select === null) return { properties: [...GROUP_PROPERTIES], members: true };
  const names = select.split(',').map((part) => part.trim());
  const members = names.includes('members') || expand === 'members';
  return { properties: parseGroupSelect(names.filter((name) => name !== 'members').join(',') || 'id'), members };
}

function parseMemberSelect(value: string | null): readonly string[] | null {
  if (value === null) return null;
  const names = value.split(',').map((part) => part.trim());
  for (const name of names) {
    if (!(MEMBER_SELECTABLE as readonly string[]).includes(name)) {
      throw new QueryError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.directoryObject'.`,
      );
    }
  }
  return names;
}

/** Only `startswith(displayName,'text')` (https://learn.microsoft.com/graph/filter-query-parameter: no ConsistencyLevel needed). */
function parseGroupFilter(value: string | null): (record: GroupRecord) => boolean {
  if (value === null) return () => true;
  const match = /^startswith\(displayName,\s*'((?:[^']|'')*)'\)$/i.exec(value.trim());
  if (match?.[1] === undefined) {
    throw new QueryError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${value}'.`);
  }
  const prefix = match[1].replace(/''/g, "'").toLowerCase();
  return (record) => (record.group.displayName ?? '').toLowerCase().startsWith(prefix);
}

function link(ctx: GraphRequestContext, path: string, params: readonly (readonly [string, string])[]): string {
  return `${ctx.origin}${path}?${params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}
