/**
 * Decides whether the daily scheduled trigger should start a sync. Forge's daily trigger fires at roughly, not
 * exactly, the same time each day, so "24 hours since the last sync" would skip a day whenever it fired a few
 * minutes early. Counting UTC calendar days instead makes each daily firing one day later, whatever its minute.
 */
import { AppError } from './errors';
import { INTERVAL_DAYS_MAX, INTERVAL_DAYS_MIN } from './settings';

const DAY_MS = 86_400_000;

export interface ScheduledSyncInput {
  readonly intervalDays: number;
  /** When the last scheduled sync started (ISO 8601); null when there has been none. */
  readonly lastScheduledSyncAt: string | null;
  readonly now: Date;
}

export interface ScheduledSyncStatus {
  readonly due: boolean;
  /** Start (00:00 UTC) of the first day a scheduled sync is due; `now` when one is due already and none ran. */
  readonly nextDueAt: string;
}

function utcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/**
 * Due when at least intervalDays UTC calendar days lie between the last scheduled sync and now; never synced is
 * due. A last-sync value that cannot be read counts as never synced, so a damaged record cannot stop the schedule.
 */
export function scheduledSyncStatus(input: ScheduledSyncInput): ScheduledSyncStatus {
  const { intervalDays, lastScheduledSyncAt, now } = input;
  if (!Number.isInteger(intervalDays) || intervalDays < INTERVAL_DAYS_MIN || intervalDays > INTERVAL_DAYS_MAX) {
    throw new AppError(
      'SETTINGS_INVALID',
      `Scheduled sync interval must be a whole number of days from ${INTERVAL_DAYS_MIN} to ${INTERVAL_DAYS_MAX}.`,
      { context: { intervalDays } },
    );
  }
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new AppError('INTERNAL', 'The current time is not a valid date.');
  const lastMs = lastScheduledSyncAt === null ? Number.NaN : Date.parse(lastScheduledSyncAt);
  if (Number.isNaN(lastMs)) return { due: true, nextDueAt: new Date(nowMs).toISOString() };

  const dueDay = utcDay(lastMs) + intervalDays;
  return { due: utcDay(nowMs) >= dueDay, nextDueAt: new Date(dueDay * DAY_MS).toISOString() };
}
