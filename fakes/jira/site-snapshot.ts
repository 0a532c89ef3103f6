/**
 * The fake Jira site's data as JSON (its accounts and the whole Assets workspace, id counters included), so the
 * sandbox can keep one simulated site across processes. A snapshot read back from disk is `unknown` until this
 * schema parses it.
 */
import { z } from 'zod';

export const fakeJiraUserSchema = z.object({
  accountId: z.string(),
  accountType: z.string(),
  active: z.boolean(),
  displayName: z.string(),
  email: z.string().nullable(),
  emailHidden: z.boolean(),
});

export const assetsSnapshotSchema = z.object({
  schemas: z.array(
    z.object({ id: z.string(), name: z.string(), key: z.string(), description: z.string(), nextObjectNumber: z.number().int() }),
  ),
  objectTypes: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), iconId: z.string(), schemaId: z.string() })),
  attributes: z.array(
    z.object({
      id: z.string(),
      objectTypeId: z.string(),
      name: z.string(),
      description: z.string(),
      type: z.number().int(),
      defaultTypeId: z.number().int().nullable(),
      typeValue: z.string().nullable(),
      additionalValue: z.string().nullable(),
      label: z.boolean(),
      unique: z.boolean(),
      system: z.boolean(),
      minimumCardinality: z.number().int(),
      maximumCardinality: z.number().int(),
      position: z.number().int(),
    }),
  ),
  referenceTypes: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), objectSchemaId: z.string().nullable() })),
  objects: z.array(
    z.object({
      id: z.string(),
      objectKey: z.string(),
      objectTypeId: z.string(),
      values: z.array(z.tuple([z.string(), z.array(z.string())])),
      created: z.number(),
      updated: z.number(),
    }),
  ),
  nextId: z.object({
    schema: z.number().int(),
    objectType: z.number().int(),
    attribute: z.number().int(),
    referenceType: z.number().int(),
    object: z.number().int(),
  }),
});
export type AssetsSnapshot = z.infer<typeof assetsSnapshotSchema>;

export const siteSnapshotSchema = z.object({
  v: z.literal(1),
  users: z.array(fakeJiraUserSchema),
  assets: assetsSnapshotSchema,
});
export type SiteSnapshot = z.infer<typeof siteSnapshotSchema>;
