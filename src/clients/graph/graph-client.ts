/**
 * The Microsoft Graph reads the sync needs, and nothing else: the user list (full read), users delta (incremental
 * read), users by id ($batch), the user count (connection test), and groups (groups delta with members, groups by
 * id: graph-groups.ts). Every response is parsed with zod and mapped into the domain's EntraUser / DeltaChange /
 * GroupDeltaChange; every failure becomes an AppError with a stable code.
 *
 * Manager: the list asks for `$expand=manager($select=id)`. Microsoft documents the nested $select in one place
 * and denies it in another, so both answers are accepted (only the manager's id is read from whatever object comes
 * back), and if Graph refuses the nested form with a 400 this client switches to plain `$expand=manager` for the
 * rest of its life (one extra request per invocation at most).
 */
import { CORE_SCHEMA } from '../../domain/attribute-catalogue';
import type { DeltaChange } from '../../domain/directory-delta';
import type { EntraGroup, GroupDeltaChange } from '../../domain/entra-group';
import type { EntraUser } from '../../domain/entra-user';
import { AppError } from '../../domain/errors';
import { type ObjectTypeDefinition, objectTypeOf } from '../../domain/schema-definition';
import type { HttpRequest } from '../http';
import { readJson } from '../http';
import { getUsersInBatches, type ManagerExpand } from './graph-batch';
import { failureContext, type GraphFailure, graphFailure } from './graph-errors';
import { getGroupsInBatches, groupReadFailure, GROUPS_DELTA_PATH, groupsDeltaPageSchema, toGroupDeltaChange } from './graph-groups';
import { countSchema, deltaPageSchema, type GraphExtra, isGraphLink, toDeltaChange, toEntraUser, usersPageSchema } from './graph-schemas';
import { assertGraphLink, createGraphCall, type GraphClientDeps, type GraphResult } from './graph-transport';

export type { GraphClientDeps } from './graph-transport';

/**
 * What the client reads of each user: exactly the properties the matching rules read plus those the definition's
 * attributes read (accountEnabled, proxyAddresses and otherMails need $select), and how chosen attributes are
 * taken from a Graph user.
 */
export interface GraphUserFields {
  /** The $select value. */
  readonly select: string;
  readonly extras: readonly GraphExtra[];
  /** Graph properties the sync scope reads (scope.ts scopeProfileProperties), kept in EntraUser.profile. */
  readonly profile: readonly string[];
}

/** `profile`: the scope's properties, selected too (no extra request: the same pages carry them). */
export function graphUserFields(type: ObjectTypeDefinition, profile: readonly string[] = []): GraphUserFields {
  const selected = ['id', 'displayName', 'mail', 'userPrincipalName', 'proxyAddresses', 'otherMails'];
  for (const attribute of type.attributes)
    for (const property of attribute.graphSelect) if (!selected.includes(property)) selected.push(property);
  for (const property of profile) if (!selected.includes(property)) selected.push(property);
  if (!selected.includes('accountEnabled')) selected.push('accountEnabled');
  const extras = type.attributes.flatMap((attribute) =>
    attribute.fromGraph === undefined ? [] : [{ key: attribute.key, read: attribute.fromGraph, select: attribute.graphSelect }],
  );
  return { select: selected.join(','), extras, profile: [...profile] };
}

/** The core attributes' fields (what every run read before attributes could be chosen). */
export const USER_SELECT = graphUserFields(objectTypeOf(CORE_SCHEMA, 'employee')).select;
export const MANAGER_EXPAND_ID_ONLY = 'manager($select=id)';
export const MANAGER_EXPAND_FULL = 'manager';
/** Graph's maximum page size for /users. */
export const USERS_PAGE_SIZE = 999;

/**
 * Graph error codes that mean a delta token can no longer be used, lower-cased: Graph's casing is not stable across
 * services, so codes are compared ignoring case (https://learn.microsoft.com/graph/delta-query-overview: "synchronization reset").
 */
const DELTA_EXPIRED_CODES = new Set(['syncstatenotfound', 'syncstateinvalid', 'resyncrequired']);
/** A paging link the directory no longer honours (400; see fakes/entra/graph-routes.ts for the sources). */
const PAGE_TOKEN_EXPIRED_CODE = 'directory_expiredpagetoken';

export interface UsersPage {
  readonly users: EntraUser[];
  /** Opaque; pass it back as given. null on the last page. */
  readonly nextLink: string | null;
}

export interface DeltaPage {
  readonly changes: DeltaChange[];
  /** More pages of this round follow. */
  readonly nextLink: string | null;
  /** The round is complete: store this link and follow it next time for the changes since. */
  readonly deltaLink: string | null;
}

