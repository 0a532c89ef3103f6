/**
 * Every attribute the app can keep on an Employee object, in one list: the core ones (always in the schema) and the
 * ones an admin may choose (settings `attributes`). Each entry says everything the rest of the app needs: its Assets
 * name and type, where its value comes from, whether it is cut to fit, and whether the create table shows it. The
 * schema diff, the Assets codec, the planner, the report, the Graph $select and the admin page all work from the
 * definition built here, so adding an attribute is adding an entry (and its test). docs/sync-rules.md lists them.
 */
import { AppError } from './errors';
import { EMPLOYEE_GROUPS_ATTRIBUTE, GROUP_OBJECT_TYPE } from './group-catalogue';
import type { PlannedValue } from './object-values';
import { blankToNull } from './object-values';
import type { AttributeDefinition, ObjectTypeDefinition, PairContext, SchemaDefinition } from './schema-definition';

const text = { type: 'text' } as const;

interface Entry extends AttributeDefinition {
  /** Core attributes are always in the schema; the others only when the admin chooses them. */
  readonly core: boolean;
  /** Employee attributes are asked by the Employee planner, with a matched pair. */
  desired(pair: PairContext): PlannedValue;
}

/** Graph's string properties as Graph sends them: a string, or null / absent for "not set". */
function stringOf(value: unknown): string | null {
  // Trimmed: leading and trailing spaces are never meant (docs/sync-rules.md); blank means "no value".
  return typeof value === 'string' ? blankToNull(value.trim()) : null;
}

