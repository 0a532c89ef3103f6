/**
 * What the admin page says about the ENTRA schema before anything is written: ready, missing (and what Create
 * Schema would create), in need of repair (and what it would change), held by another schema (named, with what to
 * do), or unreadable (Assets missing or refusing the app). Read-only: it uses the same diff the create/repair
 * executes, so what the page announces is what the button does.
 */
import type { SchemaClient } from '../clients/assets/schema-client';
import { toAppError } from '../domain/errors';
import type { SchemaDefinition } from '../domain/schema-definition';
import { describeSchemaAction, type SchemaDiff } from '../domain/schema-diff';

export type SchemaState = 'ready' | 'missing' | 'needs-repair' | 'conflict' | 'unavailable';

export interface SchemaStatus {
  readonly state: SchemaState;
  /** The schema the app owns, as the admin knows it: "Entra Directory" (ENTRA). */
  readonly schemaName: string;
  readonly schemaKey: string;
  /** One sentence for the admin: what is the case and what to do. */
  readonly message: string;
  /** What Create Schema would create or repair, one admin-readable line each (empty unless missing / needs-repair). */
  readonly pending: readonly string[];
  /** Error code when the state is conflict or unavailable. */
  readonly code: string | null;
}

/** `definition`: the one the settings ask for (settings-service readSchemaDefinition). */
export async function readSchemaStatus(assets: Pick<SchemaClient, 'inspectSchema'>, definition: SchemaDefinition): Promise<SchemaStatus> {
  const base = { schemaName: definition.name, schemaKey: definition.key };
  try {
    const inspection = await assets.inspectSchema(definition);
    return { ...base, ...fromDiff(definition, inspection.diff, inspection.actual.schema === null) };
  } catch (error) {
    const appError = toAppError(error, 'The app could not read the Assets schemas. Reload the page to try again.');
    return { ...base, state: 'unavailable', message: appError.message, pending: [], code: appError.code };
  }
}

/** "Employee object type are" / "Employee and Entra Group object types are" (group sync on): the schema and they are. */
function objectTypeNames(definition: SchemaDefinition): string {
  const names = definition.objectTypes.map((type) => type.name);
  return `${names.join(' and ')} object type${names.length === 1 ? '' : 's'} are`;
}

function fromDiff(
  definition: SchemaDefinition,
  diff: SchemaDiff,
  schemaMissing: boolean,
): Pick<SchemaStatus, 'state' | 'message' | 'pending' | 'code'> {
  const name = `"${definition.name}" (${definition.key})`;
  switch (diff.kind) {
    case 'ok':
      return {
        state: 'ready',
        message: `The ${name} schema and its ${objectTypeNames(definition)} ready.`,
        pending: [],
        code: null,
      };
    case 'conflict':
      return { state: 'conflict', message: diff.message, pending: [], code: 'ASSETS_SCHEMA_CONFLICT' };
    case 'changes': {
      const pending = diff.actions.map(describeSchemaAction);
      return schemaMissing
        ? { state: 'missing', message: `The ${name} schema does not exist yet. Create Schema creates it.`, pending, code: null }
        : {
            state: 'needs-repair',
            message: `The ${name} schema exists but is incomplete. Repair Schema fixes what is listed.`,
            pending,
            code: null,
          };
    }
  }
}
