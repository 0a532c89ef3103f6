/**
 * The app's deps (AppDeps, as src/functions/wiring.ts builds them for Forge) from in-memory storage and queues and
 * the simulated tenant and Jira site over real HTTP: the boundaries and use cases run exactly as in Forge, the
 * admin check asks the fake site as the calling user. Each call of `create` is one invocation's deps.
 */
import { jiraFetchAsUser } from '../../../fakes/jira/fake-jira-fetch';
import { type Simulation, startSimulation } from '../../../fakes/simulation';
import { generateWorld } from '../../../fakes/world/generate-world';
import { defaultRetryPolicy } from '../../../src/clients/retry-policy';
import type { AppDeps } from '../../../src/functions/wiring';
import { defaultPipelineConfig } from '../../../src/pipeline/deps';
import type { QueueKey, StageMessage } from '../../../src/pipeline/messages';
import type { LogFields } from '../../../src/pipeline/ports';
import type { SchemaJobMessage } from '../../../src/pipeline/schema-job-queue';
import { type ConnectionDeps, createConnector } from '../../../src/services/connections';
import type { PersonalDataReporter } from '../../../src/services/privacy-service';
import { MemorySecretStore, MemoryStore } from '../../support/memory-store';

export const T0 = Date.parse('2026-03-02T09:00:00Z');
export const ADMIN = '712020:aaaaaaaa-0000-4000-8000-0000000000a1';
export const MEMBER = '712020:aaaaaaaa-0000-4000-8000-0000000000b2';

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly event: string;
  readonly fields: LogFields;
}

export interface AppWorld {
  readonly sim: Simulation;
  readonly store: MemoryStore;
  readonly secrets: MemorySecretStore;
  readonly logs: LogLine[];
  readonly pushes: { queue: QueueKey; message: StageMessage }[];
  readonly schemaJobs: SchemaJobMessage[];
  /** How many invocations' deps were built. */
  readonly built: { count: number };
  /** The user requestJira asUser() acts for in the next invocations (Forge takes it from the invocation). */
  actAs(accountId: string): void;
  /** Replaces the personal data reporting API (Forge's privacy.reportPersonalData). */
  setPrivacy(reporter: PersonalDataReporter): void;
  create(): AppDeps;
  close(): Promise<void>;
}

export async function startAppWorld(): Promise<AppWorld> {
  let now = T0;
  const clock = { now: () => now };
  const sim = await startSimulation({ world: generateWorld({ users: 20, seed: 11 }), now: clock.now, jira: { administrators: [ADMIN] } });
  const store = new MemoryStore(clock.now);
  const secrets = new MemorySecretStore();
  const logs: LogLine[] = [];
  const pushes: AppWorld['pushes'] = [];
  const schemaJobs: SchemaJobMessage[] = [];
  const built = { count: 0 };
  let actingAs = ADMIN;
  let privacy: PersonalDataReporter = { report: async () => [] };
  let ids = 0;
  const newId = () => `id${(++ids).toString(36).padStart(10, '0')}`;
  const sleep = async (ms: number) => {
    now += ms;
  };
  const connectionDeps: ConnectionDeps = {
    externalFetch: sim.externalFetch,
    jiraFetch: sim.jiraFetch,
    store,
    secrets,
    clock,
    policy: { ...defaultRetryPolicy, sleep, now: clock.now },
    newRequestId: () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`,
  };
  return {
    sim,
    store,
    secrets,
    logs,
    pushes,
    schemaJobs,
    built,
    actAs: (accountId) => {
      actingAs = accountId;
    },
    setPrivacy: (reporter) => {
      privacy = reporter;
    },
    create: () => {
      built.count++;
      return {
        store,
        secrets,
        queue: { push: async (queue, message) => void pushes.push({ queue, message }) },
        clock,
        logger: {
          info: (event, fields = {}) => void logs.push({ level: 'info', event, fields }),
          warn: (event, fields = {}) => void logs.push({ level: 'warn', event, fields }),
          error: (event, fields = {}) => void logs.push({ level: 'error', event, fields }),
        },
        connect: createConnector(connectionDeps),
        sleep,
        newId,
        config: defaultPipelineConfig,
        connectionDeps,
        userJiraFetch: jiraFetchAsUser(sim.jira.url, actingAs),
        schemaJobQueue: async (message) => void schemaJobs.push(message),
        privacy: { report: (accounts) => privacy.report(accounts) },
      };
    },
    close: () => sim.close(),
  };
}
