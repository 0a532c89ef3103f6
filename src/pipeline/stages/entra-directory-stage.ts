/**
 * Stage 2: the Entra directory. A full read is the first round of `/users/delta?$select=...,manager`: pages of
 * about 200 users with every selected property and the manager id, ending in the deltaLink later runs follow. (The
 * old full read, /users with `$expand=manager`, gets at most 100 users a page whatever `$top` says, Microsoft's
 * known issue 13635, and needed a separate `$deltatoken=latest` call; docs/clients/graph.md has the figures.)
 *
 * A run reads the whole directory when there is no cached directory or delta position, when the delta position
 * expired, and when the last full read is older than FULL_READ_MAX_AGE_DAYS (delta is not lossless: the full read
 * reconciles changes it never reported). Otherwise it reads only the changes from the stored deltaLink. Either way
 * the pages are stored as changes and merged into a new generation of the cached directory in one step, so a user
 * repeated across pages is merged (last wins) and a crash never leaves a half-written directory.
 *
 * Replication lag: users new to the directory whose delta item lacks a selected property are re-read by id; a
 * 404 there means "not replicated yet" (the same round reported the user), so the partial record is KEPT and
 * re-read by the next runs, at most MAX_REREAD_ATTEMPTS times. The pages are read as the group stage reads its own
 * (src/pipeline/delta-rounds.ts): an expired paging link during a full read restarts the read (at most
 * MAX_FULL_READ_RESTARTS times a run); throttling is never slept away (the client hands back "retry later", the step
 * runner reschedules the event and the checkpoint resumes at the same page).
 */
import { z } from 'zod';

import { applyDeltaChanges, type DeltaChange, deltaChangeSchema, isFullReadDue } from '../../domain/directory-delta';
import type { EntraUser } from '../../domain/entra-user';
import { objectTypeOf } from '../../domain/schema-definition';
import { readChunks } from '../chunked-store';
import { deltaCheckpointSchema, fullReadCheckpointSchema, readRoundPage, type RoundEnd, roundReader, startFullRead } from '../delta-rounds';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import { deleteGeneration, type DirectoryMeta, readDirectory, readDirectoryMeta, writeDirectoryChunks } from '../directory-cache';
import { keys } from '../keys';
import { compareOptionalValues, deltaUntrackedKeys, recordObservations } from '../platform-observations';
import { RETENTION_SECONDS } from '../retention';
import { runDefinition, runProfile } from '../run-state';
import type { StageHandler, StepContext } from '../step-runner';

export { MAX_FULL_READ_RESTARTS } from '../delta-rounds';
/** Runs that re-read a new user Graph still answers 404 for, before the app stops asking (the record stays). */
export const MAX_REREAD_ATTEMPTS = 3;
/** The endpoint of the full read, as recorded in the platform observations. */
export const FULL_READ_ENDPOINT = '/v1.0/users/delta';

const checkpointSchema = z.discriminatedUnion('phase', [
  /** Stored by versions that read /users with $expand: never resumed, restarted as a delta full read (see below). */
  z.object({
    phase: z.literal('full'),
    deltaLink: z.string().nullable(),
    nextLink: z.string().nullable(),
    started: z.boolean(),
    chunks: z.number().int(),
    users: z.number().int(),
  }),
  fullReadCheckpointSchema,
  deltaCheckpointSchema,
  z.object({
    phase: z.literal('merge'),
    deltaLink: z.string(),
    changeChunks: z.number().int(),
    changes: z.number().int(),
    /** The generation the changes apply to; null for a full read (they apply to an empty directory). */
    from: z.object({ generation: z.string(), chunks: z.number().int() }).nullable(),
    mode: z.enum(['full', 'delta']).default('delta'),
    largestPage: z.number().int().default(0),
  }),
  z.object({ phase: z.literal('done'), mode: z.enum(['full', 'delta']), users: z.number().int(), changes: z.number().int() }),
]);
type Checkpoint = z.infer<typeof checkpointSchema>;
type MergeCheckpoint = Extract<Checkpoint, { phase: 'merge' }>;

/** Everything this stage can touch besides its step context. */
export interface EntraDirectoryStageDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger'> {
  readonly connect: ConnectTo<'entra'>;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds'>;
}

