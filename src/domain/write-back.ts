/**
 * Write-back to Entra ID (issue 17): the capabilities an admin may switch on for Jira Automation, the least Microsoft
 * Graph application permission each needs, and the rules every write-back action obeys. Off by default: nothing a
 * rule can do that the admin did not switch on here. Pure: imports zod and domain modules only.
 *
 * Permissions (Microsoft Graph permission tables, each page's "Permissions" section):
 * - accountStatus: PATCH /users/{id} accountEnabled, "User.EnableDisableAccount.All + User.Read.All" least
 *   privileged (https://learn.microsoft.com/graph/api/user-update#permissions); User.ReadWrite.All and
 *   Directory.ReadWrite.All also allow it.
 * - revokeSessions: POST /users/{id}/revokeSignInSessions, User.RevokeSessions.All least privileged, User.ReadWrite.All
 *   and Directory.ReadWrite.All higher (https://learn.microsoft.com/graph/api/user-revokesigninsessions#permissions).
 * - updateAttributes: PATCH /users/{id} (job title, department, office, phones, employee ID) and PUT
 *   /users/{id}/manager/$ref, User.ReadWrite.All (https://learn.microsoft.com/graph/api/user-update#permissions,
 *   https://learn.microsoft.com/graph/api/user-post-manager#permissions); Directory.ReadWrite.All higher.
 * - groupMembership: POST /groups/{id}/members/$ref and DELETE /groups/{id}/members/{id}/$ref,
 *   GroupMember.ReadWrite.All least privileged, Group.ReadWrite.All and Directory.ReadWrite.All higher
 *   (https://learn.microsoft.com/graph/api/group-post-members#permissions,
 *   https://learn.microsoft.com/graph/api/group-delete-members#permissions).
 */
import { z } from 'zod';

export const WRITE_BACK_FIELD_LABEL = 'Write-back actions';

export const WRITE_BACK_CAPABILITIES = ['accountStatus', 'revokeSessions', 'updateAttributes', 'groupMembership'] as const;
export type WriteBackCapability = (typeof WRITE_BACK_CAPABILITIES)[number];

export const CAPABILITY_LABELS: Readonly<Record<WriteBackCapability, string>> = {
  accountStatus: 'Disable / enable accounts',
  revokeSessions: 'Sign users out everywhere',
  updateAttributes: 'Update allowed attributes',
  groupMembership: 'Add to / remove from allowed groups',
};

/** The least privileged permission, named in messages, then the others that also allow the capability. */
export const CAPABILITY_PERMISSIONS: Readonly<Record<WriteBackCapability, readonly [string, ...string[]]>> = {
  accountStatus: ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  revokeSessions: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  updateAttributes: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  groupMembership: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
};

export function leastPermission(capability: WriteBackCapability): string {
  return CAPABILITY_PERMISSIONS[capability][0];
}

/** Whether a token's roles claim allows the capability. */
export function permissionGranted(capability: WriteBackCapability, roles: readonly string[]): boolean {
  return CAPABILITY_PERMISSIONS[capability].some((permission) => roles.includes(permission));
}

/**
 * The attributes "Update Entra user" may write, with Graph's limits (user resource,
 * https://learn.microsoft.com/graph/api/resources/user#properties: jobTitle 128, department 64, officeLocation 128,
 * mobilePhone 64, employeeId 16 characters; businessPhones holds one number).
 */
export const UPDATABLE_ATTRIBUTES = [
  'jobTitle',
  'department',
  'officeLocation',
  'businessPhone',
  'mobilePhone',
  'employeeId',
  'manager',
] as const;
export type UpdatableAttribute = (typeof UPDATABLE_ATTRIBUTES)[number];

export const ATTRIBUTE_MAX_LENGTH: Readonly<Record<Exclude<UpdatableAttribute, 'manager'>, number>> = {
  jobTitle: 128,
  department: 64,
  officeLocation: 128,
  businessPhone: 64,
  mobilePhone: 64,
  employeeId: 16,
};

/** Printable text without control characters or the markup characters < and >. */
const TEXT_PATTERN = /^[^\p{Cc}<>]*$/u;
/** Digits, spaces and + ( ) - . / x (extensions). */
const PHONE_PATTERN = /^[0-9+()\-./ x]*$/;
const EMPLOYEE_ID_PATTERN = /^[A-Za-z0-9._-]*$/;

