/**
 * Where the app's schema lives on a site: the ids every snapshot and write needs. It is stored between runs
 * (so a run does not re-read the schema), hence the zod schema: a stored layout is unknown until parsed.
 */
import { z } from 'zod';
import { EMPLOYEE_ATTRIBUTE_KEYS } from '../../domain/employee';
import type { ActualSchemaState, SchemaDiff } from '../../domain/schema-diff';

const id = z.string().min(1);

export const schemaLayoutSchema = z.object({
  workspaceId: id,
  schemaId: id,
  objectTypeId: id,
  attributeIds: z.record(z.enum(EMPLOYEE_ATTRIBUTE_KEYS), id),
});

export type SchemaLayout = z.infer<typeof schemaLayoutSchema>;

export interface SchemaInspection {
  readonly workspaceId: string;
  readonly actual: ActualSchemaState;
  readonly diff: SchemaDiff;
  /** Set when the diff is ok: the schema is complete and can be used as is. */
  readonly layout: SchemaLayout | null;
}

export interface SchemaEnsureResult {
  readonly layout: SchemaLayout;
  /** Admin-readable descriptions of what was created ("attribute "Job Title""). */
  readonly created: string[];
  /** Admin-readable descriptions of what was repaired, with the reason. */
  readonly repaired: string[];
}
