/**
 * Group sync settings: which Entra groups become Entra Group objects in Assets (none, all, chosen ids, or those
 * whose display name starts with a prefix) and whether an Employee's Groups lists its direct memberships or its
 * transitive ones (nested groups flattened). Stored in the settings (`groups`), fixed on a run when it starts.
 * Text form for the sandbox CLI (docs/sandbox.md): `off`, `all`, `ids:<id>,<id>`, `prefix:<text>`.
 */
import { z } from 'zod';

import { AppError } from './errors';

export const GROUPS_FIELD_LABEL = 'Group sync';
export const GROUP_MEMBERSHIP_FIELD_LABEL = 'Group membership';
/** Chosen groups at most (each is checked against Graph when the settings are saved). */
export const GROUP_IDS_MAX = 50;
export const GROUP_PREFIX_MAX_LENGTH = 100;

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const groupIdSchema = z
  .string()
  .trim()
  .regex(GUID_PATTERN, {
    error: (issue) => `${GROUPS_FIELD_LABEL}: ${JSON.stringify(issue.input)} is not an Entra group object id (a GUID).`,
  })
  .transform((id) => id.toLowerCase());

export const groupSelectionSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('off') }),
    z.object({ mode: z.literal('all') }),
    z.object({
      mode: z.literal('ids'),
      ids: z
        .array(groupIdSchema)
        .min(1, { error: `${GROUPS_FIELD_LABEL}: choose at least one group.` })
        .max(GROUP_IDS_MAX, { error: `${GROUPS_FIELD_LABEL}: at most ${GROUP_IDS_MAX} chosen groups.` })
        .transform((ids) => [...new Set(ids)]),
    }),
    z.object({
      mode: z.literal('prefix'),
      prefix: z
        .string()
        .trim()
        .min(1, { error: `${GROUPS_FIELD_LABEL}: the name prefix cannot be empty.` })
        .max(GROUP_PREFIX_MAX_LENGTH, {
          error: `${GROUPS_FIELD_LABEL}: the name prefix can have at most ${GROUP_PREFIX_MAX_LENGTH} characters.`,
        }),
    }),
  ],
  { error: `${GROUPS_FIELD_LABEL} must be off, all groups, chosen groups or groups whose name starts with a prefix.` },
);
export type GroupSelection = z.infer<typeof groupSelectionSchema>;

export const groupMembershipSchema = z.enum(['direct', 'transitive'], {
  error: `${GROUP_MEMBERSHIP_FIELD_LABEL} must be direct or transitive.`,
});
export type GroupMembership = z.infer<typeof groupMembershipSchema>;

export const GROUP_SYNC_OFF: GroupSelection = { mode: 'off' };

export function isGroupSyncOn(selection: GroupSelection | null | undefined): boolean {
  return selection !== null && selection !== undefined && selection.mode !== 'off';
}

/** Whether a group (by id and display name) is one the selection syncs. Prefixes compare case-insensitively. */
export function isSelectedGroup(selection: GroupSelection, id: string, displayName: string | null): boolean {
  switch (selection.mode) {
    case 'off':
      return false;
    case 'all':
      return true;
    case 'ids':
      return selection.ids.includes(id.toLowerCase());
    case 'prefix':
      return (displayName ?? '').trim().toLowerCase().startsWith(selection.prefix.toLowerCase());
  }
}

/** The CLI's text form: `off`, `all`, `ids:<id>,<id>`, `prefix:<text>`; INPUT_INVALID for anything else. */
export function parseGroupSelection(text: string): GroupSelection {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const head = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? null : trimmed.slice(colon + 1);
  let raw: unknown;
  if ((head === 'off' || head === 'all') && rest === null) raw = { mode: head };
  else if (head === 'ids' && rest !== null) raw = { mode: 'ids', ids: rest.split(',').filter((id) => id.trim().length > 0) };
  else if (head === 'prefix' && rest !== null) raw = { mode: 'prefix', prefix: rest };
  else throw invalid(`"${trimmed}" is not a group selection: use off, all, ids:<id>,<id> or prefix:<text>.`);
  const parsed = groupSelectionSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => issue.message).join(' '));
  return parsed.data;
}

export function printGroupSelection(selection: GroupSelection): string {
  switch (selection.mode) {
    case 'off':
    case 'all':
      return selection.mode;
    case 'ids':
      return `ids:${selection.ids.join(',')}`;
    case 'prefix':
      return `prefix:${selection.prefix}`;
  }
}

function invalid(message: string): AppError {
  return new AppError('INPUT_INVALID', message, { context: { field: 'groups' } });
}

/**
 * Application permissions of Microsoft Graph (the token's `roles` claim) that let the app read groups and their
 * members; GroupMember.Read.All is the least privileged, the others are the "higher privileged permissions" of the
 * Permissions tables of "group: delta" and "List group members" (the ReadWrite forms included: an app granted one
 * for write-back reads groups with it): https://learn.microsoft.com/graph/api/group-delta#permissions,
 * https://learn.microsoft.com/graph/api/group-list-members#permissions.
 */
export const GROUP_READ_ROLES = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
] as const;
export const GROUP_READ_PERMISSION = GROUP_READ_ROLES[0];

export function grantsGroupRead(roles: readonly string[]): boolean {
  return roles.some((role) => (GROUP_READ_ROLES as readonly string[]).includes(role));
}
