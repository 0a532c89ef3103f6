/**
 * Reads and writes the objects of the app's object types (the type's definition says how each attribute is encoded). Reads page through AQL (paging in the query string, the query in the body;
 * the page size Assets echoes is trusted because its maximum is undocumented). Writes are one request per object
 * (Assets has no bulk write); a value Assets rejects (duplicate, too long, unknown user) is a per-object failure
 * the pipeline records, while throttling, outages and auth errors throw AppError with their retry class.
 */
import { z } from 'zod';

import type { AssetsObject } from '../../domain/assets-object';
import { AppError } from '../../domain/errors';
import type { ObjectWrite } from '../../domain/object-values';
import { attributeOf, type ObjectTypeDefinition } from '../../domain/schema-definition';
import { layoutOfType, type ObjectTypeLayout, type SchemaLayout } from '../../domain/schema-layout';
import { type HttpResponse, readJson, readJsonLoose } from '../http';
import { attributeInQuery, attributesQuery, objectsOfTypeQuery, updatedWithinQuery } from './aql';
import { type AssetsCall, assetsExchange, assetsFailure, assetsJson, type AssetsTransport, segment } from './assets-http';
import { aqlPageSchema, assetsErrorBodySchema, type AssetsObjectEntry, objectEntrySchema } from './assets-schemas';
import { attributesById, decodeObject, encodeObject } from './object-codec';

export type ObjectWriteFailureCode = 'duplicate-value' | 'value-too-long' | 'unknown-user' | 'invalid-value' | 'object-not-found';

export interface ObjectWriteFailure {
  readonly code: ObjectWriteFailureCode;
  /** Key of the attribute Assets rejected, null when the failure is not about one. */
  readonly attribute: string | null;
  /** Admin-readable; never quotes the rejected value (it may be an email or a name). */
  readonly message: string;
}

/**
 * `throttled`: the 429s this write met (and waited out) before its answer; `redirects`: the redirects it followed,
 * each one more request against the Assets limit. The write stage paces on both.
 */
export type ObjectWriteResult = (
  | { readonly ok: true; readonly objectId: string; readonly objectKey: string }
  | { readonly ok: false; readonly failure: ObjectWriteFailure }
) & { readonly throttled: number; readonly redirects: number };

export interface ObjectPage {
  readonly objects: AssetsObject[];
  readonly isLast: boolean;
  /** Where the next page starts; null on the last page. */
  readonly nextStartAt: number | null;
}

export interface ObjectClient {
  searchObjects(layout: SchemaLayout, type: ObjectTypeDefinition, startAt: number, pageSize: number): Promise<ObjectPage>;
  /**
   * One page of the objects of the type updated within the last `minutes` on the site's clock (aql.ts,
   * updatedWithinQuery); null when Assets refuses the query (HTTP 400: the syntax is not documented for Cloud).
   */
  searchObjectsUpdatedWithin(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    minutes: number,
    startAt: number,
    pageSize: number,
  ): Promise<ObjectPage | null>;
  /** How many objects of the type Assets holds: `POST object/aql/totalcount` ({"qlQuery"} -> {"totalCount"}). */
  countObjects(layout: SchemaLayout, type: ObjectTypeDefinition): Promise<number>;
  /** The objects whose anchor (`type.anchor`: Entra User ID for Employee, Entra Group ID for Entra Group) is one of `ids`. */
  findObjectsByAnchor(layout: SchemaLayout, type: ObjectTypeDefinition, ids: readonly string[]): Promise<AssetsObject[]>;
  /**
   * One AQL page of the objects whose attributes (by key) each hold one of their values (all conditions must hold):
   * the directory lookups (issue 15). `more` is true when Assets has objects past this page.
   */
  findObjectsWhere(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    conditions: readonly { readonly attribute: string; readonly values: readonly string[] }[],
    maxResults: number,
  ): Promise<{ objects: AssetsObject[]; more: boolean }>;
  /** One object by id (GET object/{id}); null when Assets answers 404 (deleted, or not visible to the caller). */
  getObject(layout: SchemaLayout, type: ObjectTypeDefinition, objectId: string): Promise<AssetsObject | null>;
  createObject(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    values: Readonly<ObjectWrite>,
    options?: ObjectWriteOptions,
  ): Promise<ObjectWriteResult>;
  updateObject(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    objectId: string,
    values: Readonly<ObjectWrite>,
    options?: ObjectWriteOptions,
  ): Promise<ObjectWriteResult>;
}

export interface ObjectWriteOptions {
  /**
   * The caller paces its writes (the write stage): a 429 is thrown at once as ASSETS_THROTTLED (context
   * `throttled: 1`) instead of being retried in-process (assets-http.ts, AssetsCall.paced). Default false: other
   * callers (single-user sync) keep the in-process retries.
   */
  readonly paced?: boolean;
}

