/**
 * The sync rules in one pure function: from the Atlassian accounts, the Entra directory and the Employee objects in
 * Assets, decide every create, update, inactivation and deferred manager link, with the report an admin reads and
 * the safety check that stops a mass inactivation. docs/sync-rules.md states the rules; this is their only
 * implementation. Planning the result of applying a plan again gives an empty plan (tested with fast-check).
 */
import type { AtlassianAccount } from './atlassian-account';
import { blankToNull, desiredValues, diffValues, type CutAttribute } from './desired-values';
import { isInPopulation, matchAccounts, type MatchedPair } from './email-match';
import { entraIdKey } from './entra-id';
import type { EmployeeObject } from './employee';
import type { EntraUser } from './entra-user';
import { ObjectRole, indexEmployees } from './existing-objects';
import { walkChains } from './manager-order';
import { createDirectory, type Directory } from './plan-lookups';
import {
  describeChanges,
  managerName,
  nameFormerManagers,
  reportCutValues,
  reportCycles,
  reportInactivation,
  reportMatching,
  reportSafety,
  type PendingManagerName,
} from './plan-report';
import { MISSING_MANAGER_REASON_TEXT, createReportCollector, type MissingManagerReason, type RunReport, type SafetyCheck } from './report';
import type {
  CreateOperation,
  InactivationOperation,
  InactivationReason,
  ManagerLinkOperation,
  ManagerTarget,
  UpdateOperation,
} from './sync-operations';

export { compareObjectIds } from './existing-objects';

export interface SyncInput {
  readonly accounts: readonly AtlassianAccount[];
  readonly entraUsers: readonly EntraUser[];
  readonly employees: readonly EmployeeObject[];
}

export interface PlanOptions {
  /** Entries kept per report list (counts stay exact). */
  readonly listCap?: number;
}

export interface SyncPlan {
  /** Sorted by wave: write wave 0 first, then 1, ... */
  readonly creates: readonly CreateOperation[];
  readonly updates: readonly UpdateOperation[];
  readonly inactivations: readonly InactivationOperation[];
  /** Written after every create, update and inactivation. */
  readonly managerLinks: readonly ManagerLinkOperation[];
  readonly unchanged: number;
  readonly safety: SafetyCheck;
  readonly report: RunReport;
}

/** Below this many active objects a handful of leavers must not block a small team's sync. */
export const SAFETY_MIN_LIMIT = 5;
export const SAFETY_FRACTION_DIVISOR = 10;

export function safetyLimit(activeObjects: number): number {
  return Math.max(SAFETY_MIN_LIMIT, Math.floor(activeObjects / SAFETY_FRACTION_DIVISOR));
}

