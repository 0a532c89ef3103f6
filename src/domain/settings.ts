/**
 * The app's settings: what the admin page sends (settingsInputSchema) and what is kept in storage
 * (storedSettingsSchema; the client secret lives only in the Forge secret store). The admin page imports these same
 * schemas so the browser and the backend give the same messages, which is why this file imports nothing but zod and
 * domain modules. Every message names the field by the label the admin sees and says what is allowed; none ever
 * repeats the value typed into the Client secret field.
 */
import { z } from 'zod';

import { ATTRIBUTES_FIELD_LABEL, EXTENSIONS_FIELD_LABEL } from './attribute-catalogue';
import { AppError } from './errors';
import {
  GROUP_MEMBERSHIP_FIELD_LABEL,
  GROUP_SYNC_OFF,
  groupMembershipSchema,
  GROUPS_FIELD_LABEL,
  groupSelectionSchema,
} from './group-sync';
import { microsoftCloudSchema } from './microsoft-cloud';
import { SCOPE_TEXT_MAX_LENGTH, scopeSchema } from './scope';
import { WRITE_BACK_FIELD_LABEL, WRITE_BACK_OFF, writeBackSettingsSchema } from './write-back';

export const SETTINGS_FIELD_LABELS = {
  tenantId: 'Tenant ID',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  cloud: 'Microsoft cloud',
  intervalDays: 'Scheduled sync interval',
} as const;
/** Set from the Setup tab's scope section and the sandbox's `configure --scope`, not the connection form. */
export const SCOPE_FIELD_LABEL = 'Sync scope';

export type SettingsField = keyof typeof SETTINGS_FIELD_LABELS;

export const TENANT_ID_MAX_LENGTH = 253;
export const CLIENT_SECRET_MAX_LENGTH = 1024;
export const INTERVAL_DAYS_MIN = 1;
export const INTERVAL_DAYS_MAX = 100;

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Labels of letters, digits and inner hyphens (1-63 chars), at least two, ending in an alphabetic TLD. */
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const INTEGER_STRING_PATTERN = /^[0-9]+$/;

/** A required text field: the message for a missing value differs from the one for a wrong type. */
function requiredText(label: string) {
  return z.string({
    error: (issue) => (issue.input === undefined || issue.input === null ? `${label} is required.` : `${label} must be text.`),
  });
}

export const tenantIdSchema = requiredText(SETTINGS_FIELD_LABELS.tenantId)
  .trim()
  .min(1, {
    error: `${SETTINGS_FIELD_LABELS.tenantId} is required: enter the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com.`,
    abort: true,
  })
  .max(TENANT_ID_MAX_LENGTH, {
    error: `${SETTINGS_FIELD_LABELS.tenantId} must be at most ${TENANT_ID_MAX_LENGTH} characters.`,
    abort: true,
  })
  .refine((value) => GUID_PATTERN.test(value) || DOMAIN_PATTERN.test(value), {
    error:
      `${SETTINGS_FIELD_LABELS.tenantId} must be the Directory (tenant) ID, a GUID like 00000000-0000-0000-0000-000000000000, ` +
      'or a verified domain name such as contoso.onmicrosoft.com or contoso.com.',
  });

export const clientIdSchema = requiredText(SETTINGS_FIELD_LABELS.clientId)
  .trim()
  .min(1, {
    error: `${SETTINGS_FIELD_LABELS.clientId} is required: copy the Application (client) ID from the app registration's Overview page.`,
    abort: true,
  })
  .regex(GUID_PATTERN, {
    error: `${SETTINGS_FIELD_LABELS.clientId} must be the Application (client) ID, a GUID like 00000000-0000-0000-0000-000000000000.`,
  });

/** Trimmed; never echoed in any message. */
export const clientSecretSchema = z
  .string({ error: `${SETTINGS_FIELD_LABELS.clientSecret} must be text.` })
  .trim()
  .min(1, { error: `${SETTINGS_FIELD_LABELS.clientSecret} cannot be only spaces: paste the secret's Value from Certificates & secrets.` })
  .max(CLIENT_SECRET_MAX_LENGTH, {
    error: `${SETTINGS_FIELD_LABELS.clientSecret} must be at most ${CLIENT_SECRET_MAX_LENGTH} characters.`,
  });

