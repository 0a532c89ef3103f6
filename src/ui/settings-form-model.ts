/**
 * The Microsoft connection form's values and their validation. Validation runs the backend's own zod schema
 * (settingsInputSchema) on what would be sent, so the messages next to the fields are exactly the backend's.
 * The secret field starts empty: an empty secret is sent as absent, which keeps the stored one.
 */
import { type AttributeChoiceIssue, attributeChoiceIssues, type ExtensionChoice } from '../domain/attribute-catalogue';
import {
  grantsGroupRead,
  type GroupMembership,
  type GroupSelection,
  groupSelectionSchema,
  parseGroupSelection,
} from '../domain/group-sync';
import { MICROSOFT_CLOUD_IDS, MICROSOFT_CLOUDS, type MicrosoftCloud } from '../domain/microsoft-cloud';
import { type SettingsField, settingsInputSchema, validationIssues } from '../domain/settings';
import type { SettingsPayload } from './invoke';
import type { ConnectionCheckView, PublicSettingsView } from './views';

export interface CloudOption {
  readonly label: string;
  readonly value: MicrosoftCloud;
}

export const CLOUD_OPTIONS: readonly CloudOption[] = MICROSOFT_CLOUD_IDS.map((id) => ({ label: MICROSOFT_CLOUDS[id].label, value: id }));

export interface SettingsFormValues {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** UI Kit's Select hands back the chosen option; null when cleared. */
  cloud: CloudOption | null;
  intervalDays: string;
}

export const DEFAULT_INTERVAL_DAYS = 1;

export function initialValues(settings: PublicSettingsView | null): SettingsFormValues {
  const cloud = settings?.cloud ?? 'global';
  return {
    tenantId: settings?.tenantId ?? '',
    clientId: settings?.clientId ?? '',
    clientSecret: '',
    cloud: CLOUD_OPTIONS.find((option) => option.value === cloud) ?? null,
    intervalDays: String(settings?.intervalDays ?? DEFAULT_INTERVAL_DAYS),
  };
}

function cloudValue(cloud: unknown): string {
  if (typeof cloud === 'string') return cloud;
  if (typeof cloud === 'object' && cloud !== null && 'value' in cloud && typeof cloud.value === 'string') return cloud.value;
  return '';
}

export function toPayload(values: Partial<SettingsFormValues>): SettingsPayload {
  const secret = values.clientSecret ?? '';
  return {
    tenantId: values.tenantId ?? '',
    clientId: values.clientId ?? '',
    ...(secret === '' ? {} : { clientSecret: secret }),
    cloud: cloudValue(values.cloud),
    intervalDays: values.intervalDays ?? '',
  };
}

/** The backend schema's message for each field, for the values as they stand. */
export function fieldMessages(values: Partial<SettingsFormValues>): Partial<Record<SettingsField, string>> {
  const parsed = settingsInputSchema.safeParse(toPayload(values));
  if (parsed.success) return {};
  const messages: Partial<Record<SettingsField, string>> = {};
  for (const issue of validationIssues(parsed.error)) {
    const field = issue.field as SettingsField;
    if (messages[field] === undefined) messages[field] = issue.message;
  }
  return messages;
}

/**
 * The Attributes section: the chosen catalogue keys and the directory extension properties, one per line as
 * `extension_<app id>_<name> = Assets attribute name`. Saved with the stored connection values (no secret: the stored
 * one stays), so the section never changes the connection.
 */
export function extensionsText(extensions: readonly ExtensionChoice[]): string {
  return extensions.map((e) => `${e.property} = ${e.name}`).join('\n');
}

/** One extension per non-empty line; a line without "=" is a property without a name (validation says so). */
export function parseExtensionsText(text: string): ExtensionChoice[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? { property: line, name: '' } : { property: line.slice(0, at).trim(), name: line.slice(at + 1).trim() };
    });
}

export function attributesPayload(settings: PublicSettingsView, attributes: readonly string[], extensions: string): SettingsPayload {
  return {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    cloud: settings.cloud,
    intervalDays: settings.intervalDays,
    attributes: [...attributes],
    extensions: parseExtensionsText(extensions),
  };
}

/** The backend's own checks (attributeChoiceIssues), so the page shows exactly what saving would refuse. */
export function attributeMessages(
  attributes: readonly string[],
  extensions: string,
): Partial<Record<AttributeChoiceIssue['field'], string>> {
  const messages: Partial<Record<AttributeChoiceIssue['field'], string>> = {};
  for (const issue of attributeChoiceIssues(attributes, parseExtensionsText(extensions))) {
    messages[issue.field] = messages[issue.field] === undefined ? issue.message : `${messages[issue.field]} ${issue.message}`;
  }
  return messages;
}

/**
 * The Group sync section: the selection as the admin edits it (the mode, the chosen ids as typed, the prefix) and the
 * membership. Validation is the backend's own schema (groupSelectionSchema) on what would be sent; saving sends the
 * stored connection values with it (no secret: the stored one stays; no attributes: the stored choice stays).
 */
