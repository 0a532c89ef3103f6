/**
 * Runs the real pipeline (step runner, stages, clients) against the simulated tenant and site, with in-memory
 * storage and the in-memory queue driver, on a fake clock. Tests use it to start runs, pump queue events to the
 * end, inject crashes and faults, and read the Assets state the fake site ends with.
 */
import { type Simulation, type SimulationOptions, startSimulation } from '../../fakes/simulation';
import { generateWorld } from '../../fakes/world/generate-world';
import type { World } from '../../fakes/world/types';
import type { ExternalFetch, JiraFetch } from '../../src/clients/http';
import { defaultRetryPolicy, type RetryPolicy } from '../../src/clients/retry-policy';
import type { AssetsObject } from '../../src/domain/assets-object';
import { CORE_SCHEMA } from '../../src/domain/attribute-catalogue';
import { defaultPipelineConfig, type PipelineConfig, type PipelineDeps } from '../../src/pipeline/deps';
import { saveLayout } from '../../src/pipeline/layout-store';
import type { StageName } from '../../src/pipeline/messages';
import type { KeyValueStore, LogFields, Logger } from '../../src/pipeline/ports';
import { withStorageRetries } from '../../src/pipeline/retrying-store';
import { startRun } from '../../src/pipeline/run-control';
import type { RunMode, RunState, RunTrigger } from '../../src/pipeline/run-state';
import { loadRun } from '../../src/pipeline/run-store';
import { createStage } from '../../src/pipeline/stages';
import { runChain, type StageHandler, type StepRunnerDeps } from '../../src/pipeline/step-runner';
import { type ConnectionDeps, createAssets, createConnector } from '../../src/services/connections';
import { saveSettings } from '../../src/services/settings-service';
import { MemorySecretStore, MemoryStore } from './memory-store';
import { type DeliveryOptions, mulberry32, QueueDriver } from './queue-driver';

export const T0 = Date.parse('2026-03-02T09:00:00Z');

export class FakeClock {
  private current: number;
  constructor(start = T0) {
    this.current = start;
  }
  now = (): number => this.current;
  advance = (ms: number): void => {
    if (ms > 0) this.current += ms;
  };
  set = (iso: string): void => {
    this.current = Date.parse(iso);
  };
}

export class Crash extends Error {
  constructor() {
    super('invocation killed');
  }
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields: LogFields;
}

export interface HarnessOptions {
  readonly world?: World;
  readonly users?: number;
  readonly seed?: number;
  readonly simulation?: Omit<SimulationOptions, 'world' | 'now'>;
  readonly config?: Partial<PipelineConfig>;
  readonly delivery?: DeliveryOptions;
  /** Configure settings and create the schema before the test (default true). */
  readonly setUp?: boolean;
  readonly intervalDays?: number;
  /** The clock every part runs on (default a FakeClock at T0 that moves only when advanced). */
  readonly clock?: FakeClock;
  /** How the app's waits pass (retry backoff, write pacing, storage retries); default: advance the clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Wraps the Microsoft transport, e.g. in Forge's egress pacer as src/functions/wiring.ts does. */
  readonly wrapExternalFetch?: (fetch: ExternalFetch) => ExternalFetch;
  /** Wraps the Jira/Assets transport (requestJira in Forge), e.g. in a model of Forge's per-invocation fetch limit. */
  readonly wrapJiraFetch?: (fetch: JiraFetch) => JiraFetch;
  /** Wraps the in-memory KVS under the storage retries, e.g. in a model of Forge KVS round trips (the benchmark). */
  readonly wrapStore?: (store: KeyValueStore) => KeyValueStore;
  /**
   * Gives every invocation a time limit on the harness clock (as Forge's invocationRemainingTimeInMillis) and
   * the yield point the consumer would use; default: plenty of time (see PumpOptions.budgetCalls).
   */
  readonly invocationLimits?: (stage: StageName) => { readonly timeoutMs: number; readonly yieldAfterMs: number };
  /**
   * Builds the handler of the stage an invocation runs, from the harness's dependencies, once per invocation as the
   * consumers do (default: createStage from src/pipeline/stages).
   */
  readonly buildStage?: (stage: StageName, deps: PipelineDeps) => StageHandler;
  /** Called around every invocation the pump delivers, and before each of its storage operations (benchmarks sample memory there). */
  readonly observeInvocation?: {
    readonly before?: (stage: StageName) => void;
    readonly storageOp?: () => void;
    readonly after?: (record: InvocationRecord) => void;
  };
}

