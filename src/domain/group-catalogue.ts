/**
 * The Entra Group object type (group sync, settings `groups`): its attributes and where each value comes from, and
 * the Employee attribute that lists a user's groups. Like the Employee catalogue (attribute-catalogue.ts) this is
 * data: the schema check, the codec, the planner and the report work from it.
 *
 * Group Type follows Microsoft's "Compare groups" table (https://learn.microsoft.com/microsoft-365/admin/create-groups/compare-groups
 * and the group resource's groupTypes / mailEnabled / securityEnabled: https://learn.microsoft.com/graph/api/resources/group):
 * groupTypes containing "Unified" is a Microsoft 365 group; otherwise securityEnabled without mail is Security,
 * with mail Mail-enabled security, and mail without security is a Distribution list. "DynamicMembership" in
 * groupTypes marks a dynamic group (members set by a rule), noted after the type.
 */
import type { EntraGroup, GroupKind } from './entra-group';
import type { PlannedValue } from './object-values';
import type { AttributeDefinition, GroupSource, ObjectTypeDefinition } from './schema-definition';

interface GroupEntry extends AttributeDefinition {
  /** Entra Group attributes are asked by the group planner, with a group. */
  desired(source: GroupSource): PlannedValue;
}

const text = { type: 'text' } as const;
const base = { label: false, unique: false, cut: true, showOnCreate: false, graphSelect: [] } as const;

export function groupKind(group: Pick<EntraGroup, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>): GroupKind {
  if (group.groupTypes.some((type) => type.toLowerCase() === 'unified')) return 'Microsoft 365';
  if (group.securityEnabled) return group.mailEnabled ? 'Mail-enabled security' : 'Security';
  return 'Distribution';
}

export function isDynamicGroup(group: Pick<EntraGroup, 'groupTypes'>): boolean {
  return group.groupTypes.some((type) => type.toLowerCase() === 'dynamicmembership');
}

/** The Group Type attribute's text: the kind, and "(dynamic)" for a rule-based group. */
export function groupTypeText(group: Pick<EntraGroup, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>): string {
  return isDynamicGroup(group) ? `${groupKind(group)} (dynamic)` : groupKind(group);
}

export const GROUP_ATTRIBUTE_CATALOGUE: readonly GroupEntry[] = [
  {
    ...base,
    key: 'name',
    name: 'Name',
    description: 'Entra group display name',
    kind: text,
    label: true,
    showOnCreate: false,
    desired: (s) => s.group.displayName ?? s.group.id,
  },
  {
    ...base,
    key: 'entraGroupId',
    name: 'Entra Group ID',
    description: 'Entra group object id (the sync anchor)',
    kind: text,
    unique: true,
    cut: false,
    desired: (s) => s.group.id,
  },
  { ...base, key: 'email', name: 'Email', description: 'Entra group mail', kind: { type: 'email' }, desired: (s) => s.group.mail },
  {
    ...base,
    key: 'description',
    name: 'Description',
    description: 'Entra group description',
    kind: text,
    desired: (s) => s.group.description,
  },
  {
    ...base,
    key: 'groupType',
    name: 'Group Type',
    description: 'Security, Microsoft 365, Mail-enabled security or Distribution; "(dynamic)" for rule-based membership',
    kind: text,
    desired: (s) => groupTypeText(s.group),
  },
  {
    ...base,
    key: 'active',
    name: 'Active',
    description: 'In Entra ID and in the group sync selection',
    kind: { type: 'boolean' },
    cut: false,
    desired: (s) => s.active,
  },
];

export const GROUP_OBJECT_TYPE: ObjectTypeDefinition = {
  key: 'group',
  name: 'Entra Group',
  description: 'One object per Entra ID group the group sync selects (Setup tab).',
  iconName: 'Group',
  anchor: 'entraGroupId',
  attributes: GROUP_ATTRIBUTE_CATALOGUE,
};

/**
 * The Employee attribute listing the user's groups (many references to Entra Group objects), in the schema while
 * group sync is on; turning group sync off stops updating it and leaves its values alone.
 */
export const EMPLOYEE_GROUPS_ATTRIBUTE: AttributeDefinition = {
  ...base,
  key: 'groups',
  name: 'Groups',
  description: 'Entra groups the user is a member of (direct or transitive, per the group sync setting), among the synced groups',
  kind: { type: 'reference', objectType: 'group', referenceTypeName: 'Member of', many: true },
  cut: false,
  note: 'Needs the Microsoft Graph application permission GroupMember.Read.All.',
  desired: (source) => ('entraUser' in source ? [...source.groups] : []),
};
