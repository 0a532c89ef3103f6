/**
 * A fake Jira Cloud site over real HTTP on 127.0.0.1: Jira user search and email API, the JSM Assets workspace
 * lookup and the Assets REST API the app uses, with per-endpoint rate limits on an injectable clock, injected
 * failures, and a record of every request. A request it does not understand answers 501 and is recorded in
 * `unexpected`, so a client that drifts from the real API fails its tests instead of passing against a lenient fake.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AssetsObject } from '../../src/domain/assets-object';
import { CORE_SCHEMA } from '../../src/domain/attribute-catalogue';
import type { ObjectValues } from '../../src/domain/object-values';
import { objectTypeOf } from '../../src/domain/schema-definition';
import type { FakeJiraUser } from '../world/types';
import { AssetsRenderer } from './assets-render';
import { routeAssets } from './assets-routes';
import { AssetsState, type ObjectRec, type ObjectTypeRec } from './assets-state';
import { routeJira } from './jira-routes';
import { Jira429Headers, RateLimiter } from './rate-limiter';
import type { RouteRequest, RouteResponse } from './routing';
import type {
  FailNextRule,
  FakeEndpoint,
  FakeJiraSite,
  FakeJiraSiteOptions,
  FakeObjectInput,
  FakePrincipal,
  RecordedRequest,
  UnexpectedRequest,
} from './types';

export { type SiteSnapshot, siteSnapshotSchema } from './site-snapshot';
export type * from './types';

const ASSETS_PREFIX = /^\/jsm\/assets\/workspace\/([^/]+)\/v1\/(.*)$/;
/** Query parameter marking a request that followed one of the fake's Assets redirects (it is served, not redirected). */
const REDIRECT_MARK = 'redirected';
/** In the default 'some' mode, the 1st, 8th, 15th... request of each Assets endpoint class redirects. */
const REDIRECT_EVERY = 7;
/** Longer request lines are refused by Atlassian's edge (414); the app must chunk below this. */
const MAX_URL_LENGTH = 8192;
/** The Employee object type as the app defines it: employees() decodes its core attributes by name. */
const EMPLOYEE_TYPE = objectTypeOf(CORE_SCHEMA, 'employee');

