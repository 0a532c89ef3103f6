/**
 * The shapes the planner's modules share (plan-sync.ts composes the per-type planners; plan-employees.ts is the
 * Employee planner; plan-report.ts words its report entries), kept here so that none of them imports another for a
 * type and the modules form no import circle.
 */
import type { AssetsObject } from './assets-object';
import type { AtlassianAccount } from './atlassian-account';
import type { EntraUser } from './entra-user';
import type { RunReport, SafetyCheck } from './report';
import type { Scope } from './scope';
import type { CreateOperation, InactivationOperation, ManagerLinkOperation, UpdateOperation } from './sync-operations';

export interface SyncInput {
  readonly accounts: readonly AtlassianAccount[];
  readonly entraUsers: readonly EntraUser[];
  /** The Employee objects in Assets. */
  readonly employees: readonly AssetsObject[];
}

export interface PlanOptions {
  /** Entries kept per report list (counts stay exact). */
  readonly listCap?: number;
  /** Who is synced (scope.ts); null or absent: everyone read. */
  readonly scope?: Scope | null;
}

/** What one object type's planner decides: its operations, how many objects it leaves as they are, and its base for the safety check. */
export interface TypePlan {
  /** Sorted by wave: write wave 0 first, then 1, ... */
  readonly creates: readonly CreateOperation[];
  readonly updates: readonly UpdateOperation[];
  readonly inactivations: readonly InactivationOperation[];
  /** Written after every create, update and inactivation. */
  readonly managerLinks: readonly ManagerLinkOperation[];
  readonly unchanged: number;
  /** Objects with Active = true before the run. */
  readonly activeObjects: number;
}

export interface SyncPlan extends TypePlan {
  readonly safety: SafetyCheck;
  readonly report: RunReport;
}

/** Lookups over the inputs that the planner and its report need now and then (not for every user). */
export interface Directory {
  entraUser(id: string): EntraUser | undefined;
  account(accountId: string): AtlassianAccount | undefined;
}
