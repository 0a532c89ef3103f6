/**
 * The Employee planner: from the Atlassian accounts and the Entra directory (the desired side), the Employee objects
 * in Assets (the existing side) and the Employee object type's definition, every create, update, inactivation and
 * deferred manager link, with its report entries. Named phases, in order:
 *   match -> claim existing objects -> link managers -> order creates -> decide per pair -> inactivate the unclaimed.
 * docs/sync-rules.md states the rules; this is their only implementation. Per-pair work is by index over typed
 * arrays so that 100k users stay cheap.
 */
import type { AssetsObject } from './assets-object';
import { desiredValues, diffValues } from './desired-values';
import { isInPopulation, matchAccounts, type MatchedPair, type MatchResult } from './email-match';
import { entraIdKey } from './entra-id';
import type { EntraUser } from './entra-user';
import { type ExistingObjects, indexEmployees, ObjectRole } from './existing-objects';
import { type ChainWalk, walkChains } from './manager-order';
import { blankToNull, type PlannedValues, textOf } from './object-values';
import { createDirectory } from './plan-lookups';
import {
  describeChanges,
  labelOf,
  managerName,
  nameFormerManagers,
  type PendingManagerName,
  reportCutValues,
  reportCycles,
  reportInactivation,
  reportMatching,
  shownOnCreate,
} from './plan-report';
import type { Directory, GroupLinks, SyncInput, TypePlan } from './plan-types';
import { MEMBERSHIP_NAMES_MAX, MISSING_MANAGER_REASON_TEXT, type MissingManagerReason, type ReportCollector } from './report';
import type { ObjectTypeDefinition } from './schema-definition';
import { evaluateScope, type Scope, type ScopeEvaluation, type ScopeMembershipLookup } from './scope';
import type {
  CreateOperation,
  InactivationOperation,
  InactivationReason,
  ManagerLinkOperation,
  ManagerTarget,
  UpdateOperation,
} from './sync-operations';

/** The matched pairs with the index arrays the later phases share. */
interface Claimed {
  readonly match: MatchResult;
  readonly existing: ExistingObjects;
  /** Per pair: its existing object, null when it has none. */
  readonly objectOf: readonly (AssetsObject | null)[];
  /** Per object (input order): 1 when a pair claimed it. */
  readonly claimed: Uint8Array;
}

export function planEmployees(
  input: SyncInput,
  type: ObjectTypeDefinition,
  report: ReportCollector,
  scope: Scope | null = null,
  groups: GroupLinks | null = null,
  scopeMemberships: ScopeMembershipLookup | null = null,
): TypePlan & { readonly matched: number; readonly population: number; readonly scope: ScopeEvaluation } {
  const scoped = scopePhase(input, scope, scopeMemberships);
  const match = matchPhase(scoped, report);
  const directory = createDirectory(scoped.input, match);
  const claimed = claimPhase(type, input.employees, match, report);
  const managerOf = managerPhase(match, scoped.outOfScope, report);
  const createOrder = orderCreatesPhase(claimed.objectOf, managerOf);
  const decided = decidePhase(type, claimed, managerOf, createOrder, directory, report, groups);
  const inactivations = [...decided.inactivations, ...unclaimedPhase(type, input.employees, claimed, directory, scoped.outOfScope, report)];
  nameFormerManagers(type, decided.pendingNames, input.employees);
  decided.creates.sort((a, b) => a.wave - b.wave);
  return {
    creates: decided.creates,
    updates: decided.updates,
    inactivations,
    managerLinks: decided.managerLinks,
    unchanged: decided.unchanged,
    activeObjects: claimed.existing.activeCount,
    matched: match.pairs.length,
    population: match.populationSize,
    scope: scoped.evaluation,
  };
}

interface Scoped {
  /** The planner's input with only the users in scope: users out of scope are not matched. */
  readonly input: SyncInput;
  /** The users read but out of scope, by entraIdKey: their objects are inactivated, as managers they are missing links. */
  readonly outOfScope: ReadonlyMap<string, EntraUser>;
  readonly evaluation: ScopeEvaluation;
}

