/**
 * Diagnostics' look at how this site answers a Date attribute (platform assumption A9): the app writes and compares
 * a Date as the ISO date YYYY-MM-DD, but what Assets returns in `value` on read is not documented (Atlassian KB
 * "Creating Asset object via REST API fails with error" only says writes need ISO 8601). Read-only: a few AQL
 * pages of the object type, stopping at the first object that holds a value in the attribute. Only the value's
 * form leaves this module, never the object or whose it is.
 */
import type { ObjectTypeDefinition } from '../../domain/schema-definition';
import { layoutOfType, type SchemaLayout } from '../../domain/schema-layout';
import { objectsOfTypeQuery } from './aql';
import { assetsJson, type AssetsTransport } from './assets-http';
import { aqlPageSchema } from './assets-schemas';

/** Objects read at most to find one holding the attribute (3 pages of 100). */
export const DATE_PROBE_PAGES = 3;
export const DATE_PROBE_PAGE_SIZE = 100;

export interface DateSample {
  /** Objects read. */
  readonly read: number;
  /** The raw `value` of the first object holding the attribute, or null when none of those read holds one. */
  readonly value: string | null;
}

/** `attributeKey`: the definition's key of the Date attribute (e.g. hireDate). */
export async function sampleDateValue(
  transport: AssetsTransport,
  layout: SchemaLayout,
  type: ObjectTypeDefinition,
  attributeKey: string,
): Promise<DateSample> {
  const ids = layoutOfType(layout, type, { complete: false });
  const attributeId = ids.attributeIds[attributeKey];
  if (attributeId === undefined) return { read: 0, value: null };
  let read = 0;
  for (let page = 0; page < DATE_PROBE_PAGES; page++) {
    const startAt = page * DATE_PROBE_PAGE_SIZE;
    const answer = await assetsJson(
      transport,
      layout.workspaceId,
      {
        method: 'POST',
        path: `object/aql?startAt=${startAt}&maxResults=${DATE_PROBE_PAGE_SIZE}&includeAttributes=true`,
        body: { qlQuery: objectsOfTypeQuery(ids.objectTypeId) },
        what: `reading ${type.name} objects`,
        context: { startAt, pageSize: DATE_PROBE_PAGE_SIZE },
      },
      aqlPageSchema,
    );
    read += answer.values.length;
    for (const entry of answer.values) {
      const attribute = entry.attributes?.find((a) => a.objectTypeAttributeId === attributeId);
      const raw = attribute?.objectAttributeValues[0]?.value;
      if (raw !== undefined && raw !== null && raw !== '') return { read, value: String(raw) };
    }
    if (answer.isLast === true || answer.values.length < DATE_PROBE_PAGE_SIZE) break;
  }
  return { read, value: null };
}
