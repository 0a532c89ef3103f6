/**
 * Stage 5: applying the plan to Assets. Operations run in the planner's order (creates wave by wave, so a manager
 * exists before its reports reference it; then updates and inactivations; then manager links for cycles) in
 * batches that never mix waves, with a few writes in flight and paced under the Assets per-minute limits.
 *
 * Crash safety: before a batch is sent its range is saved as "in flight"; a step that resumes with a batch in
 * flight first asks Assets (one AQL query) which of its creates already exist, so a replayed create never makes a
 * second Employee object. Per-object failures are recorded and the run goes on; the next run retries them.
 */
import { z } from 'zod';
import type { WriteFailureInput } from '../../domain/report';
import { syncOperationSchema, type SyncOperation } from '../../domain/sync-operations';
import { readChunks, writeChunks } from '../chunked-store';
import type { PipelineDeps } from '../deps';
import { keys } from '../keys';
import { readLayout } from '../layout-store';
import type { AssetsPort, SchemaLayout, WriteResult } from '../ports';
import { toWriteRequest } from '../write-request';
import { readStageOutput } from '../stage-outputs';
import type { StageHandler } from '../step-runner';
import { planCheckpointSchema } from './plan-stage';
import { AppError } from '../../domain/errors';

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
  writes: z.number().int().min(0),
  processed: z.number().int().min(0),
  failures: z.number().int().min(0),
  failureDetails: z.array(failureSchema),
  done: z.boolean(),
});
export type WriteCheckpoint = z.infer<typeof writeCheckpointSchema>;

export const createWriteAssetsStage = (): StageHandler => async (ctx) => {
  const { deps, runId } = ctx;
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
  if (layout === null) throw new AppError('ASSETS_SCHEMA_MISSING', 'The Entra Directory schema is missing. Create it on the Setup tab, then run again.', { context: { runId } });
  const { assets } = await deps.connect();
  const createdPairs = await readChunks(deps.store, (i) => keys.chunk(runId, 'created', i), cp.createdChunks, createdPairSchema);
  const created = new Map<string, string>(createdPairs);
  const pacer = createPacer(deps);

  while (cp.chunk < plan.opChunks) {
    const operations = (await readChunks(deps.store, (i) => keys.chunk(runId, 'plan', cp.chunk + i), 1, syncOperationSchema)) as SyncOperation[];
    while (cp.offset < operations.length) {
      if (ctx.shouldYield()) return { kind: 'continue' };
      const from = cp.offset;
      const to = batchEnd(operations, from, deps.config.writeBatchSize);
      const batch = operations.slice(from, to);

      const replay = cp.inflight !== null && cp.inflight.chunk === cp.chunk && cp.inflight.from === from;
      const alreadyCreated = replay ? await findExisting(assets, layout, batch) : new Map<string, { objectId: string; objectKey: string }>();
      cp = { ...cp, inflight: { chunk: cp.chunk, from, to } };
      await ctx.saveCheckpoint(cp);

      const newlyCreated: [string, string][] = [];
      const failures: WriteFailureInput[] = [];
      let writes = 0;
      await runPool(batch, deps.config.writeConcurrency, async (op) => {
        if (op.kind === 'create') {
          const existing = alreadyCreated.get(op.entraUserId);
          if (existing !== undefined) {
            newlyCreated.push([op.entraUserId, existing.objectId]);
            return;
          }
        }
        const request = toWriteRequest(op, created);
        if (request === null) return;
        await pacer();
        writes++;
        const result: WriteResult =
          request.objectId === null ? await assets.createEmployee(layout, request.values) : await assets.updateEmployee(layout, request.objectId, request.values);
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

      for (const [entraId, objectId] of newlyCreated) created.set(entraId, objectId);
      const createdChunks = newlyCreated.length === 0
        ? cp.createdChunks
        : cp.createdChunks + (await writeChunks(deps.store, (i) => keys.chunk(runId, 'created', i), newlyCreated, { firstIndex: cp.createdChunks, ttlSeconds: deps.config.runDataTtlSeconds }));
      cp = {
        ...cp,
        offset: to,
        inflight: null,
        createdChunks,
        writes: cp.writes + writes,
        processed: cp.processed + batch.length,
        failures: cp.failures + failures.length,
        failureDetails: [...cp.failureDetails, ...failures.map((f) => ({ ...f }))].slice(0, MAX_FAILURE_DETAILS),
      };
      await ctx.saveCheckpoint(cp);
      await ctx.progress(cp.processed, plan.operations, 'Writing to Assets');
    }
    cp = { ...cp, chunk: cp.chunk + 1, offset: 0 };
    await ctx.saveCheckpoint(cp);
  }
  cp = { ...cp, done: true };
  await ctx.saveCheckpoint(cp);
  deps.logger.info('stage.write-assets', { runId, operations: plan.operations, writes: cp.writes, failures: cp.failures });
  return { kind: 'complete' };
};

/** A batch holds operations of one kind and, for creates, one wave: nothing in it depends on anything else in it. */
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
      return `create:${op.wave}`;
    case 'update':
    case 'inactivate':
      return 'change';
    case 'manager-link':
      return 'link';
  }
}

async function findExisting(assets: AssetsPort, layout: SchemaLayout, batch: readonly SyncOperation[]) {
  const ids = batch.filter((op) => op.kind === 'create').map((op) => op.entraUserId);
  const found = new Map<string, { objectId: string; objectKey: string }>();
  if (ids.length === 0) return found;
  for (const object of await assets.findEmployeesByEntraUserIds(layout, ids)) {
    const entraId = object.values.entraUserId;
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

/** Spaces request starts evenly so the per-minute Assets limits are used without tripping them. */
function createPacer(deps: Pick<PipelineDeps, 'clock' | 'sleep' | 'config'>): () => Promise<void> {
  const intervalMs = 60_000 / deps.config.assetsWritesPerMinute;
  let nextSlot = 0;
  return async () => {
    const now = deps.clock.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + intervalMs;
    if (slot > now) await deps.sleep(slot - now);
  };
}
