/**
 * The fake tenant's memory as JSON, so the sandbox can keep one simulated tenant across processes (users with their
 * change history, issued access tokens, delta tokens and rounds, paging cursors). A snapshot read back from disk is
 * `unknown` until this schema parses it.
 */
import { z } from 'zod';

import { GROUP_PROPERTIES } from './group-state';
import { EXTENSION_PROPERTY_PATTERN, type ExtensionProperty, USER_PROPERTIES } from './odata-query';

export const fakeGraphUserSchema = z.object({
  id: z.string(),
  displayName: z.string().nullable(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  mail: z.string().nullable(),
  userPrincipalName: z.string(),
  proxyAddresses: z.array(z.string()),
  otherMails: z.array(z.string()),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  officeLocation: z.string().nullable(),
  accountEnabled: z.boolean(),
  userType: z.string(),
  employeeId: z.string().nullable(),
  employeeType: z.string().nullable().optional(),
  companyName: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  usageLocation: z.string().nullable().optional(),
  mobilePhone: z.string().nullable().optional(),
  businessPhones: z.array(z.string()).optional(),
  employeeHireDate: z.string().nullable().optional(),
  employeeOrgData: z.object({ costCenter: z.string().nullable(), division: z.string().nullable() }).nullable().optional(),
  onPremisesExtensionAttributes: z.record(z.string(), z.string().nullable()).optional(),
  extensions: z.record(z.string(), z.string().nullable()).optional(),
  managerId: z.string().nullable(),
});

const selectionSchema = z.object({
  properties: z.array(
    z.union([
      z.enum(USER_PROPERTIES),
      z
        .string()
        .regex(EXTENSION_PROPERTY_PATTERN)
        .transform((name) => name as ExtensionProperty),
    ]),
  ),
  manager: z.boolean(),
  explicit: z.boolean(),
});
const expirySchema = z.union([z.literal(400), z.literal(410)]).nullable();

const memberTypeSchema = z.enum(['user', 'group', 'device', 'orgContact', 'servicePrincipal']);
const groupSelectionSchema = z.object({ properties: z.array(z.enum(GROUP_PROPERTIES)), members: z.boolean() });

/** The groups (group-state.ts); absent in snapshots written before groups existed. */
/** A snapshot's delta tokens and rounds in progress (delta-state.ts), for a users or a groups selection. */
function deltaStateSchemas<S extends z.ZodType>(selection: S) {
  return {
    deltaTokens: z.array(z.tuple([z.string(), z.object({ seq: z.number().int(), selection, expired: expirySchema })])),
    deltaRounds: z.array(
      z.tuple([
        z.string(),
        z.object({
          items: z.array(z.record(z.string(), z.unknown())),
          deltaSeq: z.number().int(),
          selection,
          expired: expirySchema,
          pageTokensExpired: z.boolean().optional(),
        }),
      ]),
    ),
  };
}

const groupSnapshotSchema = z.object({
  records: z.array(
    z.object({
      group: z.object({
        id: z.string(),
        displayName: z.string().nullable(),
        mail: z.string().nullable(),
        description: z.string().nullable(),
        groupTypes: z.array(z.string()),
        mailEnabled: z.boolean(),
        securityEnabled: z.boolean(),
        membershipRule: z.string().nullable(),
      }),
      members: z.array(z.tuple([z.string(), memberTypeSchema])),
      createdSeq: z.number().int(),
      propsSeq: z.number().int(),
      memberSeq: z.array(z.tuple([z.string(), z.number().int(), memberTypeSchema])),
      deleted: z.object({ kind: z.enum(['soft', 'hard']), seq: z.number().int() }).nullable(),
    }),
  ),
  directoryObjects: z.array(z.object({ id: z.string(), type: z.enum(['device', 'servicePrincipal']), displayName: z.string().nullable() })),
  ...deltaStateSchemas(groupSelectionSchema),
});

export const tenantSnapshotSchema = z.object({
  v: z.literal(1),
  seq: z.number().int(),
  consentGranted: z.boolean(),
  secretExpired: z.boolean(),
  records: z.array(
    z.object({
      user: fakeGraphUserSchema,
      createdSeq: z.number().int(),
      changedSeq: z.array(z.tuple([z.string(), z.number().int()])),
      previousManagerId: z.string().nullable(),
      deleted: z.object({ kind: z.enum(['soft', 'hard']), seq: z.number().int() }).nullable(),
      createdAt: z.number().optional(),
      deltaHiddenSeq: z.number().int().optional(),
    }),
  ),
  contacts: z.array(z.object({ id: z.string(), displayName: z.string().nullable(), mail: z.string().nullable() })),
  accessTokens: z.array(
    z.tuple([z.string(), z.object({ consent: z.boolean(), expiresAt: z.number(), roles: z.array(z.string()).optional() })]),
  ),
  ...deltaStateSchemas(selectionSchema),
  listCursors: z.array(z.tuple([z.string(), z.string()])),
  groups: groupSnapshotSchema.optional(),
});
export type TenantSnapshot = z.infer<typeof tenantSnapshotSchema>;
