/**
 * What an Employee object should hold for a matched pair, and which attributes of an existing object differ from
 * it. Values Assets cannot hold are cut here, and the comparison uses the cut value, so a resync of unchanged data
 * plans nothing even when Entra keeps sending a 300-character job title.
 */
import type { EmployeeValues } from './employee';
import type { EntraUser } from './entra-user';
import { ASSETS_TEXT_MAX_LENGTH } from './schema-definition';
import type { ManagerTarget, PlannedChanges, PlannedValues } from './sync-operations';

/** '' and whitespace-only mean "no value" on both sides. */
export function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.length === 0) return null;
  // A printable ASCII first character settles it without scanning (the usual case in 100k-user loops).
  const first = value.charCodeAt(0);
  if (first > 32 && first < 127) return value;
  return value.trim().length === 0 ? null : value;
}

/** Cuts to the Assets limit without splitting a surrogate pair (so the result is at most the limit either way). */
export function fitText(value: string, max = ASSETS_TEXT_MAX_LENGTH): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return value.slice(0, splitsPair ? max - 1 : max);
}

/** The text attributes that are cut to fit (Entra User ID is a GUID and is the anchor: never cut). */
export const CUT_ATTRIBUTES = ['fullName', 'email', 'jobTitle', 'department', 'atlassianAccountId', 'managerAtlassianAccountId'] as const;
export type CutAttribute = (typeof CUT_ATTRIBUTES)[number];

export interface DesiredValuesInput {
  readonly entraUser: EntraUser;
  readonly accountId: string;
  readonly matchedEmail: string;
  readonly manager: ManagerTarget | null;
  readonly managerAccountId: string | null;
}

/** Blank to null, then cut to fit, noting which attribute was cut. */
function fit(attribute: CutAttribute, value: string | null, cut: CutAttribute[]): string | null {
  const present = blankToNull(value);
  if (present === null || present.length <= ASSETS_TEXT_MAX_LENGTH) return present;
  cut.push(attribute);
  return fitText(present);
}

/**
 * The values for a pair. Attributes whose Entra value was longer than Assets allows are pushed onto `cut` (a list
 * the caller owns and empties, so the usual case of nothing cut allocates nothing).
 */
export function desiredValues(input: DesiredValuesInput, cut: CutAttribute[]): PlannedValues {
  const { entraUser } = input;
  return {
    fullName: fit('fullName', entraUser.displayName, cut),
    entraUserId: entraUser.id,
    email: fit('email', blankToNull(entraUser.mail) ?? input.matchedEmail, cut),
    jobTitle: fit('jobTitle', entraUser.jobTitle, cut),
    department: fit('department', entraUser.department, cut),
    atlassianAccountId: fit('atlassianAccountId', input.accountId, cut),
    jiraUser: input.accountId,
    active: entraUser.accountEnabled,
    manager: input.manager,
    managerAtlassianAccountId: fit('managerAtlassianAccountId', input.managerAccountId, cut),
  };
}

/**
 * The attributes of `existing` that differ from `desired`; null when none does. Written out attribute by attribute
 * (rather than looping over keys) because this runs once per matched user: 100k times in a large tenant.
 */
export function diffValues(existing: EmployeeValues, desired: PlannedValues): PlannedChanges | null {
  let changes: PlannedChanges | null = null;
  if (blankToNull(existing.fullName) !== desired.fullName) (changes ??= {}).fullName = desired.fullName;
  if (existing.entraUserId !== desired.entraUserId) (changes ??= {}).entraUserId = desired.entraUserId;
  if (blankToNull(existing.email) !== desired.email) (changes ??= {}).email = desired.email;
  if (blankToNull(existing.jobTitle) !== desired.jobTitle) (changes ??= {}).jobTitle = desired.jobTitle;
  if (blankToNull(existing.department) !== desired.department) (changes ??= {}).department = desired.department;
  if (blankToNull(existing.atlassianAccountId) !== desired.atlassianAccountId) (changes ??= {}).atlassianAccountId = desired.atlassianAccountId;
  if (blankToNull(existing.jiraUser) !== desired.jiraUser) (changes ??= {}).jiraUser = desired.jiraUser;
  if (existing.active !== desired.active) (changes ??= {}).active = desired.active;
  if (managerDiffers(blankToNull(existing.managerObjectId), desired.manager)) (changes ??= {}).manager = desired.manager;
  if (blankToNull(existing.managerAtlassianAccountId) !== desired.managerAtlassianAccountId) {
    (changes ??= {}).managerAtlassianAccountId = desired.managerAtlassianAccountId;
  }
  return changes;
}

/** A manager created in this run has no object id yet, so the reference must be written whatever is there now. */
function managerDiffers(existingObjectId: string | null, desired: ManagerTarget | null): boolean {
  if (desired === null) return existingObjectId !== null;
  return desired.objectId === null || desired.objectId !== existingObjectId;
}
