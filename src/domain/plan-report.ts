/**
 * How the planner tells the admin what it decided: report entries and warnings, with names and readable values.
 * Kept apart from the rules (plan-sync.ts) so that the rules read as rules.
 */
import { blankToNull, type CutAttribute } from './desired-values';
import type { MatchedPair, MatchResult } from './email-match';
import { EMPLOYEE_ATTRIBUTE_KEYS, type EmployeeObject } from './employee';
import type { EntraUser } from './entra-user';
import type { Directory } from './plan-lookups';
import {
  INACTIVATION_REASON_TEXT,
  UNMATCHED_REASON_TEXT,
  attributeLabel,
  makeWarning,
  type AttributeChange,
  type ReportCollector,
  type SafetyCheck,
} from './report';
import type { InactivationReason, PlannedChanges } from './sync-operations';

export function describeUser(user: EntraUser): string {
  return `${blankToNull(user.displayName) ?? 'An unnamed user'} (Entra user ${user.id})`;
}

export function describeObject(object: EmployeeObject): string {
  return `${blankToNull(object.values.fullName) ?? 'An unnamed Employee object'} (${blankToNull(object.objectKey) ?? object.objectId})`;
}

const CUT_LABEL: Readonly<Record<CutAttribute, string>> = {
  fullName: attributeLabel('fullName'),
  email: attributeLabel('email'),
  jobTitle: attributeLabel('jobTitle'),
  department: attributeLabel('department'),
  atlassianAccountId: attributeLabel('atlassianAccountId'),
  managerAtlassianAccountId: attributeLabel('managerAtlassianAccountId'),
};

export function reportCutValues(cut: readonly CutAttribute[], entraUser: EntraUser, object: EmployeeObject | null, report: ReportCollector): void {
  for (const attribute of cut) {
    report.add('warnings', () =>
      makeWarning(
        'value-truncated',
        `${CUT_LABEL[attribute]} of ${describeUser(entraUser)} is longer than the 255 characters Assets allows; ` +
          'the first 255 are written.',
        object === null ? [entraUser.id] : [entraUser.id, object.objectId],
      ),
    );
  }
}

export function reportMatching({ unmatched, duplicateMatches }: MatchResult, report: ReportCollector): void {
  for (const entry of unmatched) {
    const { account, reason } = entry;
    report.add('unmatchedAtlassian', () => ({
      accountId: account.accountId,
      email: blankToNull(account.email)?.trim() ?? null,
      reason,
      reasonText: UNMATCHED_REASON_TEXT[reason],
    }));
    if (reason === 'no-email') {
      report.add('warnings', () =>
        makeWarning(
          'atlassian-email-missing',
          `Atlassian account ${account.accountId} has no email the app can read, so it cannot be matched to an Entra ID user.`,
          [account.accountId],
        ),
      );
    } else if (reason === 'ambiguous') {
      report.add('warnings', () =>
        makeWarning(
          'ambiguous-email-match',
          `The email of Atlassian account ${account.accountId} belongs to ${entry.entraUserIds.length} Entra ID users ` +
            '(at the same matching level), so it was not matched. Make the address unique in Entra ID.',
          [account.accountId, ...entry.entraUserIds],
        ),
      );
    }
  }
  for (const duplicate of duplicateMatches) {
    const accountIds = duplicate.accounts.map((account) => account.accountId);
    report.add('warnings', () =>
      makeWarning(
        'duplicate-match',
        `${accountIds.length} Atlassian accounts (${accountIds.join(', ')}) match ${describeUser(duplicate.entraUser)}, ` +
          'so none of them was linked. Remove the extra address from Entra ID or deactivate the extra accounts.',
        [duplicate.entraUser.id, ...accountIds],
      ),
    );
  }
}

