/**
 * Everything the pipeline (step runner, stages, run control) may use. The Forge wiring in src/functions builds it
 * per invocation from real adapters; tests build it from in-memory ones. Nothing takes the whole bag without need:
 * each stage factory declares the narrow part it uses next to it (`createXStage(deps: XStageDeps)`, e.g.
 * `PlanStageDeps`), the step runner takes `StepRunnerDeps`, and `createStages(deps)` hands each its part.
 */
import type { SchemaDefinition } from '../domain/schema-definition';
import type { AssetsPort, AtlassianUsersPort, Clock, EntraDirectoryPort, KeyValueStore, Logger, QueuePort } from './ports';

export interface Connections {
  readonly atlassian: AtlassianUsersPort;
  readonly entra: EntraDirectoryPort;
  readonly assets: AssetsPort;
}

export interface PipelineConfig {
  /** A stage lease outlives its holder by at most this long when the holder dies. */
  readonly stageLeaseMs: number;
  /** A run that has made no progress for this long is stale (longer than any stage, retry or throttling wait). */
  readonly staleRunMs: number;
  /** How long a run may wait for the admin's confirmation before it is cancelled. */
  readonly confirmationWindowMs: number;
  /** Progress is written to the run record at most this often. */
  readonly progressIntervalMs: number;
  /** Run data (checkpoints, chunks, per-run reports) expires after this. */
  readonly runDataTtlSeconds: number;
  /** In-process retries for "retry now" errors before a run fails. */
  readonly maxRetryNow: number;
  /** Assets AQL page size for the snapshot. */
  readonly aqlPageSize: number;
  /** Parallel Assets writes. */
  readonly writeConcurrency: number;
  /**
   * Adaptive Assets write pacing (src/domain/write-rate.ts): where a site without history starts (below the
   * documented 1,000 requests a minute per endpoint, JSDCLOUD-11605), the floor and ceiling, and the AIMD steps.
   * The rate a run settles on is kept (platform observations) and the site's next run starts from it.
   */
  readonly assetsWritesPerMinuteStart: number;
  readonly assetsWritesPerMinuteMin: number;
  readonly assetsWritesPerMinuteMax: number;
  /** Additive increase: this many writes a minute more after `assetsWriteRateStepEvery` writes without a 429. */
  readonly assetsWriteRateStep: number;
  readonly assetsWriteRateStepEvery: number;
  /** Multiplicative decrease on a 429 (0.7: 30% slower). */
  readonly assetsWriteRateDecrease: number;
  /** Writes per checkpoint. */
  readonly writeBatchSize: number;
  /**
   * A chain stops pushing at this many pushes (Forge allows 1,000 per originating invocation): the run is parked
   * and the next originating invocation (admin page, hourly watchdog, daily trigger) re-seeds it as a new chain.
   */
  readonly reseedAfterPushes: number;
  /**
   * A step that completes its stage runs the next stage in the same invocation while time allows (runChain in
   * step-runner.ts), instead of leaving it to the event it pushed (a 1-5 s queue hop).
   */
  readonly inlineNextStage: boolean;
  /**
   * While a Microsoft read waits for its pacing window or a Retry-After, the reads that need nothing from it run
   * beside the chain in the same invocation (READS_BESIDE in messages.ts, runChain in step-runner.ts).
   */
  readonly sideReads: boolean;
}

export const defaultPipelineConfig: PipelineConfig = {
  stageLeaseMs: 120_000,
  staleRunMs: 2 * 60 * 60 * 1000,
  confirmationWindowMs: 7 * 24 * 60 * 60 * 1000,
  progressIntervalMs: 2_000,
  runDataTtlSeconds: 14 * 24 * 60 * 60,
  maxRetryNow: 6,
  aqlPageSize: 500,
  writeConcurrency: 8,
  assetsWritesPerMinuteStart: 900,
  assetsWritesPerMinuteMin: 60,
  assetsWritesPerMinuteMax: 3_000,
  assetsWriteRateStep: 20,
  assetsWriteRateStepEvery: 50,
  assetsWriteRateDecrease: 0.7,
  writeBatchSize: 96,
  reseedAfterPushes: 800,
  inlineNextStage: true,
  sideReads: true,
};

export interface PipelineDeps {
  readonly store: KeyValueStore;
  readonly queue: QueuePort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Builds the external ports from the stored settings and secret. `profile`: the Graph properties the run's scope reads. */
  readonly connect: (definition?: SchemaDefinition, profile?: readonly string[]) => Promise<Connections>;
  /** Paces Assets writes to the rate limit (milliseconds; never used to wait out throttling). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Random unique ids (run ids, lease holders). */
  readonly newId: () => string;
  readonly config: PipelineConfig;
}

/**
 * A stage's lazy way to the external systems it uses, and only those: `ConnectTo<'assets'>` builds the connections
 * from the stored settings when the stage first needs them and shows the stage nothing but Assets.
 */
export type ConnectTo<K extends keyof Connections> = (
  definition?: SchemaDefinition,
  profile?: readonly string[],
) => Promise<Pick<Connections, K>>;

/** What writing run data takes: the store and the run data's time to live. */
export interface RunDataDeps {
  readonly store: KeyValueStore;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds'>;
}
