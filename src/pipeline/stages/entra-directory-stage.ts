/**
 * Stage 2: the Entra directory. The first run (and any run whose delta token is missing or expired) reads the
 * whole directory: one `$deltatoken=latest` call first (so changes made during the read replay next time), then
 * /users pages of 999 with the manager expanded. Later runs read only users/delta from the stored deltaLink and
 * merge the changes into the cached directory. Throttling is never slept away: the client hands back
 * "retry later", the step runner reschedules the event and the checkpoint resumes at the same page.
 */
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { applyDeltaChanges, deltaChangeSchema, type DeltaChange } from '../../domain/directory-delta';
import type { EntraUser } from '../../domain/entra-user';
import { readChunks, writeChunks } from '../chunked-store';
import { deleteGeneration, readDirectory, readDirectoryMeta, writeDirectoryChunks, type DirectoryMeta } from '../directory-cache';
import { keys } from '../keys';
import type { StageHandler, StepContext } from '../step-runner';
import { RETENTION_SECONDS } from '../retention';

const checkpointSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('full'), deltaLink: z.string().nullable(), nextLink: z.string().nullable(), started: z.boolean(), chunks: z.number().int(), users: z.number().int() }),
  z.object({ phase: z.literal('delta'), link: z.string(), changeChunks: z.number().int(), changes: z.number().int() }),
  z.object({ phase: z.literal('merge'), deltaLink: z.string(), changeChunks: z.number().int(), changes: z.number().int(), from: z.object({ generation: z.string(), chunks: z.number().int() }) }),
  z.object({ phase: z.literal('done'), mode: z.enum(['full', 'delta']), users: z.number().int(), changes: z.number().int() }),
]);
type Checkpoint = z.infer<typeof checkpointSchema>;

const startFull = (): Checkpoint => ({ phase: 'full', deltaLink: null, nextLink: null, started: false, chunks: 0, users: 0 });

export const createEntraDirectoryStage = (): StageHandler => async (ctx) => {
  const { deps, runId } = ctx;
  const saved = await ctx.readCheckpoint(checkpointSchema);
  let cp: Checkpoint;
  if (saved === undefined) {
    const meta = await readDirectoryMeta(deps.store);
    cp = meta?.deltaLink ? { phase: 'delta', link: meta.deltaLink, changeChunks: 0, changes: 0 } : startFull();
    await ctx.saveCheckpoint(cp);
  } else {
    cp = saved;
  }
  const { entra } = await deps.connect();

  while (cp.phase !== 'done') {
    if (ctx.shouldYield()) return { kind: 'continue' };
    switch (cp.phase) {
      case 'full': {
        if (cp.deltaLink === null) {
          cp = { ...cp, deltaLink: await entra.latestDeltaLink() };
          await ctx.saveCheckpoint(cp);
          continue;
        }
        if (cp.started && cp.nextLink === null) {
          cp = await switchGeneration(ctx, cp.deltaLink, cp.chunks, cp.users, 'full', 0);
          continue;
        }
        const page = await entra.listUsersPage(cp.nextLink);
        const written = await writeDirectoryChunks(deps.store, runId, page.users, cp.chunks);
        cp = { ...cp, started: true, nextLink: page.nextLink, chunks: cp.chunks + written, users: cp.users + page.users.length };
        await ctx.saveCheckpoint(cp);
        await ctx.progress(cp.users, null, 'Reading the Entra directory');
        continue;
      }
      case 'delta': {
        let page;
        try {
          page = await entra.deltaPage(cp.link);
        } catch (error) {
          if (error instanceof AppError && error.code === 'GRAPH_DELTA_EXPIRED') {
            deps.logger.info('stage.entra-directory.delta-expired', { runId });
            cp = startFull();
            await ctx.saveCheckpoint(cp);
            continue;
          }
          throw error;
        }
        const written = await writeChunks(deps.store, (i) => keys.chunk(runId, 'delta', i), page.changes, {
          firstIndex: cp.changeChunks,
          ttlSeconds: deps.config.runDataTtlSeconds,
        });
        const base = { changeChunks: cp.changeChunks + written, changes: cp.changes + page.changes.length };
        if (page.nextLink !== null) {
          cp = { phase: 'delta', link: page.nextLink, ...base };
        } else if (page.deltaLink !== null) {
          const meta = await readDirectoryMeta(deps.store);
          if (meta === null) {
            cp = startFull();
          } else {
            cp = { phase: 'merge', deltaLink: page.deltaLink, ...base, from: { generation: meta.generation, chunks: meta.chunks } };
          }
        } else {
          throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph returned a delta page with neither a next link nor a delta link.', { context: { runId }, retry: 'now' });
        }
        await ctx.saveCheckpoint(cp);
        await ctx.progress(cp.phase === 'delta' ? cp.changes : 0, null, 'Reading changes from Entra ID');
        continue;
      }
      case 'merge': {
        cp = await merge(ctx, cp);
        continue;
      }
    }
  }
  deps.logger.info('stage.entra-directory', { runId, mode: cp.mode, users: cp.users, changes: cp.changes });
  return { kind: 'complete' };
};

async function merge(ctx: StepContext, cp: Extract<Checkpoint, { phase: 'merge' }>): Promise<Checkpoint> {
  const { deps, runId } = ctx;
  const users = await readDirectory(deps.store, cp.from.generation, cp.from.chunks);
  const directory = new Map<string, EntraUser>(users.map((u) => [u.id, u]));
  const changes: DeltaChange[] = await readChunks(deps.store, (i) => keys.chunk(runId, 'delta', i), cp.changeChunks, deltaChangeSchema);
  const result = applyDeltaChanges(directory, changes);
  if (result.incomplete.length > 0) {
    const { entra } = await deps.connect();
    const fetched = await entra.getUsersByIds(result.incomplete);
    for (const user of fetched.users) directory.set(user.id, user);
    for (const id of fetched.notFound) directory.delete(id);
  }
  const merged = [...directory.values()];
  const chunks = await writeDirectoryChunks(deps.store, runId, merged);
  deps.logger.info('stage.entra-directory.merge', { runId, added: result.added, updated: result.updated, removed: result.removed, incomplete: result.incomplete.length });
  return switchGeneration(ctx, cp.deltaLink, chunks, merged.length, 'delta', cp.changes, cp.from);
}

async function switchGeneration(
  ctx: StepContext,
  deltaLink: string,
  chunks: number,
  users: number,
  mode: 'full' | 'delta',
  changes: number,
  from?: { generation: string; chunks: number },
): Promise<Checkpoint> {
  const { deps, runId } = ctx;
  const previous = from ?? (await readDirectoryMeta(deps.store));
  const now = new Date(deps.clock.now()).toISOString();
  const oldMeta = await readDirectoryMeta(deps.store);
  const meta: DirectoryMeta = {
    v: 1,
    generation: runId,
    chunks,
    users,
    deltaLink,
    fullReadAt: mode === 'full' ? now : (oldMeta?.fullReadAt ?? now),
    updatedAt: now,
  };
  await deps.store.set(keys.directoryMeta(), meta, { ttlSeconds: RETENTION_SECONDS.directory });
  const done: Checkpoint = { phase: 'done', mode, users, changes };
  await ctx.saveCheckpoint(done);
  if (previous !== null && previous.generation !== runId) await deleteGeneration(deps.store, previous.generation, previous.chunks);
  return done;
}
