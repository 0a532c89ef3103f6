/**
 * Stage 5: applying the plan to Assets. Operations run in the planner's order (creates wave by wave, so a manager
 * exists before its reports reference it; then updates and inactivations; then manager links for cycles) in
 * batches that never mix waves, with a few writes in flight, paced adaptively (src/domain/write-rate.ts): slower on
 * a 429, gently faster while writes succeed. The rate is kept in the checkpoint (a resumed invocation goes on at
 * it) and in the platform observations when the stage ends or yields (the site's next run starts from it).
 *
 * Crash safety: before a batch is sent its range is saved as "in flight"; a step that resumes with a batch in
 * flight first asks Assets (one AQL query) which of its creates already exist, so a replayed create never makes a
 * second Employee object. Per-object failures are recorded and the run goes on; the next run retries them.
 */
import { z } from 'zod';

import { AppError } from '../../domain/errors';
import { textOf } from '../../domain/object-values';
import type { WriteFailureInput } from '../../domain/report';
import { type ObjectTypeDefinition, objectTypeOf } from '../../domain/schema-definition';
import { type SyncOperation, syncOperationSchema } from '../../domain/sync-operations';
import { DEFAULT_WRITE_RATE, startRate, type WriteRateSettings } from '../../domain/write-rate';
import { readChunks, splitIntoChunks, writeChunkList } from '../chunked-store';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import { keys } from '../keys';
import { readLayout } from '../layout-store';
import { readObservations, recordObservations } from '../platform-observations';
import type { AssetsPort, KeyValueStore, SchemaLayout, WriteResult } from '../ports';
import { runDefinition } from '../run-state';
import { readStageOutput } from '../stage-outputs';
import type { StageHandler } from '../step-runner';
import { createPacer } from '../write-pacer';
import { toWriteRequest } from '../write-request';
import { planCheckpointSchema } from './plan-stage';

const createdPairSchema = z.tuple([z.string(), z.string()]);

