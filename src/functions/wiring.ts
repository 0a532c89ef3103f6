/**
 * The one place that connects Forge adapters and API clients to the pipeline and the admin services. Entry points
 * call these factories per invocation (no module-level state survives reliably between Forge invocations).
 */
import { randomUUID } from 'node:crypto';
import { createConsoleLogger } from '../adapters/console-logger';
import { createExternalFetch, createJiraFetch } from '../adapters/forge-http';
import { createForgeQueue } from '../adapters/forge-queue';
import { createForgeKeyValueStore, createForgeSecretStore } from '../adapters/forge-storage';
import { FORGE_EGRESS_PER_MINUTE, paceEgress } from '../clients/egress-pacer';
import { defaultRetryPolicy } from '../clients/retry-policy';
import { defaultPipelineConfig, type PipelineDeps } from '../pipeline/deps';
import { withStorageRetries } from '../pipeline/retrying-store';
import type { SecretStore } from '../pipeline/ports';
import { createConnector, type ConnectionDeps } from '../services/connections';
import type { ExternalFetch } from '../clients/http';

export interface AppDeps extends PipelineDeps {
  readonly secrets: SecretStore;
  readonly connectionDeps: ConnectionDeps;
}

let sharedEgress: ExternalFetch | undefined;

export function createPipelineDeps(): AppDeps {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const store = withStorageRetries(createForgeKeyValueStore(), { attempts: 3, baseDelayMs: 200, sleep });
  const secrets = createForgeSecretStore();
  const clock = { now: () => Date.now() };
  const connectionDeps: ConnectionDeps = {
    // A little under Forge's 100 fetches per runtime minute, shared by every client in this runtime.
    externalFetch: sharedEgress ?? (sharedEgress = paceEgress(createExternalFetch(), { maxPerMinute: FORGE_EGRESS_PER_MINUTE - 10, maxInlineWaitMs: 5_000, now: clock.now, sleep })),
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
    sleep,
    newId: randomUUID,
    config: defaultPipelineConfig,
    connectionDeps,
  };
}
