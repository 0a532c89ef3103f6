/**
 * Applies the difference between two generated worlds (mutateWorld's 1% churn) to a running simulation, the way
 * the directory would change between two syncs: changed and new Entra users are written, leavers are soft-deleted
 * (they sit in deleted items for 30 days), and new or changed Jira accounts are set on the site.
 */
import type { Simulation } from '../../fakes/simulation';
import type { World } from '../../fakes/world/types';

export interface AppliedChange {
  readonly entraUpserted: number;
  readonly entraRemoved: number;
  readonly jiraSet: number;
}

export function applyWorldChange(sim: Simulation, before: World, after: World): AppliedChange {
  const previous = new Map(before.entra.users.map((u) => [u.id, u]));
  const next = new Set(after.entra.users.map((u) => u.id));
  let entraUpserted = 0;
  let entraRemoved = 0;
  for (const user of after.entra.users) {
    const old = previous.get(user.id);
    if (old !== undefined && JSON.stringify(old) === JSON.stringify(user)) continue;
    sim.entra.upsertUser(user);
    entraUpserted++;
  }
  for (const user of before.entra.users) {
    if (next.has(user.id)) continue;
    sim.entra.softDeleteUser(user.id);
    entraRemoved++;
  }
  const accounts = new Map(before.jira.users.map((a) => [a.accountId, a]));
  let jiraSet = 0;
  for (const account of after.jira.users) {
    const old = accounts.get(account.accountId);
    if (old !== undefined && JSON.stringify(old) === JSON.stringify(account)) continue;
    sim.jira.setUser(account);
    jiraSet++;
  }
  return { entraUpserted, entraRemoved, jiraSet };
}
