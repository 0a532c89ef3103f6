/**
 * Stage 3: the Employee objects as Assets has them now, read in full through paged AQL every run, so hand edits
 * are seen and corrected. A sync first re-checks the schema (ensureSchema repairs what an admin deleted); a preview
 * writes nothing, so it uses the saved layout, and with no schema yet it plans against an empty directory.
 */
import { z } from 'zod';

import { assetsObjectSchema } from '../../domain/assets-object';
import { AppError } from '../../domain/errors';
import type { ObjectTypeDefinition } from '../../domain/schema-definition';
import { objectTypeOf } from '../../domain/schema-definition';
import { layoutOfType, type SchemaLayout } from '../../domain/schema-layout';
import {
  ASSETS_CACHE_MAX_AGE_MS,
  ASSETS_CACHE_OVERLAP_MS,
  type CachedType,
  cacheFingerprint,
  deleteAssetsCacheGeneration,
  foldChanges,
  readAssetsCache,
  readAssetsCacheMeta,
  writeAssetsCacheChunks,
  writeAssetsCacheMeta,
} from '../assets-cache';
import { readChunks, writeChunks } from '../chunked-store';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import { keys } from '../keys';
import { readLayout, saveLayout } from '../layout-store';
import { readObservations, recordObservations } from '../platform-observations';
import { runDefinition } from '../run-state';
import type { StageHandler } from '../step-runner';

/**
 * The read of one object type (assets-cache.ts, ADR 0008). 'full': every object, page by page, into the run's chunks
 * and a new cache generation. 'changes': the objects updated since the cache's last read into the run's change
 * chunks; then 'merge' folds them into the cache, checks the count and writes the run's chunks and a new generation;
 * 'commit' switches the cache meta to the new generation and drops the old one.
 */
const typeReadSchema = z.object({
  mode: z.enum(['full', 'changes']),
  phase: z.enum(['read', 'merge', 'commit', 'done']),
  startAt: z.number().int().min(0),
  largestPage: z.number().int().min(0),
  chunks: z.number().int().min(0),
  objects: z.number().int().min(0),
  /** 'changes': the changed objects read so far and their chunks. */
  changes: z.number().int().min(0),
  changeChunks: z.number().int().min(0),
  readStartedAt: z.number(),
  fullReadAt: z.number(),
  generation: z.string().min(1),
  fingerprint: z.string(),
  /** Why this read is full: 'no-cache', 'expired', 'layout', 'count', 'refused'. Null for an incremental read. */
  fullBecause: z.enum(['no-cache', 'expired', 'layout', 'count', 'refused']).nullable(),
  previous: z.object({ generation: z.string().min(1), chunks: z.number().int().min(0), readStartedAt: z.number() }).nullable(),
});
export type TypeRead = z.infer<typeof typeReadSchema>;

export const snapshotCheckpointSchema = z.object({
  startAt: z.number().int().min(0),
  /** The largest AQL page Assets served in this read (Diagnostics shows it); absent in checkpoints of older versions. */
  largestPage: z.number().int().min(0).default(0),
  chunks: z.number().int().min(0),
  objects: z.number().int().min(0),
  schemaPresent: z.boolean(),
  schemaChecked: z.boolean(),
  done: z.boolean(),
  /** The Employee read's state (absent in checkpoints of older versions: a full read from startAt). */
  read: typeReadSchema.optional(),
  /**
   * Group sync: the Entra Group objects, read after the Employees (chunks 'assetsGroups'). Absent in checkpoints of
   * older versions: nothing read yet.
   */
  groups: z
    .object({
      startAt: z.number().int().min(0),
      chunks: z.number().int().min(0),
      objects: z.number().int().min(0),
      done: z.boolean(),
      read: typeReadSchema.optional(),
    })
    .default({ startAt: 0, chunks: 0, objects: 0, done: false }),
});
export type SnapshotCheckpoint = z.infer<typeof snapshotCheckpointSchema>;

/** Everything this stage can touch besides its step context. */
export interface AssetsSnapshotStageDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger'> {
  readonly connect: ConnectTo<'assets'>;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds' | 'aqlPageSize'>;
}

type SaveRead = (read: TypeRead) => Promise<void>;

/**
 * Reads one object type into the run's chunks ('assets' / 'assetsGroups'), from the cache and the objects updated
 * since its last read when it can, else in full; saves its state through `save` after every step (every write before
 * it is idempotent: a killed invocation redoes the step and writes the same keys with the same values).
 */