const failureSchema = z.object({
  objectKey: z.string().nullable(),
  entraUserId: z.string(),
  attribute: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

/** Failures kept in detail (the report lists at most this many); the count stays exact. */
export const MAX_FAILURE_DETAILS = 100;

export const writeCheckpointSchema = z.object({
  chunk: z.number().int().min(0),
  offset: z.number().int().min(0),
  inflight: z.object({ chunk: z.number().int(), from: z.number().int(), to: z.number().int() }).nullable(),
  createdChunks: z.number().int().min(0),
  /**
   * Pairs of the last created chunk that belong to it (the chunk is rewritten with each batch's new pairs until it is
   * full: see appendCreated). Absent in checkpoints written before it existed: the last chunk is then complete.
   */
  createdTail: z.number().int().min(0).optional(),
  writes: z.number().int().min(0),
  processed: z.number().int().min(0),
  failures: z.number().int().min(0),
  failureDetails: z.array(failureSchema),
  done: z.boolean(),
  /** The adaptive write rate so far (absent in checkpoints written before it existed). */
  pacing: z
    .object({
      perMinute: z.number().positive(),
      /** The limit learned from the last 429 (absent in checkpoints written before it existed). */
      ceiling: z.number().positive().nullable().optional(),
      throttled: z.number().int().min(0),
      writes: z.number().int().min(0),
      sinceChange: z.number().int().min(0),
      sinceDecrease: z.number().int().min(0),
      /** The provisional window cap before a ceiling is learned (absent in checkpoints written before it existed). */
      provisional: z.number().positive().optional(),
    })
    .optional(),
  /** The pacer's history of the last rolling minute (write-pacer.ts, PacerHistory; absent before it existed). */
  pacingHistory: z
    .object({ from: z.number(), gaps: z.array(z.number().int().min(0)).max(20_000), began: z.number().optional() })
    .nullable()
    .optional(),
});
export type WriteCheckpoint = z.infer<typeof writeCheckpointSchema>;

/** The settings of the adaptive write rate (src/domain/write-rate.ts), see rateSettings. */
type RateConfig = Pick<
  PipelineConfig,
  | 'assetsWritesPerMinuteStart'
  | 'assetsWritesPerMinuteMin'
  | 'assetsWritesPerMinuteMax'
  | 'assetsWriteRateStep'
  | 'assetsWriteRateStepEvery'
  | 'assetsWriteRateDecrease'
  | 'writeConcurrency'
>;

/** Everything this stage can touch besides its step context (`sleep` paces writes; it never waits out throttling). */
export interface WriteAssetsStageDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger' | 'sleep'> {
  readonly connect: ConnectTo<'assets'>;
  readonly config: RateConfig & Pick<PipelineConfig, 'runDataTtlSeconds' | 'writeBatchSize'>;
}

export const createWriteAssetsStage =
  (deps: WriteAssetsStageDeps): StageHandler =>
  async (ctx) => {
    const { runId } = ctx;
    const plan = await readStageOutput(deps, runId, 'plan', planCheckpointSchema);
    let cp: WriteCheckpoint = (await ctx.readCheckpoint(writeCheckpointSchema)) ?? {
      chunk: 0,
      offset: 0,
      inflight: null,
      createdChunks: 0,
      writes: 0,
      processed: 0,
      failures: 0,
      failureDetails: [],
      done: plan.operations === 0,
    };
    if (cp.done) return { kind: 'complete' };

    const layout = await readLayout(deps.store);
    if (layout === null)
      throw new AppError('ASSETS_SCHEMA_MISSING', 'The Entra Directory schema is missing. Create it on the Setup tab, then run again.', {
        context: { runId },
      });
    const { assets } = await deps.connect();
    const definition = runDefinition(ctx.run);
    const createdPairs = await readCreated(deps.store, runId, cp);
    const created = new Map<string, string>(createdPairs);
    // The pairs of the last created chunk, which the next batch's new pairs are appended to.
    let tailPairs = createdPairs.slice(createdPairs.length - (cp.createdTail ?? 0));
    const pacer = createPacer(
      deps,
      rateSettings(deps.config),
      cp.pacing ?? (await learnedStart(deps)),
      // The stage's first invocation: nothing this run wrote is in the site's rolling minute before the pacer's history;
      // a later one goes on with the history the last one kept.
      { freshStart: cp.pacing === undefined && cp.writes === 0, ...(cp.pacingHistory ? { history: cp.pacingHistory } : {}) },
    );
    const remember = async (): Promise<void> => {
      const { perMinute, ceiling, throttled, writes } = pacer.state();
      await recordObservations(deps.store, {
        assetsWriteRate: { perMinute, ceiling: ceiling ?? null, throttled, writes, at: new Date(deps.clock.now()).toISOString() },
      });
    };

    while (cp.chunk < plan.opChunks) {
      const operations = (await readChunks(
        deps.store,
        (i) => keys.chunk(runId, 'plan', cp.chunk + i),
        1,
        syncOperationSchema,
      )) as SyncOperation[];
      while (cp.offset < operations.length) {
        if (ctx.shouldYield()) {
          await remember();
          return { kind: 'continue' };
        }
        const from = cp.offset;
        const to = batchEnd(operations, from, deps.config.writeBatchSize);
        const batch = operations.slice(from, to);

        const replay = cp.inflight !== null && cp.inflight.chunk === cp.chunk && cp.inflight.from === from;
        // A batch holds one object type (batchEnd), so its creates are looked up by that type's anchor.
        const alreadyCreated = replay
          ? await findExisting(assets, layout, objectTypeOf(definition, batch[0]!.objectType), batch)
          : new Map<string, { objectId: string; objectKey: string }>();
        cp = { ...cp, inflight: { chunk: cp.chunk, from, to } };
        await ctx.saveCheckpoint(cp);

        const newlyCreated: [string, string][] = [];
        const failures: WriteFailureInput[] = [];
        let writes = 0;
        try {
          await runPool(batch, deps.config.writeConcurrency, async (op) => {
            if (op.kind === 'create') {
              const existing = alreadyCreated.get(op.entraUserId);
              if (existing !== undefined) {
                newlyCreated.push([op.entraUserId, existing.objectId]);
                return;
              }
            }
            const type = objectTypeOf(definition, op.objectType);
            const request = toWriteRequest(type, op, created);
            if (request === null) return;
            writes++;
            let result: WriteResult;
            for (let attempt = 1; ; attempt++) {
              const ticket = await pacer.wait();
              try {
                // Paced: a 429 comes back at once (not retried in-process into a window that is still full), so the
                // pacer hears it as it arrives and the write goes again at its turn.
                result =
                  request.objectId === null
                    ? await assets.createObject(layout, type, request.values, { paced: true })
                    : await assets.updateObject(layout, type, request.objectId, request.values, { paced: true });
                pacer.record(result.throttled ?? 0, result.redirects ?? 0, ticket);
                break;
              } catch (error) {
                // Assets refused the write (a 429 is never applied, so sending it again is safe) and the paced client
                // handed it back at once: the pacer learns from it as it arrives and the write waits its turn again,
                // instead of ending the invocation (whose successor would start without the pacer's count of the window).
                if (!isThrottled(error) || attempt >= MAX_THROTTLED_RETRIES || ctx.shouldYield()) throw error;
                pacer.throttledOut(ticket, throttledCount(error));
                await deps.sleep(throttledWaitMs(error));
              } finally {
                // A probe past the provisional cap holds the other writes until it is answered or fails.
                pacer.settle(ticket);
              }
            }
            if (result.ok) {
              if (op.kind === 'create') newlyCreated.push([op.entraUserId, result.objectId]);
            } else {
              failures.push({
                objectKey: op.kind === 'update' || op.kind === 'inactivate' ? op.objectKey : null,
                entraUserId: op.entraUserId ?? '',
                attribute: result.failure.attribute,
                code: result.failure.code,
                message: result.failure.message,
              });
            }
          });
        } catch (error) {
          // Assets kept refusing (the client hands it back as "retry later"): slow down, and keep the slower rate for
          // the retry (checkpoint; the batch stays in flight, so its replay check still runs) and the next run.
          if (isThrottled(error)) {
            pacer.throttledOut(undefined, throttledCount(error));
            await ctx.saveCheckpoint({ ...cp, pacing: pacer.state(), pacingHistory: pacer.history() });
            await remember();
          } else if (error instanceof AppError && error.code === 'FORGE_FETCH_LIMIT') {
            // Forge's per-invocation request limit (under the "requestJira counts" reading, every 99 requests): the
            // next invocation goes on with what the pacer learned and its count of the window (the batch stays in
            // flight, so its replay check runs).
            await ctx.saveCheckpoint({ ...cp, pacing: pacer.state(), pacingHistory: pacer.history() });
          }
          throw error;
        }

        for (const [entraId, objectId] of newlyCreated) created.set(entraId, objectId);
        let createdChunks = cp.createdChunks;
        if (newlyCreated.length > 0) {
          ({ createdChunks, tail: tailPairs } = await appendCreated(deps, runId, cp, tailPairs, newlyCreated));
        }
        cp = {
          ...cp,
          offset: to,
          inflight: null,
          createdChunks,
          createdTail: tailPairs.length,
          writes: cp.writes + writes,
          processed: cp.processed + batch.length,
          failures: cp.failures + failures.length,
          failureDetails: [...cp.failureDetails, ...failures.map((f) => ({ ...f }))].slice(0, MAX_FAILURE_DETAILS),
          pacing: pacer.state(),
          pacingHistory: pacer.history(),
        };
        await ctx.saveCheckpoint(cp);
        await ctx.progress(cp.processed, plan.operations, 'Writing to Assets');
      }
      cp = { ...cp, chunk: cp.chunk + 1, offset: 0 };
      await ctx.saveCheckpoint(cp);
    }
    cp = { ...cp, done: true, pacing: pacer.state() };
    await ctx.saveCheckpoint(cp);
    await remember();
    const { perMinute, throttled } = pacer.state();
    deps.logger.info('stage.write-assets', {
      runId,
      operations: plan.operations,
      writes: cp.writes,
      failures: cp.failures,
      writesPerMinute: Math.round(perMinute),
      throttled,
    });
    return { kind: 'complete' };
  };

/**
 * A write Assets refused (ASSETS_THROTTLED, handed back by the paced client at its first 429) is sent by the stage up
 * to this many times in all, each after a short wait (throttledWaitMs) and its turn at the pacer; then the invocation
 * ends with "retry later" (the step runner's 60 s when Assets gave no Retry-After), the pacer's state saved. The same
 * patience as before paced writes: 6 stage attempts of up to 4 client attempts each (the retry policy's
 * maxAttempts) met up to 24 429s per write.
 */
export const MAX_THROTTLED_RETRIES = 24;
/** The longest Retry-After the stage sleeps before sending a refused write again (a longer one is capped to this). */
export const MAX_THROTTLED_WAIT_SECONDS = 15;
/**
 * The wait after a 429 that came without Retry-After (Assets usually sends none, JSDCLOUD-11605): the retry policy's
 * first backoff (baseBackoffMs, 500 ms), what the client itself waited before its first in-process retry. Short on
 * purpose: the wait that matters is the pacer's. The 429 taught it the ceiling (the window count), so its window cap
 * holds the write until the site's rolling minute has room; without a count its rate was cut (AIMD), which spaces
 * the next requests wider. A longer blind wait would only leave slots of the window unused.
 */
export const THROTTLED_WAIT_MS = 500;

function throttledWaitMs(error: AppError): number {
  return error.retryAfterSeconds === undefined ? THROTTLED_WAIT_MS : Math.min(error.retryAfterSeconds, MAX_THROTTLED_WAIT_SECONDS) * 1000;
}

function isThrottled(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'ASSETS_THROTTLED';
}

/** The 429s a handed-back call met (the Assets client puts the count in the context), else 1. */
function throttledCount(error: AppError): number {
  const count = error.context['throttled'];
  return typeof count === 'number' && count >= 1 ? count : 1;
}

/**
 * A batch holds operations of one object type and one kind and, for creates, one wave: nothing in it depends on
 * anything else in it (an Employee create naming a group waits for the group creates before it).
 */
function batchEnd(operations: readonly SyncOperation[], from: number, size: number): number {
  const first = operations[from];
  let to = from;
  while (to < operations.length && to - from < size) {
    const op = operations[to]!;
    if (phaseOf(op) !== phaseOf(first!)) break;
    to++;
  }
  return to;
}

function phaseOf(op: SyncOperation): string {
  switch (op.kind) {
    case 'create':
      return `${op.objectType}:create:${op.wave}`;
    case 'update':
    case 'inactivate':
      return `${op.objectType}:change`;
    case 'manager-link':
      return `${op.objectType}:link`;
  }
}

/** Objects a create of this batch already made (found by their type's anchor, the Entra id). */
async function findExisting(assets: AssetsPort, layout: SchemaLayout, type: ObjectTypeDefinition, batch: readonly SyncOperation[]) {
  const ids = batch.filter((op) => op.kind === 'create').map((op) => op.entraUserId);
  const found = new Map<string, { objectId: string; objectKey: string }>();
  if (ids.length === 0) return found;
  for (const object of await assets.findObjectsByAnchor(layout, type, ids)) {
    const entraId = textOf(object.values[type.anchor]);
    if (entraId !== null && !found.has(entraId)) found.set(entraId, { objectId: object.objectId, objectKey: object.objectKey });
  }
  return found;
}

/**
 * After one write throws (e.g. Forge's per-invocation request limit), no new write starts and the error is raised
 * only once the writes in flight have settled: the invocation that replays this batch then sees every object this
 * one created, and no write of this invocation lands after the replay looked (which would make a duplicate).
 */
async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const settled = await Promise.allSettled(workers);
  const rejected = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}

