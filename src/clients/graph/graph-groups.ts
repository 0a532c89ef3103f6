/**
 * Microsoft Graph's groups as the sync reads them: groups delta with members (the full read and the incremental
 * read in one API) and groups by id through $batch (checking the chosen group ids when settings are saved).
 *
 * Sources (docs/clients/graph.md, "Groups"):
 * - https://learn.microsoft.com/graph/delta-query-groups: `GET /groups/delta?$select=...,members` returns each group
 *   with `members@delta`: members as `{@odata.type, id}`, removed members with `@removed`; "the same group can
 *   appear on several pages" when it has many members, each page with part of them; a deleted group comes as
 *   `{id, @removed: {reason}}`.
 * - https://learn.microsoft.com/graph/api/group-delta: the page size is the server's (no $top); the round ends with
 *   an @odata.deltaLink; tokens expire (400 syncStateNotFound or 410), exactly as users delta.
 * - https://learn.microsoft.com/graph/api/resources/group: groupTypes ('Unified', 'DynamicMembership'), mailEnabled,
 *   securityEnabled.
 * - Permissions (https://learn.microsoft.com/graph/api/group-delta#permissions): application GroupMember.Read.All
 *   (least privileged), Group.Read.All or Directory.Read.All; without one Graph answers 403.
 */
import { z } from 'zod';

import type { EntraGroup, EntraGroupProperties, GroupDeltaChange, GroupMemberKind, GroupMemberRef } from '../../domain/entra-group';
import { AppError } from '../../domain/errors';
import { backoffMs, parseRetryAfter } from '../retry-policy';
import { header, readInBatches, sendGetBatch } from './graph-batch';
import { failureContext, type GraphFailure, graphFailure, isConsentDenied, isGraphRetryable } from './graph-errors';
import { graphErrorSchema, graphLinkSchema } from './graph-schemas';
import type { GraphCall, GraphClientDeps } from './graph-transport';

/** The group properties the sync reads ($select), without `members`. */
export const GROUP_PROPERTIES = ['id', 'displayName', 'mail', 'description', 'groupTypes', 'mailEnabled', 'securityEnabled'] as const;
export const GROUP_SELECT = GROUP_PROPERTIES.join(',');
/** The start of a groups delta round (every group with all its members). */
export const GROUPS_DELTA_PATH = `/v1.0/groups/delta?$select=${GROUP_SELECT},members`;

/** The application permissions that read groups and members: one list, in the domain (the Setup page reads it too). */
export { grantsGroupRead, GROUP_READ_ROLES } from '../../domain/group-sync';

// ---- shapes ----

const nullableString = z.string().nullable().optional();

const memberDeltaEntrySchema = z.looseObject({
  '@odata.type': z.string().optional(),
  id: z.string().min(1),
  '@removed': z.looseObject({}).optional(),
});

/** Loose: Graph may add properties; only the selected ones are read. */
export const graphGroupSchema = z.looseObject({
  id: z.string().min(1),
  displayName: nullableString,
  mail: nullableString,
  description: nullableString,
  groupTypes: z.array(z.string()).nullable().optional(),
  mailEnabled: z.boolean().nullable().optional(),
  securityEnabled: z.boolean().nullable().optional(),
});
type GraphGroup = z.infer<typeof graphGroupSchema>;

const groupDeltaItemSchema = graphGroupSchema.extend({
  '@removed': z.looseObject({}).optional(),
  'members@delta': z.array(memberDeltaEntrySchema).optional(),
});
type GroupDeltaItem = z.infer<typeof groupDeltaItemSchema>;

export function groupsDeltaPageSchema(graphOrigin: string) {
  return z
    .object({
      value: z.array(groupDeltaItemSchema),
      '@odata.nextLink': graphLinkSchema(graphOrigin).optional(),
      '@odata.deltaLink': graphLinkSchema(graphOrigin).optional(),
    })
    .refine((page) => (page['@odata.nextLink'] === undefined) !== (page['@odata.deltaLink'] === undefined), {
      message: 'a delta page has exactly one of @odata.nextLink and @odata.deltaLink',
    });
}

// ---- mapping ----

/**
 * A member's kind from its `@odata.type`: users and groups are what the sync uses; devices, org contacts, service
 * principals (and any type Graph adds later) are 'other', skipped and counted. A member without a type is 'other'
 * too: the sync never makes an Employee a member on a guess.
 */
export function memberKind(odataType: string | undefined): GroupMemberKind {
  const type = odataType?.toLowerCase();
  if (type === '#microsoft.graph.user') return 'user';
  if (type === '#microsoft.graph.group') return 'group';
  return 'other';
}

