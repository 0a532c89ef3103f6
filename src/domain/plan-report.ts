/**
 * How the planner tells the admin what it decided: report entries and warnings, with names and readable values.
 * Kept apart from the rules (plan-sync.ts) so that the rules read as rules.
 */
import type { AssetsObject } from './assets-object';
import type { MatchedPair, MatchResult } from './email-match';
import type { EntraUser } from './entra-user';
import { blankToNull, isReferenceTarget, type ObjectValues, type PlannedValues, type StoredValue, textOf } from './object-values';
import type { Directory, GroupLinks } from './plan-types';
import {
  type AttributeChange,
  INACTIVATION_REASON_TEXT,
  makeWarning,
  type ReportCollector,
  type SafetyCheck,
  UNMATCHED_REASON_TEXT,
} from './report';
import type { ObjectTypeDefinition } from './schema-definition';
import type { InactivationReason } from './sync-operations';

export function describeUser(user: EntraUser): string {
  return `${blankToNull(user.displayName) ?? 'An unnamed user'} (Entra user ${user.id})`;
}

/** The object's label attribute value (its name in Assets), null when it has none. */
export function labelOf(type: ObjectTypeDefinition, values: ObjectValues | PlannedValues): string | null {
  const label = type.attributes.find((attribute) => attribute.label);
  const value = label === undefined ? null : values[label.key];
  return typeof value === 'string' ? blankToNull(value) : null;
}

export function describeObject(type: ObjectTypeDefinition, object: AssetsObject): string {
  return `${labelOf(type, object.values) ?? `An unnamed ${type.name} object`} (${blankToNull(object.objectKey) ?? object.objectId})`;
}

/** The admin-facing name of an attribute ("Job Title"). */
export function attributeName(type: ObjectTypeDefinition, key: string): string {
  return type.attributes.find((attribute) => attribute.key === key)?.name ?? key;
}

export function reportCutValues(
  type: ObjectTypeDefinition,
  cut: readonly string[],
  entraUser: EntraUser,
  object: AssetsObject | null,
  report: ReportCollector,
): void {
  for (const key of cut) {
    report.add('warnings', () =>
      makeWarning(
        'value-truncated',
        `${attributeName(type, key)} of ${describeUser(entraUser)} is longer than the 255 characters Assets allows; ` +
          'the first 255 are written.',
        object === null ? [entraUser.id] : [entraUser.id, object.objectId],
      ),
    );
  }
}

/** `outOfScope`: accounts whose email belongs only to users outside the sync scope (listed with that reason). */
export function reportMatching(
  { unmatched, duplicateMatches }: MatchResult,
  report: ReportCollector,
  outOfScope: ReadonlySet<string> = new Set(),
): void {
  for (const entry of unmatched) {
    const { account } = entry;
    const reason = entry.reason === 'no-entra-match' && outOfScope.has(account.accountId) ? 'out-of-scope' : entry.reason;
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

export function reportInactivation(
  type: ObjectTypeDefinition,
  object: AssetsObject,
  reason: InactivationReason,
  report: ReportCollector,
): void {
  report.add('inactivations', () => ({
    objectKey: object.objectKey,
    objectId: object.objectId,
    fullName: labelOf(type, object.values),
    entraUserId: textOf(object.values.entraUserId),
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

/** A report change whose `from` is a referenced object id, to be replaced by that object's name. */
export interface PendingManagerName {
  readonly change: AttributeChange;
  readonly objectId: string;
}

/** The values shown in the create list, in the definition's order. */
export function shownOnCreate(type: ObjectTypeDefinition, values: PlannedValues): { attribute: string; value: string | null }[] {
  const shown: { attribute: string; value: string | null }[] = [];
  for (const attribute of type.attributes) {
    if (attribute.showOnCreate) shown.push({ attribute: attribute.name, value: plannedText(values[attribute.key] ?? null) });
  }
  return shown;
}

/** Changes are listed in the schema's attribute order. */
export function describeChanges(
  type: ObjectTypeDefinition,
  object: AssetsObject,
  changes: PlannedValues,
  directory: Directory,
  pendingNames: PendingManagerName[],
  groups: GroupLinks | null = null,
): AttributeChange[] {
  const described: AttributeChange[] = [];
  for (const attribute of type.attributes) {
    const key = attribute.key;
    if (!(key in changes)) continue;
    const to = changes[key] ?? null;
    if (attribute.kind.type === 'reference' && attribute.kind.many === true) {
      // An Employee's Groups: the group names before and after (the membership changes list says who gains what).
      const before = Array.isArray(object.values[key]) ? (object.values[key] as string[]) : [];
      const after = Array.isArray(to) ? to : [];
      const names = (list: readonly string[]) => (list.length === 0 ? null : list.join(', '));
      described.push({
        attribute: attribute.name,
        from: names(before.map((objectId) => groups?.nameOfObject(objectId) ?? objectId).sort()),
        to: names(after.map((target) => groups?.nameOfGroup(target.entraUserId) ?? target.entraUserId).sort()),
      });
    } else if (attribute.kind.type === 'boolean') {
      described.push({ attribute: attribute.name, from: storedText(object.values[key]), to: plannedText(to) });
    } else if (attribute.kind.type === 'reference') {
      const fromId = textOf(object.values[key]);
      const target = isReferenceTarget(to) ? to : null;
      const toUser = target === null ? undefined : directory.entraUser(target.entraUserId);
      const change: AttributeChange = {
        attribute: attribute.name,
        from: fromId,
        to: target === null ? null : (blankToNull(toUser?.displayName) ?? target.entraUserId),
      };
      if (fromId !== null) pendingNames.push({ change, objectId: fromId });
      described.push(change);
    } else {
      described.push({ attribute: attribute.name, from: textOf(object.values[key]), to: plannedText(to) });
    }
  }
  return described;
}

/**
 * Replaces the former-manager object ids in report changes by those objects' names, in one pass over the objects:
 * an id -> object Map of the whole of Assets would cost more than the rest of the report.
 */
export function nameFormerManagers(
  type: ObjectTypeDefinition,
  pending: readonly PendingManagerName[],
  objects: readonly AssetsObject[],
): void {
  if (pending.length === 0) return;
  const wanted = new Map<string, string>(pending.map((entry) => [entry.objectId, entry.objectId]));
  for (const object of objects) {
    if (wanted.has(object.objectId)) wanted.set(object.objectId, labelOf(type, object.values) ?? object.objectKey);
  }
  for (const entry of pending) entry.change.from = wanted.get(entry.objectId) ?? entry.objectId;
}

function storedText(value: StoredValue | undefined): string | null {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return textOf(value);
}

function plannedText(value: PlannedValues[string]): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((target) => target.entraUserId).join(', ');
  return value.entraUserId;
}