export function planSync(input: SyncInput, options: PlanOptions = {}): SyncPlan {
  const report = createReportCollector(options.listCap);
  const match = matchAccounts(input.accounts, input.entraUsers);
  const directory = createDirectory(input, match);
  reportMatching(match, report);

  const existing = indexEmployees(input.employees, match, report);
  const pairs = match.pairs;
  const pairCount = pairs.length;

  // Per pair, by index so that 100k pairs stay cheap: its existing object, and its manager's pair (-1: none).
  const pairOfUser = new Int32Array(match.entraUsers.length).fill(-1);
  for (let i = 0; i < pairCount; i++) pairOfUser[(pairs[i] as MatchedPair).entraIndex] = i;
  const objectOf: (EmployeeObject | null)[] = new Array<EmployeeObject | null>(pairCount);
  const managerOf = new Int32Array(pairCount).fill(-1);
  const claimed = new Uint8Array(input.employees.length);
  for (let i = 0; i < pairCount; i++) {
    const pair = pairs[i] as MatchedPair;
    const objectIndex = existing.objectOfUser[pair.entraIndex] as number;
    if (objectIndex === -1) {
      objectOf[i] = null;
    } else {
      objectOf[i] = input.employees[objectIndex] as EmployeeObject;
      claimed[objectIndex] = 1;
    }
    const managerId = blankToNull(pair.entraUser.managerId);
    if (managerId === null) continue;
    const managerIndex = match.entraIndexById.get(entraIdKey(managerId));
    const managerPair = managerIndex === undefined ? -1 : (pairOfUser[managerIndex] as number);
    managerOf[i] = managerPair;
    if (managerPair === -1) {
      const reason: MissingManagerReason = managerIndex === undefined ? 'manager-not-in-directory' : 'manager-not-matched';
      report.add('missingManagerLinks', () => ({
        entraUserId: pair.entraUser.id,
        fullName: blankToNull(pair.entraUser.displayName),
        managerEntraUserId: managerId,
        reason,
        reasonText: MISSING_MANAGER_REASON_TEXT[reason],
      }));
    }
  }

  reportCycles(walkChains(managerOf).cycles, pairs, report);

  // Creates wait for their manager's create; a create whose chain loops back to itself goes without the manager.
  const createNext = new Int32Array(pairCount).fill(-1);
  for (let i = 0; i < pairCount; i++) {
    const manager = managerOf[i] as number;
    if (objectOf[i] === null && manager !== -1 && objectOf[manager] === null) createNext[i] = manager;
  }
  const createOrder = walkChains(createNext);

  const creates: CreateOperation[] = [];
  const updates: UpdateOperation[] = [];
  const inactivations: InactivationOperation[] = [];
  const managerLinks: ManagerLinkOperation[] = [];
  let unchanged = 0;
  const cut: CutAttribute[] = [];
  const pendingNames: PendingManagerName[] = [];

  for (let i = 0; i < pairCount; i++) {
    const pair = pairs[i] as MatchedPair;
    const entraUser = pair.entraUser;
    const managerIndex = managerOf[i] as number;
    const managerPair = managerIndex === -1 ? null : (pairs[managerIndex] as MatchedPair);
    const manager: ManagerTarget | null =
      managerPair === null ? null : { entraUserId: managerPair.entraUser.id, objectId: objectOf[managerIndex]?.objectId ?? null };
    cut.length = 0;
    const values = desiredValues(
      { entraUser, accountId: pair.account.accountId, matchedEmail: pair.matchedEmail, manager, managerAccountId: managerPair?.account.accountId ?? null },
      cut,
    );
    const object = objectOf[i] ?? null;
    if (cut.length > 0) reportCutValues(cut, entraUser, object, report);

    if (object === null) {
      const deferManager = createOrder.onCycle[i] === 1 && manager !== null;
      creates.push({
        kind: 'create',
        entraUserId: entraUser.id,
        accountId: pair.account.accountId,
        values: deferManager ? { ...values, manager: null, managerAtlassianAccountId: null } : values,
        wave: createOrder.depth[i] as number,
      });
      if (deferManager) {
        managerLinks.push({
          kind: 'manager-link',
          entraUserId: entraUser.id,
          manager,
          managerAtlassianAccountId: values.managerAtlassianAccountId,
        });
      }
      report.add('creates', () => ({
        entraUserId: entraUser.id,
        accountId: pair.account.accountId,
        fullName: values.fullName,
        email: values.email,
        jobTitle: values.jobTitle,
        department: values.department,
        managerName: managerName(entraUser, directory),
      }));
      continue;
    }

    const changes = diffValues(object.values, values);
    if (changes === null) {
      unchanged++;
    } else if (object.values.active === true && !values.active) {
      inactivations.push({
        kind: 'inactivate',
        objectId: object.objectId,
        objectKey: object.objectKey,
        entraUserId: entraUser.id,
        reason: 'entra-user-disabled',
        changes,
      });
      reportInactivation(object, 'entra-user-disabled', report);
    } else {
      updates.push({
        kind: 'update',
        objectId: object.objectId,
        objectKey: object.objectKey,
        entraUserId: entraUser.id,
        accountId: pair.account.accountId,
        changes,
      });
      report.add('updates', () => ({
        objectKey: object.objectKey,
        objectId: object.objectId,
        fullName: values.fullName ?? blankToNull(object.values.fullName),
        accountId: pair.account.accountId,
        changes: describeChanges(object, changes, directory, pendingNames),
      }));
    }
  }

  const unclaimed = (object: EmployeeObject, reason: InactivationReason | null): void => {
    if (object.values.active !== true) return;
    const why = reason ?? unclaimedReason(object, directory);
    inactivations.push({
      kind: 'inactivate',
      objectId: object.objectId,
      objectKey: object.objectKey,
      entraUserId: blankToNull(object.values.entraUserId),
      reason: why,
      changes: { active: false },
    });
    reportInactivation(object, why, report);
  };
  for (let index = 0; index < input.employees.length; index++) {
    const role = existing.roles[index];
    const object = input.employees[index] as EmployeeObject;
    if (role === ObjectRole.Kept && claimed[index] === 0) unclaimed(object, null);
    else if (role === ObjectRole.Duplicate) unclaimed(object, 'duplicate-entra-user-id');
    else if (role === ObjectRole.WithoutEntraId) unclaimed(object, 'missing-entra-user-id');
  }

  nameFormerManagers(pendingNames, input.employees);
  creates.sort((a, b) => a.wave - b.wave);

  const limit = safetyLimit(existing.activeCount);
  const safety: SafetyCheck = {
    tripped: inactivations.length > limit,
    inactivations: inactivations.length,
    activeObjects: existing.activeCount,
    limit,
  };
  reportSafety(safety, report);

  return {
    creates,
    updates,
    inactivations,
    managerLinks,
    unchanged,
    safety,
    report: report.build({ atlassianUsers: match.populationSize, matched: pairCount, unchanged, safety }),
  };
}

/** Why an active object that no pair claims is inactivated, from what the inputs say about its user and account. */
function unclaimedReason(object: EmployeeObject, directory: Directory): InactivationReason {
  const entraId = blankToNull(object.values.entraUserId);
  const entraUser = entraId === null ? undefined : directory.entraUser(entraId);
  if (entraUser === undefined) return 'entra-user-missing';
  const accountId = blankToNull(object.values.atlassianAccountId) ?? blankToNull(object.values.jiraUser);
  const account = accountId === null ? undefined : directory.account(accountId);
  if (accountId !== null && account === undefined) return 'atlassian-account-missing';
  if (account !== undefined && !isInPopulation(account)) return 'atlassian-account-inactive';
  if (!entraUser.accountEnabled) return 'entra-user-disabled';
  return 'no-longer-matched';
}

