/**
 * The Assets REST response shapes the client reads, reduced to the fields it uses (unknown fields pass through
 * unchecked). Assets is not in the OpenAPI specs this project has: the shapes follow Atlassian's Assets REST
 * reference as mirrored by public clients; see docs/clients/jira-and-assets.md for what was confirmed and what
 * was assumed.
 */
import { z } from 'zod';

/** Assets Cloud sends ids as strings; older payloads and some nested objects use numbers. */
export const assetsIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

const optionalString = z
  .union([z.string(), z.number()])
  .nullable()
  .optional()
  .transform((v) => (v === undefined || v === null ? null : String(v)));

export const workspacePageSchema = z.object({
  values: z.array(z.object({ workspaceId: z.string().min(1) })),
});

export const objectSchemaSchema = z.object({
  id: assetsIdSchema,
  name: z.string(),
  objectSchemaKey: z.string(),
});
export type AssetsObjectSchema = z.output<typeof objectSchemaSchema>;

export const objectSchemaListSchema = z.object({
  values: z.array(objectSchemaSchema),
  isLast: z.boolean().optional(),
  maxResults: z.number().int().optional(),
});

export const objectTypeSchema = z.object({
  id: assetsIdSchema,
  name: z.string(),
});

/** GET objectschema/{id}/objecttypes: an array (some versions wrap it in {values} or {entries}). */
export const objectTypeListSchema = z
  .union([z.array(objectTypeSchema), z.object({ values: z.array(objectTypeSchema) }), z.object({ entries: z.array(objectTypeSchema) })])
  .transform((v) => (Array.isArray(v) ? v : 'values' in v ? v.values : v.entries));

export const iconListSchema = z.array(z.object({ id: assetsIdSchema, name: z.string() }));

export const referenceTypeSchema = z.object({ id: assetsIdSchema, name: z.string() });
export const referenceTypeListSchema = z.array(referenceTypeSchema);

export const objectTypeAttributeSchema = z.object({
  id: assetsIdSchema,
  name: z.string(),
  type: z.number().int().optional(),
  defaultType: z.object({ id: z.number().int() }).nullable().optional(),
  typeValue: optionalString,
  additionalValue: optionalString,
  referenceObjectTypeId: optionalString,
  referenceType: z.object({ id: assetsIdSchema }).nullable().optional(),
  /** How many values the attribute holds at most; -1 for any number (Assets REST ObjectTypeAttribute). */
  maximumCardinality: z.number().int().nullable().optional(),
  label: z.boolean().optional(),
  uniqueAttribute: z.boolean().optional(),
  system: z.boolean().optional(),
});
export type AssetsObjectTypeAttribute = z.output<typeof objectTypeAttributeSchema>;
export const objectTypeAttributeListSchema = z.array(objectTypeAttributeSchema);

export const objectAttributeValueSchema = z.object({
  value: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  displayValue: z.unknown().optional(),
  searchValue: z.unknown().optional(),
  referencedObject: z.object({ id: assetsIdSchema, objectKey: z.string().optional() }).nullable().optional(),
  /** A User attribute's value: in Cloud `key` carries the accountId. */
  user: z.object({ key: z.string().optional(), accountId: z.string().optional() }).nullable().optional(),
});
export type AssetsObjectAttributeValue = z.output<typeof objectAttributeValueSchema>;

export const objectEntrySchema = z.object({
  id: assetsIdSchema,
  objectKey: z.string(),
  label: z.string().optional(),
  objectType: z.object({ id: assetsIdSchema }).optional(),
  attributes: z
    .array(
      z.object({
        objectTypeAttributeId: assetsIdSchema,
        objectAttributeValues: z.array(objectAttributeValueSchema),
      }),
    )
    .optional(),
});
export type AssetsObjectEntry = z.output<typeof objectEntrySchema>;

export const aqlPageSchema = z.object({
  startAt: z.number().int().optional(),
  maxResults: z.number().int().optional(),
  isLast: z.boolean().optional(),
  values: z.array(objectEntrySchema),
});

/** Error bodies: `{errorMessages: [...], errors: {<attributeId or field>: message}}`. */
export const assetsErrorBodySchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.unknown()).optional(),
});
