/**
 * The run summary the sandbox prints for preview, sync and scheduled-tick (the contract in docs/sandbox.md):
 * {runId, mode, trigger, status, counts, error?}. Counts are zero before the plan stage has counted anything. A run
 * still queued or running when no queued work is left can never finish, so it is reported as failed.
 */
import type { RunCounts, RunView } from './app-client';

export type SummaryStatus = 'succeeded' | 'failed' | 'awaiting-confirmation' | 'cancelled' | 'skipped';

export interface RunSummary {
  readonly runId: string;
  /** preview, sync and scheduled-tick summarise preview and sync runs only; a run view may also be a single-user run. */
  readonly mode: RunView['mode'];
  readonly trigger: 'manual' | 'scheduled';
  readonly status: SummaryStatus;
  readonly counts: RunCounts;
  readonly error?: { readonly code: string; readonly message: string };
}

export const ZERO_COUNTS: RunCounts = {
  atlassianUsers: 0,
  matched: 0,
  unmatchedAtlassian: 0,
  creates: 0,
  updates: 0,
  inactivations: 0,
  unchanged: 0,
  missingManagerLinks: 0,
  warnings: 0,
  writeFailures: 0,
  outOfScope: 0,
  groupCreates: 0,
  groupUpdates: 0,
  groupInactivations: 0,
  membershipChanges: 0,
};

export function summaryOf(run: RunView): RunSummary {
  const known: readonly string[] = ['succeeded', 'failed', 'awaiting-confirmation', 'cancelled'];
  const finished = known.includes(run.status);
  const status = (finished ? run.status : 'failed') as SummaryStatus;
  const error =
    run.error ??
    (finished
      ? null
      : {
          code: 'RUN_STALE',
          message: `The run stopped during the ${run.stage ?? 'first'} stage with no queued work left, so it cannot finish. Start a new run.`,
        });
  return {
    runId: run.runId,
    mode: run.mode,
    trigger: run.trigger,
    status,
    counts: pickCounts(run.counts),
    ...(error === null ? {} : { error: { code: error.code, message: error.message } }),
  };
}

/** A run that could not even start (e.g. settings missing, another run active). */
export function notStartedSummary(
  mode: 'preview' | 'sync',
  trigger: 'manual' | 'scheduled',
  error: { code: string; message: string },
  status: SummaryStatus = 'failed',
): RunSummary {
  return { runId: '', mode, trigger, status, counts: ZERO_COUNTS, error: { code: error.code, message: error.message } };
}

function pickCounts(counts: RunCounts | null): RunCounts {
  if (counts === null) return ZERO_COUNTS;
  return {
    atlassianUsers: counts.atlassianUsers,
    matched: counts.matched,
    unmatchedAtlassian: counts.unmatchedAtlassian,
    creates: counts.creates,
    updates: counts.updates,
    inactivations: counts.inactivations,
    unchanged: counts.unchanged,
    missingManagerLinks: counts.missingManagerLinks,
    warnings: counts.warnings,
    writeFailures: counts.writeFailures,
    outOfScope: counts.outOfScope,
    groupCreates: counts.groupCreates,
    groupUpdates: counts.groupUpdates,
    groupInactivations: counts.groupInactivations,
    membershipChanges: counts.membershipChanges,
  };
}

/** 0 when the command did what it was asked (awaiting confirmation and a skipped tick included). */
export function exitCodeOf(summary: RunSummary): number {
  return summary.status === 'failed' || summary.status === 'cancelled' ? 1 : 0;
}