/** The object a nested Graph property holds (employeeOrgData, onPremisesExtensionAttributes), or an empty one. */
function objectOf(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * An optional attribute read from the Graph user (`read` gets the user as Graph returns it, with `select` listed in
 * $select). Every property of the user resource below is readable with User.Read.All, the application permission
 * the app already needs (https://learn.microsoft.com/graph/api/resources/user#properties).
 */
function graphValue(
  key: string,
  name: string,
  select: readonly string[],
  read: (user: Readonly<Record<string, unknown>>) => string | null,
  description: string,
  note: string,
  kind: AttributeDefinition['kind'] = text,
): Entry {
  return {
    key,
    name,
    description,
    note,
    kind,
    label: false,
    unique: false,
    cut: kind.type === 'text',
    showOnCreate: false,
    core: false,
    graphSelect: select,
    fromGraph: read,
    desired: (pair) => pair.entraUser.extra?.[key] ?? null,
  };
}

/** An attribute read from one Graph user property that holds a string (or nothing). */
function graphText(key: string, name: string, property: string, description: string, note: string): Entry {
  return graphValue(key, name, [property], (user) => stringOf(user[property]), description, note);
}

/*
 * Admin-facing notes. "Returned only on $select" (Microsoft's user resource page) costs nothing: the app always
 * lists what it reads. Delta: Microsoft documents which changes users/delta reports only in general terms
 * (https://learn.microsoft.com/graph/delta-query-users#properties and the delta query overview's limitations), and
 * not for employeeHireDate, employeeOrgData, onPremisesExtensionAttributes or directory extensions
 * (/work/shared/docs/microsoft-graph.md): for those the app counts on the full read (every FULL_READ_MAX_AGE_DAYS).
 */
const NOTE_TRACKED = 'Needs User.Read.All (already granted). Changes arrive with every sync.';
const NOTE_FULL_READ =
  'Needs User.Read.All (already granted). Microsoft does not document that the change feed (delta) reports changes to it: ' +
  'a change may only arrive at the weekly full read of the directory.';

/** An ISO date-time from Graph (employeeHireDate, a DateTimeOffset in UTC) as the calendar date Assets holds. */
export function graphDate(value: unknown): string | null {
  const text = stringOf(value);
  if (text === null) return null;
  const iso = /^(\d{4}-\d{2}-\d{2})(?:T|$)/.exec(text.trim());
  if (iso?.[1] === undefined) return null;
  // A date-time with an offset other than UTC names the day in UTC, as Graph stores it.
  const parsed = Date.parse(text.trim());
  if (Number.isNaN(parsed)) return null;
  return text.trim().length === 10 ? iso[1] : new Date(parsed).toISOString().slice(0, 10);
}

/** extensionAttribute1..15 of onPremisesExtensionAttributes (one $select property carries all fifteen). */
const EXTENSION_ATTRIBUTES: readonly Entry[] = Array.from({ length: 15 }, (_, i) => {
  const property = `extensionAttribute${i + 1}`;
  return graphValue(
    property,
    `Extension Attribute ${i + 1}`,
    ['onPremisesExtensionAttributes'],
    (user) => stringOf(objectOf(user['onPremisesExtensionAttributes'])[property]),
    `Entra onPremisesExtensionAttributes.${property}`,
    `${NOTE_FULL_READ} Set in on-premises Active Directory (or Exchange) for synced users, or through Graph for cloud-only users.`,
  );
});

const base = { label: false, unique: false, cut: true, showOnCreate: false, core: true, graphSelect: [] } as const;

/** In the order the schema declares them (new entries go at the end: a site's attribute order follows creation). */
export const EMPLOYEE_ATTRIBUTE_CATALOGUE: readonly Entry[] = [
  {
    ...base,
    key: 'fullName',
    name: 'Full Name',
    description: 'Entra display name',
    kind: text,
    label: true,
    desired: (p) => p.entraUser.displayName,
  },
  {
    ...base,
    key: 'entraUserId',
    name: 'Entra User ID',
    description: 'Entra object id (the sync anchor)',
    kind: text,
    unique: true,
    cut: false,
    desired: (p) => p.entraUser.id,
  },
  {
    ...base,
    key: 'email',
    name: 'Email',
    description: 'Entra mail, or the matched Atlassian email',
    kind: { type: 'email' },
    showOnCreate: true,
    desired: (p) => blankToNull(p.entraUser.mail) ?? p.matchedEmail,
  },
  {
    ...base,
    key: 'jobTitle',
    name: 'Job Title',
    description: 'Entra job title',
    kind: text,
    showOnCreate: true,
    graphSelect: ['jobTitle'],
    desired: (p) => p.entraUser.jobTitle,
  },
  {
    ...base,
    key: 'department',
    name: 'Department',
    description: 'Entra department',
    kind: text,
    showOnCreate: true,
    graphSelect: ['department'],
    desired: (p) => p.entraUser.department,
  },
  {
    ...base,
    key: 'atlassianAccountId',
    name: 'Atlassian Account ID',
    description: 'Matched Atlassian account id',
    kind: text,
    desired: (p) => p.account.accountId,
  },
  {
    ...base,
    key: 'jiraUser',
    name: 'Jira User',
    description: 'Matched Jira user',
    kind: { type: 'user' },
    cut: false,
    desired: (p) => p.account.accountId,
  },
  {
    ...base,
    key: 'active',
    name: 'Active',
    description: 'Enabled in Entra ID and matched to an active Atlassian account',
    kind: { type: 'boolean' },
    cut: false,
    desired: (p) => p.entraUser.accountEnabled,
  },
  {
    ...base,
    key: 'manager',
    name: 'Manager',
    description: "Manager's Employee object",
    kind: { type: 'reference', objectType: 'employee', referenceTypeName: 'Reports to' },
    cut: false,
    desired: (p) => p.manager,
  },
  {
    ...base,
    key: 'managerAtlassianAccountId',
    name: 'Manager Atlassian Account ID',
    description: "Manager's Atlassian account id",
    kind: text,
    describes: 'manager',
    desired: (p) => p.managerAccountId,
  },
  graphText('employeeId', 'Employee ID', 'employeeId', 'Entra employee ID (HR number)', NOTE_TRACKED),
  graphText('employeeType', 'Employee Type', 'employeeType', 'Entra employee type (e.g. Employee, Contractor)', NOTE_TRACKED),
  graphText('companyName', 'Company', 'companyName', 'Entra company name', NOTE_TRACKED),
  graphText('officeLocation', 'Office', 'officeLocation', 'Entra office location', NOTE_TRACKED),
  graphText('city', 'City', 'city', 'Entra city', NOTE_TRACKED),
  graphText('country', 'Country', 'country', 'Entra country or region', NOTE_TRACKED),
  graphText('usageLocation', 'Usage Location', 'usageLocation', 'Entra usage location (two-letter country code)', NOTE_TRACKED),
  graphText('mobilePhone', 'Mobile Phone', 'mobilePhone', 'Entra mobile phone', NOTE_TRACKED),
  graphValue(
    'businessPhone',
    'Business Phone',
    ['businessPhones'],
    (user) => {
      const phones = user['businessPhones'];
      return Array.isArray(phones) ? stringOf(phones[0]) : null;
    },
    'The first of the Entra business phones',
    `${NOTE_TRACKED} Only the first number is kept (Entra allows one business phone per user).`,
  ),
  graphValue(
    'hireDate',
    'Hire Date',
    ['employeeHireDate'],
    (user) => graphDate(user['employeeHireDate']),
    'Entra employee hire date',
    `${NOTE_FULL_READ} Kept as a date (the day in UTC); the attribute is created as a Date attribute.`,
    { type: 'date' },
  ),
  graphValue(
    'costCenter',
    'Cost Center',
    ['employeeOrgData'],
    (user) => stringOf(objectOf(user['employeeOrgData'])['costCenter']),
    'Entra employeeOrgData.costCenter',
    NOTE_FULL_READ,
  ),
  graphValue(
    'division',
    'Division',
    ['employeeOrgData'],
    (user) => stringOf(objectOf(user['employeeOrgData'])['division']),
    'Entra employeeOrgData.division',
    NOTE_FULL_READ,
  ),
  graphText('userType', 'User Type', 'userType', 'Entra user type (Member or Guest)', NOTE_TRACKED),
  graphText(
    'userPrincipalName',
    'User Principal Name',
    'userPrincipalName',
    'Entra user principal name (sign-in name)',
    `${NOTE_TRACKED} A guest's name looks like alias_domain#EXT#@tenant.onmicrosoft.com.`,
  ),
  ...EXTENSION_ATTRIBUTES,
];

/** What the Setup tab and the sandbox show for each attribute an admin may choose, in catalogue order. */
export interface AttributeChoice {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly note: string;
  readonly assetsType: string;
}

/** Keys an admin may choose (settings `attributes`). */
export const OPTIONAL_ATTRIBUTE_KEYS: readonly string[] = EMPLOYEE_ATTRIBUTE_CATALOGUE.filter((entry) => !entry.core).map(
  (entry) => entry.key,
);

export const ATTRIBUTE_CHOICES: readonly AttributeChoice[] = EMPLOYEE_ATTRIBUTE_CATALOGUE.filter((entry) => !entry.core).map((entry) => ({
  key: entry.key,
  name: entry.name,
  description: entry.description,
  note: entry.note ?? '',
  assetsType: entry.kind.type === 'date' ? 'Date' : 'Text',
}));

/** Admin-facing names of the two settings an admin chooses attributes with (messages name them). */
export const ATTRIBUTES_FIELD_LABEL = 'Attributes';
export const EXTENSIONS_FIELD_LABEL = 'Directory extension attributes';
export const MAX_EXTENSIONS = 10;
export const EXTENSION_NAME_MAX_LENGTH = 60;
/**
 * `extension_{appId without hyphens}_{name}`: the name Graph gives a directory extension property
 * (https://learn.microsoft.com/graph/extensibility-overview#directory-microsoft-entra-id-extensions).
 */
export const EXTENSION_PROPERTY_PATTERN = /^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]{1,120}$/;
/** Assets refuses these in attribute names (the fake Jira site models it; reported, not documented). */
const FORBIDDEN_NAME_CHARACTERS = /[=;:?."]/;

/** A directory extension property synced into a Text attribute the admin names (settings `extensions`). */
export interface ExtensionChoice {
  readonly property: string;
  readonly name: string;
}

export interface AttributeChoiceIssue {
  readonly field: 'attributes' | 'extensions';
  readonly message: string;
}

/** The attribute key of a directory extension property's attribute. */
export function extensionKey(property: string): string {
  return `ext:${property}`;
}

/**
 * Everything wrong with a choice of attributes and extension properties, one message per problem, each naming the
 * field (the Setup tab shows them next to it; saving refuses with all of them). Names compare trimmed and
 * case-insensitively, as Assets does.
 */
export function attributeChoiceIssues(attributes: readonly string[], extensions: readonly ExtensionChoice[]): AttributeChoiceIssue[] {
  const issues: AttributeChoiceIssue[] = [];
  const attributeIssue = (message: string) => issues.push({ field: 'attributes', message: `${ATTRIBUTES_FIELD_LABEL}: ${message}` });
  const extensionIssue = (message: string) => issues.push({ field: 'extensions', message: `${EXTENSIONS_FIELD_LABEL}: ${message}` });
  const seenKeys = new Set<string>();
  for (const key of attributes) {
    if (!OPTIONAL_ATTRIBUTE_KEYS.includes(key))
      attributeIssue(`"${key}" is not an attribute the app can sync. Choose from: ${OPTIONAL_ATTRIBUTE_KEYS.join(', ')}.`);
    else if (seenKeys.has(key)) attributeIssue(`"${key}" is chosen more than once.`);
    seenKeys.add(key);
  }
  if (extensions.length > MAX_EXTENSIONS)
    extensionIssue(`at most ${MAX_EXTENSIONS} can be synced (${extensions.length} given). Remove some from the list.`);
  const takenNames = new Map(EMPLOYEE_ATTRIBUTE_CATALOGUE.map((entry) => [normaliseName(entry.name), entry.name]));
  const seenProperties = new Set<string>();
  extensions.forEach((extension, index) => {
    const row = `row ${index + 1}`;
    if (!EXTENSION_PROPERTY_PATTERN.test(extension.property))
      extensionIssue(
        `${row}: "${extension.property.slice(0, 200)}" is not a directory extension property. It is named ` +
          'extension_<application ID without hyphens>_<name>, e.g. extension_0123456789abcdef0123456789abcdef_costCentre ' +
          '(Microsoft Entra admin center or Graph Explorer: GET /v1.0/directoryObjects/getAvailableExtensionProperties).',
      );
    else if (seenProperties.has(extension.property.toLowerCase()))
      extensionIssue(`${row}: ${extension.property} is listed more than once.`);
    seenProperties.add(extension.property.toLowerCase());
    const name = extension.name.trim();
    if (name.length === 0 || name.length > EXTENSION_NAME_MAX_LENGTH) {
      extensionIssue(`${row}: the Assets attribute name must have 1 to ${EXTENSION_NAME_MAX_LENGTH} characters.`);
      return;
    }
    if (FORBIDDEN_NAME_CHARACTERS.test(name)) {
      extensionIssue(`${row}: the Assets attribute name "${name}" cannot contain = ; : ? . or ".`);
      return;
    }
    const clash = takenNames.get(normaliseName(name));
    if (clash !== undefined) {
      extensionIssue(`${row}: the name "${name}" is already used by the attribute "${clash}". Choose another name.`);
      return;
    }
    takenNames.set(normaliseName(name), name);
  });
  return issues;
}

/** The choice as stored (names trimmed), or INPUT_INVALID with every problem; nothing is stored on a bad input. */
export function parseAttributeChoice(
  attributes: readonly string[],
  extensions: readonly ExtensionChoice[],
): { attributes: string[]; extensions: ExtensionChoice[] } {
  const issues = attributeChoiceIssues(attributes, extensions);
  if (issues.length > 0) {
    throw new AppError('INPUT_INVALID', `${issues.map((issue) => issue.message).join(' ')} Nothing was saved.`, {
      context: { fields: [...new Set(issues.map((issue) => issue.field))].join(','), problems: issues.length },
    });
  }
  return { attributes: [...attributes], extensions: extensions.map((e) => ({ property: e.property, name: e.name.trim() })) };
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase();
}

/** The attribute a directory extension property is synced into: Text, read from the property by name. */
function extensionEntry(extension: ExtensionChoice): Entry {
  return graphText(
    extensionKey(extension.property),
    extension.name,
    extension.property,
    `Entra directory extension ${extension.property}`,
    `${NOTE_FULL_READ} Graph returns it only when the app asks for it by name; the app does.`,
  );
}

export const SCHEMA_IDENTITY = {
  name: 'Entra Directory',
  key: 'ENTRA',
  description: 'Employees synchronised from Microsoft Entra ID by the Entra ID to Assets Sync app.',
} as const;

/**
 * The definition for a choice of optional attributes (unknown keys are refused: settings validation keeps them out,
 * so one here means stored data the app cannot read). Attributes keep the catalogue's order whatever the choice order.
 */
export function buildSchemaDefinition(
  chosen: readonly string[] = [],
  extensions: readonly ExtensionChoice[] = [],
  options: { readonly groups?: boolean } = {},
): SchemaDefinition {
  const wanted = new Set(chosen);
  for (const key of wanted) {
    if (!OPTIONAL_ATTRIBUTE_KEYS.includes(key)) {
      throw new AppError(
        'SETTINGS_INVALID',
        `"${key}" is not an attribute the app can sync. Choose the attributes again on the Setup tab.`,
        {
          context: { attribute: key },
        },
      );
    }
  }
  const employee: ObjectTypeDefinition = {
    key: 'employee',
    name: 'Employee',
    description: 'One object per Entra ID user matched to an Atlassian account.',
    iconName: 'User',
    anchor: 'entraUserId',
    // Extension properties after the catalogue, in the admin's order (new attributes go at the end of a site's list).
    attributes: [
      ...EMPLOYEE_ATTRIBUTE_CATALOGUE.filter((entry) => entry.core || wanted.has(entry.key)),
      ...extensions.map(extensionEntry),
      // Group sync (group-catalogue.ts): the Employee's Groups and the Entra Group type, only while it is on.
      ...(options.groups === true ? [EMPLOYEE_GROUPS_ATTRIBUTE] : []),
    ],
  };
  return { ...SCHEMA_IDENTITY, objectTypes: options.groups === true ? [employee, GROUP_OBJECT_TYPE] : [employee] };
}

/** The definition with the core attributes only (what every site has had so far). */
export const CORE_SCHEMA = buildSchemaDefinition();
