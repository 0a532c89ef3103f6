/**
 * How the page writes dates, durations, counts and run vocabulary. Dates are shown in UTC with the zone named:
 * the schedule counts UTC days, and an admin comparing a run with the Forge logs sees the same time.
 */
import type { RunModeView, RunStatusView, RunTriggerView } from './views';

export function formatDateTime(iso: string | null): string {
  if (iso === null) return '-';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 10);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** "1 user", "2 users". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export type LozengeAppearance = 'default' | 'inprogress' | 'moved' | 'new' | 'removed' | 'success';

export const STATUS_LABELS: Readonly<Record<RunStatusView, { text: string; appearance: LozengeAppearance }>> = {
  queued: { text: 'Queued', appearance: 'new' },
  running: { text: 'Running', appearance: 'inprogress' },
  'awaiting-confirmation': { text: 'Awaiting confirmation', appearance: 'moved' },
  succeeded: { text: 'Succeeded', appearance: 'success' },
  failed: { text: 'Failed', appearance: 'removed' },
  cancelled: { text: 'Cancelled', appearance: 'default' },
};

export const MODE_LABELS: Readonly<Record<RunModeView, string>> = { preview: 'Preview', sync: 'Sync', 'single-user': 'Single user' };
export const TRIGGER_LABELS: Readonly<Record<RunTriggerView, string>> = { manual: 'Manual', scheduled: 'Scheduled' };

/** A run the page polls for: it moves on its own. One awaiting confirmation waits for an admin. */
export function isMoving(status: RunStatusView): boolean {
  return status === 'queued' || status === 'running';
}

/** Why the run buttons are disabled while `run` holds the one-run lock. */
export function activeRunReason(run: { number: number; mode: RunModeView; trigger: RunTriggerView; status: RunStatusView }): string {
  const what = `${run.trigger === 'scheduled' ? 'A scheduled' : 'A manual'} ${run.mode === 'preview' ? 'preview' : 'sync'} (run #${run.number})`;
  if (run.status === 'awaiting-confirmation') return `${what} is waiting for confirmation on the Sync tab. Confirm or cancel it first.`;
  return `${what} is ${run.status === 'queued' ? 'queued' : 'running'}. Only one run at a time: wait for it to finish or cancel it on the Sync tab.`;
}

/** The run's seven stages, in order, as the progress display names them (groups: completes at once when group sync is off). */
export const STAGES: readonly { readonly name: string; readonly label: string }[] = [
  { name: 'entraDirectory', label: 'Reading Entra ID' },
  { name: 'entraGroups', label: 'Reading Entra groups' },
  { name: 'atlassianUsers', label: 'Reading Atlassian accounts' },
  { name: 'assetsSnapshot', label: 'Reading Assets' },
  { name: 'plan', label: 'Planning changes' },
  { name: 'writeAssets', label: 'Writing to Assets' },
  { name: 'finish', label: 'Finishing' },
];
