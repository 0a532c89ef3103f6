/**
 * Starting, cancelling and confirming runs, and noticing dead ones. Called by the admin page's resolvers and the
 * scheduled trigger. One run at a time per installation: the run lock is a lease held by the run id, renewed as the
 * run makes progress, so a run that died cannot block the app forever.
 */
import { AppError } from '../domain/errors';
import { GROUP_SYNC_OFF } from '../domain/group-sync';
import type { PipelineDeps } from './deps';
import { keys } from './keys';
import { acquireLease, readLease, releaseLease, renewLease } from './lease';
import { FIRST_STAGE, queueFor } from './messages';
import { isTerminal, RUN_STATE_VERSION, type RunMode, type RunState, type RunTrigger } from './run-state';
import { finalizeRun, loadRun, saveRun } from './run-store';
import { readStoredSettings } from './settings-store';

/** Lock holders of the Create Schema job start with this (src/services/schema-job.ts). */
export const SCHEMA_JOB_HOLDER_PREFIX = 'schema-job-';

export interface StartRunInput {
  readonly mode: RunMode;
  readonly trigger: RunTrigger;
  readonly startedBy: string | null;
}

/**
 * Takes the one-run lock for a new run id and numbers the run; RUN_ALREADY_ACTIVE (saying what holds the lock)
 * when a run or the Create Schema job holds it.
 */
async function lockNewRun(deps: PipelineDeps): Promise<{ runId: string; number: number; now: number }> {
  await reapStaleRun(deps);
  const now = deps.clock.now();
  const runId = `${new Date(now)
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${deps
    .newId()
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 12)}`;
  const lock = await acquireLease(deps.store, keys.runLock(), runId, deps.config.staleRunMs, now);
  if (!lock.acquired) {
    // The Create Schema job holds the same lock (src/services/schema-job.ts) under a holder that is not a run id.
    const message = lock.holder.startsWith(SCHEMA_JOB_HOLDER_PREFIX)
      ? 'Create Schema is still running. Wait for it to finish on the Setup tab, then try again.'
      : describeActive(await loadRun(deps, lock.holder));
    throw new AppError('RUN_ALREADY_ACTIVE', message, { context: { activeRunId: lock.holder } });
  }

  const counter = await deps.store.get(keys.runCounter());
  const number = (typeof counter === 'number' && Number.isInteger(counter) ? counter : 0) + 1;
  await deps.store.set(keys.runCounter(), number);
  return { runId, number, now };
}

export async function startRun(deps: PipelineDeps, input: StartRunInput): Promise<RunState> {
  let run = await newRun(deps, {
    mode: input.mode,
    trigger: input.trigger,
    startedBy: input.startedBy,
    status: 'queued',
    stage: FIRST_STAGE,
    progress: { processed: 0, total: null, label: 'Waiting to start' },
  });
  const { runId, number } = run;
  await saveRun(deps, run);
  try {
    await deps.queue.push(queueFor(FIRST_STAGE), { v: 1, runId, stage: FIRST_STAGE, seq: 0 });
  } catch (cause) {
    const error = new AppError('QUEUE_PUSH_FAILED', 'The run could not be queued. Try again in a minute.', {
      context: { runId },
      cause,
      retry: 'now',
    });
    await finalizeRun(deps, run, 'failed', { error: error.toPublic() });
    throw error;
  }
  run = { ...run, pushes: 1 };
  await saveRun(deps, run);
  deps.logger.info('run.started', { runId, mode: input.mode, trigger: input.trigger, number });
  return run;
}

/**
 * Starts a single-user run (src/services/single-user-sync.ts): the run lock is taken (so no full run starts while
 * it writes, and it refuses while one holds the lock) and the run is recorded as running, with the settings fixed
 * on it like a full run's. The caller ends it with finalizeRun, which writes History and releases the lock.
 */
export async function startSingleUserRun(deps: PipelineDeps, input: { readonly startedBy: string | null }): Promise<RunState> {
  const run = await newRun(deps, {
    mode: 'single-user',
    trigger: 'manual',
    startedBy: input.startedBy,
    status: 'running',
    stage: null,
    progress: { processed: 0, total: 1, label: 'Syncing one user' },
  });
  await saveRun(deps, run);
  deps.logger.info('run.started', { runId: run.runId, mode: run.mode, trigger: run.trigger, number: run.number });
  return run;
}

/**
 * A new run record under the run lock (lockNewRun), with the settings fixed on it (attributes, scope, groups) so
 * every stage of the run works from the same ones.
 */
async function newRun(
  deps: PipelineDeps,
  start: Pick<RunState, 'mode' | 'trigger' | 'startedBy' | 'status' | 'stage' | 'progress'>,
): Promise<RunState> {
  const { runId, number, now } = await lockNewRun(deps);
  const iso = new Date(now).toISOString();
  const settings = await readStoredSettings(deps.store);
  return {
    v: RUN_STATE_VERSION,
    runId,
    number,
    ...start,
    startedAt: iso,
    updatedAt: iso,
    finishedAt: null,
    counts: null,
    error: null,
    pushes: 0,
    retries: { later: 0, now: 0 },
    parked: null,
    attributes: settings?.attributes ?? [],
    extensions: settings?.extensions ?? [],
    scope: settings?.scope ?? null,
    groups: settings?.groups ?? GROUP_SYNC_OFF,
    groupMembership: settings?.groupMembership ?? 'direct',
    safety: null,
  };
}

