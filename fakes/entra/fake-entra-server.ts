/**
 * A fake Microsoft Entra tenant over real HTTP on 127.0.0.1: one server plays both the token authority
 * (/{tenant}/oauth2/v2.0/token) and Microsoft Graph (/v1.0/...), so the clients run their real code paths against
 * it. It records every request (for assertions on headers, costs and timing), injects failures on demand, and
 * answers 501 to anything it does not model, recording it in `unexpected` so tests fail loudly.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { MicrosoftCloudEndpoints } from '../../src/domain/microsoft-cloud';
import type { FakeDirectoryObject, FakeGraphUser, FakeGroup, FakeGroupMember, FakeOrgContact } from '../world/types';
import { type BatchItemRequest, routeBatch } from './batch-route';
import { defaultErrorCode, type FakeResponse, graphError, type GraphRequestContext, json, NotUnderstood } from './fake-http';
import { type GraphBehaviour, routeGraphGet, type TokenAccess, type TokenAccessByArea } from './graph-routes';
import type { TenantSnapshot } from './tenant-snapshot';
import { type FakeTenantOptions, TenantState } from './tenant-state';
import { requestCost, ResourceBucket, type ThrottleOptions } from './throttle';
import { GRAPH_SCOPE, routeToken } from './token-route';
import { BUILT_IN_ROLE_TEMPLATES, type FakeDirectoryRole, routeWrite, type WriteBehaviour } from './write-routes';

export type { GraphBehaviour } from './graph-routes';
export { type TenantSnapshot, tenantSnapshotSchema } from './tenant-snapshot';
export type { FakeTenantOptions } from './tenant-state';

export interface FakeEntraOptions {
  readonly tenant: FakeTenantOptions;
  readonly users?: readonly FakeGraphUser[];
  readonly orgContacts?: readonly FakeOrgContact[];
  /** Groups with their direct members, and the devices and service principals among those members. */
  readonly groups?: readonly FakeGroup[];
  readonly directoryObjects?: readonly FakeDirectoryObject[];
  /** Added before every answer (real time). */
  readonly latencyMs?: number;
  readonly throttling?: ThrottleOptions;
  /** Clock for token expiry, throttling and recorded times (default: throttling.now, then Date.now). */
  readonly now?: () => number;
  /** Readings of Graph behaviour the documentation leaves open. */
  readonly behaviour?: Partial<GraphBehaviour>;
  /** Seed for the order of $batch responses. */
  readonly seed?: number;
  /**
   * The Graph origin the app believes it talks to (e.g. https://graph.microsoft.com) when a transport maps the
   * real hosts to this fake: nextLink/deltaLink/@odata.context are written with it, as Graph writes its own host.
   */
  readonly publicGraphOrigin?: string;
  /** Index the tenant between requests (benchmarks with large worlds): the same answers for far less CPU. */
  readonly indexes?: boolean;
  /** Readings of the write routes (write-routes.ts); default privilegedTargets 'refused'. */
  readonly writes?: Partial<WriteBehaviour>;
}

export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Headers of interest only; the bearer token is masked and request bodies (the secret) are never kept. */
  readonly headers: Readonly<Record<string, string>>;
  status: number;
  retryAfter: string | null;
  /** The fake clock's time when the request arrived. */
  readonly time: number;
  /** seq of the $batch envelope this item came in, or null for a plain request. */
  readonly batchOf: number | null;
}

export interface UnexpectedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly reason: string;
}