/** null when the value is acceptable for the attribute, else what is wrong (never repeating the value). */
export function attributeValueProblem(attribute: Exclude<UpdatableAttribute, 'manager'>, value: string): string | null {
  const max = ATTRIBUTE_MAX_LENGTH[attribute];
  if (value.length > max) return `${attribute} can have at most ${max} characters.`;
  if (attribute === 'businessPhone' || attribute === 'mobilePhone')
    return PHONE_PATTERN.test(value) ? null : `${attribute} may hold only digits, spaces and + ( ) - . / x.`;
  if (attribute === 'employeeId') return EMPLOYEE_ID_PATTERN.test(value) ? null : `${attribute} may hold only letters, digits and . _ -.`;
  return TEXT_PATTERN.test(value) ? null : `${attribute} may not hold control characters or < >.`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guidList = (what: string) =>
  z
    .array(z.string().regex(GUID, { error: `${WRITE_BACK_FIELD_LABEL}: ${what} must be Entra object ids (GUIDs).` }), {
      error: `${WRITE_BACK_FIELD_LABEL}: ${what} must be a list of Entra object ids.`,
    })
    .max(100, { error: `${WRITE_BACK_FIELD_LABEL}: at most 100 ${what}.` });

export const RATE_PER_MINUTE_MIN = 1;
export const RATE_PER_MINUTE_MAX = 30;
export const RATE_PER_MINUTE_DEFAULT = 10;

export const writeBackSettingsSchema = z
  .strictObject(
    {
      /** The capabilities switched on; [] = write-back off. */
      capabilities: z.array(
        z.enum(WRITE_BACK_CAPABILITIES, {
          error: `${WRITE_BACK_FIELD_LABEL}: unknown capability (allowed: ${WRITE_BACK_CAPABILITIES.join(', ')}).`,
        }),
      ),
      /** What "Update Entra user" may write. */
      attributes: z.array(
        z.enum(UPDATABLE_ATTRIBUTES, {
          error: `${WRITE_BACK_FIELD_LABEL}: unknown attribute (allowed: ${UPDATABLE_ATTRIBUTES.join(', ')}).`,
        }),
      ),
      /** The only groups "Add to / Remove from Entra group" may change. */
      groupIds: guidList('allowed groups'),
      /** Guests may be targeted (default no). */
      allowGuests: z.boolean(),
      /** Members of privileged directory roles that may still be targeted (Entra object ids). */
      exceptions: guidList('exceptions'),
      /** Write actions per minute per site. */
      ratePerMinute: z
        .number()
        .int()
        .min(RATE_PER_MINUTE_MIN, { error: `${WRITE_BACK_FIELD_LABEL}: at least ${RATE_PER_MINUTE_MIN} action a minute.` })
        .max(RATE_PER_MINUTE_MAX, { error: `${WRITE_BACK_FIELD_LABEL}: at most ${RATE_PER_MINUTE_MAX} actions a minute.` }),
    },
    { error: `${WRITE_BACK_FIELD_LABEL} must be {capabilities, attributes, groupIds, allowGuests, exceptions, ratePerMinute}.` },
  )
  .superRefine((value, ctx) => {
    if (value.capabilities.includes('updateAttributes') && value.attributes.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: `${WRITE_BACK_FIELD_LABEL}: choose the attributes "Update Entra user" may write, or switch it off.`,
      });
    if (value.capabilities.includes('groupMembership') && value.groupIds.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: `${WRITE_BACK_FIELD_LABEL}: list the groups the group actions may change, or switch them off.`,
      });
  });

export type WriteBackSettings = z.infer<typeof writeBackSettingsSchema>;

export const WRITE_BACK_OFF: WriteBackSettings = {
  capabilities: [],
  attributes: [],
  groupIds: [],
  allowGuests: false,
  exceptions: [],
  ratePerMinute: RATE_PER_MINUTE_DEFAULT,
};

/** `configure --write-back CAP,CAP` ('' = all off): the capability list, or the unknown names. */
export function parseCapabilityList(text: string): { capabilities: WriteBackCapability[] } | { unknown: string[] } {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(WRITE_BACK_CAPABILITIES as readonly string[]).includes(name));
  if (unknown.length > 0) return { unknown };
  return { capabilities: [...new Set(names)] as WriteBackCapability[] };
}

/** One capability's permission as Test connection and Diagnostics show it. */
export interface CapabilityPermission {
  readonly capability: WriteBackCapability;
  /** The least privileged Graph application permission the capability needs. */
  readonly permission: string;
  readonly switchedOn: boolean;
  /** Whether the token's roles allow it; null when the roles could not be read. */
  readonly granted: boolean | null;
}

/** Every capability (switched on or not) with whether the token's roles allow it. */
export function capabilityPermissions(switchedOn: readonly WriteBackCapability[], roles: readonly string[] | null): CapabilityPermission[] {
  return WRITE_BACK_CAPABILITIES.map((capability) => ({
    capability,
    permission: leastPermission(capability),
    switchedOn: switchedOn.includes(capability),
    granted: roles === null ? null : permissionGranted(capability, roles),
  }));
}
