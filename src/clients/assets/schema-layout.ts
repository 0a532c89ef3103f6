/** What the schema check found and did (the layout itself is domain data: src/domain/schema-layout.ts). */
import type { ActualSchemaState, SchemaDiff } from '../../domain/schema-diff';
import type { SchemaLayout } from '../../domain/schema-layout';

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