export interface FailRule {
  /** Exact path, or a pattern tested against it (batch items as /v1.0/users/{id}). */
  readonly path: string | RegExp;
  readonly method?: string;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; undefined gives Graph's error body for the status. */
  readonly body?: unknown;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

export interface FakeEntra {
  /** Origin, e.g. http://127.0.0.1:54321. */
  readonly url: string;
  /** Endpoints that point the clients at this fake. */
  readonly endpoints: MicrosoftCloudEndpoints;
  readonly requests: RecordedRequest[];
  readonly unexpected: UnexpectedRequest[];
  expectNoUnexpected(): void;
  close(): Promise<void>;
  upsertUser(user: FakeGraphUser): void;
  softDeleteUser(id: string): void;
  restoreUser(id: string): void;
  hardDeleteUser(id: string): void;
  setManager(userId: string, managerId: string | null): void;
  /** Groups (group-state.ts): every change is reported by groups delta as Microsoft documents it. */
  createGroup(group: FakeGroup): void;
  /** A rename, a new description, ...: properties only. */
  updateGroup(id: string, changes: Partial<Omit<FakeGroup, 'id' | 'members'>>): void;
  addGroupMember(groupId: string, member: FakeGroupMember): void;
  removeGroupMember(groupId: string, memberId: string): void;
  softDeleteGroup(id: string): void;
  restoreGroup(id: string): void;
  hardDeleteGroup(id: string): void;
  /**
   * Makes a user a direct member of a built-in directory role (write-routes.ts BUILT_IN_ROLE_TEMPLATES, default
   * Global Administrator), as the admin center's role assignment does; read by GET /users/{id}/memberOf/microsoft.graph.directoryRole.
   */
  assignDirectoryRole(userId: string, roleName?: string): void;
  /** Admin consent on or off; `roles` replaces the application permissions consent grants (default User.Read.All). */
  setConsent(granted: boolean, roles?: readonly string[]): void;
  expireSecret(): void;
  /** Every issued access token becomes expired (Graph answers 401). */
  expireAccessTokens(): void;
  failNext(rule: FailRule): void;
  /** Every delta token and unfinished round so far (users and groups) becomes unusable: 400 syncStateNotFound or 410 Gone. */
  expireDeltaTokens(answer?: 400 | 410): void;
  /** Every paging link handed out so far (users and groups lists, members, unfinished delta rounds) answers 400 Directory_ExpiredPageToken. */
  expirePageTokens(): void;
  /** Incremental delta never reports the changes made so far to these users (delta is not lossless); full reads do. */
  loseDeltaChanges(ids: readonly string[]): void;
  /** A directory extension property is deleted from the tenant (values included); $select naming it answers 400. */
  removeExtensionProperty(name: string): void;
  /** The tenant's memory as JSON (users and their history, tokens, delta rounds), e.g. to keep it across processes. */
  exportState(): TenantSnapshot;
  /** Replaces the tenant's memory with an exported one; the app registration given at start stays. */
  importState(snapshot: TenantSnapshot): void;
}

const DEFAULT_BEHAVIOUR: GraphBehaviour = {
  managerExpandSelect: 'honoured',
  absentManager: 'omit',
  expandPageCap: 100,
  deltaPageSize: 200,
  replicationLagSeconds: 120,
  rolelessToken: 'AccessDenied',
  deltaOmitsNulls: false,
  deltaTracksOptionalProperties: false,
  groupDeltaMembersPerObject: 100,
  groupsDeltaPageSize: 100,
};

/**
 * Application permissions that read groups and their members (https://learn.microsoft.com/graph/api/group-list-members#permissions,
 * https://learn.microsoft.com/graph/api/group-delta#permissions: GroupMember.Read.All least privileged, Group.Read.All
 * and Directory.Read.All higher; the ReadWrite forms include the read).
 */
export const GROUP_READ_ROLES: readonly string[] = [
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const RECORDED_HEADERS = ['client-request-id', 'x-ms-throttle-priority', 'consistencylevel', 'content-type', 'accept'];
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

export async function startFakeEntra(options: FakeEntraOptions): Promise<FakeEntra> {
  const clock = options.now ?? options.throttling?.now ?? Date.now;
  const behaviour: GraphBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const state = new TenantState(
    options.tenant,
    options.users ?? [],
    options.orgContacts ?? [],
    options.groups ?? [],
    options.directoryObjects ?? [],
  );
  state.useIndexes = options.indexes ?? false;
  state.now = clock;
  const capacity = options.throttling?.resourceUnitsPer10s;
  const bucket = capacity === undefined ? null : new ResourceBucket(capacity, options.throttling?.now ?? clock);
  const requests: RecordedRequest[] = [];
  const unexpected: UnexpectedRequest[] = [];
  const failRules: { rule: FailRule; left: number }[] = [];
  const shuffle = seededShuffle(options.seed ?? 42);
  let origin = '';
  const linkOrigin = () => options.publicGraphOrigin ?? origin;
  const directoryRoles = new Map<string, FakeDirectoryRole>();
  const writeHost = {
    state,
    roles: directoryRoles,
    behaviour: { privilegedTargets: 'refused', ...options.writes } satisfies WriteBehaviour,
  };

  function record(method: string, url: URL, headers: Record<string, string | undefined>, batchOf: number | null): RecordedRequest {
    const kept: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const value = headers[name];
      if (value !== undefined) kept[name] = value;
    }
    if (headers['authorization'] !== undefined) kept['authorization'] = headers['authorization'].replace(/^(Bearer) .*/i, '$1 ***');
    const entry: RecordedRequest = {
      seq: requests.length + 1,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: kept,
      status: 0,
      retryAfter: null,
      time: clock(),
      batchOf,
    };
    requests.push(entry);
    return entry;
  }

  function injected(
    method: string,
    path: string,
    ctx: Pick<GraphRequestContext, 'requestId' | 'clientRequestId' | 'now'>,
  ): FakeResponse | null {
    const slot = failRules.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        (typeof rule.path === 'string' ? rule.path === path : rule.path.test(path)),
    );
    if (slot === undefined) return null;
    slot.left--;
    const { rule } = slot;
    const headers = { ...rule.headers };
    if (rule.body === undefined && rule.status >= 400)
      return graphError(ctx, rule.status, defaultErrorCode(rule.status), 'Injected failure.', headers);
    if (typeof rule.body === 'string')
      return { status: rule.status, headers: { 'Content-Type': 'text/plain', ...headers }, body: rule.body };
    return json(rule.status, rule.body, headers);
  }

