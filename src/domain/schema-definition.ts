/**
 * The Assets schema this app owns, as data. The Assets client creates and repairs the schema from this
 * description, and the schema diff (schema-diff.ts) compares it with what a site has.
 */
import type { EmployeeAttributeKey } from './employee';

export type AttributeKind =
  | { readonly type: 'text' }
  /** An email address: created as Text; an existing Email (or Text, Textarea) attribute is used as it is. */
  | { readonly type: 'email' }
  | { readonly type: 'boolean' }
  | { readonly type: 'user' }
  /** A reference to another object of the same object type (the Employee type). */
  | { readonly type: 'employee-reference'; readonly referenceTypeName: string };

export interface AttributeDefinition {
  readonly key: EmployeeAttributeKey;
  readonly name: string;
  readonly description: string;
  readonly kind: AttributeKind;
  readonly label: boolean;
  readonly unique: boolean;
}

export interface SchemaDefinition {
  readonly name: string;
  readonly key: string;
  readonly description: string;
  readonly objectType: {
    readonly name: string;
    readonly description: string;
    /** Name of the icon from GET icon/global; the first icon is used when no icon has this name. */
    readonly iconName: string;
  };
  readonly attributes: readonly AttributeDefinition[];
}

const text = { type: 'text' } as const;

export const ENTRA_SCHEMA: SchemaDefinition = {
  name: 'Entra Directory',
  key: 'ENTRA',
  description: 'Employees synchronised from Microsoft Entra ID by the Entra ID to Assets Sync app.',
  objectType: {
    name: 'Employee',
    description: 'One object per Entra ID user matched to an Atlassian account.',
    iconName: 'User',
  },
  attributes: [
    { key: 'fullName', name: 'Full Name', description: 'Entra display name', kind: text, label: true, unique: false },
    { key: 'entraUserId', name: 'Entra User ID', description: 'Entra object id (the sync anchor)', kind: text, label: false, unique: true },
    { key: 'email', name: 'Email', description: 'Entra mail, or the matched Atlassian email', kind: { type: 'email' }, label: false, unique: false },
    { key: 'jobTitle', name: 'Job Title', description: 'Entra job title', kind: text, label: false, unique: false },
    { key: 'department', name: 'Department', description: 'Entra department', kind: text, label: false, unique: false },
    { key: 'atlassianAccountId', name: 'Atlassian Account ID', description: 'Matched Atlassian account id', kind: text, label: false, unique: false },
    { key: 'jiraUser', name: 'Jira User', description: 'Matched Jira user', kind: { type: 'user' }, label: false, unique: false },
    { key: 'active', name: 'Active', description: 'Enabled in Entra ID and matched to an active Atlassian account', kind: { type: 'boolean' }, label: false, unique: false },
    { key: 'manager', name: 'Manager', description: "Manager's Employee object", kind: { type: 'employee-reference', referenceTypeName: 'Reports to' }, label: false, unique: false },
    { key: 'managerAtlassianAccountId', name: 'Manager Atlassian Account ID', description: "Manager's Atlassian account id", kind: text, label: false, unique: false },
  ],
};

/** Assets text attributes hold at most this many characters. */
export const ASSETS_TEXT_MAX_LENGTH = 255;
