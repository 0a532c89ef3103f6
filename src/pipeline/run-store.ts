/**
 * Reading and writing run records, and ending a run: the final status, its history slot, the last manual /
 * scheduled sync summary, and the release of the one-run lock. Only the holder of a run's current stage lease
 * (or run control while no stage is active) writes a run record, so there is no lost update.
 */
import { z } from 'zod';

import type { PublicError } from '../domain/errors';
import type { PipelineDeps, RunDataDeps } from './deps';
import { keys } from './keys';
import { releaseLease } from './lease';
import { RETENTION_SECONDS } from './retention';
import {
  HISTORY_SIZE,
  type HistoryEntry,
  historyEntrySchema,
  type RunCounts,
  type RunState,
  runStateSchema,
  toHistoryEntry,
} from './run-state';

export async function loadRun(deps: Pick<PipelineDeps, 'store'>, runId: string): Promise<RunState | null> {
  const parsed = runStateSchema.safeParse(await deps.store.get(keys.run(runId)));
  return parsed.success ? parsed.data : null;
}

export async function saveRun(deps: RunDataDeps, run: RunState): Promise<void> {
  await deps.store.set(keys.run(run.runId), run, { ttlSeconds: deps.config.runDataTtlSeconds });
}

export const lastRunSchema = z.object({
  v: z.literal(1),
  entry: historyEntrySchema,
  /** For scheduled runs: when the last *successful* scheduled sync started (drives the due date). */
  lastSucceededAt: z.string().nullable(),
});
export type LastRun = z.infer<typeof lastRunSchema>;

export async function readLastRun(deps: Pick<PipelineDeps, 'store'>, trigger: 'manual' | 'scheduled'): Promise<LastRun | null> {
  const parsed = lastRunSchema.safeParse(await deps.store.get(keys.lastRun(trigger)));
  return parsed.success ? parsed.data : null;
}

export async function readHistory(deps: Pick<PipelineDeps, 'store'>): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (let slot = 0; slot < HISTORY_SIZE; slot++) {
    const parsed = historyEntrySchema.safeParse(await deps.store.get(keys.historySlot(slot)));
    if (parsed.success) entries.push(parsed.data);
  }
  return entries.sort((a, b) => b.number - a.number);
}

export async function writeHistory(deps: Pick<PipelineDeps, 'store'>, run: RunState): Promise<void> {
  await deps.store.set(keys.historySlot(run.number % HISTORY_SIZE), toHistoryEntry(run), { ttlSeconds: RETENTION_SECONDS.history });
}

/** Ends a run: terminal status, history, last-run summary, lock released. Safe to call twice. */
export async function finalizeRun(
  deps: RunDataDeps & Pick<PipelineDeps, 'clock' | 'logger'>,
  run: RunState,
  status: 'succeeded' | 'failed' | 'cancelled',
  details: { error?: PublicError | null; counts?: RunCounts | null } = {},
): Promise<RunState> {
  const now = new Date(deps.clock.now()).toISOString();
  const finished: RunState = {
    ...run,
    status,
    finishedAt: run.finishedAt ?? now,
    updatedAt: now,
    error: details.error === undefined ? run.error : details.error,
    counts: details.counts === undefined ? run.counts : details.counts,
  };
  await saveRun(deps, finished);
  await writeHistory(deps, finished);
  if (finished.mode === 'sync') {
    const previous = await readLastRun(deps, finished.trigger);
    const lastSucceededAt = status === 'succeeded' ? finished.startedAt : (previous?.lastSucceededAt ?? null);
    await deps.store.set(keys.lastRun(finished.trigger), { v: 1, entry: toHistoryEntry(finished), lastSucceededAt } satisfies LastRun, {
      ttlSeconds: RETENTION_SECONDS.history,
    });
  }
  await releaseLease(deps.store, keys.runLock(), finished.runId);
  deps.logger.info('run.finished', {
    runId: finished.runId,
    mode: finished.mode,
    trigger: finished.trigger,
    status,
    errorCode: finished.error?.code ?? null,
    creates: finished.counts?.creates,
    updates: finished.counts?.updates,
    inactivations: finished.counts?.inactivations,
    writeFailures: finished.counts?.writeFailures,
  });
  return finished;
}