export function reportCycles(cycles: readonly (readonly number[])[], pairs: readonly MatchedPair[], report: ReportCollector): void {
  for (const cycle of cycles) {
    const users = cycle.map((index) => (pairs[index] as MatchedPair).entraUser);
    const shown = users.slice(0, 3).map(describeUser).join(' -> ');
    const more = users.length > 3 ? ` and ${users.length - 3} more` : '';
    report.add('warnings', () =>
      makeWarning(
        'manager-cycle',
        `The managers in Entra ID form a loop of ${users.length} user${users.length === 1 ? '' : 's'}: ${shown}${more} ` +
          'each report (directly or not) to themselves. The links are written as Entra ID has them; fix the manager chain in Entra ID.',
        users.map((user) => user.id),
      ),
    );
  }
}

export function reportInactivation(object: EmployeeObject, reason: InactivationReason, report: ReportCollector): void {
  report.add('inactivations', () => ({
    objectKey: object.objectKey,
    objectId: object.objectId,
    fullName: blankToNull(object.values.fullName),
    entraUserId: blankToNull(object.values.entraUserId),
    reason,
    reasonText: INACTIVATION_REASON_TEXT[reason],
  }));
}

export function reportSafety(safety: SafetyCheck, report: ReportCollector): void {
  if (!safety.tripped) return;
  report.add(
    'warnings',
    () =>
      makeWarning(
        'safety-threshold-exceeded',
        `This sync would set Active = false on ${safety.inactivations} of ${safety.activeObjects} active Employee objects, ` +
          `more than the ${safety.limit} the app changes without confirmation. The app writes nothing until an admin ` +
          'confirms: check the inactivations below first (a missing permission or a changed Entra filter can cause this).',
      ),
    'first',
  );
}

export function managerName(user: EntraUser, directory: Directory): string | null {
  const managerId = blankToNull(user.managerId);
  if (managerId === null) return null;
  return blankToNull(directory.entraUser(managerId)?.displayName);
}

/** Changes are listed in the schema's attribute order. */
const CHANGE_ORDER = EMPLOYEE_ATTRIBUTE_KEYS;

/** A report change whose `from` is a manager object id, to be replaced by that object's name. */
export interface PendingManagerName {
  readonly change: AttributeChange;
  readonly objectId: string;
}

export function describeChanges(
  object: EmployeeObject,
  changes: PlannedChanges,
  directory: Directory,
  pendingNames: PendingManagerName[],
): AttributeChange[] {
  const described: AttributeChange[] = [];
  for (const key of CHANGE_ORDER) {
    if (!(key in changes)) continue;
    if (key === 'active') {
      described.push({ attribute: attributeLabel(key), from: booleanText(object.values.active), to: booleanText(changes.active ?? null) });
    } else if (key === 'manager') {
      const fromId = blankToNull(object.values.managerObjectId);
      const target = changes.manager ?? null;
      const toUser = target === null ? undefined : directory.entraUser(target.entraUserId);
      const change: AttributeChange = {
        attribute: attributeLabel(key),
        from: fromId,
        to: target === null ? null : (blankToNull(toUser?.displayName) ?? target.entraUserId),
      };
      if (fromId !== null) pendingNames.push({ change, objectId: fromId });
      described.push(change);
    } else {
      described.push({ attribute: attributeLabel(key), from: blankToNull(object.values[key]), to: changes[key] ?? null });
    }
  }
  return described;
}

/**
 * Replaces the former-manager object ids in report changes by those objects' names, in one pass over the objects:
 * an id -> object Map of the whole of Assets would cost more than the rest of the report.
 */
export function nameFormerManagers(pending: readonly PendingManagerName[], employees: readonly EmployeeObject[]): void {
  if (pending.length === 0) return;
  const wanted = new Map<string, string>(pending.map((entry) => [entry.objectId, entry.objectId]));
  for (const object of employees) {
    if (wanted.has(object.objectId)) wanted.set(object.objectId, blankToNull(object.values.fullName) ?? object.objectKey);
  }
  for (const entry of pending) entry.change.from = wanted.get(entry.objectId) ?? entry.objectId;
}

function booleanText(value: boolean | null): string | null {
  return value === null ? null : value ? 'true' : 'false';
}