export interface GroupsDeltaPage {
  readonly changes: GroupDeltaChange[];
  readonly nextLink: string | null;
  readonly deltaLink: string | null;
}

export interface GraphClient {
  /**
   * The user list with the manager expanded. No longer the sync's full read (the first delta round is: $expand
   * pages hold at most 100 users, see docs/clients/graph.md); kept for the benchmark that compares both designs.
   */
  listUsersPage(nextLink: string | null): Promise<UsersPage>;
  /**
   * null starts a delta round (every user: the sync's full read); otherwise a nextLink or deltaLink. Throws
   * GRAPH_DELTA_EXPIRED (delta position unknown) and GRAPH_PAGE_TOKEN_EXPIRED (a nextLink expired mid-round).
   */
  deltaPage(link: string | null): Promise<DeltaPage>;
  /** A deltaLink meaning "from now on" (benchmark of the old design; the full read's own last page gives one). */
  latestDeltaLink(): Promise<string>;
  /** Users by Entra object id; ids Graph does not know come back in notFound. Order is not kept. */
  getUsersByIds(ids: readonly string[]): Promise<{ users: EntraUser[]; notFound: string[] }>;
  /** Number of users in the tenant; proves the token, the consent and the network path in one cheap call. */
  countUsers(): Promise<number>;
  /**
   * Groups delta with members (graph-groups.ts): null starts a round of every group; otherwise a nextLink or a
   * deltaLink. The same group can come on several pages of a round (each with part of its members): the caller
   * merges. Throws GRAPH_DELTA_EXPIRED / GRAPH_PAGE_TOKEN_EXPIRED like deltaPage, GRAPH_GROUPS_FORBIDDEN without
   * GroupMember.Read.All.
   */
  groupsDeltaPage(link: string | null): Promise<GroupsDeltaPage>;
  /** Groups by Entra object id ($batch); ids Graph does not know come back in notFound. */
  getGroupsByIds(ids: readonly string[]): Promise<{ groups: EntraGroup[]; notFound: string[] }>;
}