/** A groups delta item -> GroupDeltaChange; absent properties mean "unchanged" (a repeated group carries none). */
export function toGroupDeltaChange(item: GroupDeltaItem): GroupDeltaChange {
  if (item['@removed'] !== undefined) return { kind: 'removed', id: item.id };
  const fields: Partial<EntraGroupProperties> = {};
  if (item.displayName !== undefined) fields.displayName = item.displayName;
  if (item.mail !== undefined) fields.mail = item.mail;
  if (item.description !== undefined) fields.description = item.description;
  if (item.groupTypes !== undefined) fields.groupTypes = item.groupTypes ?? [];
  if (item.mailEnabled !== undefined) fields.mailEnabled = item.mailEnabled ?? false;
  if (item.securityEnabled !== undefined) fields.securityEnabled = item.securityEnabled ?? false;
  const membersAdded: GroupMemberRef[] = [];
  const membersRemoved: string[] = [];
  for (const entry of item['members@delta'] ?? []) {
    if (entry['@removed'] !== undefined) membersRemoved.push(entry.id);
    else membersAdded.push({ id: entry.id, kind: memberKind(entry['@odata.type']) });
  }
  return { kind: 'upsert', id: item.id, fields, membersAdded, membersRemoved };
}

export function toEntraGroup(group: GraphGroup): EntraGroup {
  return {
    id: group.id,
    displayName: group.displayName ?? null,
    mail: group.mail ?? null,
    description: group.description ?? null,
    groupTypes: group.groupTypes ?? [],
    mailEnabled: group.mailEnabled ?? false,
    securityEnabled: group.securityEnabled ?? false,
  };
}

// ---- errors ----

export function groupsForbidden(failure: GraphFailure, operation: string): AppError {
  return new AppError(
    'GRAPH_GROUPS_FORBIDDEN',
    'The app registration may not read groups and their members. In the Microsoft Entra admin center, add the Microsoft Graph application permission GroupMember.Read.All to the app registration (API permissions > Add a permission > Microsoft Graph > Application permissions) and grant admin consent; or turn group sync off on the Setup tab.',
    { context: failureContext(failure, operation) },
  );
}

/** A group read's failure: a role missing is the groups permission, anything else as for users. */
export function groupReadFailure(failure: GraphFailure, operation: string): AppError {
  if (isConsentDenied(failure)) return groupsForbidden(failure, operation);
  return graphFailure(failure, operation);
}

// ---- groups by id ($batch) ----

const BATCH_OPERATION = 'getGroupsByIds';
/** Entra object ids are GUIDs. */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ItemOutcome =
  | { readonly kind: 'group'; readonly group: EntraGroup }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'retry'; readonly waitMs: number; readonly status: number };

/**
 * Groups by Entra object id, 20 per $batch; ids Graph does not know (404, or not a GUID: 400) come back in
 * notFound. Throttled items are resent after their own Retry-After, as for users.
 */
export async function getGroupsInBatches(
  ids: readonly string[],
  deps: GraphClientDeps,
  call: GraphCall,
): Promise<{ groups: EntraGroup[]; notFound: string[] }> {
  const { found, notFound } = await readInBatches<EntraGroup>(ids, deps, BATCH_OPERATION, async (chunk, failures) =>
    (await sendGroupBatch(chunk, deps, call, failures)).map((outcome) =>
      outcome.kind === 'group' ? { kind: 'found', value: outcome.group } : outcome,
    ),
  );
  return { groups: found, notFound };
}

async function sendGroupBatch(
  chunk: readonly string[],
  deps: GraphClientDeps,
  call: GraphCall,
  failures: ReadonlyMap<string, number>,
): Promise<ItemOutcome[]> {
  const { items, clientRequestId } = await sendGetBatch(
    chunk.map((id) => `/groups/${encodeURIComponent(id)}?$select=${GROUP_SELECT}`),
    deps,
    call,
    BATCH_OPERATION,
    (failure) => groupReadFailure(failure, BATCH_OPERATION),
  );
  const outcomes: ItemOutcome[] = [];
  for (const [index, id] of chunk.entries()) {
    const item = items[index]!;
    const requestId = header(item, 'request-id');
    if (item.status === 200) {
      const parsed = graphGroupSchema.safeParse(item.body);
      if (!parsed.success || parsed.data.id !== id) {
        throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph ($batch) returned a group the app could not read.', {
          context: { operation: BATCH_OPERATION, status: item.status, requestId },
          cause: parsed.error,
          retry: 'now',
        });
      }
      outcomes.push({ kind: 'group', group: toEntraGroup(parsed.data) });
      continue;
    }
    const error = graphErrorSchema.safeParse(item.body);
    const graphCode = error.success ? error.data.error.code : null;
    // A malformed id (not a GUID) is answered 400 Request_BadRequest "Invalid object identifier": it names no group
    // either. Only for such ids: a 400 for a well-formed id is a request the app got wrong and must fail loudly.
    if (item.status === 404 || (item.status === 400 && !OBJECT_ID.test(id))) {
      outcomes.push({ kind: 'notFound' });
      continue;
    }
    if (isGraphRetryable(item.status)) {
      const fromHeader = parseRetryAfter(header(item, 'retry-after'), deps.policy.now());
      const attempt = (failures.get(id) ?? 0) + 1;
      outcomes.push({ kind: 'retry', waitMs: fromHeader ?? backoffMs(attempt, deps.policy), status: item.status });
      continue;
    }
    const failure: GraphFailure = { status: item.status, graphCode, requestId, clientRequestId };
    if (isConsentDenied(failure)) await deps.tokens.invalidate();
    throw groupReadFailure(failure, BATCH_OPERATION);
  }
  return outcomes;
}
