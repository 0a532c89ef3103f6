/**
 * Builds the pipeline's external ports from the stored settings: the token provider (token cached in the secret
 * store across invocations), the Graph, Jira users and Assets clients, each over the transport it is given.
 * No Forge imports: src/functions/wiring.ts passes Forge transports, tests and benchmarks pass plain HTTP ones.
 */
import { createAssetsClient } from '../clients/assets/assets-client';
import { createGraphClient, type GraphClientDeps, graphUserFields } from '../clients/graph/graph-client';
import { createGraphProbes } from '../clients/graph/graph-probes';
import { createGraphWrites } from '../clients/graph/graph-writes';
import { createTokenProvider } from '../clients/graph/token-client';
import type { ExternalFetch, JiraFetch } from '../clients/http';
import { createJiraUsersClient } from '../clients/jira/jira-users-client';
import type { RetryPolicy } from '../clients/retry-policy';
import { CORE_SCHEMA } from '../domain/attribute-catalogue';
import { MICROSOFT_CLOUDS } from '../domain/microsoft-cloud';
import { objectTypeOf, type SchemaDefinition } from '../domain/schema-definition';
import type { StoredSettings } from '../domain/settings';
import type { Connections } from '../pipeline/deps';
import { keys, secretKeys } from '../pipeline/keys';
import type { Clock, KeyValueStore, SecretStore } from '../pipeline/ports';
import { type ExtensionChecker, type GroupFinder, requireClientSecret, requireSettings } from './settings-service';

export interface ConnectionDeps {
  readonly externalFetch: ExternalFetch;
  readonly jiraFetch: JiraFetch;
  readonly store: KeyValueStore;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly newRequestId: () => string;
}

/** `priority: 'interactive'` for an admin waiting on the page (Test connection); the sync keeps the default, background. */
/**
 * `definition`: the one whose attributes the Graph reads fetch (the core attributes when not given); `profile`: the
 * Graph properties the run's scope reads (scope.ts), selected too.
 */
export function createMicrosoftClients(
  deps: ConnectionDeps,
  settings: StoredSettings,
  options: {
    priority?: 'background' | 'interactive';
    definition?: SchemaDefinition;
    profile?: readonly string[];
    /** A secret being saved (not stored yet): used instead of the stored one. */
    clientSecret?: string;
  } = {},
) {
  const endpoints = MICROSOFT_CLOUDS[settings.cloud];
  const tokens = createTokenProvider({
    fetch: deps.externalFetch,
    endpoints,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: () => (options.clientSecret === undefined ? requireClientSecret(deps) : Promise.resolve(options.clientSecret)),
    cache: {
      read: () => deps.secrets.get(secretKeys.graphToken()),
      write: (entry) => deps.secrets.set(secretKeys.graphToken(), entry),
      clear: () => deps.secrets.delete(secretKeys.graphToken()),
    },
    now: () => deps.clock.now(),
    policy: deps.policy,
    fingerprint: `${settings.cloud}|${settings.tenantId}|${settings.clientId}|${settings.secretSetAt ?? ''}`,
  });
  const graphDeps: GraphClientDeps = {
    fetch: deps.externalFetch,
    endpoints,
    tokens,
    policy: deps.policy,
    newRequestId: deps.newRequestId,
    priority: options.priority ?? 'background',
  };
  const graph = createGraphClient(
    graphDeps,
    graphUserFields(objectTypeOf(options.definition ?? CORE_SCHEMA, 'employee'), options.profile ?? []),
  );
  return { tokens, graph, probes: createGraphProbes(graphDeps), writes: createGraphWrites(graphDeps) };
}

/**
 * Asks Graph whether the tenant knows the directory extension properties being saved (settings-service.ts
 * ExtensionChecker), with the settings being saved.
 */
export function createExtensionChecker(deps: ConnectionDeps): ExtensionChecker {
  return async (settings, clientSecret, properties) => {
    const { probes } = createMicrosoftClients(deps, settings, {
      priority: 'interactive',
      ...(clientSecret === undefined ? {} : { clientSecret }),
    });
    return { unknown: await probes.unknownUserProperties(properties) };
  };
}

/** Looks chosen Entra groups up by id ($batch) with the settings being saved (settings-service.ts GroupFinder). */
export function createGroupFinder(deps: ConnectionDeps): GroupFinder {
  return async (settings, clientSecret, ids) => {
    const { graph } = createMicrosoftClients(deps, settings, {
      priority: 'interactive',
      ...(clientSecret === undefined ? {} : { clientSecret }),
    });
    const { notFound } = await graph.getGroupsByIds(ids);
    return { notFound };
  };
}

export function createAssets(deps: ConnectionDeps) {
  return createAssetsClient({
    fetch: deps.jiraFetch,
    policy: deps.policy,
    workspaceCache: {
      read: () => deps.store.get(keys.workspace()),
      write: (id) => deps.store.set(keys.workspace(), id),
    },
  });
}

export function createConnector(
  deps: ConnectionDeps,
): (definition?: SchemaDefinition, profile?: readonly string[]) => Promise<Connections> {
  return async (definition, profile) => {
    const settings = await requireSettings(deps);
    const { graph } = createMicrosoftClients(deps, settings, { definition, ...(profile === undefined ? {} : { profile }) });
    const jira = createJiraUsersClient({ fetch: deps.jiraFetch, policy: deps.policy });
    const assets = createAssets(deps);
    return {
      atlassian: {
        listUsersPage: async (startAt) => {
          const page = await jira.listUsersPage(startAt);
          return {
            isLast: page.isLast,
            accounts: page.accounts.map((a) => ({
              accountId: a.accountId,
              accountType: a.accountType,
              active: a.active,
              email: a.emailAddress,
            })),
          };
        },
        getEmails: async (ids) => {
          const result = await jira.getEmails(ids);
          return { emails: result.emails, unavailable: result.unavailable === null ? null : { message: result.unavailable.message } };
        },
      },
      entra: graph,
      assets,
    };
  };
}
