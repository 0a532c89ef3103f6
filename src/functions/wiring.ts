/**
 * The one place that connects Forge adapters and API clients to the pipeline and the admin services. Entry points
 * call these factories per invocation (no module-level state survives reliably between Forge invocations).
 */
import { randomUUID } from 'node:crypto';

import { createConsoleLogger } from '../adapters/console-logger';
import { withFetchLimit } from '../adapters/forge-fetch-limit';
import { createExternalFetch, createJiraFetch, createUserJiraFetch } from '../adapters/forge-http';
import { createForgePrivacyReporter } from '../adapters/forge-privacy';
import { createForgeQueue } from '../adapters/forge-queue';
import { createForgeSchemaJobQueue } from '../adapters/forge-schema-queue';
import { createForgeKeyValueStore, createForgeSecretStore } from '../adapters/forge-storage';
import { FORGE_EGRESS_PER_MINUTE, paceEgress } from '../clients/egress-pacer';
import type { ExternalFetch, JiraFetch } from '../clients/http';
import { defaultRetryPolicy } from '../clients/retry-policy';
import { defaultPipelineConfig, type PipelineDeps } from '../pipeline/deps';
import type { SecretStore } from '../pipeline/ports';
import { withStorageRetries } from '../pipeline/retrying-store';
import type { SchemaJobQueue } from '../pipeline/schema-job-queue';
import { type ConnectionDeps, createConnector } from '../services/connections';
import type { PersonalDataReporter } from '../services/privacy-service';

export interface AppDeps extends PipelineDeps {
  readonly secrets: SecretStore;
  readonly connectionDeps: ConnectionDeps;
  /** requestJira as the user who invoked the resolver: only the admin check uses it (src/services/admin-check.ts). */
  readonly userJiraFetch: JiraFetch;
  /** The Create Schema job's queue (the createSchema use case pushes to it). */
  readonly schemaJobQueue: SchemaJobQueue;
  /** Forge personal data reporting (the privacyReport use case). */
  readonly privacy: PersonalDataReporter;
}

let sharedEgress: ExternalFetch | undefined;

export function createPipelineDeps(): AppDeps {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const store = withStorageRetries(createForgeKeyValueStore(), { attempts: 3, baseDelayMs: 200, sleep });
  const secrets = createForgeSecretStore();
  const clock = { now: () => Date.now() };
  const connectionDeps: ConnectionDeps = {
    // Paced a little under the ~100 outbound requests Forge allows (ECO-491), shared by every client in this runtime.
    externalFetch:
      sharedEgress ??
      (sharedEgress = paceEgress(withFetchLimit(createExternalFetch(), 'external'), {
        maxPerMinute: FORGE_EGRESS_PER_MINUTE - 10,
        maxInlineWaitMs: 5_000,
        now: clock.now,
        sleep,
      })),
    // Forge's per-invocation outbound request limit is recognised on both transports (src/adapters/forge-fetch-limit.ts).
    jiraFetch: withFetchLimit(createJiraFetch(), 'jira'),
    store,
    secrets,
    clock,
    policy: defaultRetryPolicy,
    newRequestId: randomUUID,
  };
  return {
    store,
    secrets,
    queue: createForgeQueue(),
    clock,
    logger: createConsoleLogger(),
    connect: createConnector(connectionDeps),
    sleep,
    newId: randomUUID,
    config: defaultPipelineConfig,
    connectionDeps,
    userJiraFetch: createUserJiraFetch(),
    schemaJobQueue: createForgeSchemaJobQueue(),
    privacy: createForgePrivacyReporter(),
  };
}
