/**
 * The data a simulated world is made of: what the fake Entra tenant and the fake Jira site serve. Records hold
 * the full truth (e.g. a hidden email is still known here); the fakes decide what each API reveals.
 */

/** A directory object in the fake tenant, in Microsoft Graph's property names. */
export interface FakeGraphUser {
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  proxyAddresses: string[];
  otherMails: string[];
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  accountEnabled: boolean;
  /** 'Member' | 'Guest' */
  userType: string;
  employeeId: string | null;
  /*
   * The properties the attribute catalogue reads (src/domain/attribute-catalogue.ts), in Graph's shapes
   * (https://learn.microsoft.com/graph/api/resources/user): optional so worlds and snapshots written before them
   * stay valid; absent reads as Graph's "not set" (null, or [] for businessPhones).
   */
  employeeType?: string | null;
  companyName?: string | null;
  city?: string | null;
  country?: string | null;
  usageLocation?: string | null;
  mobilePhone?: string | null;
  businessPhones?: string[];
  /** An ISO 8601 date-time in UTC, e.g. 2021-03-01T00:00:00Z (Graph's DateTimeOffset). */
  employeeHireDate?: string | null;
  employeeOrgData?: { costCenter: string | null; division: string | null } | null;
  /** extensionAttribute1..15; Graph always returns all fifteen keys (null when unset). */
  onPremisesExtensionAttributes?: Record<string, string | null>;
  /** Directory extension properties (`extension_{appIdWithoutHyphens}_{name}`) with a value for this user. */
  extensions?: Record<string, string | null>;
  /** Entra object id of the manager: a user or an org contact; null when none. */
  managerId: string | null;
}

export const EXTENSION_ATTRIBUTE_NAMES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}` as const);

/** An organisational contact (can be a user's manager, is never in /users). */
export interface FakeOrgContact {
  id: string;
  displayName: string | null;
  mail: string | null;
}

/** An account on the fake Jira site. */
export interface FakeJiraUser {
  accountId: string;
  /** 'atlassian' | 'app' | 'customer' */
  accountType: string;
  active: boolean;
  displayName: string;
  /** The account's email; null when it has none. */
  email: string | null;
  /** Profile visibility hides the email from users/search (the email API still returns it). */
  emailHidden: boolean;
}

/**
 * The kinds of directory object a group can hold as a member, with the `@odata.type` Graph gives each
 * (https://learn.microsoft.com/graph/api/group-list-members: users, groups, devices, organisational contacts and
 * service principals; guests are users with userType Guest).
 */
export type FakeMemberType = 'user' | 'group' | 'device' | 'orgContact' | 'servicePrincipal';

export interface FakeGroupMember {
  readonly type: FakeMemberType;
  readonly id: string;
}

/**
 * A group in Graph's property names (https://learn.microsoft.com/graph/api/resources/group): groupTypes holds
 * 'Unified' (Microsoft 365) and/or 'DynamicMembership' (members set by membershipRule); mailEnabled and
 * securityEnabled tell security, mail-enabled security and distribution groups apart. `members` are the direct
 * members (nested groups included; cycles are allowed, Entra ID does not stop them).
 */
export interface FakeGroup {
  id: string;
  displayName: string | null;
  mail: string | null;
  description: string | null;
  groupTypes: string[];
  mailEnabled: boolean;
  securityEnabled: boolean;
  membershipRule: string | null;
  members: FakeGroupMember[];
}

/** A device or service principal: only ever seen here as a group member. */
export interface FakeDirectoryObject {
  id: string;
  type: 'device' | 'servicePrincipal';
  displayName: string | null;
}

export interface World {
  readonly seed: number;
  readonly entra: {
    users: FakeGraphUser[];
    orgContacts: FakeOrgContact[];
    /** Absent in worlds written before groups existed: no groups. */
    groups?: FakeGroup[];
    /** Devices and service principals that are group members. */
    directoryObjects?: FakeDirectoryObject[];
  };
  readonly jira: { users: FakeJiraUser[] };
}
