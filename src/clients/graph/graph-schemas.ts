/**
 * The shapes the Microsoft identity platform and Microsoft Graph answer with, as far as this app reads them, and
 * the mapping from Graph's user JSON to the domain's EntraUser. Everything from Microsoft passes through here.
 */
import { z } from 'zod';

import type { DeltaChange, EntraUserFields } from '../../domain/directory-delta';
import type { EntraUser } from '../../domain/entra-user';

// ---- token endpoint ----

export const tokenSuccessSchema = z.object({
  token_type: z.string().refine((value) => value.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  // v2.0 answers a number; older endpoints sent a numeric string.
  expires_in: z.union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  access_token: z.string().min(1),
});
export type TokenSuccess = z.infer<typeof tokenSuccessSchema>;

export const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
  trace_id: z.string().optional(),
  correlation_id: z.string().optional(),
});
export type TokenError = z.infer<typeof tokenErrorSchema>;

// ---- Graph errors ----

export const graphErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().optional(),
  }),
});

// ---- users ----

const nullableString = z.string().nullable().optional();
const nullableStrings = z.array(z.string()).nullable().optional();

/**
 * The manager as $expand returns it: a user or an orgContact; with `manager($select=id)` honoured only id and
 * @odata.type, otherwise the full object. Only the id is kept, so both readings parse the same.
 */
const expandedManagerSchema = z
  .looseObject({ id: z.string().min(1), '@odata.type': z.string().optional() })
  .nullable()
  .optional();

/** Loose: the properties of chosen attributes (attribute-catalogue.ts) are read from what passes through. */
export const graphUserSchema = z.looseObject({
  id: z.string().min(1),
  displayName: nullableString,
  mail: nullableString,
  userPrincipalName: nullableString,
  proxyAddresses: nullableStrings,
  otherMails: nullableStrings,
  jobTitle: nullableString,
  department: nullableString,
  accountEnabled: z.boolean().nullable().optional(),
  manager: expandedManagerSchema,
});
export type GraphUser = z.infer<typeof graphUserSchema>;

/** A link Graph hands back must stay on the Graph host: the bearer token is sent to wherever it points. */
export function graphLinkSchema(graphOrigin: string) {
  return z.string().refine((link) => isGraphLink(link, graphOrigin), 'link is not on the Microsoft Graph host');
}

export function isGraphLink(link: string, graphOrigin: string): boolean {
  try {
    const url = new URL(link);
    return url.origin === new URL(graphOrigin).origin && url.pathname.startsWith('/v1.0/');
  } catch {
    return false;
  }
}

export function usersPageSchema(graphOrigin: string) {
  return z.object({
    value: z.array(graphUserSchema),
    '@odata.nextLink': graphLinkSchema(graphOrigin).optional(),
  });
}

// ---- delta ----

const managerDeltaEntrySchema = z.looseObject({
  id: z.string().min(1),
  '@removed': z.looseObject({}).optional(),
});

export const deltaItemSchema = graphUserSchema.omit({ manager: true }).extend({
  // Graph documents only these two reasons; anything else is treated as the recoverable one.
  '@removed': z.object({ reason: z.enum(['changed', 'deleted']).catch('changed') }).optional(),
  'manager@delta': z.array(managerDeltaEntrySchema).optional(),
});
export type DeltaItem = z.infer<typeof deltaItemSchema>;

export function deltaPageSchema(graphOrigin: string) {
  return z
    .object({
      value: z.array(deltaItemSchema),
      '@odata.nextLink': graphLinkSchema(graphOrigin).optional(),
      '@odata.deltaLink': graphLinkSchema(graphOrigin).optional(),
    })
    .refine((page) => (page['@odata.nextLink'] === undefined) !== (page['@odata.deltaLink'] === undefined), {
      message: 'a delta page has exactly one of @odata.nextLink and @odata.deltaLink',
    });
}

// ---- $batch ----

export const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});
export type BatchItemResponse = z.infer<typeof batchResponseSchema>['responses'][number];