/** One delivered invocation, timed on the harness clock. */
export interface InvocationRecord {
  readonly stage: StageName;
  readonly seq: number;
  readonly startedAt: number;
  readonly durationMs: number;
  /** The limit it ran under (invocationLimits), or null when the harness gave it unlimited time. */
  readonly timeoutMs: number | null;
  readonly result: 'done' | 'retry-later' | 'crashed' | 'thrown';
}

export interface PumpOptions {
  /** Kill the n-th invocation (1-based, counted across this pump) at its k-th storage operation. */
  readonly crashAt?: (invocation: number) => number | null;
  /**
   * Called before every storage operation; returning an error throws it from that operation (as the Forge storage
   * adapter throws STORAGE_FAILED on a KVS 429 or 5xx).
   */
  readonly storageFault?: () => Error | null;
  /** Kill the invocation that makes the n-th Assets write (1-based), right after Assets has applied it. */
  readonly crashAfterWrite?: number;
  /** Yield checks before an invocation "runs out of time" (forces continuations); default plenty. */
  readonly budgetCalls?: number;
  readonly maxInvocations?: number;
  /** Return (without error) after this many invocations, leaving the rest queued. */
  readonly stopAfter?: number;
}

export interface PumpStats {
  invocations: number;
  /** Storage operations each invocation made, in delivery order. */
  opsPerInvocation: number[];
  crashes: number;
  retriesLater: number;
  thrown: number;
  /** Every invocation in delivery order. */
  invocationLog: InvocationRecord[];
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * One harness per test, started with `defaults` (overridable per test) and closed after each test once the fake
 * tenant has been checked for requests it does not model. `current()` is the test's harness (for callbacks that
 * run while it is in use).
 */
export function harnessPerTest(defaults: HarnessOptions): {
  harness: (options?: HarnessOptions) => Promise<Harness>;
  current: () => Harness;
} {
  let active: Harness | undefined;
  afterEach(async () => {
    active?.sim.entra.expectNoUnexpected();
    await active?.close();
    active = undefined;
  });
  return {
    harness: async (options = {}) => (active = await startHarness({ ...defaults, ...options })),
    current: () => {
      if (active === undefined) throw new Error('No harness is running in this test.');
      return active;
    },
  };
}