export const createEntraDirectoryStage =
  (deps: EntraDirectoryStageDeps): StageHandler =>
  async (ctx) => {
    const { runId } = ctx;
    const saved = await ctx.readCheckpoint(checkpointSchema);
    let cp: Checkpoint;
    if (saved === undefined) {
      const meta = await readDirectoryMeta(deps.store);
      const due = meta !== null && isFullReadDue(meta.fullReadAt, deps.clock.now());
      const otherAttributes = meta !== null && !sameKeys(meta.attributes, ctx.run.attributes);
      // The deltaLink keeps the $select of the read that made it: other scope properties need a full read too.
      const otherProfile = meta !== null && !sameKeys(meta.profile, runProfile(ctx.run));
      if (meta?.deltaLink && !due && !otherAttributes && !otherProfile) {
        cp = { phase: 'delta', link: meta.deltaLink, changeChunks: 0, changes: 0 };
      } else {
        const reason =
          meta === null
            ? 'no-directory'
            : due
              ? 'reconciliation-due'
              : otherAttributes
                ? 'attributes-changed'
                : otherProfile
                  ? 'scope-properties-changed'
                  : 'no-delta-link';
        deps.logger.info('stage.entra-directory.full-read', { runId, reason });
        cp = startFullRead();
      }
      await ctx.saveCheckpoint(cp);
    } else {
      cp = saved;
    }
    const { entra } = await deps.connect(runDefinition(ctx.run), runProfile(ctx.run));
    const reader = roundReader<DeltaChange>(deps, runId, {
      fetchPage: (link) => entra.deltaPage(link),
      dataset: 'delta',
      event: 'stage.entra-directory',
      what: 'the directory',
    });

    while (cp.phase !== 'done') {
      if (ctx.shouldYield()) return { kind: 'continue' };
      switch (cp.phase) {
        case 'full': {
          // Written by the previous version (list with $expand into directory chunks of this run's generation):
          // drop what it wrote and read again the current way.
          await deleteGeneration(deps.store, runId, cp.chunks);
          deps.logger.info('stage.entra-directory.full-read', { runId, reason: 'old-checkpoint' });
          cp = startFullRead();
          await ctx.saveCheckpoint(cp);
          continue;
        }
        case 'fullRead':
        case 'delta': {
          const full = cp.phase === 'fullRead';
          const step = await readRoundPage(ctx, reader, cp);
          cp = 'next' in step ? step.next : await mergeCheckpoint(deps, step.end);
          await ctx.saveCheckpoint(cp);
          const processed = 'next' in step ? step.next.changes : full ? step.end.changes : 0;
          await ctx.progress(processed, null, full ? 'Reading the Entra directory' : 'Reading changes from Entra ID');
          continue;
        }
        case 'merge': {
          cp = await merge(ctx, deps, cp);
          continue;
        }
      }
    }
    deps.logger.info('stage.entra-directory', { runId, mode: cp.mode, users: cp.users, changes: cp.changes });
    return { kind: 'complete' };
  };

/** The end of the round: merge into an empty directory (full) or into the cached generation (delta). */
async function mergeCheckpoint(deps: EntraDirectoryStageDeps, end: RoundEnd): Promise<Checkpoint> {
  const { deltaLink, changeChunks, changes } = end;
  if (end.mode === 'full')
    return { phase: 'merge', deltaLink, changeChunks, changes, from: null, mode: 'full', largestPage: end.largestPage };
  const meta = await readDirectoryMeta(deps.store);
  if (meta === null) return startFullRead();
  return {
    phase: 'merge',
    deltaLink,
    changeChunks,
    changes,
    from: { generation: meta.generation, chunks: meta.chunks },
    mode: 'delta',
    largestPage: 0,
  };
}