export async function startFakeJiraSite(options: FakeJiraSiteOptions = {}): Promise<FakeJiraSite> {
  const now = options.now ?? Date.now;
  const users: FakeJiraUser[] = (options.users ?? []).map((u) => ({ ...u }));
  let userIndex = new Map(users.map((u) => [u.accountId, u]));
  const workspaceId = options.workspaceId ?? 'f1e2d3c4-0000-4000-8000-00000000a55e';
  const state = new AssetsState(() => userIndex, now);
  state.useIndexes = options.indexes ?? false;
  state.dateAcceptsDateTime = options.assetsDateAcceptsDateTime ?? false;
  state.multiReferenceUpdate = options.assetsMultiReferenceUpdate ?? 'replace';
  for (const s of options.preexistingSchemas ?? []) {
    const outcome = state.createSchema(s.name, s.key, s.description ?? '');
    if (!outcome.ok) throw new Error(`fake Jira site: preexisting schema ${s.key} rejected: ${JSON.stringify(outcome.errors)}`);
  }
  const limiter = new RateLimiter(options.rateLimits, now);
  const jira429 = new Jira429Headers(options.rateLimits?.jira429);
  let searchCount = 0;
  const administrators = new Set(options.administrators ?? []);
  const usersWithoutAssets = new Set(options.assetsUsersWithoutAccess ?? []);
  const failRules: { rule: FailNextRule; remaining: number }[] = [];
  const redirectCounts = new Map<FakeEndpoint, number>();
  const requests: RecordedRequest[] = [];
  const unexpected: UnexpectedRequest[] = [];
  let origin = '';
  const render = new AssetsRenderer(
    state,
    workspaceId,
    () => origin,
    () => userIndex,
  );
  render.dateReadForm = options.assetsDateReadForm ?? 'iso';
  const jiraDeps = {
    users: () => users,
    origin: () => origin,
    emailApi: options.emailApi ?? 'ok',
    emailBulkShape: options.emailBulkShape ?? 'array',
    assetsEnabled: options.assetsEnabled ?? true,
    workspaceId,
    administrators: () => administrators,
    permissionModel: options.permissionModel ?? 'jira',
    usersPageCap: options.usersPageCap === undefined ? 100 : options.usersPageCap,
    usersSearch409Every: options.usersSearch409Every ?? 0,
    userSearchHiddenEmails: options.userSearchHiddenEmails ?? 'unmatched',
    countSearch: () => ++searchCount,
  } as const;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = now();
    const rawUrl = req.url ?? '/';
    const method = req.method ?? 'GET';
    const url = new URL(rawUrl, 'http://fake.invalid');
    const path = url.pathname;
    const text = await readBody(req);
    let body: unknown;
    let response: RouteResponse | null;
    const endpoint = classify(method, path);
    try {
      body = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
    } catch {
      body = text;
    }
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));

    if (rawUrl.length > MAX_URL_LENGTH) {
      response = { status: 414, body: 'URI Too Long', unexpected: `request line of ${rawUrl.length} characters (limit ${MAX_URL_LENGTH})` };
    } else if (principalOf(req.headers.authorization) === null) {
      // Forge's proxy always authenticates the call; a request without it is the app or sandbox misbehaving: loud.
      response = {
        status: 401,
        body: { errorMessages: ['Authorization must be "Bearer forge-app" or "Bearer forge-user:<accountId>".'], errors: {} },
        unexpected: 'no or unknown Authorization',
      };
    } else if (typeof body === 'string') {
      response = {
        status: 400,
        body: { errorMessages: ['The request body is not JSON'], errors: {} },
        unexpected: 'request body is not JSON',
      };
    } else {
      response =
        injected(method, path) ??
        throttled(endpoint) ??
        route({ method, path, query: url.searchParams, body }, principalOf(req.headers.authorization) ?? { kind: 'app' });
    }

    if (response === null) {
      const reason = `the fake Jira site does not understand ${method} ${path}`;
      response = { status: 501, body: { errorMessages: [reason], errors: {} }, unexpected: reason };
    }
    if (response.unexpected !== undefined) unexpected.push({ method, url: rawUrl, reason: response.unexpected });
    requests.push({
      method,
      path,
      query: url.search.replace(/^\?/, ''),
      url: rawUrl,
      endpoint,
      status: response.status,
      time,
      body: options.recordBodies === false ? undefined : body,
    });
    const payload = response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    res.writeHead(response.status, {
      // The server's clock (RFC 9110 §6.6.1), from the fake's own `now`: clients measure reset times against it.
      Date: new Date(now()).toUTCString(),
      'Content-Type': typeof response.body === 'string' ? 'text/plain' : 'application/json',
      ...response.headers,
    });
    res.end(payload);
  }

  /** The caller from `Authorization` (FakePrincipal); null when missing or unknown ('lenient': missing = the app). */
  function principalOf(header: string | undefined): FakePrincipal | null {
    if (header === undefined) return jiraDeps.permissionModel === 'lenient' ? { kind: 'app' } : null;
    const value = header.trim();
    if (value === 'Bearer forge-app') return { kind: 'app' };
    const user = /^Bearer forge-user:(\S{1,128})$/.exec(value);
    return user?.[1] !== undefined ? { kind: 'user', accountId: user[1] } : null;
  }

  function route(request: RouteRequest, principal: FakePrincipal): RouteResponse | null {
    const assets = ASSETS_PREFIX.exec(request.path);
    if (!assets) return routeJira(jiraDeps, request, principal);
    if (options.assetsAuth === 'unauthorized') {
      return { status: 401, body: { errorMessages: ['Unauthorized; scope does not match'], errors: {} } };
    }
    if (!jiraDeps.assetsEnabled || decodeURIComponent(assets[1] ?? '') !== workspaceId) {
      return { status: 404, body: { errorMessages: ['Workspace not found'], errors: {} } };
    }
    if (principal.kind === 'user' && usersWithoutAssets.has(principal.accountId)) return noAssetsAccess(request);
    return (
      redirect(request) ??
      routeAssets(
        { state, render, aqlMaxResults: options.aqlMaxResults ?? 100, now, updatedFilter: options.assetsAqlUpdatedFilter ?? 'refused' },
        request,
        assets[2] ?? '',
      )
    );
  }

  /** A user without an Assets role (FakeJiraSiteOptions.assetsUsersWithoutAccess / assetsNoAccessAnswer). */
  function noAssetsAccess(request: RouteRequest): RouteResponse {
    const forbidden = { status: 403, body: { errorMessages: ['You do not have permission to view this object schema.'], errors: {} } };
    if ((options.assetsNoAccessAnswer ?? 'empty') === 'forbidden') return forbidden;
    const endpoint = classify(request.method, request.path);
    if (endpoint === 'object/aql')
      return { status: 200, body: { startAt: 0, maxResults: 25, total: 0, isLast: true, last: true, values: [] } };
    if (endpoint === 'object/get') return { status: 404, body: { errorMessages: ['Object was not found'], errors: {} } };
    return forbidden;
  }

  /** See FakeJiraSiteOptions.assetsRedirects: the redirected request is served at the same path with REDIRECT_MARK. */
  function redirect(request: RouteRequest): RouteResponse | null {
    const mode = options.assetsRedirects ?? 'some';
    if (mode === 'off' || request.query.has(REDIRECT_MARK)) return null;
    const endpoint = classify(request.method, request.path) ?? 'assets/config';
    const seen = (redirectCounts.get(endpoint) ?? 0) + 1;
    redirectCounts.set(endpoint, seen);
    if (mode === 'some' && seen % REDIRECT_EVERY !== 1) return null;
    const query = new URLSearchParams(request.query);
    query.set(REDIRECT_MARK, '1');
    const target = `${request.path}?${query.toString()}`;
    if (request.method === 'GET') return { status: 303, headers: { Location: target } };
    return { status: endpoint === 'object/aql' ? 308 : 307, headers: { Location: `${origin}${target}` } };
  }

  function injected(method: string, path: string): RouteResponse | null {
    const index = failRules.findIndex(
      ({ rule }) =>
        (rule.method === undefined || rule.method === method) &&
        (typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path)),
    );
    const hit = failRules[index];
    if (!hit) return null;
    hit.remaining -= 1;
    if (hit.remaining <= 0) failRules.splice(index, 1);
    return { status: hit.rule.status, body: hit.rule.body ?? '', ...(hit.rule.headers ? { headers: hit.rule.headers } : {}) };
  }

  function throttled(endpoint: FakeEndpoint | null): RouteResponse | null {
    if (endpoint === null) return null;
    const waitMs = limiter.take(endpoint);
    if (waitMs === null) return null;
    const isAssets = endpoint.startsWith('object') || endpoint === 'assets/config';
    // Jira platform and JSM endpoints answer in the forms of Jira's 2026 rate limits (Jira429Headers).
    const headers: Record<string, string> = isAssets ? {} : jira429.headers(waitMs, now());
    if (isAssets && limiter.sendsRetryAfter) headers['Retry-After'] = String(Math.ceil(waitMs / 1000));
    return { status: 429, body: { errorMessages: ['Rate limit exceeded.'], errors: {} }, headers };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push({ method: req.method ?? '?', url: req.url ?? '?', reason: `fake crashed: ${String(error)}` });
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('fake Jira site crashed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function entraType(name = EMPLOYEE_TYPE.name): ObjectTypeRec {
    const schema = state.schemas.find((s) => s.key === CORE_SCHEMA.key);
    const type =
      state.objectTypes.find((t) => t.name === name && t.schemaId === schema?.id) ?? state.objectTypes.find((t) => t.name === name);
    if (!type) throw new Error(`fake Jira site: no object type "${name}" (create the schema first)`);
    return type;
  }

  function attributeNamed(objectTypeId: string, name: string): { id: string } {
    const attribute = state.attributesOf(objectTypeId).find((a) => a.name === name);
    if (!attribute) throw new Error(`fake Jira site: no attribute "${name}" on object type ${objectTypeId}`);
    return attribute;
  }

  function decode(object: ObjectRec): AssetsObject {
    const byName = new Map(state.attributesOf(object.objectTypeId).map((a) => [a.name, object.values.get(a.id)?.[0] ?? null]));
    const values: ObjectValues = {};
    for (const attribute of EMPLOYEE_TYPE.attributes) {
      const value = byName.get(attribute.name) ?? null;
      values[attribute.key] = attribute.kind.type === 'boolean' && value !== null ? value === 'true' : value;
    }
    return { objectId: object.id, objectKey: object.objectKey, values };
  }

  return {
    url: origin,
    workspaceId,
    requests,
    unexpected,
    expectNoUnexpected() {
      if (unexpected.length > 0) {
        throw new Error(
          `fake Jira site received unexpected requests:\n${unexpected.map((u) => `  ${u.method} ${u.url}: ${u.reason}`).join('\n')}`,
        );
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    employees() {
      const schema = state.schemas.find((s) => s.key === CORE_SCHEMA.key);
      const type = state.objectTypes.find((t) => t.schemaId === schema?.id && t.name === EMPLOYEE_TYPE.name);
      return type ? state.objectsOfType(type.id).map(decode) : [];
    },
    editObject(objectId, attributeName, value) {
      const object = state.objects.get(objectId);
      if (!object) throw new Error(`fake Jira site: no object ${objectId}`);
      const attribute = attributeNamed(object.objectTypeId, attributeName);
      if (value === null) object.values.delete(attribute.id);
      else object.values.set(attribute.id, [value]);
      object.updated = now();
      state.invalidateIndexes();
    },
    addObject(input: FakeObjectInput) {
      const type = entraType(input.objectTypeName);
      const values = new Map<string, string[]>();
      for (const [name, value] of Object.entries(input.attributes)) {
        if (value !== null) values.set(attributeNamed(type.id, name).id, typeof value === 'string' ? [value] : [...value]);
      }
      const object = state.insertObject(type.id, values);
      return { objectId: object.id, objectKey: object.objectKey };
    },
    deleteObject(objectId) {
      state.objects.delete(objectId);
      state.invalidateIndexes();
    },
    setUser(user) {
      const index = users.findIndex((u) => u.accountId === user.accountId);
      if (index >= 0) users[index] = { ...user };
      else users.push({ ...user });
      userIndex = new Map(users.map((u) => [u.accountId, u]));
    },
    renameAttribute(objectTypeName, from, to) {
      const type = entraType(objectTypeName);
      const attribute = state.attributesOf(type.id).find((a) => a.name === from);
      if (!attribute) throw new Error(`fake Jira site: no attribute "${from}" on ${objectTypeName}`);
      attribute.name = to;
    },
    deleteAttribute(objectTypeName, name) {
      state.removeAttribute(attributeNamed(entraType(objectTypeName).id, name).id);
    },
    failNext(rule) {
      failRules.push({ rule, remaining: rule.times ?? 1 });
    },
    requestsTo(endpoint) {
      return requests.filter((r) => r.endpoint === endpoint);
    },
    exportState() {
      return { v: 1, users: users.map((u) => ({ ...u })), assets: state.snapshot() };
    },
    importState(snapshot) {
      users.splice(0, users.length, ...snapshot.users.map((u) => ({ ...u })));
      userIndex = new Map(users.map((u) => [u.accountId, u]));
      state.restore(snapshot.assets);
    },
  };
}

function classify(method: string, path: string): FakeEndpoint | null {
  switch (path) {
    case '/rest/api/3/users/search':
      return 'users/search';
    case '/rest/api/3/user/email/bulk':
      return 'user/email/bulk';
    case '/rest/api/3/user/email':
      return 'user/email';
    case '/rest/servicedeskapi/assets/workspace':
      return 'assets/workspace';
  }
  const assets = ASSETS_PREFIX.exec(path);
  if (!assets) return null;
  const rest = assets[2] ?? '';
  if (rest === 'object/create') return 'object/create';
  if (rest === 'object/aql') return 'object/aql';
  if (/^object\/[^/]+$/.test(rest)) return method === 'GET' ? 'object/get' : 'object/update';
  return 'assets/config';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