/** Phase 0: the sync scope over every user read (the cached directory, so full and delta reads agree). */
function scopePhase(input: SyncInput, scope: Scope | null, memberships: ScopeMembershipLookup | null): Scoped {
  const evaluation = evaluateScope(scope, input.entraUsers, memberships);
  if (evaluation.outOfScope === 0) return { input, outOfScope: new Map(), evaluation };
  const inScope: EntraUser[] = [];
  const outOfScope = new Map<string, EntraUser>();
  for (let i = 0; i < input.entraUsers.length; i++) {
    const user = input.entraUsers[i] as EntraUser;
    if (evaluation.inScope[i] === 1) inScope.push(user);
    else outOfScope.set(entraIdKey(user.id), user);
  }
  return { input: { ...input, entraUsers: inScope }, outOfScope, evaluation };
}

/**
 * Phase 1: pair Atlassian accounts with the Entra users in scope by email (email-match.ts), and report who stays
 * unmatched; an account whose email belongs only to users out of scope is listed with that reason.
 */
function matchPhase({ input, outOfScope }: Scoped, report: ReportCollector): MatchResult {
  const match = matchAccounts(input.accounts, input.entraUsers);
  let outside: ReadonlySet<string> = new Set();
  if (outOfScope.size > 0) {
    const noMatch = match.unmatched.filter((entry) => entry.reason === 'no-entra-match').map((entry) => entry.account);
    if (noMatch.length > 0) {
      const elsewhere = matchAccounts(noMatch, [...outOfScope.values()]);
      const nowhere = new Set(
        elsewhere.unmatched.filter((entry) => entry.reason === 'no-entra-match').map((entry) => entry.account.accountId),
      );
      outside = new Set(noMatch.map((account) => account.accountId).filter((id) => !nowhere.has(id)));
    }
  }
  reportMatching(match, report, outside);
  return match;
}

/** Phase 2: each pair's existing object (by Entra User ID; duplicates and objects without one are flagged). */
function claimPhase(type: ObjectTypeDefinition, employees: readonly AssetsObject[], match: MatchResult, report: ReportCollector): Claimed {
  const existing = indexEmployees(type, employees, match, report);
  const objectOf = new Array<AssetsObject | null>(match.pairs.length);
  const claimed = new Uint8Array(employees.length);
  for (let i = 0; i < match.pairs.length; i++) {
    const objectIndex = existing.objectOfUser[(match.pairs[i] as MatchedPair).entraIndex] as number;
    if (objectIndex === -1) {
      objectOf[i] = null;
    } else {
      objectOf[i] = employees[objectIndex] as AssetsObject;
      claimed[objectIndex] = 1;
    }
  }
  return { match, existing, objectOf, claimed };
}

