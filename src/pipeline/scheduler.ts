/**
 * What the daily scheduled trigger does. It never throws (Forge does not retry a trigger): every outcome is a
 * result with a reason. A sync starts only when the configured interval has passed since the last successful
 * scheduled sync (a failed one is retried the next day), and at most once per UTC day even if Forge fires the
 * trigger twice (a FAIL_IF_EXISTS claim on the day).
 */
import { toAppError } from '../domain/errors';
import { scheduledSyncStatus } from '../domain/schedule';
import type { StoredSettings } from '../domain/settings';
import type { PipelineDeps } from './deps';
import { keys } from './keys';
import { reapStaleRun, reseedParkedRun, startRun } from './run-control';
import type { RunState } from './run-state';
import { readLastRun } from './run-store';

export type ScheduledTickResult =
  | { readonly started: true; readonly run: RunState }
  | {
      readonly started: false;
      readonly reason: 'not-configured' | 'not-due' | 'already-triggered-today' | 'run-active' | 'error';
      readonly detail: string;
    };

export async function runScheduledTick(deps: PipelineDeps, settings: StoredSettings | null): Promise<ScheduledTickResult> {
  try {
    await reapStaleRun(deps);
    await reseedParkedRun(deps);
    if (settings === null) return { started: false, reason: 'not-configured', detail: 'The Microsoft connection is not set up.' };
    const now = new Date(deps.clock.now());
    const last = await readLastRun(deps, 'scheduled');
    const status = scheduledSyncStatus({ intervalDays: settings.intervalDays, lastScheduledSyncAt: last?.lastSucceededAt ?? null, now });
    if (!status.due)
      return { started: false, reason: 'not-due', detail: `Next scheduled sync is due on ${status.nextDueAt.slice(0, 10)}.` };

    const day = now.toISOString().slice(0, 10);
    const claimed = await deps.store.setIfAbsent(keys.scheduleClaim(day), { at: now.toISOString() }, { ttlSeconds: 3 * 24 * 3600 });
    if (!claimed) return { started: false, reason: 'already-triggered-today', detail: `A scheduled sync was already started on ${day}.` };
    try {
      const run = await startRun(deps, { mode: 'sync', trigger: 'scheduled', startedBy: null });
      return { started: true, run };
    } catch (error) {
      const appError = toAppError(error);
      // Give the day back so tomorrow's (or a repeated) trigger can try again after a failure to start.
      await deps.store.delete(keys.scheduleClaim(day));
      const reason = appError.code === 'RUN_ALREADY_ACTIVE' ? 'run-active' : 'error';
      deps.logger.warn('schedule.not-started', { reason, code: appError.code });
      return { started: false, reason, detail: appError.message };
    }
  } catch (error) {
    const appError = toAppError(error);
    deps.logger.error('schedule.failed', { code: appError.code });
    return { started: false, reason: 'error', detail: appError.message };
  }
}

/** The hourly watchdog: marks stale runs failed and re-seeds a parked run. Never throws. */
export async function runWatchdog(deps: PipelineDeps): Promise<{ reaped: boolean; reseeded: boolean }> {
  try {
    const reaped = await reapStaleRun(deps);
    const reseeded = await reseedParkedRun(deps);
    return { reaped: reaped !== null, reseeded: reseeded !== null };
  } catch (error) {
    deps.logger.error('watchdog.failed', { code: toAppError(error).code });
    return { reaped: false, reseeded: false };
  }
}