/**
 * The created chunks hold at most this many bytes each: small enough that rewriting the last one with each batch
 * stays cheap, large enough that an invocation reads few of them (50,000 creates: about 35 chunks, where one chunk
 * per batch made about 460, all read again by every write invocation: quadratic under "requestJira counts", where an
 * invocation writes about 97 objects).
 */
export const CREATED_CHUNK_BYTES = 64 * 1024;

const createdKey = (runId: string) => (i: number) => keys.chunk(runId, 'created', i);

/**
 * The Entra id -> object id pairs this run created, in order. The last chunk is read up to `createdTail` pairs: an
 * invocation that rewrote it and was killed before its checkpoint may have left more there (its batch is replayed).
 */
async function readCreated(store: KeyValueStore, runId: string, cp: WriteCheckpoint): Promise<[string, string][]> {
  if (cp.createdChunks === 0) return [];
  const key = createdKey(runId);
  const whole = await readChunks(store, key, cp.createdChunks - 1, createdPairSchema);
  const last = await readChunks(store, (i) => key(cp.createdChunks - 1 + i), 1, createdPairSchema);
  return [...whole, ...(cp.createdTail === undefined ? last : last.slice(0, cp.createdTail))];
}

/** Appends a batch's new pairs: the last chunk is rewritten with them while it has room, then new chunks follow. */
async function appendCreated(
  deps: Pick<WriteAssetsStageDeps, 'store' | 'config'>,
  runId: string,
  cp: WriteCheckpoint,
  tail: readonly [string, string][],
  added: readonly [string, string][],
): Promise<{ createdChunks: number; tail: [string, string][] }> {
  // A checkpoint from before createdTail: its last chunk is complete, so the new pairs start a chunk of their own.
  const reopen = cp.createdChunks > 0 && cp.createdTail !== undefined;
  const first = reopen ? cp.createdChunks - 1 : cp.createdChunks;
  const chunks = splitIntoChunks([...(reopen ? tail : []), ...added], CREATED_CHUNK_BYTES);
  const written = await writeChunkList(deps.store, createdKey(runId), chunks, {
    firstIndex: first,
    ttlSeconds: deps.config.runDataTtlSeconds,
  });
  return { createdChunks: first + written, tail: chunks[chunks.length - 1] ?? [] };
}

