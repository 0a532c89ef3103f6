/**
 * What the sandbox lets an app invocation reach, as Forge would: global fetch only to hosts manifest.yml declares
 * (Microsoft hosts mapped to the configured servers, their links rewritten back), requestJira only for paths whose
 * scope the manifest declares. The Jira and JSM rows are checked against the OpenAPI specs when they are present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { createEgressFetch, EgressNotAllowedError, isDeclared } from '../../sandbox/egress';
import { type InvocationContext, runInInvocation } from '../../sandbox/invocation-context';
import { createJiraProxy } from '../../sandbox/jira-proxy';
import { checkJiraScope, JIRA_SCOPE_RULES } from '../../sandbox/jira-scopes';
import { loadManifest } from '../../sandbox/manifest';

const manifest = loadManifest(join(__dirname, '..', '..'));

function invocation(overrides: Partial<InvocationContext> = {}): InvocationContext {
  return {
    invocationId: 'i',
    functionKey: 'f',
    moduleKey: 'm',
    chainId: 'c',
    accountId: undefined,
    startedAt: performance.now(),
    limitMs: 60_000,
    dead: false,
    logs: [],
    ...overrides,
  };
}

const inInvocation = <T>(work: () => Promise<T>, overrides: Partial<InvocationContext> = {}) =>
  runInInvocation(invocation(overrides), work);

describe('requestJira scopes', () => {
  it('allows every call the app makes with the scopes manifest.yml declares', () => {
    const calls: [string, string][] = [
      ['GET', '/rest/api/3/users/search?startAt=0&maxResults=1000'],
      ['GET', '/rest/api/3/user/email/bulk?accountId=a&accountId=b'],
      ['POST', '/rest/api/3/permissions/check'],
      ['GET', '/rest/servicedeskapi/assets/workspace'],
      ['GET', '/jsm/assets/workspace/w-1/v1/objectschema/list?startAt=0&maxResults=50'],
      ['POST', '/jsm/assets/workspace/w-1/v1/objectschema/create'],
      ['GET', '/jsm/assets/workspace/w-1/v1/objectschema/3/objecttypes'],
      ['GET', '/jsm/assets/workspace/w-1/v1/icon/global'],
      ['POST', '/jsm/assets/workspace/w-1/v1/objecttype/create'],
      ['GET', '/jsm/assets/workspace/w-1/v1/objecttype/12/attributes'],
      ['POST', '/jsm/assets/workspace/w-1/v1/objecttypeattribute/12'],
      ['PUT', '/jsm/assets/workspace/w-1/v1/objecttypeattribute/12/140'],
      ['GET', '/jsm/assets/workspace/w-1/v1/config/referencetype?objectSchemaId=3'],
      ['POST', '/jsm/assets/workspace/w-1/v1/config/referencetype'],
      ['POST', '/jsm/assets/workspace/w-1/v1/object/aql?startAt=0&maxResults=500&includeAttributes=true'],
      ['POST', '/jsm/assets/workspace/w-1/v1/object/create'],
      ['PUT', '/jsm/assets/workspace/w-1/v1/object/1001'],
    ];
    for (const [method, path] of calls)
      expect({ method, path, decision: checkJiraScope(method, path, manifest.scopes) }).toEqual({
        method,
        path,
        decision: { allowed: true },
      });
  });

  it('refuses a call whose scope is not declared, and a path it does not know, naming why', () => {
    expect(checkJiraScope('DELETE', '/jsm/assets/workspace/w/v1/object/1', manifest.scopes)).toEqual({
      allowed: false,
      reason: expect.stringContaining('delete:cmdb-object:jira'),
    });
    expect(checkJiraScope('GET', '/rest/api/3/users/search', new Set(['storage:app']))).toEqual({
      allowed: false,
      reason: expect.stringContaining('read:jira-user'),
    });
    expect(checkJiraScope('GET', '/rest/api/3/issue/ABC-1', manifest.scopes)).toEqual({
      allowed: false,
      reason: expect.stringContaining('not an endpoint'),
    });
  });

  it('matches the Jira and JSM OpenAPI specs for its /rest rows (skipped when the specs are absent)', () => {
    const specDir = join(__dirname, '..', '..', '..', 'shared', 'specs');
    const files = ['jira-platform.swagger-v3.json', 'jira-service-management.swagger-v3.json'].map((f) => join(specDir, f));
    if (!files.every(existsSync)) {
      console.warn('skipped: the Jira/JSM OpenAPI specs are not present');
      return;
    }
    type Operation = { 'x-atlassian-oauth2-scopes'?: { scopes: string[]; state: string }[] };
    const paths = new Map<string, Record<string, Operation>>();
    for (const file of files) {
      const spec = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
      for (const [path, ops] of Object.entries(spec.paths)) paths.set(path, ops);
    }
    const rows = JIRA_SCOPE_RULES.filter((r) => r.pattern.source.startsWith('^\\/rest') || r.pattern.source.startsWith('^/rest'));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const path = row.pattern.source.replace(/^\^/, '').replace(/\$$/, '').replace(/\\\//g, '/');
      const operation = paths.get(path)?.[row.method.toLowerCase()];
      expect({ path, found: operation !== undefined }).toEqual({ path, found: true });
      const specScopes = (operation?.['x-atlassian-oauth2-scopes'] ?? []).map((s) => [...s.scopes].sort());
      for (const alternative of row.anyOf)
        expect({
          path,
          alternative,
          inSpec: specScopes.some((s) => JSON.stringify(s) === JSON.stringify([...alternative].sort())),
        }).toEqual({ path, alternative, inSpec: true });
    }
  });
});

describe('egress', () => {
  let server: Server;
  let origin: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      // Some servers escape '/' in JSON strings ("http:\/\/host"): both spellings must be rewritten.
      res.end(`{"value":[],"@odata.nextLink":"${self}/v1.0/users?$skiptoken=abc","escaped":"${self.replace(/\//g, '\\/')}"}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const egress = () => createEgressFetch({ declared: manifest.egress, loginTarget: origin, graphTarget: origin, realFetch: fetch });

  it('refuses a host manifest.yml does not declare, as Forge egress does', async () => {
    await expect(inInvocation(() => egress()('https://evil.example.com/steal'))).rejects.toBeInstanceOf(EgressNotAllowedError);
    await expect(inInvocation(() => egress()('http://graph.microsoft.com/v1.0/users'))).rejects.toThrow(
      /not included in the external fetch backend permissions/,
    );
  });

  it('sends a declared Graph host to the configured server and rewrites its links back to the Graph host', async () => {
    const response = await inInvocation(() =>
      egress()('https://graph.microsoft.com/v1.0/users?$top=999', { headers: { authorization: 'Bearer x' } }),
    );
    expect(seen.at(-1)).toBe('GET /v1.0/users?$top=999');
    const body = (await response.json()) as Record<string, string>;
    expect(body['@odata.nextLink']).toBe('https://graph.microsoft.com/v1.0/users?$skiptoken=abc');
    expect(body['escaped']).toBe('https://graph.microsoft.com');
  });

  it('sends token requests for any declared authority to the login server', async () => {
    await inInvocation(() =>
      egress()('https://login.microsoftonline.us/tenant/oauth2/v2.0/token', { method: 'POST', body: 'grant_type=client_credentials' }),
    );
    expect(seen.at(-1)).toBe('POST /tenant/oauth2/v2.0/token');
  });

  it('leaves calls made outside any app invocation alone, and refuses a stopped invocation', async () => {
    await expect(egress()(`${origin}/outside`)).resolves.toHaveProperty('status', 200);
    await expect(inInvocation(() => egress()('https://graph.microsoft.com/v1.0/users'), { dead: true })).rejects.toThrow(/stopped/);
  });

  it('matches declared addresses by scheme and host, wildcards included', () => {
    expect(isDeclared(new URL('https://a.example.com/x'), ['https://*.example.com'])).toBe(true);
    expect(isDeclared(new URL('https://example.org/x'), ['https://*.example.com'])).toBe(false);
    expect(isDeclared(new URL('https://graph.microsoft.com:8443/x'), ['https://graph.microsoft.com'])).toBe(false);
  });

  it('requestJira answers 403 for an undeclared scope and never reaches the site', async () => {
    const before = seen.length;
    const proxy = createJiraProxy({ siteUrl: origin, scopes: new Set(['storage:app']), fetch });
    const refused = await inInvocation(() => proxy('app', '/rest/api/3/users/search', { method: 'GET' }));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('read:jira-user');
    const asUser = await inInvocation(() => proxy('user', '/rest/api/3/user/email/bulk?accountId=a', { method: 'GET' }), {
      accountId: 'acc',
    });
    expect(asUser.status).toBe(403);
    expect(seen.length).toBe(before);
  });
});