/** Phase 3: each pair's manager's pair (-1: none), reporting managers the directory or the matching lacks, and loops. */
function managerPhase(match: MatchResult, outOfScope: ReadonlyMap<string, EntraUser>, report: ReportCollector): Int32Array {
  const pairs = match.pairs;
  const pairOfUser = new Int32Array(match.entraUsers.length).fill(-1);
  for (let i = 0; i < pairs.length; i++) pairOfUser[(pairs[i] as MatchedPair).entraIndex] = i;
  const managerOf = new Int32Array(pairs.length).fill(-1);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as MatchedPair;
    const managerId = blankToNull(pair.entraUser.managerId);
    if (managerId === null) continue;
    const managerIndex = match.entraIndexById.get(entraIdKey(managerId));
    const managerPair = managerIndex === undefined ? -1 : (pairOfUser[managerIndex] as number);
    managerOf[i] = managerPair;
    if (managerPair === -1) {
      const reason: MissingManagerReason =
        managerIndex !== undefined
          ? 'manager-not-matched'
          : outOfScope.has(entraIdKey(managerId))
            ? 'manager-out-of-scope'
            : 'manager-not-in-directory';
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
  return managerOf;
}

/** Phase 4: creates wait for their manager's create; a create whose chain loops back to itself goes without the manager. */
function orderCreatesPhase(objectOf: readonly (AssetsObject | null)[], managerOf: Int32Array): ChainWalk {
  const createNext = new Int32Array(objectOf.length).fill(-1);
  for (let i = 0; i < objectOf.length; i++) {
    const manager = managerOf[i] as number;
    if (objectOf[i] === null && manager !== -1 && objectOf[manager] === null) createNext[i] = manager;
  }
  return walkChains(createNext);
}

interface Decided {
  readonly creates: CreateOperation[];
  readonly updates: UpdateOperation[];
  readonly inactivations: InactivationOperation[];
  readonly managerLinks: ManagerLinkOperation[];
  readonly unchanged: number;
  readonly pendingNames: PendingManagerName[];
}

/** Phase 5: per pair, the desired values against its object: create, update, inactivate (disabled in Entra) or nothing. */
function decidePhase(
  type: ObjectTypeDefinition,
  { match, objectOf }: Claimed,
  managerOf: Int32Array,
  createOrder: ChainWalk,
  directory: Directory,
  report: ReportCollector,
  groups: GroupLinks | null,
): Decided {
  const out: Decided = { creates: [], updates: [], inactivations: [], managerLinks: [], unchanged: 0, pendingNames: [] };
  let unchanged = 0;
  const cut: string[] = [];
  const pairs = match.pairs;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as MatchedPair;
    const entraUser = pair.entraUser;
    const managerIndex = managerOf[i] as number;
    const managerPair = managerIndex === -1 ? null : (pairs[managerIndex] as MatchedPair);
    const manager: ManagerTarget | null =
      managerPair === null ? null : { entraUserId: managerPair.entraUser.id, objectId: objectOf[managerIndex]?.objectId ?? null };
    cut.length = 0;
    const values = desiredValues(
      type,
      {
        entraUser,
        account: pair.account,
        matchedEmail: pair.matchedEmail,
        manager,
        managerAccountId: managerPair?.account.accountId ?? null,
        groups: groups === null ? [] : groups.groupsOf(entraUser.id),
      },
      cut,
    );
    const object = objectOf[i] ?? null;
    if (cut.length > 0) reportCutValues(type, cut, entraUser, object, report);

    if (object === null) {
      const deferManager = createOrder.onCycle[i] === 1 && manager !== null;
      out.creates.push({
        kind: 'create',
        objectType: type.key,
        entraUserId: entraUser.id,
        accountId: pair.account.accountId,
        values: deferManager ? { ...values, manager: null, managerAtlassianAccountId: null } : values,
        wave: createOrder.depth[i] as number,
      });
      if (deferManager) {
        out.managerLinks.push({
          kind: 'manager-link',
          objectType: type.key,
          entraUserId: entraUser.id,
          manager,
          managerAtlassianAccountId: typeof values.managerAtlassianAccountId === 'string' ? values.managerAtlassianAccountId : null,
        });
      }
      report.add('creates', () => ({
        entraUserId: entraUser.id,
        accountId: pair.account.accountId,
        fullName: labelOf(type, values),
        attributes: shownOnCreate(type, values),
        managerName: managerName(entraUser, directory),
      }));
      report.add('scopeEntering', () => ({
        entraUserId: entraUser.id,
        fullName: labelOf(type, values),
        accountId: pair.account.accountId,
        action: 'create',
      }));
      if (groups !== null) reportMembership(type, null, values, values, groups, report);
      continue;
    }

    const changes = diffValues(type, object.values, values);
    if (changes !== null && groups !== null) reportMembership(type, object, values, changes, groups, report);
    if (changes === null) {
      unchanged++;
    } else if (object.values.active === true && values.active === false) {
      out.inactivations.push({
        kind: 'inactivate',
        objectType: type.key,
        objectId: object.objectId,
        objectKey: object.objectKey,
        entraUserId: entraUser.id,
        reason: 'entra-user-disabled',
        changes,
      });
      reportInactivation(type, object, 'entra-user-disabled', report);
    } else {
      if (object.values.active !== true && values.active === true) {
        report.add('scopeEntering', () => ({
          entraUserId: entraUser.id,
          fullName: labelOf(type, values) ?? labelOf(type, object.values),
          accountId: pair.account.accountId,
          action: 'reactivate',
        }));
      }
      out.updates.push({
        kind: 'update',
        objectType: type.key,
        objectId: object.objectId,
        objectKey: object.objectKey,
        entraUserId: entraUser.id,
        accountId: pair.account.accountId,
        changes,
      });
      report.add('updates', () => ({
        objectKey: object.objectKey,
        objectId: object.objectId,
        fullName: labelOf(type, values) ?? labelOf(type, object.values),
        accountId: pair.account.accountId,
        changes: describeChanges(type, object, changes, directory, out.pendingNames, groups),
      }));
    }
  }
  return { ...out, unchanged };
}

/**
 * Group sync: an Employee whose Groups this write changes (a create with groups, or a change of its list) goes on the
 * membership changes list with the groups it gains and loses, by name.
 */
