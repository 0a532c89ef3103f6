/**
 * Where the app's schema lives on a site: the ids every snapshot and write needs, per object type. It is stored
 * between runs (so a run does not re-read the schema), hence the zod schema: a stored layout is unknown until parsed.
 * A layout stored before object types were keyed (one Employee type at the top level) is read as the same layout.
 */
import { z } from 'zod';

import { AppError } from './errors';
import { OBJECT_TYPE_KEYS, type ObjectTypeDefinition, type ObjectTypeKey } from './schema-definition';

const id = z.string().min(1);

export const objectTypeLayoutSchema = z.object({
  objectTypeId: id,
  /** Assets attribute id by attribute key. */
  attributeIds: z.record(z.string(), id),
});
export type ObjectTypeLayout = z.infer<typeof objectTypeLayoutSchema>;

export const schemaLayoutSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== 'object' || raw === null || 'objectTypes' in raw || !('objectTypeId' in raw)) return raw;
    const { objectTypeId, attributeIds, ...rest } = raw as Record<string, unknown>;
    return { ...rest, objectTypes: { employee: { objectTypeId, attributeIds } } };
  },
  z.object({
    workspaceId: id,
    schemaId: id,
    objectTypes: z.partialRecord(z.enum(OBJECT_TYPE_KEYS), objectTypeLayoutSchema),
  }),
);
export type SchemaLayout = z.infer<typeof schemaLayoutSchema>;

/**
 * The ids of one object type. `complete` (for writes): every attribute of its definition must have an id, else
 * the schema needs its check; reads take what is there (an attribute chosen since the last schema check reads as
 * empty, so a preview shows it being filled).
 */
export function layoutOfType(layout: SchemaLayout, type: ObjectTypeDefinition, options: { complete: boolean }): ObjectTypeLayout {
  const found = layout.objectTypes[type.key as ObjectTypeKey];
  const missing =
    found === undefined || !options.complete ? [] : type.attributes.filter((attribute) => found.attributeIds[attribute.key] === undefined);
  if (found === undefined || missing.length > 0) {
    throw new AppError(
      'ASSETS_SCHEMA_MISSING',
      `The ${type.name} object type in Assets lacks ${missing.length === 0 ? 'its ids' : missing.map((a) => `"${a.name}"`).join(', ')}. ` +
        'Run the schema check on the Setup tab to add what is missing.',
      { context: { objectType: type.key, missing: missing.length } },
    );
  }
  return found;
}