const intervalMessage = `${SETTINGS_FIELD_LABELS.intervalDays} must be a whole number of days from ${INTERVAL_DAYS_MIN} to ${INTERVAL_DAYS_MAX}.`;

/** The stored form: a number only. */
export const intervalDaysSchema = z
  .number({ error: intervalMessage })
  .int({ error: intervalMessage })
  .min(INTERVAL_DAYS_MIN, { error: intervalMessage })
  .max(INTERVAL_DAYS_MAX, { error: intervalMessage });

/** The form field form: a number, or a string holding only digits (form fields send text). */
export const intervalDaysInputSchema = z
  .union([z.number(), z.string()], { error: intervalMessage })
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const trimmed = value.trim();
    if (!INTEGER_STRING_PATTERN.test(trimmed)) {
      ctx.addIssue({ code: 'custom', message: intervalMessage });
      return z.NEVER;
    }
    return Number(trimmed);
  })
  .pipe(intervalDaysSchema);

/** An absent or empty secret means "keep the stored one"; spaces only is a mistake worth telling. */
const optionalClientSecretSchema = z
  .union([z.undefined(), z.literal(''), clientSecretSchema], { error: `${SETTINGS_FIELD_LABELS.clientSecret} must be text.` })
  .transform((value) => (value === '' ? undefined : value));

function unknownFieldsMessage(keys: readonly string[]): string {
  const allowed = [
    ...Object.values(SETTINGS_FIELD_LABELS),
    ATTRIBUTES_FIELD_LABEL,
    EXTENSIONS_FIELD_LABEL,
    SCOPE_FIELD_LABEL,
    GROUPS_FIELD_LABEL,
    GROUP_MEMBERSHIP_FIELD_LABEL,
    WRITE_BACK_FIELD_LABEL,
  ].join(', ');
  const plural = keys.length === 1 ? 'field' : 'fields';
  return `Unknown settings ${plural}: ${keys.join(', ')}. The settings accept only ${allowed}.`;
}

const settingsObjectError = (issue: { code?: string; keys?: readonly string[] }) => {
  if (issue.code === 'unrecognized_keys') return unknownFieldsMessage(issue.keys ?? []);
  if (issue.code === 'invalid_type') return 'Settings must be an object with the fields of the settings form.';
  return undefined;
};

const attributesShapeMessage = `${ATTRIBUTES_FIELD_LABEL} must be a list of attribute keys, e.g. ["employeeId", "officeLocation"].`;
const attributeKeysInputSchema = z.array(z.string({ error: attributesShapeMessage }), { error: attributesShapeMessage }).max(200, {
  error: `${ATTRIBUTES_FIELD_LABEL}: too many entries.`,
});
const extensionsShapeMessage = `${EXTENSIONS_FIELD_LABEL} must be a list of {property, name} pairs: the extension property and the Assets attribute name.`;
const extensionsInputSchema = z
  .array(z.strictObject({ property: z.string().max(300), name: z.string().max(300) }, { error: extensionsShapeMessage }), {
    error: extensionsShapeMessage,
  })
  .max(100, { error: `${EXTENSIONS_FIELD_LABEL}: too many entries.` });

