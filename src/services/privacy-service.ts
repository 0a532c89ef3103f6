/**
 * Forge personal data reporting for the Atlassian accountIds the app keeps in its own storage beyond a run's
 * 14-day expiry: who started each run (history and last-run summaries), the accounts named in the latest
 * preview and sync reports, and the actors and targets in the write-back audit trail (write-back.ts). Accounts Atlassian reports as closed are erased: their id is removed from history,
 * and a latest report that names them is deleted (it is a derived view; the next run makes a new one).
 * Account ids in per-run chunks and reports expire with the run data (14 days); a positive admin check
 * (`admin:<accountId>`, src/services/admin-check.ts) expires after 5 minutes: neither needs reporting.
 */
import type { RunReport } from '../domain/report';
import { isAccountStarter } from '../domain/run-starter';
import type { PipelineDeps } from '../pipeline/deps';
import { keys } from '../pipeline/keys';
import { readLatestReport } from '../pipeline/report-store';
import { RETENTION_SECONDS } from '../pipeline/retention';
import { HISTORY_SIZE } from '../pipeline/run-state';
import { readHistory, readLastRun } from '../pipeline/run-store';
import { AUDIT_KEEP, eraseAuditAccounts, readAudit } from './write-back';

export interface PersonalDataReporter {
  /** Reports the accounts; returns those that are closed and whose data must be erased. */
  report(accounts: readonly { accountId: string; updatedAt: string }[]): Promise<readonly string[]>;
}

function reportAccounts(report: RunReport): string[] {
  return [
    ...report.creates.items.map((e) => e.accountId),
    ...report.updates.items.map((e) => e.accountId),
    ...report.unmatchedAtlassian.items.map((e) => e.accountId),
  ];
}

export async function reportStoredAccounts(
  deps: PipelineDeps & { readonly privacy: PersonalDataReporter },
): Promise<{ reported: number; erased: number }> {
  const latest = new Map<string, string>();
  const note = (accountId: string | null, at: string) => {
    if (!isAccountStarter(accountId)) return;
    const seen = latest.get(accountId);
    if (seen === undefined || seen < at) latest.set(accountId, at);
  };

  const history = await readHistory(deps);
  for (const entry of history) note(entry.startedBy, entry.startedAt);
  const lastRuns = { manual: await readLastRun(deps, 'manual'), scheduled: await readLastRun(deps, 'scheduled') };
  for (const last of Object.values(lastRuns)) if (last !== null) note(last.entry.startedBy, last.entry.startedAt);
  const reports = { preview: await readLatestReport(deps, 'preview'), sync: await readLatestReport(deps, 'sync') };
  const reportRunStarted = new Map(history.map((h) => [h.runId, h.startedAt]));
  for (const stored of Object.values(reports)) {
    if (stored === null) continue;
    const at = reportRunStarted.get(stored.runId) ?? new Date(deps.clock.now()).toISOString();
    for (const accountId of reportAccounts(stored.report)) note(accountId, at);
  }
  const audit = await readAudit(deps.store, AUDIT_KEEP);
  for (const entry of audit) {
    note(entry.actor, entry.at);
    note(entry.target.accountId, entry.at);
  }
  if (latest.size === 0) return { reported: 0, erased: 0 };

  const closed = new Set(await deps.privacy.report([...latest].map(([accountId, updatedAt]) => ({ accountId, updatedAt }))));
  let erased = 0;
  for (const entry of history) {
    if (entry.startedBy === null || !closed.has(entry.startedBy)) continue;
    await deps.store.set(
      keys.historySlot(entry.number % HISTORY_SIZE),
      { ...entry, startedBy: null },
      { ttlSeconds: RETENTION_SECONDS.history },
    );
    erased++;
  }
  for (const [trigger, last] of Object.entries(lastRuns) as ['manual' | 'scheduled', (typeof lastRuns)['manual']][]) {
    if (last === null || last.entry.startedBy === null || !closed.has(last.entry.startedBy)) continue;
    await deps.store.set(
      keys.lastRun(trigger),
      { ...last, entry: { ...last.entry, startedBy: null } },
      { ttlSeconds: RETENTION_SECONDS.history },
    );
    erased++;
  }
  for (const [mode, stored] of Object.entries(reports) as ['preview' | 'sync', (typeof reports)['preview']][]) {
    if (stored === null || !reportAccounts(stored.report).some((id) => closed.has(id))) continue;
    await deps.store.delete(keys.latestReport(mode));
    erased++;
  }
  erased += await eraseAuditAccounts(deps.store, audit, closed);
  deps.logger.info('privacy.reported', { reported: latest.size, closed: closed.size, erased });
  return { reported: latest.size, erased };
}
