/**
 * Stage 3: the Employee objects as Assets has them now, read in full through paged AQL every run, so hand edits
 * are seen and corrected. A sync first re-checks the schema (ensureSchema repairs what an admin deleted); a preview
 * writes nothing, so it uses the saved layout, and with no schema yet it plans against an empty directory.
 */
import { z } from 'zod';

import { AppError } from '../../domain/errors';
import { objectTypeOf } from '../../domain/schema-definition';
import { writeChunks } from '../chunked-store';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import { keys } from '../keys';
import { readLayout, saveLayout } from '../layout-store';
import { recordObservations } from '../platform-observations';
import { runDefinition } from '../run-state';
import type { StageHandler } from '../step-runner';

export const snapshotCheckpointSchema = z.object({
  startAt: z.number().int().min(0),
  /** The largest AQL page Assets served in this read (Diagnostics shows it); absent in checkpoints of older versions. */
  largestPage: z.number().int().min(0).default(0),
  chunks: z.number().int().min(0),
  objects: z.number().int().min(0),
  schemaPresent: z.boolean(),
  schemaChecked: z.boolean(),
  done: z.boolean(),
  /**
   * Group sync: the Entra Group objects, read after the Employees (chunks 'assetsGroups'). Absent in checkpoints of
   * older versions: nothing read yet.
   */
  groups: z
    .object({ startAt: z.number().int().min(0), chunks: z.number().int().min(0), objects: z.number().int().min(0), done: z.boolean() })
    .default({ startAt: 0, chunks: 0, objects: 0, done: false }),
});
export type SnapshotCheckpoint = z.infer<typeof snapshotCheckpointSchema>;

/** Everything this stage can touch besides its step context. */
export interface AssetsSnapshotStageDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger'> {
  readonly connect: ConnectTo<'assets'>;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds' | 'aqlPageSize'>;
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

    while (!cp.done && layout !== null) {
      if (ctx.shouldYield()) return { kind: 'continue' };
      const page = await assets.searchObjects(layout, objectTypeOf(definition, 'employee'), cp.startAt, deps.config.aqlPageSize);
      const written = await writeChunks(deps.store, (i) => keys.chunk(runId, 'assets', i), page.objects, {
        firstIndex: cp.chunks,
        ttlSeconds: deps.config.runDataTtlSeconds,
      });
      cp = {
        ...cp,
        startAt: cp.startAt + page.objects.length,
        largestPage: Math.max(cp.largestPage, page.objects.length),
        chunks: cp.chunks + written,
        objects: cp.objects + page.objects.length,
        done: page.isLast,
      };
      await ctx.saveCheckpoint(cp);
      await ctx.progress(cp.objects, null, 'Reading Employee objects from Assets');
    }
    // Group sync: the Entra Group objects. A preview before the schema check has added the type reads none (its
    // plan shows every synced group being created).
    const groupType = definition.objectTypes.find((type) => type.key === 'group');
    while (groupType !== undefined && !cp.groups.done) {
      if (layout === null || layout.objectTypes.group === undefined) {
        cp = { ...cp, groups: { ...cp.groups, done: true } };
        await ctx.saveCheckpoint(cp);
        break;
      }
      if (ctx.shouldYield()) return { kind: 'continue' };
      const page = await assets.searchObjects(layout, groupType, cp.groups.startAt, deps.config.aqlPageSize);
      const written = await writeChunks(deps.store, (i) => keys.chunk(runId, 'assetsGroups', i), page.objects, {
        firstIndex: cp.groups.chunks,
        ttlSeconds: deps.config.runDataTtlSeconds,
      });
      cp = {
        ...cp,
        groups: {
          startAt: cp.groups.startAt + page.objects.length,
          chunks: cp.groups.chunks + written,
          objects: cp.groups.objects + page.objects.length,
          done: page.isLast,
        },
      };
      await ctx.saveCheckpoint(cp);
      await ctx.progress(cp.groups.objects, null, 'Reading Entra Group objects from Assets');
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
    });
    return { kind: 'complete' };
  };
