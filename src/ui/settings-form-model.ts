/**
 * The Microsoft connection form's values and their validation. Validation runs the backend's own zod schema
 * (settingsInputSchema) on what would be sent, so the messages next to the fields are exactly the backend's.
 * The secret field starts empty: an empty secret is sent as absent, which keeps the stored one.
 */
import { type AttributeChoiceIssue, attributeChoiceIssues, type ExtensionChoice } from '../domain/attribute-catalogue';
import { MICROSOFT_CLOUD_IDS, MICROSOFT_CLOUDS, type MicrosoftCloud } from '../domain/microsoft-cloud';
import { type SettingsField, settingsInputSchema, validationIssues } from '../domain/settings';
import type { SettingsPayload } from './invoke';
import type { PublicSettingsView } from './views';

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