export const DEFAULT_OBJECT_PAGE_SIZE = 100;
const totalCountSchema = z.object({ totalCount: z.number().int().min(0) });
/** The replay check looks up a handful of ids at a time; this bounds its paging. */
const MAX_LOOKUP_PAGES = 50;

export function createObjectClient(transport: AssetsTransport): ObjectClient {
  async function aqlPage(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    qlQuery: string,
    startAt: number,
    pageSize: number,
  ): Promise<ObjectPage> {
    const page = await assetsJson(
      transport,
      layout.workspaceId,
      {
        method: 'POST',
        path: `object/aql?startAt=${startAt}&maxResults=${pageSize}&includeAttributes=true`,
        body: { qlQuery },
        what: `searching ${type.name} objects`,
        context: { startAt, pageSize },
      },
      aqlPageSchema,
    );
    const byId = attributesById(type, layoutOfType(layout, type, { complete: false }));
    const objects = page.values.map((entry) => decodeObject(entry, byId));
    const echoedSize = page.maxResults !== undefined && page.maxResults > 0 ? page.maxResults : pageSize;
    const isLast = page.isLast === true || objects.length === 0 || objects.length < echoedSize;
    return { objects, isLast, nextStartAt: isLast ? null : (page.startAt ?? startAt) + objects.length };
  }

  async function searchObjects(layout: SchemaLayout, type: ObjectTypeDefinition, startAt: number, pageSize: number): Promise<ObjectPage> {
    return aqlPage(layout, type, objectsOfTypeQuery(layoutOfType(layout, type, { complete: false }).objectTypeId), startAt, pageSize);
  }

  async function searchObjectsUpdatedWithin(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    minutes: number,
    startAt: number,
    pageSize: number,
  ): Promise<ObjectPage | null> {
    const query = updatedWithinQuery(layoutOfType(layout, type, { complete: false }).objectTypeId, minutes);
    try {
      return await aqlPage(layout, type, query, startAt, pageSize);
    } catch (error) {
      if (error instanceof AppError && error.code === 'ASSETS_REQUEST_FAILED' && error.context['status'] === 400) return null;
      throw error;
    }
  }

  async function countObjects(layout: SchemaLayout, type: ObjectTypeDefinition): Promise<number> {
    const answer = await assetsJson(
      transport,
      layout.workspaceId,
      {
        method: 'POST',
        path: 'object/aql/totalcount',
        body: { qlQuery: objectsOfTypeQuery(layoutOfType(layout, type, { complete: false }).objectTypeId) },
        what: `counting ${type.name} objects`,
      },
      totalCountSchema,
    );
    return answer.totalCount;
  }

  async function findObjectsByAnchor(layout: SchemaLayout, type: ObjectTypeDefinition, ids: readonly string[]): Promise<AssetsObject[]> {
    const unique = [...new Set(ids.filter((id) => id !== ''))];
    if (unique.length === 0) return [];
    // The anchor is named by the definition: the first unique attribute need not be it (an admin's choice may add others).
    const anchor = attributeOf(type, type.anchor);
    if (anchor === undefined)
      throw new AppError('INTERNAL', `The ${type.name} object type has no anchor attribute ${type.anchor} to find objects by.`, {
        context: { objectType: type.key },
      });
    const query = attributeInQuery(layoutOfType(layout, type, { complete: false }).objectTypeId, anchor.name, unique);
    const found: AssetsObject[] = [];
    let startAt: number | null = 0;
    for (let pages = 0; startAt !== null && pages < MAX_LOOKUP_PAGES; pages++) {
      const page: ObjectPage = await aqlPage(layout, type, query, startAt, Math.min(Math.max(unique.length, 25), DEFAULT_OBJECT_PAGE_SIZE));
      found.push(...page.objects);
      startAt = page.nextStartAt;
    }
    return found;
  }

  async function findObjectsWhere(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    conditions: readonly { readonly attribute: string; readonly values: readonly string[] }[],
    maxResults: number,
  ): Promise<{ objects: AssetsObject[]; more: boolean }> {
    const named = conditions.map(({ attribute, values }) => {
      const definition = attributeOf(type, attribute);
      if (definition === undefined || values.length === 0)
        throw new AppError('INTERNAL', `The ${type.name} object type has no attribute ${attribute} to search by.`, {
          context: { objectType: type.key },
        });
      return { attributeName: definition.name, values };
    });
    const query = attributesQuery(layoutOfType(layout, type, { complete: false }).objectTypeId, named);
    const page = await aqlPage(layout, type, query, 0, Math.min(Math.max(maxResults, 1), DEFAULT_OBJECT_PAGE_SIZE));
    return { objects: page.objects, more: !page.isLast };
  }

  async function getObject(layout: SchemaLayout, type: ObjectTypeDefinition, objectId: string): Promise<AssetsObject | null> {
    const call: AssetsCall = {
      method: 'GET',
      path: `object/${segment(objectId)}`,
      what: `reading an ${type.name} object`,
      context: { objectId },
    };
    const { response } = await assetsExchange(transport, layout.workspaceId, call);
    if (response.status === 404) {
      await response.text().catch(() => undefined);
      return null;
    }
    if (response.status !== 200) throw await assetsFailure(response, call);
    const entry = await readJson(response, objectEntrySchema, `Assets (${call.what})`, { endpoint: 'GET object' });
    return decodeObject(entry, attributesById(type, layoutOfType(layout, type, { complete: false })));
  }

  async function createObject(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    values: Readonly<ObjectWrite>,
    options: ObjectWriteOptions = {},
  ): Promise<ObjectWriteResult> {
    const ids = layoutOfType(layout, type, { complete: true });
    const call: AssetsCall = {
      method: 'POST',
      path: 'object/create',
      body: { objectTypeId: ids.objectTypeId, attributes: encodeObject(type, ids, values, 'create') },
      what: `creating an ${type.name} object`,
      ...(options.paced === true ? { paced: true } : {}),
    };
    const { response, throttled, redirects } = await assetsExchange(transport, layout.workspaceId, call);
    if (response.status === 404) {
      await response.text().catch(() => undefined);
      throw new AppError(
        'ASSETS_SCHEMA_MISSING',
        `The ${type.name} object type no longer exists in Assets. Run the schema check to recreate it.`,
        {
          context: { endpoint: 'POST object/create', status: 404 },
        },
      );
    }
    return writeResult(response, type, ids.attributeIds, call, { throttled, redirects });
  }

  /** One PUT object/{id} with the attributes in `values`. */
  async function putObject(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    ids: ObjectTypeLayout,
    objectId: string,
    values: Readonly<ObjectWrite>,
    options: ObjectWriteOptions,
  ): Promise<WriteOutcome> {
    const call: AssetsCall = {
      method: 'PUT',
      path: `object/${segment(objectId)}`,
      body: { objectTypeId: ids.objectTypeId, attributes: encodeObject(type, ids, values, 'update') },
      what: `updating an ${type.name} object`,
      context: { objectId },
      ...(options.paced === true ? { paced: true } : {}),
    };
    const { response, throttled, redirects } = await assetsExchange(transport, layout.workspaceId, call);
    if (response.status === 404) {
      await response.text().catch(() => undefined);
      const result: ObjectWriteResult = {
        ok: false,
        failure: {
          code: 'object-not-found',
          attribute: null,
          message: `The ${type.name} object ${objectId} no longer exists in Assets (deleted by hand?).`,
        },
        throttled,
        redirects,
      };
      return { result, entry: null };
    }
    return writeOutcome(response, type, ids.attributeIds, call, { throttled, redirects });
  }

  /**
   * An update sends the whole list of a many-valued reference (an Employee's Groups). Whether Assets Cloud then holds
   * exactly that list or adds it to the one it had is not documented (jira-and-assets.md, "Checked later"), so the
   * answer is checked: when the object Assets returns still holds references that were left out (an update that
   * adds), those lists are cleared (an empty list clears under both readings) and written again, two more requests
   * for that object only. An answer without attributes is taken as it is.
   */
  async function updateObject(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    objectId: string,
    values: Readonly<ObjectWrite>,
    options: ObjectWriteOptions = {},
  ): Promise<ObjectWriteResult> {
    const ids = layoutOfType(layout, type, { complete: true });
    const first = await putObject(layout, type, ids, objectId, values, options);
    const lists = first.entry === null ? [] : listsNotAsSent(type, ids, values, first.entry);
    if (lists.length === 0) return first.result;
    const cleared = await putObject(layout, type, ids, objectId, Object.fromEntries(lists.map((key) => [key, []])), options);
    if (!cleared.result.ok) return withRequests(cleared.result, first.result);
    const rewritten = await putObject(
      layout,
      type,
      ids,
      objectId,
      Object.fromEntries(lists.map((key) => [key, values[key] ?? []])),
      options,
    );
    return withRequests(rewritten.result, first.result, cleared.result);
  }

  return {
    searchObjects,
    searchObjectsUpdatedWithin,
    countObjects,
    findObjectsByAnchor,
    findObjectsWhere,
    getObject,
    createObject,
    updateObject,
  };
}

