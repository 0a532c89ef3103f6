/**
 * Shared wiring for the Graph contract tests: a fake clock whose sleep advances time (so Retry-After waits cost
 * nothing), a transport over Node's fetch, an in-memory token cache, builders for fake directory users, and a
 * `startWorld` that starts the fake tenant and the real clients pointed at it.
 */
import { type FakeEntra, type FakeEntraOptions, type FakeTenantOptions, startFakeEntra } from '../../../fakes/entra/fake-entra-server';
import { SIMULATED_TENANT } from '../../../fakes/simulation';
import type { FakeGraphUser, FakeGroup, FakeGroupMember } from '../../../fakes/world/types';
import { createGraphClient, type GraphClient } from '../../../src/clients/graph/graph-client';
import { type CachedToken, createTokenProvider, type TokenCache, type TokenProvider } from '../../../src/clients/graph/token-client';
import type { ExternalFetch } from '../../../src/clients/http';
import type { RetryPolicy } from '../../../src/clients/retry-policy';
import type { MicrosoftCloudEndpoints } from '../../../src/domain/microsoft-cloud';
import { testPolicy } from '../../support/test-retry-policy';

export const T0 = Date.parse('2026-03-02T09:00:00Z');

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
  sleep: (ms: number) => Promise<void>;
  readonly slept: number[];
}

export function fakeClock(start = T0): FakeClock {
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

export const nodeFetch: ExternalFetch = async (request) =>
  fetch(request.url, { method: request.method, headers: request.headers, body: request.body });

export { testPolicy };

export interface MemoryTokenCache extends TokenCache {
  value: unknown;
  writes: CachedToken[];
}

export function memoryTokenCache(initial?: unknown): MemoryTokenCache {
  const cache: MemoryTokenCache = {
    value: initial,
    writes: [],
    async read() {
      return cache.value;
    },
    async write(entry) {
      cache.writes.push(entry);
      cache.value = entry;
    },
    async clear() {
      cache.value = undefined;
    },
  };
  return cache;
}

export const TENANT: FakeTenantOptions = SIMULATED_TENANT;

/** A deterministic GUID-shaped object id. */
export function userId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

let built = 0;

/** A valid fake directory user; override what the test is about. */
export function graphUser(overrides: Partial<FakeGraphUser> = {}): FakeGraphUser {
  built++;
  const n = built;
  return {
    id: userId(100_000 + n),
    displayName: `Person ${n}`,
    givenName: 'Person',
    surname: String(n),
    mail: `person${n}@contoso.com`,
    userPrincipalName: `person${n}@contoso.onmicrosoft.com`,
    proxyAddresses: [`SMTP:person${n}@contoso.com`, `smtp:p${n}@contoso.com`],
    otherMails: [],
    jobTitle: 'Engineer',
    department: 'R&D',
    officeLocation: 'Oslo',
    accountEnabled: true,
    userType: 'Member',
    employeeId: null,
    managerId: null,
    ...overrides,
  };
}

/** `count` users with ids userId(1..count); everyone but the first reports to the user ten places above. */
export function directory(count: number): FakeGraphUser[] {
  return Array.from({ length: count }, (_, i) =>
    graphUser({
      id: userId(i + 1),
      displayName: `Employee ${i + 1}`,
      mail: `employee${i + 1}@contoso.com`,
      userPrincipalName: `employee${i + 1}@contoso.onmicrosoft.com`,
      proxyAddresses: [`SMTP:employee${i + 1}@contoso.com`],
      managerId: i === 0 ? null : userId(Math.max(1, i - 9)),
    }),
  );
}

export interface World {
  readonly fake: FakeEntra;
  readonly clock: FakeClock;
  readonly cache: MemoryTokenCache;
  readonly tokens: TokenProvider;
  readonly graph: GraphClient;
  readonly endpoints: MicrosoftCloudEndpoints;
  /** Graph requests only (token requests left out). */
  graphRequests(): FakeEntra['requests'];
  tokenRequests(): FakeEntra['requests'];
  close(): Promise<void>;
}

export interface WorldOptions extends Partial<Omit<FakeEntraOptions, 'now'>> {
  readonly policy?: Partial<RetryPolicy>;
  readonly secret?: string;
  readonly tenantId?: string;
}

let requestCounter = 0;

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const { policy: policyOverrides, secret, tenantId, ...fakeOptions } = options;
  const clock = fakeClock();
  const fake = await startFakeEntra({ tenant: TENANT, ...fakeOptions, now: clock.now });
  const policy = testPolicy(clock, policyOverrides);
  const cache = memoryTokenCache();
  const endpoints = fake.endpoints;
  const tokens = createTokenProvider({
    fetch: nodeFetch,
    endpoints,
    tenantId: tenantId ?? TENANT.tenantId,
    clientId: TENANT.clientId,
    clientSecret: async () => secret ?? TENANT.clientSecret,
    cache,
    now: clock.now,
    policy,
    fingerprint: 'settings-v1',
  });
  const graph = createGraphClient({
    fetch: nodeFetch,
    endpoints,
    tokens,
    policy,
    newRequestId: () => `7c9e6679-7425-40de-944b-${(++requestCounter).toString(16).padStart(12, '0')}`,
  });
  return {
    fake,
    clock,
    cache,
    tokens,
    graph,
    endpoints,
    graphRequests: () => fake.requests.filter((r) => r.path.startsWith('/v1.0/')),
    tokenRequests: () => fake.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')),
    close: () => fake.close(),
  };
}