async function readType(
  deps: AssetsSnapshotStageDeps,
  ctx: Parameters<StageHandler>[0],
  layout: SchemaLayout,
  type: ObjectTypeDefinition,
  cached: CachedType,
  resumed: TypeRead | null,
  save: SaveRead,
): Promise<'continue' | 'complete'> {
  const { runId } = ctx;
  const { assets } = await deps.connect();
  const dataset = cached === 'employee' ? 'assets' : 'assetsGroups';
  const changesDataset = cached === 'employee' ? 'assetsChanges' : 'assetsGroupsChanges';
  const ttlSeconds = deps.config.runDataTtlSeconds;
  let read = resumed ?? (await startRead(deps, layout, type, cached, runId));
  if (resumed === null) await save(read);
  const full = (because: NonNullable<TypeRead['fullBecause']>): TypeRead => ({
    ...read,
    mode: 'full',
    phase: 'read',
    startAt: 0,
    chunks: 0,
    objects: 0,
    changes: 0,
    changeChunks: 0,
    fullReadAt: read.readStartedAt,
    fullBecause: because,
  });

  while (read.phase !== 'done') {
    if (ctx.shouldYield()) return 'continue';
    if (read.phase === 'read' && read.mode === 'full') {
      const page = await assets.searchObjects(layout, type, read.startAt, deps.config.aqlPageSize);
      const written = await writeChunks(deps.store, (i) => keys.chunk(runId, dataset, i), page.objects, {
        firstIndex: read.chunks,
        ttlSeconds,
      });
      await writeAssetsCacheChunks(deps.store, cached, read.generation, page.objects, read.chunks);
      read = {
        ...read,
        startAt: read.startAt + page.objects.length,
        largestPage: Math.max(read.largestPage, page.objects.length),
        chunks: read.chunks + written,
        objects: read.objects + page.objects.length,
        phase: page.isLast ? 'commit' : 'read',
      };
    } else if (read.phase === 'read') {
      const since = read.previous?.readStartedAt ?? read.readStartedAt;
      const minutes = Math.ceil((read.readStartedAt - since + ASSETS_CACHE_OVERLAP_MS) / 60_000);
      const page = await assets.searchObjectsUpdatedWithin(layout, type, minutes, read.startAt, deps.config.aqlPageSize);
      if (page === null) {
        await recordObservations(deps.store, { assetsUpdatedQuery: { refused: true, at: new Date(deps.clock.now()).toISOString() } });
        read = full('refused');
      } else {
        const written = await writeChunks(deps.store, (i) => keys.chunk(runId, changesDataset, i), page.objects, {
          firstIndex: read.changeChunks,
          ttlSeconds,
        });
        read = {
          ...read,
          startAt: read.startAt + page.objects.length,
          largestPage: Math.max(read.largestPage, page.objects.length),
          changeChunks: read.changeChunks + written,
          changes: read.changes + page.objects.length,
          phase: page.isLast ? 'merge' : 'read',
        };
        if (page.isLast) {
          await recordObservations(deps.store, { assetsUpdatedQuery: { refused: false, at: new Date(deps.clock.now()).toISOString() } });
        }
      }
    } else if (read.phase === 'merge') {
      const previous = read.previous;
      const cachedObjects = previous === null ? [] : await readAssetsCache(deps.store, cached, previous.generation, previous.chunks);
      const changed = await readChunks(deps.store, (i) => keys.chunk(runId, changesDataset, i), read.changeChunks, assetsObjectSchema);
      const merged = foldChanges(cachedObjects, changed);
      // Deletions: an object deleted in Assets is not among the updated ones, only missing from the count.
      const total = await assets.countObjects(layout, type);
      if (total !== merged.length) {
        deps.logger.warn('stage.assets-snapshot.count-differs', { runId, objectType: type.key, cached: merged.length, assets: total });
        read = full('count');
      } else {
        const chunks = await writeChunks(deps.store, (i) => keys.chunk(runId, dataset, i), merged, { ttlSeconds });
        await writeAssetsCacheChunks(deps.store, cached, read.generation, merged, 0);
        read = { ...read, chunks, objects: merged.length, phase: 'commit' };
      }
    } else {
      // 'commit': the new generation is complete; switch the meta to it, then drop the old one.
      await writeAssetsCacheMeta(deps.store, cached, {
        v: 1,
        generation: read.generation,
        chunks: read.chunks,
        objects: read.objects,
        fingerprint: read.fingerprint,
        readStartedAt: read.readStartedAt,
        fullReadAt: read.fullReadAt,
      });
      if (read.previous !== null && read.previous.generation !== read.generation) {
        await deleteAssetsCacheGeneration(deps.store, cached, read.previous.generation, read.previous.chunks);
      }
      read = { ...read, phase: 'done' };
    }
    await save(read);
  }
  return 'complete';
}