interface WriteOutcome {
  readonly result: ObjectWriteResult;
  /** The object as Assets answered it (a successful write), else null. */
  readonly entry: AssetsObjectEntry | null;
}

async function writeResult(
  response: HttpResponse,
  type: ObjectTypeDefinition,
  attributeIds: Readonly<Record<string, string>>,
  call: AssetsCall,
  met: { throttled: number; redirects: number },
): Promise<ObjectWriteResult> {
  return (await writeOutcome(response, type, attributeIds, call, met)).result;
}

async function writeOutcome(
  response: HttpResponse,
  type: ObjectTypeDefinition,
  attributeIds: Readonly<Record<string, string>>,
  call: AssetsCall,
  met: { throttled: number; redirects: number },
): Promise<WriteOutcome> {
  if (response.status === 200 || response.status === 201) {
    const entry = await readJson(response, objectEntrySchema, `Assets (${call.what})`, { endpoint: `${call.method} ${call.path}` });
    return { result: { ok: true, objectId: entry.id, objectKey: entry.objectKey, ...met }, entry };
  }
  if (response.status === 400)
    return { result: { ok: false, failure: validationFailure(await readJsonLoose(response), type, attributeIds), ...met }, entry: null };
  throw await assetsFailure(response, call);
}

/** Keys of the many-valued references written in `values` that the answered object holds otherwise (as a set). */
function listsNotAsSent(
  type: ObjectTypeDefinition,
  ids: ObjectTypeLayout,
  values: Readonly<ObjectWrite>,
  entry: AssetsObjectEntry,
): string[] {
  if (entry.attributes === undefined) return [];
  const held = decodeObject(entry, attributesById(type, ids)).values;
  return type.attributes
    .filter((attribute) => attribute.kind.type === 'reference' && attribute.kind.many === true)
    .map((attribute) => attribute.key)
    .filter((key) => {
      const sent = values[key];
      if (!Array.isArray(sent) || ids.attributeIds[key] === undefined) return false;
      const now = new Set(Array.isArray(held[key]) ? held[key] : []);
      return now.size !== new Set(sent).size || sent.some((id) => !now.has(id));
    });
}