/** Reads every page of the user list. */
export async function readAllUsers(
  graph: GraphClient,
): Promise<{ users: Awaited<ReturnType<GraphClient['listUsersPage']>>['users']; pages: number }> {
  const users: Awaited<ReturnType<GraphClient['listUsersPage']>>['users'] = [];
  let link: string | null = null;
  let pages = 0;
  do {
    const page = await graph.listUsersPage(link);
    users.push(...page.users);
    link = page.nextLink;
    pages++;
  } while (link !== null);
  return { users, pages };
}

/** Follows a delta round to its end; returns every change and the deltaLink. */
export async function readDeltaRound(graph: GraphClient, start: string | null) {
  const changes: Awaited<ReturnType<GraphClient['deltaPage']>>['changes'] = [];
  let link: string | null = start;
  let pages = 0;
  for (;;) {
    const page = await graph.deltaPage(link);
    changes.push(...page.changes);
    pages++;
    if (page.deltaLink !== null) return { changes, deltaLink: page.deltaLink, pages };
    link = page.nextLink;
    if (link === null) throw new Error('delta page with neither nextLink nor deltaLink');
  }
}

/** Runs a promise expected to reject and returns the rejection. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A deterministic GUID-shaped group id. */
export function groupId(n: number): string {
  return `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;
}

/** A security group (not mail-enabled) with the given direct members; override what the test is about. */
export function fakeGroup(n: number, members: FakeGroupMember[] = [], overrides: Partial<FakeGroup> = {}): FakeGroup {
  return {
    id: groupId(n),
    displayName: `Group ${n}`,
    mail: null,
    description: `Test group ${n}`,
    groupTypes: [],
    mailEnabled: false,
    securityEnabled: true,
    membershipRule: null,
    members,
    ...overrides,
  };
}

export const userMember = (n: number): FakeGroupMember => ({ type: 'user', id: userId(n) });
export const groupMember = (n: number): FakeGroupMember => ({ type: 'group', id: groupId(n) });

/** Follows a groups delta round to its end. */
export async function readGroupsRound(graph: GraphClient, start: string | null) {
  const changes: Awaited<ReturnType<GraphClient['groupsDeltaPage']>>['changes'] = [];
  let link: string | null = start;
  let pages = 0;
  for (;;) {
    const page = await graph.groupsDeltaPage(link);
    changes.push(...page.changes);
    pages++;
    if (page.deltaLink !== null) return { changes, deltaLink: page.deltaLink, pages };
    link = page.nextLink;
    if (link === null) throw new Error('groups delta page with neither nextLink nor deltaLink');
  }
}
