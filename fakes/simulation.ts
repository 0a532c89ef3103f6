/**
 * A simulated Microsoft tenant and Jira site started together from one generated world: what the pipeline tests,
 * the benchmarks and the sandbox run against. The transports map the app's real Microsoft hosts (every cloud) to
 * the fake tenant and Jira's site-relative paths to the fake site; any other host is refused, as Forge egress would.
 */
import type { ExternalFetch, HttpRequest, HttpResponse, JiraFetch } from '../src/clients/http';
import { MICROSOFT_CLOUDS } from '../src/domain/microsoft-cloud';
import { type FakeEntra, type FakeEntraOptions, type FakeTenantOptions, startFakeEntra } from './entra/fake-entra-server';
import { jiraFetchTo } from './jira/fake-jira-fetch';
import { startFakeJiraSite } from './jira/fake-jira-site';
import type { FakeJiraSite, FakeJiraSiteOptions } from './jira/types';
import type { World } from './world/types';

export const SIMULATED_TENANT: FakeTenantOptions = {
  tenantId: '6f1c3a52-0b7e-4c1d-9a55-3f2e8d7b1c90',
  domains: ['contoso.onmicrosoft.com', 'contoso.com'],
  clientId: '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31',
  clientSecret: 'Qx8~kP2.vN5rT7wY9zA1bC3dE5fG7hJ9kL1mN3pR',
  secretId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  // The built-in tenant's app registration reads users and groups, so group sync works out of the box; a test
  // or a sandbox world without the groups permission passes `tenant: { grantedRoles: ['User.Read.All'] }`.
  grantedRoles: ['User.Read.All', 'GroupMember.Read.All'],
};

export interface SimulationOptions {
  readonly world: World;
  readonly tenant?: Partial<FakeTenantOptions>;
  readonly entra?: Partial<Omit<FakeEntraOptions, 'tenant' | 'users' | 'orgContacts'>>;
  readonly jira?: Partial<Omit<FakeJiraSiteOptions, 'users'>>;
  readonly now?: () => number;
}

export interface Simulation {
  readonly world: World;
  readonly tenant: FakeTenantOptions;
  readonly entra: FakeEntra;
  readonly jira: FakeJiraSite;
  readonly externalFetch: ExternalFetch;
  readonly jiraFetch: JiraFetch;
  close(): Promise<void>;
}

export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const tenant = { ...SIMULATED_TENANT, ...options.tenant };
  const now = options.now ?? Date.now;
  const entra = await startFakeEntra({
    tenant,
    users: options.world.entra.users,
    orgContacts: options.world.entra.orgContacts,
    groups: options.world.entra.groups ?? [],
    directoryObjects: options.world.entra.directoryObjects ?? [],
    now,
    publicGraphOrigin: MICROSOFT_CLOUDS.global.graph,
    ...options.entra,
  });
  const jira = await startFakeJiraSite({ users: options.world.jira.users, now, ...options.jira });
  return {
    world: options.world,
    tenant,
    entra,
    jira,
    externalFetch: loopbackExternalFetch(entra.url),
    jiraFetch: jiraFetchTo(jira.url),
    close: async () => {
      await Promise.all([entra.close(), jira.close()]);
    },
  };
}

const MICROSOFT_ORIGINS = new Set(Object.values(MICROSOFT_CLOUDS).flatMap((cloud) => [cloud.login, cloud.graph]));

/** Sends requests for any Microsoft host the app knows to the fake tenant; refuses every other host. */
export function loopbackExternalFetch(target: string): ExternalFetch {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const url = new URL(request.url);
    if (!MICROSOFT_ORIGINS.has(url.origin)) throw new Error(`egress to ${url.origin} is not declared`);
    const response = await fetch(`${target}${url.pathname}${url.search}`, {
      method: request.method,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
}
