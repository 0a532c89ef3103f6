/**
 * The shapes the planner's modules share (plan-sync.ts composes the per-type planners; plan-employees.ts is the
 * Employee planner; plan-report.ts words its report entries), kept here so that none of them imports another for a
 * type and the modules form no import circle.
 */
import type { AssetsObject } from './assets-object';
import type { AtlassianAccount } from './atlassian-account';
import type { EntraUser } from './entra-user';
import type { ReferenceTarget } from './object-values';
import type { GroupPlanInput } from './plan-groups';
import type { RunReport, SafetyCheck } from './report';
import type { Scope, ScopeMembershipLookup } from './scope';
import type { CreateOperation, InactivationOperation, ManagerLinkOperation, UpdateOperation } from './sync-operations';

export interface SyncInput {
  readonly accounts: readonly AtlassianAccount[];
  readonly entraUsers: readonly EntraUser[];
  /** The Employee objects in Assets. */
  readonly employees: readonly AssetsObject[];
  /** Group sync's inputs (the synced groups, their memberships, the Entra Group objects); absent while it is off. */
  readonly groups?: GroupPlanInput | null;
}

export interface PlanOptions {
  /** Entries kept per report list (counts stay exact). */
  readonly listCap?: number;
  /** Who is synced (scope.ts); null or absent: everyone read. */
  readonly scope?: Scope | null;
  /** Group memberships for the scope's membership rules (required when it has any: scopeGroupIds). */
  readonly scopeMemberships?: ScopeMembershipLookup | null;
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

/**
 * Group sync, as the Employee planner sees it (plan-groups.ts builds it): each user's Groups and the names the
 * report shows for groups.
 */
export interface GroupLinks {
  /** The Employee's Groups for a user: the targets of its synced groups (direct or transitive), sorted by Entra id. */
  groupsOf(entraUserId: string): readonly ReferenceTarget[];
  /** A synced group's name, by its Entra id. */
  nameOfGroup(entraGroupId: string): string;
  /** An Entra Group object's name, by its object id (the object id when the app does not know it). */
  nameOfObject(objectId: string): string;
}

/** Lookups over the inputs that the planner and its report need now and then (not for every user). */
export interface Directory {
  entraUser(id: string): EntraUser | undefined;
  account(accountId: string): AtlassianAccount | undefined;
}