export function createGraphClient(
  deps: GraphClientDeps,
  fields: GraphUserFields = graphUserFields(objectTypeOf(CORE_SCHEMA, 'employee')),
): GraphClient {
  const call = createGraphCall(deps);
  const graph = deps.endpoints.graph;
  let expand = MANAGER_EXPAND_ID_ONLY;
  const managerExpand: ManagerExpand = {
    current: () => expand,
    fallBack: () => {
      if (expand === MANAGER_EXPAND_FULL) return false;
      expand = MANAGER_EXPAND_FULL;
      return true;
    },
  };

  /** Sends a request that carries the manager $expand, retrying once in the plain form if Graph refuses it. */
  async function withManagerExpand(operation: string, build: (expandValue: string) => HttpRequest): Promise<GraphResult> {
    const sent = expand;
    const result = await call(operation, build(sent));
    // An unknown extension property fails whatever the $expand form: no second request for it.
    if (result.ok || result.failure.status !== 400 || (result.failure.unknownProperty ?? null) !== null) return result;
    if (sent === expand && !managerExpand.fallBack()) return result;
    return call(operation, build(expand));
  }

  async function delta(operation: string, url: string, isStoredLink: boolean): Promise<DeltaPage> {
    const result = await call(operation, { method: 'GET', url });
    if (!result.ok) {
      if (isStoredLink && isPageTokenExpired(result.failure)) throw pageTokenExpired(operation, result.failure);
      if (isStoredLink && isDeltaExpired(result.failure)) throw deltaExpired(operation, result.failure);
      throw graphFailure(result.failure, operation);
    }
    const page = await readJson(result.response, deltaPageSchema(graph), 'Microsoft Graph (users delta)', result.context);
    return {
      changes: page.value.map((item) => toDeltaChange(item, fields.extras, fields.profile)),
      nextLink: page['@odata.nextLink'] ?? null,
      deltaLink: page['@odata.deltaLink'] ?? null,
    };
  }

  const deltaStart = `${graph}/v1.0/users/delta?$select=${fields.select},manager`;

  async function groupsDelta(url: string, isStoredLink: boolean): Promise<GroupsDeltaPage> {
    const operation = 'groupsDelta';
    const result = await call(operation, { method: 'GET', url });
    if (!result.ok) {
      if (isStoredLink && isPageTokenExpired(result.failure)) throw pageTokenExpired(operation, result.failure);
      if (isStoredLink && isDeltaExpired(result.failure)) throw deltaExpired(operation, result.failure);
      throw groupReadFailure(result.failure, operation);
    }
    const page = await readJson(result.response, groupsDeltaPageSchema(graph), 'Microsoft Graph (groups delta)', result.context);
    return {
      changes: page.value.map(toGroupDeltaChange),
      nextLink: page['@odata.nextLink'] ?? null,
      deltaLink: page['@odata.deltaLink'] ?? null,
    };
  }

  return {
    async listUsersPage(nextLink) {
      const operation = 'listUsers';
      let result: GraphResult;
      if (nextLink === null) {
        result = await withManagerExpand(operation, (expandValue) => ({
          method: 'GET',
          url: `${graph}/v1.0/users?$select=${fields.select}&$expand=${expandValue}&$top=${USERS_PAGE_SIZE}`,
        }));
      } else {
        assertGraphLink(nextLink, graph, operation);
        result = await call(operation, { method: 'GET', url: nextLink });
      }
      if (!result.ok) {
        if (nextLink !== null && isPageTokenExpired(result.failure)) throw pageTokenExpired(operation, result.failure);
        throw graphFailure(result.failure, operation);
      }
      const page = await readJson(result.response, usersPageSchema(graph), 'Microsoft Graph (list users)', result.context);
      return {
        users: page.value.map((user) => toEntraUser(user, fields.extras, fields.profile)),
        nextLink: page['@odata.nextLink'] ?? null,
      };
    },

    async deltaPage(link) {
      if (link === null) return delta('delta', deltaStart, false);
      if (!isGraphLink(link, graph)) {
        throw new AppError(
          'GRAPH_DELTA_EXPIRED',
          'The saved Microsoft Graph delta link does not belong to the configured Microsoft cloud; the next sync reads the whole directory.',
          { context: { operation: 'delta' } },
        );
      }
      return delta('delta', link, true);
    },

    async latestDeltaLink() {
      const page = await delta('latestDeltaLink', `${deltaStart}&$deltatoken=latest`, false);
      if (page.deltaLink === null || page.changes.length > 0) {
        throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph (users delta) did not return a delta link for "from now on".', {
          context: { operation: 'latestDeltaLink' },
          retry: 'now',
        });
      }
      return page.deltaLink;
    },

    getUsersByIds(ids) {
      return getUsersInBatches(ids, deps, call, fields, managerExpand);
    },

    async countUsers() {
      const operation = 'countUsers';
      // $count on directory objects is an "advanced query": Graph answers 400 unless ConsistencyLevel is eventual.
      const result = await call(operation, {
        method: 'GET',
        url: `${graph}/v1.0/users/$count`,
        headers: { ConsistencyLevel: 'eventual', Accept: 'text/plain' },
      });
      if (!result.ok) throw graphFailure(result.failure, operation);
      const parsed = countSchema.safeParse(await result.response.text());
      if (!parsed.success) {
        throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph (count users) returned a response the app could not read.', {
          context: result.context,
          cause: parsed.error,
          retry: 'now',
        });
      }
      return parsed.data;
    },

    async groupsDeltaPage(link) {
      if (link === null) return groupsDelta(`${graph}${GROUPS_DELTA_PATH}`, false);
      if (!isGraphLink(link, graph)) {
        throw new AppError(
          'GRAPH_DELTA_EXPIRED',
          'The saved Microsoft Graph groups delta link does not belong to the configured Microsoft cloud; the next sync reads all groups.',
          { context: { operation: 'groupsDelta' } },
        );
      }
      return groupsDelta(link, true);
    },

    getGroupsByIds(ids) {
      return getGroupsInBatches(ids, deps, call);
    },
  };
}

function isDeltaExpired(failure: GraphFailure): boolean {
  return (
    failure.status === 410 ||
    (failure.status === 400 && failure.graphCode !== null && DELTA_EXPIRED_CODES.has(failure.graphCode.toLowerCase()))
  );
}

function isPageTokenExpired(failure: GraphFailure): boolean {
  return failure.status === 400 && failure.graphCode?.toLowerCase() === PAGE_TOKEN_EXPIRED_CODE;
}

function pageTokenExpired(operation: string, failure: GraphFailure): AppError {
  return new AppError(
    'GRAPH_PAGE_TOKEN_EXPIRED',
    'Microsoft Graph no longer accepts the paging link of the directory read in progress; the app starts the read again.',
    { context: failureContext(failure, operation), retry: 'later', retryAfterSeconds: 60 },
  );
}

function deltaExpired(operation: string, failure: GraphFailure): AppError {
  return new AppError(
    'GRAPH_DELTA_EXPIRED',
    'Microsoft Graph no longer knows the saved delta position (delta links expire after 7 days); the next sync reads the whole directory.',
    { context: failureContext(failure, operation) },
  );
}