async function merge(ctx: StepContext, deps: EntraDirectoryStageDeps, cp: MergeCheckpoint): Promise<Checkpoint> {
  const { runId } = ctx;
  const previousMeta = await readDirectoryMeta(deps.store);
  const users = cp.from === null ? [] : await readDirectory(deps.store, cp.from.generation, cp.from.chunks);
  const directory = new Map<string, EntraUser>(users.map((u) => [u.id, u]));
  const changes: DeltaChange[] = await readChunks(deps.store, (i) => keys.chunk(runId, 'delta', i), cp.changeChunks, deltaChangeSchema);
  const result = applyDeltaChanges(directory, changes);

  // Re-read by id: users new in this round whose item lacked a property, and (delta runs) the ones earlier runs
  // could not re-read yet. A full read has just read everyone, so older pending re-reads are settled by it.
  const attemptsBefore = new Map((cp.mode === 'delta' ? (previousMeta?.pendingReads ?? []) : []).map((p) => [p.id, p.attempts]));
  const reread = [...new Set([...result.incomplete, ...attemptsBefore.keys()])].filter((id) => directory.has(id));
  const pendingReads: DirectoryMeta['pendingReads'] = [];
  let gaveUp = 0;
  if (reread.length > 0) {
    const { entra } = await deps.connect(runDefinition(ctx.run), runProfile(ctx.run));
    const fetched = await entra.getUsersByIds(reread);
    for (const user of fetched.users) directory.set(user.id, user);
    for (const id of fetched.notFound) {
      // Delta reported this user (created or restored) and did not report it removed: a 404 here is replication
      // lag, not a deletion. Keep the record; ask again next run, a bounded number of times.
      const attempts = (attemptsBefore.get(id) ?? 0) + 1;
      if (attempts < MAX_REREAD_ATTEMPTS) pendingReads.push({ id, attempts });
      else gaveUp++;
    }
  }
  const merged = [...directory.values()];
  const chunks = await writeDirectoryChunks(deps.store, runId, merged);
  deps.logger.info('stage.entra-directory.merge', {
    runId,
    mode: cp.mode,
    added: result.added,
    updated: result.updated,
    removed: result.removed,
    incomplete: result.incomplete.length,
    reread: reread.length,
    notYetReplicated: pendingReads.length,
    rereadGivenUp: gaveUp,
  });
  if (cp.mode === 'full') {
    const at = new Date(deps.clock.now()).toISOString();
    // requested 0: delta takes no page size ($top is ignored); served = the largest page Graph sent.
    await recordObservations(deps.store, { graphPageSize: { endpoint: FULL_READ_ENDPOINT, requested: 0, served: cp.largestPage, at } });
    await observeOptionalDrift(ctx, deps, previousMeta, directory, at);
  }
  // The generation to delete afterwards: the one the changes applied to (kept in the checkpoint, so a merge re-run
  // after a crash past the meta switch still finds it), else whatever the meta pointed at before.
  const replaced = cp.from ?? (previousMeta === null ? null : { generation: previousMeta.generation, chunks: previousMeta.chunks });
  return switchGeneration(ctx, deps, {
    deltaLink: cp.deltaLink,
    chunks,
    users: merged.length,
    mode: cp.mode,
    changes: cp.changes,
    pendingReads,
    previous: previousMeta,
    replaced,
  });
}

/**
 * Platform assumption G10, observed without writing to Entra: a full read after delta rounds compares the chosen
 * attributes delta may not track (employeeHireDate, employeeOrgData, onPremisesExtensionAttributes, directory
 * extensions) with what the delta-maintained cache held, and records the counts for Diagnostics
 * (graph-delta-optional-properties). Skipped when nothing such is chosen, when the cache was read for other
 * attributes, when no delta round ran since its full read, and on a merge re-run after the switch.
 */
async function observeOptionalDrift(
  ctx: StepContext,
  deps: EntraDirectoryStageDeps,
  previous: DirectoryMeta | null,
  read: ReadonlyMap<string, EntraUser>,
  at: string,
): Promise<void> {
  const attributeKeys = deltaUntrackedKeys(objectTypeOf(runDefinition(ctx.run), 'employee'));
  if (attributeKeys.length === 0 || previous === null || previous.generation === ctx.runId) return;
  if (!sameKeys(previous.attributes, ctx.run.attributes) || previous.updatedAt <= previous.fullReadAt) return;
  const cached = await readDirectory(deps.store, previous.generation, previous.chunks);
  const { compared, differed } = compareOptionalValues(cached, read, attributeKeys);
  await recordObservations(deps.store, { optionalPropertyDrift: { compared, differed, attributes: attributeKeys.length, at } });
  deps.logger.info('stage.entra-directory.optional-drift', { runId: ctx.runId, compared, differed });
}

async function switchGeneration(
  ctx: StepContext,
  deps: EntraDirectoryStageDeps,
  next: {
    deltaLink: string;
    chunks: number;
    users: number;
    mode: 'full' | 'delta';
    changes: number;
    pendingReads: DirectoryMeta['pendingReads'];
    previous: DirectoryMeta | null;
    replaced: { generation: string; chunks: number } | null;
  },
): Promise<Checkpoint> {
  const { runId } = ctx;
  const now = new Date(deps.clock.now()).toISOString();
  const { previous } = next;
  const meta: DirectoryMeta = {
    v: 1,
    generation: runId,
    chunks: next.chunks,
    users: next.users,
    deltaLink: next.deltaLink,
    fullReadAt: next.mode === 'full' ? now : (previous?.fullReadAt ?? now),
    updatedAt: now,
    pendingReads: next.pendingReads,
    attributes: [...ctx.run.attributes],
    profile: runProfile(ctx.run),
  };
  await deps.store.set(keys.directoryMeta(), meta, { ttlSeconds: RETENTION_SECONDS.directory });
  const done: Checkpoint = { phase: 'done', mode: next.mode, users: next.users, changes: next.changes };
  await ctx.saveCheckpoint(done);
  const { replaced } = next;
  if (replaced !== null && replaced.generation !== runId) await deleteGeneration(deps.store, replaced.generation, replaced.chunks);
  return done;
}

/** Whether the cached users carry exactly the optional attributes (or scope properties) the run wants (order aside). */
function sameKeys(cached: readonly string[], wanted: readonly string[]): boolean {
  return cached.length === wanted.length && wanted.every((key) => cached.includes(key));
}