/** The last write's answer, counting the throttling and redirects every request of the update met. */
function withRequests(last: ObjectWriteResult, ...earlier: readonly ObjectWriteResult[]): ObjectWriteResult {
  return {
    ...last,
    throttled: earlier.reduce((n, r) => n + r.throttled, last.throttled),
    redirects: earlier.reduce((n, r) => n + r.redirects, last.redirects),
  };
}

/** Maps `errors: {<attributeId>: message}` back to the attribute; the first attribute Assets complained about wins. */
export function validationFailure(
  body: unknown,
  type: ObjectTypeDefinition,
  attributeIds: Readonly<Record<string, string>>,
): ObjectWriteFailure {
  const parsed = assetsErrorBodySchema.safeParse(body);
  const errors = parsed.success ? (parsed.data.errors ?? {}) : {};
  const byId = new Map(
    type.attributes.flatMap((attribute) =>
      attributeIds[attribute.key] === undefined ? [] : [[attributeIds[attribute.key], attribute] as const],
    ),
  );
  for (const [id, message] of Object.entries(errors)) {
    const attribute = byId.get(id) ?? null;
    const code = classify(typeof message === 'string' ? message : '');
    if (attribute !== null || Object.keys(errors).length === 1)
      return { code, attribute: attribute?.key ?? null, message: failureMessage(code, attribute?.name ?? null) };
  }
  return { code: 'invalid-value', attribute: null, message: 'Assets rejected the object (HTTP 400) without naming an attribute.' };
}

function classify(message: string): ObjectWriteFailureCode {
  if (/duplicate/i.test(message)) return 'duplicate-value';
  if (/255|less than|too long/i.test(message)) return 'value-too-long';
  if (/user/i.test(message) && /not found|does not exist|unknown/i.test(message)) return 'unknown-user';
  return 'invalid-value';
}

function failureMessage(code: ObjectWriteFailureCode, name: string | null): string {
  const subject = name === null ? 'a value' : `the value of "${name}"`;
  switch (code) {
    case 'duplicate-value':
      return `Assets rejected ${subject}: another object already has it, and the attribute is unique.`;
    case 'value-too-long':
      return `Assets rejected ${subject}: it is longer than 255 characters.`;
    case 'unknown-user':
      return `Assets rejected ${subject}: Jira does not know that user (account deleted or not on this site).`;
    case 'invalid-value':
    case 'object-not-found':
      return `Assets rejected ${subject} as invalid.`;
  }
}