function reportMembership(
  type: ObjectTypeDefinition,
  object: AssetsObject | null,
  values: PlannedValues,
  changes: PlannedValues,
  groups: GroupLinks,
  report: ReportCollector,
): void {
  const attribute = type.attributes.find((a) => a.kind.type === 'reference' && a.kind.many === true);
  if (attribute === undefined || !(attribute.key in changes)) return;
  const wanted = changes[attribute.key];
  const after = Array.isArray(wanted) ? wanted : [];
  const before = object !== null && Array.isArray(object.values[attribute.key]) ? (object.values[attribute.key] as string[]) : [];
  if (object === null && after.length === 0) return;
  report.add('membershipChanges', () => {
    const had = new Set(before);
    const keptObjects = new Set(after.flatMap((target) => (target.objectId === null ? [] : [target.objectId])));
    const gained = after
      .filter((target) => target.objectId === null || !had.has(target.objectId))
      .map((t) => groups.nameOfGroup(t.entraUserId));
    const lost = before.filter((objectId) => !keptObjects.has(objectId)).map((objectId) => groups.nameOfObject(objectId));
    const more = Math.max(0, gained.length - MEMBERSHIP_NAMES_MAX) + Math.max(0, lost.length - MEMBERSHIP_NAMES_MAX);
    return {
      entraUserId: typeof values.entraUserId === 'string' ? values.entraUserId : '',
      fullName: labelOf(type, values) ?? (object === null ? null : labelOf(type, object.values)),
      objectKey: object?.objectKey ?? null,
      gained: gained.sort().slice(0, MEMBERSHIP_NAMES_MAX),
      lost: lost.sort().slice(0, MEMBERSHIP_NAMES_MAX),
      more,
    };
  });
}

/** Phase 6: active objects no pair claims (their user left, or a duplicate, or no Entra User ID) are inactivated, never deleted. */
function unclaimedPhase(
  type: ObjectTypeDefinition,
  employees: readonly AssetsObject[],
  { existing, claimed }: Claimed,
  directory: Directory,
  outOfScope: ReadonlyMap<string, EntraUser>,
  report: ReportCollector,
): InactivationOperation[] {
  const inactivations: InactivationOperation[] = [];
  const inactivate = (object: AssetsObject, reason: InactivationReason | null): void => {
    if (object.values.active !== true) return;
    const why = reason ?? unclaimedReason(object, directory, outOfScope);
    if (why === 'out-of-scope') {
      report.add('scopeLeaving', () => ({
        objectKey: object.objectKey,
        objectId: object.objectId,
        fullName: labelOf(type, object.values),
        entraUserId: textOf(object.values.entraUserId),
      }));
    }
    inactivations.push({
      kind: 'inactivate',
      objectType: type.key,
      objectId: object.objectId,
      objectKey: object.objectKey,
      entraUserId: textOf(object.values.entraUserId),
      reason: why,
      changes: { active: false },
    });
    reportInactivation(type, object, why, report);
  };
  for (let index = 0; index < employees.length; index++) {
    const role = existing.roles[index];
    const object = employees[index] as AssetsObject;
    if (role === ObjectRole.Kept && claimed[index] === 0) inactivate(object, null);
    else if (role === ObjectRole.Duplicate) inactivate(object, 'duplicate-entra-user-id');
    else if (role === ObjectRole.WithoutEntraId) inactivate(object, 'missing-entra-user-id');
  }
  return inactivations;
}

/** Why an active object that no pair claims is inactivated, from what the inputs say about its user and account. */
function unclaimedReason(object: AssetsObject, directory: Directory, outOfScope: ReadonlyMap<string, EntraUser>): InactivationReason {
  const entraId = textOf(object.values.entraUserId);
  const outside = entraId === null ? undefined : outOfScope.get(entraIdKey(entraId));
  // Disabled says more than "out of scope" (and is what the app would say without a scope).
  if (outside !== undefined) return outside.accountEnabled ? 'out-of-scope' : 'entra-user-disabled';
  const entraUser = entraId === null ? undefined : directory.entraUser(entraId);
  if (entraUser === undefined) return 'entra-user-missing';
  const accountId = textOf(object.values.atlassianAccountId) ?? textOf(object.values.jiraUser);
  const account = accountId === null ? undefined : directory.account(accountId);
  if (accountId !== null && account === undefined) return 'atlassian-account-missing';
  if (account !== undefined && !isInPopulation(account)) return 'atlassian-account-inactive';
  if (!entraUser.accountEnabled) return 'entra-user-disabled';
  return 'no-longer-matched';
}