  /** Throttling, consent and routing for one Graph GET (plain or inside $batch). */
  function answerGet(ctx: GraphRequestContext, consent: TokenAccessByArea): FakeResponse {
    if (bucket !== null) {
      const decision = bucket.take(requestCost(ctx.path, ctx.query));
      if (!decision.ok) {
        return graphError(ctx, 429, 'TooManyRequests', 'Too many requests. Retry after the time in the Retry-After header.', {
          'Retry-After': String(decision.retryAfterSeconds),
        });
      }
    }
    const answer = routeGraphGet(state, behaviour, ctx, consent);
    return { ...answer, headers: { ...answer.headers, 'x-ms-resource-unit': String(requestCost(ctx.path, ctx.query)) } };
  }

  function answerBatchItem(
    item: BatchItemRequest,
    envelope: GraphRequestContext,
    envelopeSeq: number,
    consent: TokenAccessByArea,
  ): FakeResponse {
    const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
    const url = new URL(`/v1.0${relative}`, origin);
    const entry = record(item.method.toUpperCase(), url, headers, envelopeSeq);
    const ctx: GraphRequestContext = {
      path: url.pathname,
      query: url.searchParams,
      headers,
      requestId: randomUUID(),
      clientRequestId: headers['client-request-id'] ?? envelope.clientRequestId,
      now: clock(),
      origin: linkOrigin(),
    };
    let answer: FakeResponse;
    try {
      if (/^https?:/i.test(item.url)) throw new NotUnderstood(`$batch item url must be relative, got '${item.url}'`);
      answer =
        injected(entry.method, ctx.path, ctx) ?? (entry.method === 'GET' ? answerGet(ctx, consent) : notModelled(entry.method, ctx.path));
    } catch (error) {
      answer = notUnderstood(error, entry, ctx);
    }
    entry.status = answer.status;
    entry.retryAfter = headerOf(answer, 'retry-after');
    return answer;
  }