/** Decides between an incremental and a full read from the cache's meta. */
async function startRead(
  deps: AssetsSnapshotStageDeps,
  layout: SchemaLayout,
  type: ObjectTypeDefinition,
  cached: CachedType,
  runId: string,
): Promise<TypeRead> {
  const now = deps.clock.now();
  const meta = await readAssetsCacheMeta(deps.store, cached);
  const fingerprint = cacheFingerprint(layout.workspaceId, type, layoutOfType(layout, type, { complete: false }));
  // A site that refused the Updated query is not asked again until the cache's full-read age has passed: one wasted
  // AQL call a week instead of one a run.
  const updatedQuery = (await readObservations(deps.store)).assetsUpdatedQuery;
  const refusedRecently = updatedQuery?.refused === true && now - Date.parse(updatedQuery.at) < ASSETS_CACHE_MAX_AGE_MS;
  const fullBecause =
    meta === null
      ? 'no-cache'
      : now - meta.fullReadAt > ASSETS_CACHE_MAX_AGE_MS
        ? 'expired'
        : meta.fingerprint !== fingerprint
          ? 'layout'
          : refusedRecently
            ? 'refused'
            : null;
  return {
    mode: fullBecause === null ? 'changes' : 'full',
    phase: 'read',
    startAt: 0,
    largestPage: 0,
    chunks: 0,
    objects: 0,
    changes: 0,
    changeChunks: 0,
    readStartedAt: now,
    fullReadAt: fullBecause === null && meta !== null ? meta.fullReadAt : now,
    generation: runId,
    fingerprint,
    fullBecause,
    previous: meta === null ? null : { generation: meta.generation, chunks: meta.chunks, readStartedAt: meta.readStartedAt },
  };
}

export const createAssetsSnapshotStage =
  (deps: AssetsSnapshotStageDeps): StageHandler =>
  async (ctx) => {
    const { runId, run } = ctx;
    let cp: SnapshotCheckpoint = (await ctx.readCheckpoint(snapshotCheckpointSchema)) ?? {
      startAt: 0,
      largestPage: 0,
      chunks: 0,
      objects: 0,
      schemaPresent: false,
      schemaChecked: false,
      done: false,
      groups: { startAt: 0, chunks: 0, objects: 0, done: false },
    };
    const { assets } = await deps.connect();
    const definition = runDefinition(run);

    if (!cp.schemaChecked) {
      if (run.mode === 'sync') {
        const ensured = await assets.ensureSchema(definition);
        await saveLayout(deps.store, ensured.layout, deps.clock.now());
        if (ensured.created.length + ensured.repaired.length > 0) {
          deps.logger.warn('stage.assets-snapshot.schema-repaired', {
            runId,
            created: ensured.created.length,
            repaired: ensured.repaired.length,
          });
        }
        cp = { ...cp, schemaChecked: true, schemaPresent: true };
      } else {
        const layout = await readLayout(deps.store);
        cp = { ...cp, schemaChecked: true, schemaPresent: layout !== null, done: layout === null };
      }
      await ctx.saveCheckpoint(cp);
    }

    // A resumed step may have only the groups left to read; a preview without a schema reads nothing.
    const layout = cp.done && (cp.groups.done || !cp.schemaPresent) ? null : await readLayout(deps.store);
    if (!cp.done && layout === null) {
      throw new AppError('ASSETS_SCHEMA_MISSING', 'The Entra Directory schema is missing. Create it on the Setup tab, then run again.', {
        context: { runId },
      });
    }

    const employeeType = objectTypeOf(definition, 'employee');
    if (!cp.done && layout !== null) {
      const outcome = await readType(deps, ctx, layout, employeeType, 'employee', cp.read ?? null, async (read) => {
        cp = {
          ...cp,
          read,
          startAt: read.startAt,
          largestPage: Math.max(cp.largestPage, read.largestPage),
          chunks: read.chunks,
          objects: read.objects,
          done: read.phase === 'done',
        };
        await ctx.saveCheckpoint(cp);
        await ctx.progress(cp.objects, null, 'Reading Employee objects from Assets');
      });
      if (outcome === 'continue') return { kind: 'continue' };
    }
    // Group sync: the Entra Group objects. A preview before the schema check has added the type reads none (its
    // plan shows every synced group being created).
    const groupType = definition.objectTypes.find((type) => type.key === 'group');
    if (groupType !== undefined && !cp.groups.done) {
      if (layout === null || layout.objectTypes.group === undefined) {
        cp = { ...cp, groups: { ...cp.groups, done: true } };
        await ctx.saveCheckpoint(cp);
      } else {
        const outcome = await readType(deps, ctx, layout, groupType, 'group', cp.groups.read ?? null, async (read) => {
          cp = {
            ...cp,
            groups: { read, startAt: read.startAt, chunks: read.chunks, objects: read.objects, done: read.phase === 'done' },
          };
          await ctx.saveCheckpoint(cp);
          await ctx.progress(cp.groups.objects, null, 'Reading Entra Group objects from Assets');
        });
        if (outcome === 'continue') return { kind: 'continue' };
      }
    }
    // Only a read that filled more than one page says what page size the site really serves.
    if (cp.objects > cp.largestPage) {
      await recordObservations(deps.store, {
        assetsAqlPageSize: { requested: deps.config.aqlPageSize, served: cp.largestPage, at: new Date(deps.clock.now()).toISOString() },
      });
    }
    deps.logger.info('stage.assets-snapshot', {
      runId,
      objects: cp.objects,
      groupObjects: cp.groups.objects,
      schemaPresent: cp.schemaPresent,
      employeeRead: cp.read?.mode ?? null,
      employeeChanges: cp.read?.changes ?? null,
    });
    return { kind: 'complete' };
  };
