/**
 * Lookups by id over the planner's inputs, for the paths that need them now and then (report entries, reasons for
 * inactivation) rather than for every user.
 */
import type { AtlassianAccount } from './atlassian-account';
import type { MatchResult } from './email-match';
import { entraIdKey } from './entra-id';
import type { Directory, SyncInput } from './plan-types';

export function createDirectory(input: SyncInput, match: MatchResult): Directory {
  // Built on first use only: it serves a rare path (unclaimed objects), not the 100k-user loop.
  let accounts: Map<string, AtlassianAccount> | undefined;
  return {
    entraUser(id) {
      const index = match.entraIndexById.get(entraIdKey(id));
      return index === undefined ? undefined : match.entraUsers[index];
    },
    account(accountId) {
      if (accounts === undefined) {
        accounts = new Map();
        for (const account of input.accounts) if (!accounts.has(account.accountId)) accounts.set(account.accountId, account);
      }
      return accounts.get(accountId);
    },
  };
}