export type GroupMode = GroupSelection['mode'];

export interface GroupModeOption {
  readonly label: string;
  readonly value: GroupMode;
}

export const GROUP_MODE_OPTIONS: readonly GroupModeOption[] = [
  { label: 'Off', value: 'off' },
  { label: 'All groups', value: 'all' },
  { label: 'Chosen groups', value: 'ids' },
  { label: 'Groups whose name starts with', value: 'prefix' },
];

export interface GroupMembershipOption {
  readonly label: string;
  readonly value: GroupMembership;
}

export const GROUP_MEMBERSHIP_OPTIONS: readonly GroupMembershipOption[] = [
  { label: 'Direct members only', value: 'direct' },
  { label: 'Transitive (nested groups flattened)', value: 'transitive' },
];

export interface GroupSyncValues {
  readonly mode: GroupMode;
  /** Group object ids, one per line or separated by commas. */
  readonly ids: string;
  readonly prefix: string;
  readonly membership: GroupMembership;
}

/** The stored selection (text form from getSettings); off when the backend has none or sends one the page cannot read. */
export function groupSelectionOf(settings: PublicSettingsView | null): GroupSelection {
  try {
    return parseGroupSelection(settings?.groups ?? 'off');
  } catch {
    return { mode: 'off' };
  }
}

export function groupSyncInitialValues(settings: PublicSettingsView | null): GroupSyncValues {
  const selection = groupSelectionOf(settings);
  return {
    mode: selection.mode,
    ids: selection.mode === 'ids' ? selection.ids.join('\n') : '',
    prefix: selection.mode === 'prefix' ? selection.prefix : '',
    membership: settings?.groupMembership ?? 'direct',
  };
}

/** Ids as typed: split at line breaks, commas, semicolons and spaces; empty pieces dropped. */
export function parseGroupIdsText(text: string): string[] {
  return text.split(/[\s,;]+/).filter((id) => id.length > 0);
}

function groupSelectionInput(values: GroupSyncValues): unknown {
  switch (values.mode) {
    case 'ids':
      return { mode: 'ids', ids: parseGroupIdsText(values.ids) };
    case 'prefix':
      return { mode: 'prefix', prefix: values.prefix };
    default:
      return { mode: values.mode };
  }
}

/** The backend schema's message for the chosen ids or the prefix (only the field the mode shows can have one). */
export function groupSyncMessages(values: GroupSyncValues): { ids?: string; prefix?: string } {
  const parsed = groupSelectionSchema.safeParse(groupSelectionInput(values));
  if (parsed.success) return {};
  const message = [...new Set(parsed.error.issues.map((issue) => issue.message))].join(' ');
  return values.mode === 'prefix' ? { prefix: message } : { ids: message };
}

/** What Save sends; null while the selection is not valid (the button is disabled then). */
export function groupSyncPayload(settings: PublicSettingsView, values: GroupSyncValues): SettingsPayload | null {
  const parsed = groupSelectionSchema.safeParse(groupSelectionInput(values));
  if (!parsed.success) return null;
  return {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    cloud: settings.cloud,
    intervalDays: settings.intervalDays,
    groups: parsed.data,
    groupMembership: values.membership,
  };
}

/** The saved selection in words, as the section shows it back. */
export function describeGroupSync(settings: PublicSettingsView | null): string {
  const selection = groupSelectionOf(settings);
  const membership = settings?.groupMembership === 'transitive' ? 'transitive memberships (nested groups flattened)' : 'direct memberships';
  switch (selection.mode) {
    case 'off':
      return 'Group sync is off.';
    case 'all':
      return `Group sync is on for all groups, with ${membership}.`;
    case 'ids':
      return `Group sync is on for ${selection.ids.length === 1 ? '1 chosen group' : `${selection.ids.length} chosen groups`} (${selection.ids.join(', ')}), with ${membership}.`;
    case 'prefix':
      return `Group sync is on for groups whose name starts with "${selection.prefix}", with ${membership}.`;
  }
}

/**
 * Whether the app registration may read groups, from the last Test connection (the token's roles it recorded): no
 * Graph call of the page's own. Unknown before a test, or when the token's roles could not be read.
 */
export type GroupPermission =
  | { readonly state: 'unknown' }
  | { readonly state: 'granted'; readonly at: string; readonly roles: readonly string[] }
  | { readonly state: 'missing'; readonly at: string; readonly roles: readonly string[] };

export function groupPermission(lastCheck: ConnectionCheckView | null): GroupPermission {
  if (lastCheck === null) return { state: 'unknown' };
  const roles = lastCheck.roles ?? [];
  const granted = lastCheck.groupsGranted ?? (lastCheck.roles === null ? null : grantsGroupRead(lastCheck.roles));
  if (granted === null) return { state: 'unknown' };
  return { state: granted ? 'granted' : 'missing', at: lastCheck.at, roles };
}