function describeActive(active: RunState | null): string {
  if (active === null) return 'Another run is starting. Wait a moment and try again.';
  const mode = active.mode === 'single-user' ? 'single-user sync' : active.mode;
  const what = `${active.trigger === 'scheduled' ? 'A scheduled' : 'A manual'} ${mode} (run #${active.number}, started ${active.startedAt})`;
  if (active.status === 'awaiting-confirmation') return `${what} is waiting for confirmation. Confirm or cancel it on the Sync tab first.`;
  return `${what} is already in progress. Wait for it to finish or cancel it.`;
}

/** Asks a run to stop at its next chunk boundary; a run waiting for confirmation is cancelled at once. */
export async function cancelRun(deps: PipelineDeps, runId: string): Promise<RunState> {
  const run = await requireRun(deps, runId);
  if (isTerminal(run.status))
    throw new AppError(
      'RUN_INVALID_STATE',
      `Run #${run.number} has already ${run.status === 'cancelled' ? 'been cancelled' : 'finished'}.`,
      { context: { runId } },
    );
  await deps.store.set(
    keys.runCancel(runId),
    { at: new Date(deps.clock.now()).toISOString() },
    { ttlSeconds: deps.config.runDataTtlSeconds },
  );
  if (run.status === 'awaiting-confirmation') return finalizeRun(deps, run, 'cancelled', { error: null });
  deps.logger.info('run.cancel-requested', { runId });
  return run;
}

/** Applies a plan that tripped the safety threshold, exactly as planned. */
export async function confirmRun(deps: PipelineDeps, runId: string): Promise<RunState> {
  const run = await requireRun(deps, runId);
  if (run.status !== 'awaiting-confirmation') {
    throw new AppError('RUN_INVALID_STATE', `Run #${run.number} is not waiting for confirmation (it is ${run.status}).`, {
      context: { runId },
    });
  }
  const iso = new Date(deps.clock.now()).toISOString();
  const resumed: RunState = { ...run, status: 'running', stage: 'writeAssets', updatedAt: iso, pushes: run.pushes + 1 };
  await saveRun(deps, resumed);
  await renewLease(deps.store, keys.runLock(), runId, deps.config.staleRunMs, deps.clock.now());
  await deps.queue.push(queueFor('writeAssets'), { v: 1, runId, stage: 'writeAssets', seq: 0 });
  deps.logger.info('run.confirmed', { runId, inactivations: run.safety?.inactivations ?? null });
  return resumed;
}

/**
 * Starts a new chain for a run that parked near Forge's push limit. Called from originating invocations only
 * (resolvers, scheduled triggers), whose pushes begin a fresh chain.
 */
export async function reseedParkedRun(deps: PipelineDeps): Promise<RunState | null> {
  const lock = await readLease(deps.store, keys.runLock());
  if (lock === null) return null;
  const run = await loadRun(deps, lock.holder);
  if (run === null || run.parked === null || isTerminal(run.status)) return null;
  const { stage, seq } = run.parked;
  await deps.queue.push(queueFor(stage), { v: 1, runId: run.runId, stage, seq });
  const reseeded: RunState = { ...run, parked: null, pushes: 1, updatedAt: new Date(deps.clock.now()).toISOString() };
  await saveRun(deps, reseeded);
  deps.logger.info('run.reseeded', { runId: run.runId, stage, seq });
  return reseeded;
}

/** The run holding the lock, if any (after reaping a stale one). */
export async function activeRun(deps: PipelineDeps): Promise<RunState | null> {
  await reapStaleRun(deps);
  await reseedParkedRun(deps);
  const lock = await readLease(deps.store, keys.runLock());
  if (lock === null) return null;
  const run = await loadRun(deps, lock.holder);
  return run !== null && !isTerminal(run.status) ? run : null;
}

/**
 * A run that made no progress for longer than any stage could take is marked failed (its checkpoints stay for
 * support, a new run starts clean); one left waiting for confirmation too long is cancelled.
 */
export async function reapStaleRun(deps: PipelineDeps): Promise<RunState | null> {
  const lock = await readLease(deps.store, keys.runLock());
  if (lock === null) return null;
  const run = await loadRun(deps, lock.holder);
  const now = deps.clock.now();
  if (run === null || isTerminal(run.status)) {
    if (lock.expiresAt <= now || run !== null) await releaseLease(deps.store, keys.runLock(), lock.holder);
    return null;
  }
  const idleMs = now - Date.parse(run.updatedAt);
  if (run.status === 'awaiting-confirmation') {
    if (idleMs <= deps.config.confirmationWindowMs) return null;
    deps.logger.warn('run.confirmation-expired', { runId: run.runId });
    return finalizeRun(deps, run, 'cancelled', {
      error: {
        code: 'RUN_STALE',
        message: 'Nobody confirmed the inactivations within 7 days, so the run was cancelled. Run a new sync to plan again.',
      },
    });
  }
  if (idleMs <= deps.config.staleRunMs) return null;
  deps.logger.warn('run.stale', { runId: run.runId, idleMinutes: Math.round(idleMs / 60_000), stage: run.stage });
  return finalizeRun(deps, run, 'failed', {
    error: {
      code: 'RUN_STALE',
      message: `The run stopped making progress during the ${run.stage ?? 'first'} stage and was marked failed. Start a new run; if this repeats, see Troubleshooting.`,
    },
  });
}

async function requireRun(deps: PipelineDeps, runId: string): Promise<RunState> {
  const run = await loadRun(deps, runId);
  if (run === null)
    throw new AppError('RUN_NOT_FOUND', 'That run no longer exists (run details expire after 14 days).', { context: { runId } });
  return run;
}
