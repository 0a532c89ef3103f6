/**
 * Stage 3 (only when the run syncs groups, runReadsGroups): the Entra group directory. A full read is the first round
 * of `/groups/delta?$select=...,members` (https://learn.microsoft.com/graph/delta-query-groups): every group with its
 * direct members in `members@delta`, a large group repeated across pages with part of its members each time. Later
 * runs follow the stored deltaLink and get only the groups whose properties or members changed, with the members
 * added and removed. The cache holds every group (not only the selected ones): nested groups need not be selected for
 * transitive membership, and a selection change then needs no new read.
 *
 * The round is read like the user directory's (src/pipeline/delta-rounds.ts: pages stored as change chunks in the run
 * data, expired deltaLink -> full read, expired paging link -> bounded restart, throttling rescheduled, never slept
 * away) and merged into a new generation of the group cache (src/pipeline/group-cache.ts) in one step, so a kill at
 * any point resumes without loss or double-applying. A full read is due on the same age rule as users
 * (FULL_READ_MAX_AGE_DAYS: delta is not lossless).
 *
 * A resync with no change reads one delta page and writes no generation: only the meta's deltaLink and updatedAt.
 * Without GroupMember.Read.All the client throws GRAPH_GROUPS_FORBIDDEN (permanent): the run fails with the admin
 * message, and no partial group data is merged.
 */
import { z } from 'zod';

import { isFullReadDue } from '../../domain/directory-delta';
import type { GroupDeltaChange } from '../../domain/entra-group';
import { groupDeltaChangeSchema } from '../../domain/entra-group';
import { applyGroupDeltaChanges, emptyGroupDirectory } from '../../domain/group-directory';
import { readChunks } from '../chunked-store';
import { deltaCheckpointSchema, fullReadCheckpointSchema, readRoundPage, type RoundEnd, roundReader, startFullRead } from '../delta-rounds';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import {
  deleteGroupGeneration,
  type GroupDirectoryMeta,
  type GroupGeneration,
  readGroupDirectory,
  readGroupDirectoryMeta,
  writeGroupDirectory,
  writeGroupDirectoryMeta,
} from '../group-cache';
import { keys } from '../keys';
import { runDefinition, runProfile, runReadsGroups } from '../run-state';
import type { StageHandler, StepContext } from '../step-runner';

export const PROGRESS_LABEL = 'Reading Entra groups';

const generationSchema = z.object({
  generation: z.string(),
  groupChunks: z.number().int().min(0),
  memberChunks: z.number().int().min(0),
});

const checkpointSchema = z.discriminatedUnion('phase', [
  fullReadCheckpointSchema,
  deltaCheckpointSchema,
  z.object({
    phase: z.literal('merge'),
    mode: z.enum(['full', 'delta']),
    deltaLink: z.string(),
    changeChunks: z.number().int(),
    changes: z.number().int(),
    /** The generation the changes apply to; null for a full read (they apply to an empty directory). */
    from: generationSchema.nullable(),
    /** The generation to delete once the meta points at the new one (recorded before the switch, so a re-run finds it). */
    replaces: generationSchema.nullable(),
  }),
  z.object({
    phase: z.literal('done'),
    mode: z.enum(['full', 'delta']),
    groups: z.number().int(),
    edges: z.number().int(),
    changes: z.number().int(),
    /** The generation the new one replaced: deleted after this checkpoint, again by a re-run killed mid-delete. */
    replaced: generationSchema.nullable().default(null),
  }),
]);
type Checkpoint = z.infer<typeof checkpointSchema>;
type MergeCheckpoint = Extract<Checkpoint, { phase: 'merge' }>;

/** Everything this stage can touch besides its step context. */
export interface EntraGroupsStageDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger'> {
  readonly connect: ConnectTo<'entra'>;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds'>;
}

const generationOf = (meta: GroupDirectoryMeta | null): GroupGeneration | null =>
  meta === null ? null : { generation: meta.generation, groupChunks: meta.groupChunks, memberChunks: meta.memberChunks };

