/**
 * Where the ENTRA schema lives on this site (workspace, schema, object type and attribute ids), saved when the
 * admin creates or repairs the schema and re-checked by every sync.
 */
import { z } from 'zod';

import { type SchemaLayout, schemaLayoutSchema } from '../domain/schema-layout';
import { keys } from './keys';
import type { KeyValueStore } from './ports';

/** v1 held one object type at the top of `layout`; schemaLayoutSchema reads both forms. */
export const storedLayoutSchema = z.object({
  v: z.literal(1),
  layout: schemaLayoutSchema,
  savedAt: z.string(),
});

export async function readLayout(store: KeyValueStore): Promise<SchemaLayout | null> {
  const parsed = storedLayoutSchema.safeParse(await store.get(keys.schemaLayout()));
  return parsed.success ? parsed.data.layout : null;
}

export async function saveLayout(store: KeyValueStore, layout: SchemaLayout, now: number): Promise<void> {
  await store.set(keys.schemaLayout(), { v: 1, layout, savedAt: new Date(now).toISOString() });
}
