/**
 * Setup shared by the Assets client tests: a fake site on a fake clock, the client wired to it over HTTP, and an
 * in-memory workspace cache that counts its writes.
 */
import { jiraFetchTo } from '../../../fakes/jira/fake-jira-fetch';
import {
  type FakeEndpoint,
  type FakeJiraSite,
  type FakeJiraSiteOptions,
  type RecordedRequest,
  startFakeJiraSite,
} from '../../../fakes/jira/fake-jira-site';
import { type AssetsClient, createAssetsClient } from '../../../src/clients/assets/assets-client';
import type { RetryPolicy } from '../../../src/clients/retry-policy';
import { CORE_SCHEMA } from '../../../src/domain/attribute-catalogue';
import type { ObjectWrite } from '../../../src/domain/object-values';
import { objectTypeOf } from '../../../src/domain/schema-definition';
import type { SchemaLayout } from '../../../src/domain/schema-layout';
import { type FakeClock, fakeClock, testPolicy } from '../jira/support';

/** The Employee object type with the core attributes (what the client tests create their schema from). */
export const EMPLOYEE = objectTypeOf(CORE_SCHEMA, 'employee');

export interface MemoryWorkspaceCache {
  value: unknown;
  writes: string[];
  read(): Promise<unknown>;
  write(id: string): Promise<void>;
}

export function memoryWorkspaceCache(initial: unknown = undefined): MemoryWorkspaceCache {
  const cache: MemoryWorkspaceCache = {
    value: initial,
    writes: [],
    read: async () => cache.value,
    write: async (id) => {
      cache.writes.push(id);
      cache.value = id;
    },
  };
  return cache;
}

export interface AssetsTestBed {
  site: FakeJiraSite;
  clock: FakeClock;
  client: AssetsClient;
  cache: MemoryWorkspaceCache;
  /** A second client on the same site (and cache), e.g. with another policy. */
  clientWith(policy: RetryPolicy): AssetsClient;
}

export async function assetsTestBed(
  options: FakeJiraSiteOptions = {},
  policyFor: (clock: FakeClock) => RetryPolicy = testPolicy,
): Promise<AssetsTestBed> {
  const clock = fakeClock();
  const site = await startFakeJiraSite({ now: clock.now, ...options });
  const cache = memoryWorkspaceCache();
  const fetch = jiraFetchTo(site.url);
  const clientWith = (policy: RetryPolicy): AssetsClient => createAssetsClient({ fetch, policy, workspaceCache: cache });
  return { site, clock, cache, client: clientWith(policyFor(clock)), clientWith };
}

/**
 * A fresh site per test with the core schema ensured (call inside a describe): the returned function starts it; after
 * each test the site is checked for unexpected requests and closed.
 */
export function coreSchemaBedPerTest(
  users: FakeJiraSiteOptions['users'],
): (options?: FakeJiraSiteOptions) => Promise<{ bed: AssetsTestBed; layout: SchemaLayout }> {
  let bed: AssetsTestBed | undefined;
  afterEach(async () => {
    bed?.site.expectNoUnexpected();
    await bed?.site.close();
    bed = undefined;
  });
  return async (options = {}) => {
    bed = await assetsTestBed({ users, ...options });
    return { bed, layout: (await bed.client.ensureSchema(CORE_SCHEMA)).layout };
  };
}

/**
 * The requests the fake served, in order: its Assets redirects (on by default, see FakeJiraSiteOptions.assetsRedirects)
 * are left out and the marker of a followed redirect is removed, so tests compare what Assets answered.
 */
export function served(site: FakeJiraSite, endpoint?: FakeEndpoint, since = 0): RecordedRequest[] {
  return site.requests
    .slice(since)
    .filter((r) => (endpoint === undefined || r.endpoint === endpoint) && !isRedirect(r.status))
    .map((r) => ({ ...r, query: unmark(r.query), url: r.url.replace(/[?&]redirected=1$/, '').replace('redirected=1&', '') }));
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

function unmark(query: string): string {
  return query
    .split('&')
    .filter((p) => p !== 'redirected=1')
    .join('&');
}

/** Requests that change something (anything but GET and the read-only AQL search). */
export function writesOf(site: FakeJiraSite, since = 0): string[] {
  return served(site, undefined, since)
    .filter((r) => r.method !== 'GET' && !r.path.endsWith('/object/aql'))
    .map((r) => `${r.method} ${r.path.replace(/^\/jsm\/assets\/workspace\/[^/]+\/v1\//, '')}`);
}

/** One Employee as the app writes it, for account `accountId`; fields overridable. */
export function employeeWrite(accountId: string, overrides: ObjectWrite = {}): ObjectWrite {
  return {
    fullName: 'Ada Lovelace',
    entraUserId: '0b4a1c2d-0000-4000-8000-000000000001',
    email: 'ada@example.com',
    jobTitle: 'Engineer',
    department: 'R&D',
    atlassianAccountId: accountId,
    jiraUser: accountId,
    active: true,
    manager: null,
    managerAtlassianAccountId: null,
    ...overrides,
  };
}
