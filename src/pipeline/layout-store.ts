/**
 * Where the ENTRA schema lives on this site (workspace, schema, object type and attribute ids), saved when the
 * admin creates or repairs the schema and re-checked by every sync.
 */
import { z } from 'zod';
import { EMPLOYEE_ATTRIBUTE_KEYS } from '../domain/employee';
import { keys } from './keys';
import type { KeyValueStore, SchemaLayout } from './ports';

const id = z.string().min(1);
export const storedLayoutSchema = z.object({
  v: z.literal(1),
  layout: z.object({
    workspaceId: id,
    schemaId: id,
    objectTypeId: id,
    attributeIds: z.record(z.enum(EMPLOYEE_ATTRIBUTE_KEYS), id),
  }),
  savedAt: z.string(),
});

export async function readLayout(store: KeyValueStore): Promise<SchemaLayout | null> {
  const parsed = storedLayoutSchema.safeParse(await store.get(keys.schemaLayout()));
  return parsed.success ? parsed.data.layout : null;
}

export async function saveLayout(store: KeyValueStore, layout: SchemaLayout, now: number): Promise<void> {
  await store.set(keys.schemaLayout(), { v: 1, layout, savedAt: new Date(now).toISOString() });
}