/** Where a run's first write invocation starts: the rate and ceiling the site's last run learned, when known. */
async function learnedStart(deps: Pick<WriteAssetsStageDeps, 'store' | 'config'>) {
  const learned = (await readObservations(deps.store)).assetsWriteRate;
  return startRate(rateSettings(deps.config), learned?.perMinute ?? null, learned?.ceiling ?? null);
}

export function rateSettings(config: RateConfig): WriteRateSettings {
  return {
    startPerMinute: config.assetsWritesPerMinuteStart,
    minPerMinute: config.assetsWritesPerMinuteMin,
    maxPerMinute: config.assetsWritesPerMinuteMax,
    stepPerMinute: config.assetsWriteRateStep,
    stepEvery: config.assetsWriteRateStepEvery,
    decreaseFactor: config.assetsWriteRateDecrease,
    increaseFactor: DEFAULT_WRITE_RATE.increaseFactor,
    margin: DEFAULT_WRITE_RATE.margin,
    windowShare: DEFAULT_WRITE_RATE.windowShare,
    probeFactor: DEFAULT_WRITE_RATE.probeFactor,
    provisionalCeiling: DEFAULT_WRITE_RATE.provisionalCeiling,
    provisionalFactor: DEFAULT_WRITE_RATE.provisionalFactor,
    // The writes in flight when a 429 arrives meet it too: one decrease for all of them.
    cooldownWrites: Math.max(16, 2 * config.writeConcurrency),
  };
}