// ---- $count ----

/** text/plain digits; a UTF-8 byte order mark in front is tolerated. */
export const countSchema = z
  .string()
  .transform((text) => text.replace(/^\uFEFF/, '').trim())
  .pipe(z.string().regex(/^\d+$/))
  .transform(Number);

// ---- mapping ----

/**
 * Graph user JSON -> EntraUser. Collections Graph reports as null become empty lists. accountEnabled null (seen on
 * some synced or newly created objects) is treated as disabled: the sync never activates an employee on a value
 * it cannot confirm, and the next read corrects it.
 */
export function toEntraUser(user: GraphUser, extras: readonly GraphExtra[] = [], profile: readonly string[] = []): EntraUser {
  const entraUser: EntraUser = {
    id: user.id,
    displayName: user.displayName ?? null,
    mail: user.mail ?? null,
    userPrincipalName: user.userPrincipalName ?? null,
    proxyAddresses: user.proxyAddresses ?? [],
    otherMails: user.otherMails ?? [],
    jobTitle: user.jobTitle ?? null,
    department: user.department ?? null,
    accountEnabled: user.accountEnabled ?? false,
    managerId: user.manager?.id ?? null,
  };
  if (extras.length > 0) entraUser.extra = Object.fromEntries(extras.map((extra) => [extra.key, extra.read(user)]));
  if (profile.length > 0) entraUser.profile = Object.fromEntries(profile.map((property) => [property, profileValue(user, property)]));
  return entraUser;
}

/** A scope property (scope.ts) as text: Graph sends these string properties as a string or null. */
function profileValue(user: Readonly<Record<string, unknown>>, property: string): string | null {
  const value = user[property];
  return typeof value === 'string' ? value : null;
}

/** A chosen attribute read from a Graph user property (AttributeDefinition.fromGraph). */
export interface GraphExtra {
  readonly key: string;
  read(user: Readonly<Record<string, unknown>>): string | null;
  /** The Graph properties it reads: a delta item carries only the changed ones. */
  readonly select: readonly string[];
}

const DELTA_STRING_FIELDS = ['displayName', 'mail', 'userPrincipalName', 'jobTitle', 'department'] as const;
const DELTA_LIST_FIELDS = ['proxyAddresses', 'otherMails'] as const;

/**
 * A delta item -> DeltaChange with only the properties the item carries: an absent key means "unchanged", never
 * "null". `manager@delta` holds ids only; an entry marked @removed (or an empty list) means the manager was removed.
 */
export function toDeltaChange(item: DeltaItem, extras: readonly GraphExtra[] = [], profile: readonly string[] = []): DeltaChange {
  const removed = item['@removed'];
  if (removed !== undefined) return { kind: 'removed', id: item.id, reason: removed.reason };
  const fields: EntraUserFields = {};
  for (const key of DELTA_STRING_FIELDS) {
    const value = item[key];
    if (value !== undefined) fields[key] = value;
  }
  for (const key of DELTA_LIST_FIELDS) {
    const value = item[key];
    if (value !== undefined) fields[key] = value ?? [];
  }
  if (item.accountEnabled !== undefined) fields.accountEnabled = item.accountEnabled ?? false;
  const extra: Record<string, string | null> = {};
  let extraSeen = false;
  for (const entry of extras) {
    if (!entry.select.some((property) => property in item)) continue;
    extra[entry.key] = entry.read(item);
    extraSeen = true;
  }
  if (extraSeen) fields.extra = extra;
  // A delta item carries only the changed properties: absent means unchanged.
  const present = profile.filter((property) => property in item);
  if (present.length > 0) fields.profile = Object.fromEntries(present.map((property) => [property, profileValue(item, property)]));
  const managerDelta = item['manager@delta'];
  if (managerDelta !== undefined) fields.managerId = managerDelta.find((entry) => entry['@removed'] === undefined)?.id ?? null;
  return { kind: 'upsert', id: item.id, fields };
}
