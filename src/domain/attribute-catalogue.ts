/**
 * Every attribute the app can keep on an Employee object, in one list: the core ones (always in the schema) and the
 * ones an admin may choose (settings `attributes`). Each entry says everything the rest of the app needs: its Assets
 * name and type, where its value comes from, whether it is cut to fit, and whether the create table shows it. The
 * schema diff, the Assets codec, the planner, the report, the Graph $select and the admin page all work from the
 * definition built here, so adding an attribute is adding an entry (and its test). docs/sync-rules.md lists them.
 */
import { AppError } from './errors';
import { blankToNull } from './object-values';
import type { AttributeDefinition, ObjectTypeDefinition, SchemaDefinition } from './schema-definition';

const text = { type: 'text' } as const;

interface Entry extends AttributeDefinition {
  /** Core attributes are always in the schema; the others only when the admin chooses them. */
  readonly core: boolean;
}

/** An attribute read from one Graph user property that holds a string (or nothing). */
function graphText(key: string, name: string, property: string, description: string): Entry {
  return {
    key,
    name,
    description,
    kind: text,
    label: false,
    unique: false,
    cut: true,
    showOnCreate: false,
    core: false,
    graphSelect: [property],
    fromGraph: (user) => {
      const value = user[property];
      return typeof value === 'string' ? blankToNull(value) : null;
    },
    desired: (pair) => pair.entraUser.extra?.[key] ?? null,
  };
}

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
  graphText('employeeId', 'Employee ID', 'employeeId', 'Entra employee ID (HR number)'),
];

/** Keys an admin may choose (settings `attributes`). */
export const OPTIONAL_ATTRIBUTE_KEYS: readonly string[] = EMPLOYEE_ATTRIBUTE_CATALOGUE.filter((entry) => !entry.core).map(
  (entry) => entry.key,
);

export const SCHEMA_IDENTITY = {
  name: 'Entra Directory',
  key: 'ENTRA',
  description: 'Employees synchronised from Microsoft Entra ID by the Entra ID to Assets Sync app.',
} as const;

/**
 * The definition for a choice of optional attributes (unknown keys are refused: settings validation keeps them out,
 * so one here means stored data the app cannot read). Attributes keep the catalogue's order whatever the choice order.
 */
export function buildSchemaDefinition(chosen: readonly string[] = []): SchemaDefinition {
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
    attributes: EMPLOYEE_ATTRIBUTE_CATALOGUE.filter((entry) => entry.core || wanted.has(entry.key)),
  };
  return { ...SCHEMA_IDENTITY, objectTypes: [employee] };
}

/** The definition with the core attributes only (what every site has had so far). */
export const CORE_SCHEMA = buildSchemaDefinition();