export const createEntraGroupsStage =
  (deps: EntraGroupsStageDeps): StageHandler =>
  async (ctx) => {
    const { runId } = ctx;
    if (!runReadsGroups(ctx.run)) {
      deps.logger.info('stage.entra-groups.skipped', { runId });
      return { kind: 'complete' };
    }
    let cp: Checkpoint = (await ctx.readCheckpoint(checkpointSchema)) ?? (await firstCheckpoint(ctx, deps));
    const { entra } = await deps.connect(runDefinition(ctx.run), runProfile(ctx.run));
    const reader = roundReader<GroupDeltaChange>(deps, runId, {
      fetchPage: (link) => entra.groupsDeltaPage(link),
      dataset: 'groupDelta',
      event: 'stage.entra-groups',
      what: 'the groups',
    });

    while (cp.phase !== 'done') {
      if (ctx.shouldYield()) return { kind: 'continue' };
      if (cp.phase === 'merge') {
        cp = await merge(ctx, deps, cp);
        continue;
      }
      const step = await readRoundPage(ctx, reader, cp);
      cp = 'next' in step ? step.next : await mergeCheckpoint(deps, step.end);
      await ctx.saveCheckpoint(cp);
      await ctx.progress(cp.phase === 'merge' ? cp.changes : 'changes' in cp ? cp.changes : 0, null, PROGRESS_LABEL);
    }
    if (cp.replaced !== null && cp.replaced.generation !== runId) await deleteGroupGeneration(deps.store, cp.replaced);
    deps.logger.info('stage.entra-groups', { runId, mode: cp.mode, groups: cp.groups, edges: cp.edges, changes: cp.changes });
    return { kind: 'complete' };
  };

async function firstCheckpoint(ctx: StepContext, deps: EntraGroupsStageDeps): Promise<Checkpoint> {
  const meta = await readGroupDirectoryMeta(deps.store);
  const due = meta !== null && isFullReadDue(meta.fullReadAt, deps.clock.now());
  let cp: Checkpoint;
  if (meta?.deltaLink && !due) {
    cp = { phase: 'delta', link: meta.deltaLink, changeChunks: 0, changes: 0 };
  } else {
    const reason = meta === null ? 'no-directory' : due ? 'reconciliation-due' : 'no-delta-link';
    deps.logger.info('stage.entra-groups.full-read', { runId: ctx.runId, reason });
    cp = startFullRead();
  }
  await ctx.saveCheckpoint(cp);
  return cp;
}

/** The end of the round: merge into an empty directory (full) or into the cached generation (delta). */
async function mergeCheckpoint(deps: EntraGroupsStageDeps, end: RoundEnd): Promise<Checkpoint> {
  const current = generationOf(await readGroupDirectoryMeta(deps.store));
  // The cache vanished while a delta round was read (expired): only a full read can rebuild it.
  if (end.mode === 'delta' && current === null) return startFullRead();
  const { mode, deltaLink, changeChunks, changes } = end;
  return { phase: 'merge', mode, deltaLink, changeChunks, changes, from: mode === 'full' ? null : current, replaces: current };
}

async function merge(ctx: StepContext, deps: EntraGroupsStageDeps, cp: MergeCheckpoint): Promise<Checkpoint> {
  const { runId } = ctx;
  const now = new Date(deps.clock.now()).toISOString();
  const previous = await readGroupDirectoryMeta(deps.store);

  // A delta round without changes (the usual resync) reads nothing more: one Graph call, the meta and the checkpoint.
  const keep = cp.mode === 'delta' && cp.from !== null && previous !== null && previous.generation === cp.from.generation ? previous : null;
  if (keep !== null && cp.changes === 0) return keepGeneration(ctx, deps, cp, keep, now);

  const directory = cp.from === null ? emptyGroupDirectory() : await readGroupDirectory(deps.store, cp.from);
  const changes = await readChunks(deps.store, (i) => keys.chunk(runId, 'groupDelta', i), cp.changeChunks, groupDeltaChangeSchema);
  const result = applyGroupDeltaChanges(directory, changes);
  deps.logger.info('stage.entra-groups.merge', { runId, mode: cp.mode, changes: cp.changes, ...result });
  // Changes that change nothing (a replayed page, a member added and removed again): keep the generation too.
  if (keep !== null && result.added + result.updated + result.removed + result.membershipChanges === 0) {
    return keepGeneration(ctx, deps, cp, keep, now);
  }

  const written = await writeGroupDirectory(deps.store, runId, directory);
  await writeGroupDirectoryMeta(deps.store, {
    v: 1,
    ...written,
    deltaLink: cp.deltaLink,
    fullReadAt: cp.mode === 'full' ? now : (previous?.fullReadAt ?? now),
    updatedAt: now,
  });
  return saved(ctx, {
    phase: 'done',
    mode: cp.mode,
    groups: written.groups,
    edges: written.edges,
    changes: cp.changes,
    replaced: cp.replaces,
  });
}

/** Keeps the cached generation and moves only the delta position. */
async function keepGeneration(
  ctx: StepContext,
  deps: EntraGroupsStageDeps,
  cp: MergeCheckpoint,
  meta: GroupDirectoryMeta,
  now: string,
): Promise<Checkpoint> {
  await writeGroupDirectoryMeta(deps.store, { ...meta, deltaLink: cp.deltaLink, updatedAt: now });
  return saved(ctx, { phase: 'done', mode: cp.mode, groups: meta.groups, edges: meta.edges, changes: cp.changes, replaced: null });
}

async function saved(ctx: StepContext, cp: Checkpoint): Promise<Checkpoint> {
  await ctx.saveCheckpoint(cp);
  return cp;
}
