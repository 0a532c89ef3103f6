/**
 * An Entra ID group as the sync sees it (the cached group directory stores exactly this shape), its direct members
 * by kind, and the changes Microsoft Graph's groups delta reports (https://learn.microsoft.com/graph/delta-query-groups:
 * `GET /groups/delta?$select=...,members` returns each changed group with `members@delta`, the added members with
 * their `@odata.type` and the removed ones with `@removed`; the same group can come on several pages, each with part
 * of its members; a removed group comes as `{id, @removed}`).
 *
 * Members are kept by kind: users (the ones an Employee can have), groups (nested: flattened for transitive
 * membership) and everything else a group can hold (devices, organisational contacts, service principals), which the
 * sync skips and counts.
 */
import { z } from 'zod';

export const GROUP_MEMBER_KINDS = ['user', 'group', 'other'] as const;
export type GroupMemberKind = (typeof GROUP_MEMBER_KINDS)[number];

/** A group's properties the sync reads ($select on groups/delta), without its members. */
export const entraGroupPropertiesSchema = z.object({
  displayName: z.string().nullable(),
  mail: z.string().nullable(),
  description: z.string().nullable(),
  /** 'Unified' = Microsoft 365 group; 'DynamicMembership' = members set by a rule. */
  groupTypes: z.array(z.string()),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
});
export type EntraGroupProperties = z.infer<typeof entraGroupPropertiesSchema>;

export const entraGroupSchema = entraGroupPropertiesSchema.extend({
  id: z.string().min(1),
});
/** A group of the cached directory, without its members (they are stored as GroupMemberEdge records). */
export type EntraGroup = z.infer<typeof entraGroupSchema>;

/** One direct membership: the member's Entra object id and kind, in the group `groupId`. Stored as a compact tuple. */
export const groupMemberEdgeSchema = z.tuple([z.string().min(1), z.enum(GROUP_MEMBER_KINDS), z.string().min(1)]);
/** [groupId, kind, memberId] */
export type GroupMemberEdge = z.infer<typeof groupMemberEdgeSchema>;

export const groupMemberRefSchema = z.object({ id: z.string().min(1), kind: z.enum(GROUP_MEMBER_KINDS) });
export type GroupMemberRef = z.infer<typeof groupMemberRefSchema>;

/** Persistable form (a page of changes can wait in storage between invocations). */
export const groupDeltaChangeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('upsert'),
    id: z.string().min(1),
    /** Only the properties present in the delta item (a repeated group on a later page may carry none). */
    fields: entraGroupPropertiesSchema.partial(),
    /** members@delta entries without @removed. */
    membersAdded: z.array(groupMemberRefSchema),
    /** members@delta entries with @removed (their ids). */
    membersRemoved: z.array(z.string().min(1)),
  }),
  /** The group was deleted (soft: restorable for 30 days, or for good); a restore comes back as an upsert. */
  z.object({ kind: z.literal('removed'), id: z.string().min(1) }),
]);
export type GroupDeltaChange = z.infer<typeof groupDeltaChangeSchema>;

/** The group kinds the Group Type attribute names (Microsoft's "Compare groups" table). */
export type GroupKind = 'Microsoft 365' | 'Security' | 'Mail-enabled security' | 'Distribution';
