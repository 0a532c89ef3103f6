/**
 * The one place that connects Forge adapters and API clients to the pipeline and the admin services. Entry points
 * call these factories per invocation (no module-level state survives reliably between Forge invocations).
 */
import { randomUUID } from 'node:crypto';
import { createConsoleLogger } from '../adapters/console-logger';
import { createExternalFetch, createJiraFetch } from '../adapters/forge-http';
import { createForgeQueue } from '../adapters/forge-queue';
import { createForgeKeyValueStore, createForgeSecretStore } from '../adapters/forge-storage';
import { defaultRetryPolicy } from '../clients/retry-policy';
import { defaultPipelineConfig, type PipelineDeps } from '../pipeline/deps';
import type { SecretStore } from '../pipeline/ports';
import { createConnector, type ConnectionDeps } from '../services/connections';

export interface AppDeps extends PipelineDeps {
  readonly secrets: SecretStore;
  readonly connectionDeps: ConnectionDeps;
}

export function createPipelineDeps(): AppDeps {
  const store = createForgeKeyValueStore();
  const secrets = createForgeSecretStore();
  const clock = { now: () => Date.now() };
  const connectionDeps: ConnectionDeps = {
    externalFetch: createExternalFetch(),
    jiraFetch: createJiraFetch(),
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
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    newId: randomUUID,
    config: defaultPipelineConfig,
    connectionDeps,
  };
}