export const settingsInputSchema = z.strictObject(
  {
    tenantId: tenantIdSchema,
    clientId: clientIdSchema,
    clientSecret: optionalClientSecretSchema.optional(),
    cloud: microsoftCloudSchema.default('global'),
    intervalDays: intervalDaysInputSchema,
    /**
     * The sync scope in its text form (scope.ts): absent keeps the stored scope, '' clears it (everyone). Parsed by
     * saveSettings, which answers INPUT_INVALID (nothing stored) for an expression it cannot read.
     */
    scope: z
      .string({ error: `${SCOPE_FIELD_LABEL} must be text.` })
      .max(SCOPE_TEXT_MAX_LENGTH, { error: `${SCOPE_FIELD_LABEL} can have at most ${SCOPE_TEXT_MAX_LENGTH} characters.` })
      .optional(),
    /**
     * The optional attributes (catalogue keys) and directory extension properties to sync: absent keeps the stored
     * choice. Their shape is checked here; what they say (known keys, names) by saveSettings through
     * parseAttributeChoice (attribute-catalogue.ts), which answers INPUT_INVALID and stores nothing.
     */
    attributes: attributeKeysInputSchema.optional(),
    extensions: extensionsInputSchema.optional(),
    /**
     * Group sync (group-sync.ts): absent keeps the stored choice. Chosen group ids are checked against Graph by
     * saveSettings (they must exist and be readable), which answers INPUT_INVALID and stores nothing otherwise.
     */
    groups: groupSelectionSchema.optional(),
    groupMembership: groupMembershipSchema.optional(),
    /** Write-back actions (write-back.ts, issue 17): absent keeps the stored choice; off by default. */
    writeBack: writeBackSettingsSchema.optional(),
  },
  { error: settingsObjectError },
);

/** What the admin page sends, before parsing (form values). */
export type SettingsFormInput = z.input<typeof settingsInputSchema>;
/** Parsed input: clientSecret undefined means keep the stored secret. */
export type SettingsInput = z.output<typeof settingsInputSchema>;

const isoTimestampSchema = (label: string) => z.iso.datetime({ offset: true, error: `${label} must be an ISO 8601 date and time.` });

export const storedSettingsSchema = z.strictObject(
  {
    tenantId: tenantIdSchema,
    clientId: clientIdSchema,
    cloud: microsoftCloudSchema,
    intervalDays: intervalDaysSchema,
    /** When the client secret was last saved; null when none has been saved yet. */
    secretSetAt: isoTimestampSchema('Secret set at').nullable(),
    updatedAt: isoTimestampSchema('Updated at'),
    /**
     * Optional attributes chosen from the catalogue (attribute-catalogue.ts), synced besides the core ones. Absent
     * in settings saved before attributes could be chosen: none.
     */
    attributes: z.array(z.string()).default([]),
    /** Directory extension properties synced into Text attributes the admin named; absent in older settings: none. */
    extensions: z.array(z.strictObject({ property: z.string(), name: z.string() })).default([]),
    /** Who is synced (scope.ts); null: everyone the app reads. Absent in settings saved before the scope existed. */
    scope: scopeSchema.nullable().default(null),
    /** Group sync (group-sync.ts); absent in settings saved before it existed: off, direct. */
    groups: groupSelectionSchema.default(GROUP_SYNC_OFF),
    groupMembership: groupMembershipSchema.default('direct'),
    /** Write-back actions (write-back.ts); absent in settings saved before they existed: all off. */
    writeBack: writeBackSettingsSchema.default(WRITE_BACK_OFF),
  },
  { error: settingsObjectError },
);

export type StoredSettings = z.infer<typeof storedSettingsSchema>;

export interface ValidationIssue {
  /** The form field the message belongs next to; '' for the form as a whole. */
  readonly field: string;
  readonly message: string;
}

/** Flattens a zod error into one message per field (unknown fields get one entry each, under their own name). */
export function validationIssues(error: z.ZodError): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: key, message: unknownFieldsMessage([key]) });
      continue;
    }
    const first = issue.path[0];
    issues.push({ field: typeof first === 'string' ? first : '', message: issue.message });
  }
  return issues;
}

/** Parses the admin page's payload or throws SETTINGS_INVALID listing every problem (never the secret). */
export function parseSettingsInput(input: unknown): SettingsInput {
  const parsed = settingsInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = validationIssues(parsed.error);
  throw new AppError('SETTINGS_INVALID', issues.map((issue) => issue.message).join(' '), {
    context: { fields: [...new Set(issues.map((issue) => issue.field))].join(',') },
  });
}
