/**
 * Forge personal data reporting for the accountIds the app keeps in its own storage beyond a run's 14-day
 * expiry: who started each run in the history. Accounts Atlassian reports as closed are removed from it.
 * (Account ids inside per-run chunks and reports expire with the run data.)
 */
import type { PipelineDeps } from '../pipeline/deps';
import { readHistory } from '../pipeline/run-store';
import { keys } from '../pipeline/keys';
import { HISTORY_SIZE } from '../pipeline/run-state';

export interface PersonalDataReporter {
  /** Returns the accounts that are closed and whose data must be erased. */
  report(accounts: readonly { accountId: string; updatedAt: string }[]): Promise<readonly string[]>;
}

export async function reportStoredAccounts(deps: PipelineDeps & { readonly privacy?: PersonalDataReporter }): Promise<{ reported: number; erased: number }> {
  if (deps.privacy === undefined) return { reported: 0, erased: 0 };
  const history = await readHistory(deps);
  const latest = new Map<string, string>();
  for (const entry of history) {
    if (entry.startedBy === null) continue;
    const seen = latest.get(entry.startedBy);
    if (seen === undefined || seen < entry.startedAt) latest.set(entry.startedBy, entry.startedAt);
  }
  if (latest.size === 0) return { reported: 0, erased: 0 };
  const closed = new Set(await deps.privacy.report([...latest].map(([accountId, updatedAt]) => ({ accountId, updatedAt }))));
  let erased = 0;
  for (const entry of history) {
    if (entry.startedBy === null || !closed.has(entry.startedBy)) continue;
    await deps.store.set(keys.historySlot(entry.number % HISTORY_SIZE), { ...entry, startedBy: null });
    erased++;
  }
  deps.logger.info('privacy.reported', { reported: latest.size, closed: closed.size, erased });
  return { reported: latest.size, erased };
}
