/**
 * The Setup tab's "Actions" section and the History tab's "Actions" panel without React (issue 17): the form's
 * values from the saved settings, the payload Save sends (the backend's writeBackSettingsSchema judges it, the page
 * shows its refusal), each switched-on capability's permission from the last Test connection, and the audit trail
 * as CSV.
 */
import {
  CAPABILITY_LABELS,
  leastPermission,
  permissionGranted,
  RATE_PER_MINUTE_DEFAULT,
  RATE_PER_MINUTE_MAX,
  RATE_PER_MINUTE_MIN,
  UPDATABLE_ATTRIBUTES,
  WRITE_BACK_CAPABILITIES,
  type WriteBackCapability,
} from '../domain/write-back';
import { formatDateTime } from './format';
import type { SettingsPayload } from './invoke';
import { parseGroupIdsText } from './settings-form-model';
import type { AuditEntryView, ConnectionCheckView, PublicSettingsView } from './views';

/** What each capability lets an Automation rule do, in the words of the Actions section. */
export const CAPABILITY_ACTIONS: Readonly<Record<WriteBackCapability, string>> = {
  accountStatus:
    'Lets Automation rules run "Disable Entra account" and "Enable Entra account": the person can no longer (or again) sign in to anything that uses Entra ID.',
  revokeSessions:
    'Lets Automation rules run "Revoke Entra sessions": every refresh token and session cookie of the person is invalidated, so every app asks them to sign in again.',
  updateAttributes:
    'Lets Automation rules run "Update Entra user": writes the attributes chosen below (only those) on the person in Entra ID.',
  groupMembership:
    'Lets Automation rules run "Add to Entra group" and "Remove from Entra group", only for the groups listed below. Group membership can grant access to apps and data.',
};

/** The attributes "Update Entra user" may write, as the checkboxes name them. */
export const ATTRIBUTE_LABELS: Readonly<Record<(typeof UPDATABLE_ATTRIBUTES)[number], string>> = {
  jobTitle: 'Job title',
  department: 'Department',
  officeLocation: 'Office',
  businessPhone: 'Business phone',
  mobilePhone: 'Mobile phone',
  employeeId: 'Employee ID',
  manager: 'Manager (must be a synced person)',
};

export interface WriteBackValues {
  readonly capabilities: readonly WriteBackCapability[];
  readonly attributes: readonly string[];
  /** As typed: one GUID per line or comma-separated. */
  readonly groupIds: string;
  readonly allowGuests: boolean;
  readonly exceptions: string;
  /** As typed (digits). */
  readonly ratePerMinute: string;
}

export function writeBackInitialValues(settings: PublicSettingsView | null): WriteBackValues {
  const saved = settings?.writeBack;
  return {
    capabilities: WRITE_BACK_CAPABILITIES.filter((c) => saved?.capabilities.includes(c) === true),
    attributes: saved?.attributes ?? [],
    groupIds: (saved?.groupIds ?? []).join('\n'),
    allowGuests: saved?.allowGuests ?? false,
    exceptions: (saved?.exceptions ?? []).join('\n'),
    ratePerMinute: String(saved?.ratePerMinute ?? RATE_PER_MINUTE_DEFAULT),
  };
}

/**
 * What Save sends: the stored connection values with the write-back choice. Not checked here: the backend's schema
 * (GUIDs, 1-30 a minute, attributes and groups for the switched-on capabilities) answers, and the page shows its
 * refusal. null while the rate is not a whole number (writeBackRateMessage says so below the field; nothing is sent).
 */
export function writeBackPayload(settings: PublicSettingsView, values: WriteBackValues): SettingsPayload | null {
  const rate = values.ratePerMinute.trim();
  if (writeBackRateMessage(values) !== null) return null;
  return {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    cloud: settings.cloud,
    intervalDays: settings.intervalDays,
    writeBack: {
      capabilities: [...values.capabilities],
      attributes: UPDATABLE_ATTRIBUTES.filter((a) => values.attributes.includes(a)),
      groupIds: parseGroupIdsText(values.groupIds),
      allowGuests: values.allowGuests,
      exceptions: parseGroupIdsText(values.exceptions),
      ratePerMinute: Number(rate),
    },
  };
}

/** The rate's message below its field when it is not a whole number (its range is the backend's to judge). */
export function writeBackRateMessage(values: Pick<WriteBackValues, 'ratePerMinute'>): string | null {
  return /^\d{1,6}$/.test(values.ratePerMinute.trim())
    ? null
    : `Actions per minute must be a whole number from ${RATE_PER_MINUTE_MIN} to ${RATE_PER_MINUTE_MAX}.`;
}

/** The saved choice in words, as the section shows it back. */
export function describeWriteBack(settings: PublicSettingsView | null): string {
  const on = WRITE_BACK_CAPABILITIES.filter((c) => settings?.writeBack?.capabilities.includes(c) === true);
  if (on.length === 0) return 'Write-back is off: Automation rules cannot change anything in Entra ID.';
  const rate = settings?.writeBack?.ratePerMinute ?? RATE_PER_MINUTE_DEFAULT;
  return `Write-back is on for: ${on.map((c) => CAPABILITY_LABELS[c]).join(', ')} (at most ${rate} a minute).`;
}

export type CapabilityPermissionState = 'granted' | 'missing' | 'unknown';

/**
 * A switched-on capability's permission from the last Test connection (the token's roles it recorded): granted,
 * missing (the actions are refused until it is), or unknown (no test yet, or the roles could not be read).
 */
export function capabilityPermissionLine(
  capability: WriteBackCapability,
  lastCheck: ConnectionCheckView | null,
): { state: CapabilityPermissionState; text: string } {
  const permission = leastPermission(capability);
  if (lastCheck === null) return { state: 'unknown', text: `Permission ${permission} not checked yet. Run Test connection to check.` };
  if (lastCheck.roles === null)
    return {
      state: 'unknown',
      text: `Permission ${permission} unknown: the last Test connection could not read the token's permissions. Run Test connection to check.`,
    };
  const at = formatDateTime(lastCheck.at);
  if (permissionGranted(capability, lastCheck.roles))
    return { state: 'granted', text: `Permission ${permission} granted (Test connection ${at}).` };
  return {
    state: 'missing',
    text:
      `Permission ${permission} missing: actions will be refused until it is granted (API permissions > Grant admin consent). ` +
      `Found by Test connection ${at}.`,
  };
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'rule',
  'actor',
  'action',
  'capability',
  'accountId',
  'entraUserId',
  'objectKey',
  'before',
  'after',
  'result',
  'code',
  'graphRequestId',
] as const;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit trail as CSV (a header line, then one line per entry in the order given): only the entry's own fields. */
export function auditCsv(entries: readonly AuditEntryView[]): string {
  const lines = entries.map((e) =>
    [
      e.seq,
      e.at,
      e.rule,
      e.actor,
      e.action,
      e.capability,
      e.target.accountId,
      e.target.entraUserId,
      e.target.objectKey,
      e.before,
      e.after,
      e.result,
      e.code,
      e.graphRequestId,
    ]
      .map(csvField)
      .join(','),
  );
  return [AUDIT_CSV_COLUMNS.join(','), ...lines].join('\r\n');
}