  function notUnderstood(
    error: unknown,
    entry: RecordedRequest,
    ctx: Pick<GraphRequestContext, 'requestId' | 'clientRequestId' | 'now'>,
  ): FakeResponse {
    const reason =
      error instanceof NotUnderstood
        ? error.message
        : `fake Entra crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    unexpected.push({ method: entry.method, path: entry.path, query: entry.query, reason });
    return graphError(ctx, 501, 'NotImplemented', `The fake Entra tenant did not understand this request: ${reason}`);
  }

  function dispatch(
    method: string,
    url: URL,
    headers: Record<string, string | undefined>,
    body: string,
    entry: RecordedRequest,
    requestId: string,
  ): FakeResponse {
    const ctx: GraphRequestContext = {
      path: url.pathname,
      query: url.searchParams,
      headers,
      requestId,
      clientRequestId: headers['client-request-id'] ?? null,
      now: clock(),
      origin: linkOrigin(),
    };
    const forced = injected(method, url.pathname, ctx);
    if (forced !== null) return forced;

    const tokenPath = TOKEN_PATH.exec(url.pathname);
    if (tokenPath?.[1] !== undefined) {
      if (method !== 'POST') return notModelled(method, url.pathname);
      return routeToken(state, {
        tenant: decodeURIComponent(tokenPath[1]),
        contentType: headers['content-type'],
        body,
        now: ctx.now,
        origin: linkOrigin(),
      });
    }
    if (!url.pathname.startsWith('/v1.0/')) return notModelled(method, url.pathname);

    const auth = authenticate(headers['authorization'], ctx);
    if ('status' in auth) return auth;
    if (url.pathname === '/v1.0/$batch') {
      if (method !== 'POST') return notModelled(method, url.pathname);
      return routeBatch(ctx, body, (item) => answerBatchItem(item, ctx, entry.seq, auth.consent), shuffle);
    }
    const written = routeWrite(writeHost, method, ctx, body, auth.roles);
    if (written !== null) return written;
    if (method !== 'GET') return notModelled(method, url.pathname);
    return answerGet(ctx, auth.consent);
  }

  function authenticate(
    header: string | undefined,
    ctx: GraphRequestContext,
  ): FakeResponse | { consent: TokenAccessByArea; roles: readonly string[] } {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    if (token === undefined) return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const grant = state.accessTokens.get(token);
    if (grant === undefined)
      return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    if (grant.expiresAt <= ctx.now)
      return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    // Snapshots from before roles were modelled lack them: a token without consent had no roles either.
    const roles = grant.roles ?? [];
    const denied: TokenAccess = roles.length === 0 ? 'noRoles' : 'insufficient';
    return {
      roles,
      consent: {
        users: grant.consent ? 'granted' : denied,
        groups: roles.some((role) => GROUP_READ_ROLES.includes(role)) ? 'granted' : denied,
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', origin);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const entry = record(method, url, headers, null);
    const requestId = randomUUID();
    let answer: FakeResponse;
    try {
      answer = dispatch(method, url, headers, body, entry, requestId);
    } catch (error) {
      answer = notUnderstood(error, entry, { requestId, clientRequestId: headers['client-request-id'] ?? null, now: clock() });
    }
    entry.status = answer.status;
    entry.retryAfter = headerOf(answer, 'retry-after');
    if (options.latencyMs !== undefined && options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));

    const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'request-id': requestId,
      'client-request-id': headers['client-request-id'] ?? requestId,
      ...answer.headers,
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push({
        method: req.method ?? '?',
        path: req.url ?? '?',
        query: {},
        reason: `fake Entra failed to answer: ${String(error)}`,
      });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    endpoints: { label: 'Fake Entra tenant', login: origin, graph: origin, scope: GRAPH_SCOPE },
    requests,
    unexpected,
    expectNoUnexpected() {
      if (unexpected.length === 0) return;
      const lines = unexpected.map((u) => `${u.method} ${u.path} ${JSON.stringify(u.query)}: ${u.reason}`);
      throw new Error(`The fake Entra tenant received ${unexpected.length} request(s) it did not understand:\n${lines.join('\n')}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    upsertUser: (user) => state.upsertUser(user),
    softDeleteUser: (id) => state.softDeleteUser(id),
    restoreUser: (id) => state.restoreUser(id),
    hardDeleteUser: (id) => state.hardDeleteUser(id),
    setManager: (userId, managerId) => state.setManager(userId, managerId),
    createGroup: (group) => state.groups.createGroup(group),
    updateGroup: (id, changes) => state.groups.updateGroup(id, changes),
    addGroupMember: (groupId, member) => state.groups.addMember(groupId, member),
    removeGroupMember: (groupId, memberId) => state.groups.removeMember(groupId, memberId),
    softDeleteGroup: (id) => state.groups.softDeleteGroup(id),
    restoreGroup: (id) => state.groups.restoreGroup(id),
    hardDeleteGroup: (id) => state.groups.hardDeleteGroup(id),
    assignDirectoryRole(userId, roleName = 'Global Administrator') {
      const templateId = BUILT_IN_ROLE_TEMPLATES[roleName];
      if (templateId === undefined) throw new Error(`fake Entra: unknown directory role ${roleName}`);
      let role = directoryRoles.get(templateId);
      if (role === undefined) {
        role = { id: randomUUID(), displayName: roleName, roleTemplateId: templateId, memberIds: new Set() };
        directoryRoles.set(templateId, role);
      }
      role.memberIds.add(userId);
    },
    setConsent(granted, roles) {
      state.consentGranted = granted;
      if (roles !== undefined) state.grantedRoles = [...roles];
    },
    expireSecret() {
      state.secretExpired = true;
    },
    expireAccessTokens() {
      for (const [token, grant] of state.accessTokens) state.accessTokens.set(token, { ...grant, expiresAt: -Infinity });
    },
    failNext(rule) {
      failRules.push({ rule, left: rule.times ?? 1 });
    },
    expireDeltaTokens(answer = 410) {
      for (const token of state.deltaTokens.values()) token.expired = answer;
      for (const round of state.deltaRounds.values()) round.expired = answer;
      for (const token of state.groups.deltaTokens.values()) token.expired = answer;
      for (const round of state.groups.deltaRounds.values()) round.expired = answer;
    },
    expirePageTokens() {
      state.listCursors.clear();
      for (const round of state.deltaRounds.values()) round.pageTokensExpired = true;
      state.groups.cursors.clear();
      for (const round of state.groups.deltaRounds.values()) round.pageTokensExpired = true;
    },
    loseDeltaChanges: (ids) => state.loseDeltaChanges(ids),
    removeExtensionProperty: (name) => state.removeExtensionProperty(name),
    exportState: () => state.snapshot(),
    importState: (snapshot) => state.restore(snapshot),
  };
}

function notModelled(method: string, path: string): never {
  throw new NotUnderstood(`${method} ${path} is not modelled by the fake Entra tenant`);
}

function headerOf(answer: FakeResponse, name: string): string | null {
  const entry = Object.entries(answer.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Deterministic Fisher-Yates (mulberry32) so a failing test replays the same order. */
function seededShuffle(seed: number): <T>(items: T[]) => T[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
}