export async function startHarness(options: HarnessOptions = {}) {
  const clock = options.clock ?? new FakeClock();
  const sleep = options.sleep ?? (async (ms: number) => clock.advance(ms));
  const world = options.world ?? generateWorld({ users: options.users ?? 120, seed: options.seed ?? 7 });
  const sim: Simulation = await startSimulation({ world, now: clock.now, ...options.simulation });
  const memory = new MemoryStore(clock.now);
  // The app wraps Forge storage in in-process retries (src/functions/wiring.ts); so does the harness.
  const store = Object.assign(withStorageRetries(options.wrapStore?.(memory) ?? memory, { attempts: 3, baseDelayMs: 200, sleep }), {
    memory,
  });
  const secrets = new MemorySecretStore();
  const logs: LogLine[] = [];
  const logger: Logger = {
    info: (event, fields = {}) => logs.push({ level: 'info', event, fields }),
    warn: (event, fields = {}) => logs.push({ level: 'warn', event, fields }),
    error: (event, fields = {}) => logs.push({ level: 'error', event, fields }),
  };
  const random = mulberry32(options.seed ?? 7);
  const policy: RetryPolicy = { ...defaultRetryPolicy, sleep, now: clock.now, random };
  let ids = 0;
  const newId = () => `id${(++ids).toString(36).padStart(8, '0')}`;
  let writesSeen = 0;
  let killAfterWrite: number | null = null;
  let killNow = false;
  const jiraFetch: typeof sim.jiraFetch = async (request) => {
    const response = await sim.jiraFetch(request);
    const isWrite =
      (request.method === 'POST' && /\/object\/create$/.test(request.url)) ||
      (request.method === 'PUT' && /\/object\/\d+$/.test(request.url));
    if (isWrite && ++writesSeen === killAfterWrite) killNow = true;
    return response;
  };
  const connectionDeps: ConnectionDeps = {
    externalFetch: options.wrapExternalFetch?.(sim.externalFetch) ?? sim.externalFetch,
    jiraFetch: options.wrapJiraFetch?.(jiraFetch) ?? jiraFetch,
    store,
    secrets,
    clock,
    policy,
    newRequestId: () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`,
  };
  const driver = new QueueDriver(clock, options.delivery);
  const config: PipelineConfig = { ...defaultPipelineConfig, ...options.config };
  const deps: PipelineDeps & { secrets: MemorySecretStore } = {
    store,
    secrets,
    queue: driver,
    clock,
    logger,
    connect: createConnector(connectionDeps),
    sleep,
    newId,
    config,
  };
  // The step runner gets only what it declares (no connections, no sleep): the stages carry their own.
  const runnerDeps: StepRunnerDeps = { store, queue: driver, clock, logger, newId, config };
  const buildStage = options.buildStage ?? createStage;

  async function configure(overrides: Record<string, unknown> = {}) {
    return saveSettings(deps, {
      tenantId: sim.tenant.tenantId,
      clientId: sim.tenant.clientId,
      clientSecret: sim.tenant.clientSecret,
      cloud: 'global',
      intervalDays: options.intervalDays ?? 1,
      ...overrides,
    });
  }

  async function createSchema() {
    const result = await createAssets(connectionDeps).ensureSchema(CORE_SCHEMA);
    await saveLayout(store, result.layout, clock.now());
    return result;
  }

  if (options.setUp ?? true) {
    await configure();
    await createSchema();
  }

  /** Delivers queued events until none is left. */
  async function pump(pumpOptions: PumpOptions = {}): Promise<PumpStats> {
    const stats: PumpStats = { invocations: 0, opsPerInvocation: [], crashes: 0, retriesLater: 0, thrown: 0, invocationLog: [] };
    const max = pumpOptions.maxInvocations ?? 5_000;
    writesSeen = 0;
    killAfterWrite = pumpOptions.crashAfterWrite ?? null;
    for (let event = driver.take(); event !== null; event = driver.take()) {
      if (pumpOptions.stopAfter !== undefined && stats.invocations >= pumpOptions.stopAfter) {
        driver.redeliver({ ...event, retryCount: event.retryCount - 1 }, 0);
        break;
      }
      stats.invocations++;
      if (stats.invocations > max) throw new Error(`the run did not finish within ${max} invocations (a hang)`);
      const crashOp = pumpOptions.crashAt?.(stats.invocations) ?? null;
      let ops = 0;
      let dead = false;
      memory.hooks.beforeOp = () => {
        if (killNow) {
          killNow = false;
          dead = true;
        }
        if (dead) throw new Crash();
        options.observeInvocation?.storageOp?.();
        ops++;
        const fault = pumpOptions.storageFault?.() ?? null;
        if (fault !== null) throw fault;
        if (crashOp !== null && ops >= crashOp) {
          dead = true;
          throw new Crash();
        }
      };
      let calls = pumpOptions.budgetCalls ?? Number.POSITIVE_INFINITY;
      const { stage, seq } = event.message;
      const limits = options.invocationLimits?.(stage) ?? null;
      options.observeInvocation?.before?.(stage);
      const startedAt = clock.now();
      let outcome: InvocationRecord['result'] = 'done';
      try {
        const result = await runChain(event.message, runnerDeps, (next) => buildStage(next, deps), {
          budget:
            limits === null
              ? { remainingMs: () => (--calls > 0 ? 600_000 : 0) }
              : { remainingMs: () => (--calls > 0 ? limits.timeoutMs - (clock.now() - startedAt) : 0) },
          yieldAfterMs: limits?.yieldAfterMs ?? 120_000,
          retryCount: event.retryCount,
        });
        if (dead) throw new Crash();
        if (result.kind === 'retry-later') {
          stats.retriesLater++;
          outcome = 'retry-later';
          driver.redeliver(event, result.seconds * 1000);
        }
      } catch (error) {
        // A killed or failed invocation: Forge delivers the event again after a backoff.
        if (dead || error instanceof Crash) {
          stats.crashes++;
          outcome = 'crashed';
        } else {
          stats.thrown++;
          outcome = 'thrown';
        }
        driver.redeliver(event, Math.min(900_000, 5_000 * 2 ** event.retryCount));
      } finally {
        memory.hooks.beforeOp = undefined;
        stats.opsPerInvocation.push(ops);
        const record: InvocationRecord = {
          stage,
          seq,
          startedAt,
          durationMs: clock.now() - startedAt,
          timeoutMs: limits?.timeoutMs ?? null,
          result: outcome,
        };
        stats.invocationLog.push(record);
        options.observeInvocation?.after?.(record);
      }
    }
    return stats;
  }

  async function run(
    mode: RunMode,
    pumpOptions: PumpOptions = {},
    trigger: RunTrigger = 'manual',
  ): Promise<{ run: RunState; stats: PumpStats }> {
    const started = await startRun(deps, { mode, trigger, startedBy: trigger === 'manual' ? '5b10ac8d82e05b22cc7d4ef5' : null });
    const stats = await pump(pumpOptions);
    const finished = await loadRun(deps, started.runId);
    if (finished === null) throw new Error('run record vanished');
    return { run: finished, stats };
  }

  /** The Employee objects on the fake site, keyed by Entra User ID, with the manager as the manager's Entra id. */
  function assetsState(): Map<string, Record<string, unknown>> {
    const objects: AssetsObject[] = sim.jira.employees();
    const entraIdOf = new Map(objects.map((o) => [o.objectId, o.values.entraUserId as string | null]));
    const state = new Map<string, Record<string, unknown>>();
    for (const o of objects) {
      const { manager, ...rest } = o.values;
      state.set((o.values.entraUserId as string | null) ?? `no-id:${o.objectId}`, {
        ...rest,
        manager: manager === null ? null : (entraIdOf.get(manager as string) ?? `object:${String(manager)}`),
      });
    }
    return state;
  }

  function duplicateEntraIds(): string[] {
    const seen = new Map<string, number>();
    for (const o of sim.jira.employees()) {
      const id = o.values.entraUserId;
      if (typeof id === 'string') seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** Writes Assets answered (a redirect the fake sent first is not a write: the followed request is). */
  function assetsWrites(): number {
    return sim.jira.requests.filter(
      (r) =>
        (r.status < 300 || r.status >= 400) &&
        ((r.method === 'POST' && /\/object\/create$/.test(r.path)) || (r.method === 'PUT' && /\/object\/\d+$/.test(r.path))),
    ).length;
  }

  return {
    clock,
    world,
    sim,
    store,
    secrets,
    logs,
    driver,
    deps,
    connectionDeps,
    configure,
    createSchema,
    pump,
    run,
    assetsState,
    duplicateEntraIds,
    assetsWrites,
    close: () => sim.close(),
  };
}
