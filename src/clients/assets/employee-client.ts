/**
 * Reads and writes Employee objects. Reads page through AQL (paging in the query string, the query in the body;
 * the page size Assets echoes is trusted because its maximum is undocumented). Writes are one request per object
 * (Assets has no bulk write); a value Assets rejects (duplicate, too long, unknown user) is a per-object failure
 * the pipeline records, while throttling, outages and auth errors throw AppError with their retry class.
 */
import { AppError } from '../../domain/errors';
import type { EmployeeAttributeKey, EmployeeObject } from '../../domain/employee';
import { readJson, readJsonLoose, type HttpResponse } from '../http';
import { attributeInQuery, objectsOfTypeQuery } from './aql';
import { assetsExchange, assetsFailure, assetsJson, segment, type AssetsCall, type AssetsTransport } from './assets-http';
import { aqlPageSchema, assetsErrorBodySchema, objectEntrySchema } from './assets-schemas';
import { attributeKeysById, attributeName, decodeEmployee, encodeEmployee, type EmployeeWrite } from './employee-codec';
import type { SchemaLayout } from './schema-layout';

export type EmployeeWriteFailureCode = 'duplicate-value' | 'value-too-long' | 'unknown-user' | 'invalid-value' | 'object-not-found';

export interface EmployeeWriteFailure {
  readonly code: EmployeeWriteFailureCode;
  readonly attribute: EmployeeAttributeKey | null;
  /** Admin-readable; never quotes the rejected value (it may be an email or a name). */
  readonly message: string;
}

/**
 * `throttled`: the 429s this write met (and waited out) before its answer; `redirects`: the redirects it followed,
 * each one more request against the Assets limit. The write stage paces on both.
 */
export type EmployeeWriteResult = (
  | { readonly ok: true; readonly objectId: string; readonly objectKey: string }
  | { readonly ok: false; readonly failure: EmployeeWriteFailure }
) & { readonly throttled: number; readonly redirects: number };

export interface EmployeePage {
  readonly objects: EmployeeObject[];
  readonly isLast: boolean;
  /** Where the next page starts; null on the last page. */
  readonly nextStartAt: number | null;
}

export interface EmployeeClient {
  searchEmployees(layout: SchemaLayout, startAt: number, pageSize: number): Promise<EmployeePage>;
  findEmployeesByEntraUserIds(layout: SchemaLayout, ids: readonly string[]): Promise<EmployeeObject[]>;
  createEmployee(layout: SchemaLayout, values: Readonly<Partial<EmployeeWrite>>): Promise<EmployeeWriteResult>;
  updateEmployee(layout: SchemaLayout, objectId: string, values: Readonly<Partial<EmployeeWrite>>): Promise<EmployeeWriteResult>;
}

export const DEFAULT_EMPLOYEE_PAGE_SIZE = 100;
/** The replay check looks up a handful of ids at a time; this bounds its paging. */
const MAX_LOOKUP_PAGES = 50;

export function createEmployeeClient(transport: AssetsTransport): EmployeeClient {
  async function aqlPage(layout: SchemaLayout, qlQuery: string, startAt: number, pageSize: number): Promise<EmployeePage> {
    const page = await assetsJson(
      transport,
      layout.workspaceId,
      {
        method: 'POST',
        path: `object/aql?startAt=${startAt}&maxResults=${pageSize}&includeAttributes=true`,
        body: { qlQuery },
        what: 'searching Employee objects',
        context: { startAt, pageSize },
      },
      aqlPageSchema,
    );
    const keysById = attributeKeysById(layout);
    const objects = page.values.map((entry) => decodeEmployee(entry, keysById));
    const echoedSize = page.maxResults !== undefined && page.maxResults > 0 ? page.maxResults : pageSize;
    const isLast = page.isLast === true || objects.length === 0 || objects.length < echoedSize;
    return { objects, isLast, nextStartAt: isLast ? null : (page.startAt ?? startAt) + objects.length };
  }

  async function searchEmployees(layout: SchemaLayout, startAt: number, pageSize: number): Promise<EmployeePage> {
    return aqlPage(layout, objectsOfTypeQuery(layout.objectTypeId), startAt, pageSize);
  }

  async function findEmployeesByEntraUserIds(layout: SchemaLayout, ids: readonly string[]): Promise<EmployeeObject[]> {
    const unique = [...new Set(ids.filter((id) => id !== ''))];
    if (unique.length === 0) return [];
    const query = attributeInQuery(layout.objectTypeId, attributeName('entraUserId'), unique);
    const found: EmployeeObject[] = [];
    let startAt: number | null = 0;
    for (let pages = 0; startAt !== null && pages < MAX_LOOKUP_PAGES; pages++) {
      const page: EmployeePage = await aqlPage(layout, query, startAt, Math.min(Math.max(unique.length, 25), DEFAULT_EMPLOYEE_PAGE_SIZE));
      found.push(...page.objects);
      startAt = page.nextStartAt;
    }
    return found;
  }

  async function createEmployee(layout: SchemaLayout, values: Readonly<Partial<EmployeeWrite>>): Promise<EmployeeWriteResult> {
    const call: AssetsCall = {
      method: 'POST',
      path: 'object/create',
      body: { objectTypeId: layout.objectTypeId, attributes: encodeEmployee(layout, values, 'create') },
      what: 'creating an Employee object',
    };
    const { response, throttled, redirects } = await assetsExchange(transport, layout.workspaceId, call);
    if (response.status === 404) {
      await response.text().catch(() => undefined);
      throw new AppError('ASSETS_SCHEMA_MISSING', 'The Employee object type no longer exists in Assets. Run the schema check to recreate it.', {
        context: { endpoint: 'POST object/create', status: 404 },
      });
    }
    return writeResult(response, layout, call, { throttled, redirects });
  }

  async function updateEmployee(layout: SchemaLayout, objectId: string, values: Readonly<Partial<EmployeeWrite>>): Promise<EmployeeWriteResult> {
    const call: AssetsCall = {
      method: 'PUT',
      path: `object/${segment(objectId)}`,
      body: { objectTypeId: layout.objectTypeId, attributes: encodeEmployee(layout, values, 'update') },
      what: 'updating an Employee object',
      context: { objectId },
    };
    const { response, throttled, redirects } = await assetsExchange(transport, layout.workspaceId, call);
    if (response.status === 404) {
      await response.text().catch(() => undefined);
      return {
        ok: false,
        failure: { code: 'object-not-found', attribute: null, message: `The Employee object ${objectId} no longer exists in Assets (deleted by hand?).` },
        throttled,
        redirects,
      };
    }
    return writeResult(response, layout, call, { throttled, redirects });
  }

  return { searchEmployees, findEmployeesByEntraUserIds, createEmployee, updateEmployee };
}

async function writeResult(
  response: HttpResponse,
  layout: SchemaLayout,
  call: AssetsCall,
  met: { throttled: number; redirects: number },
): Promise<EmployeeWriteResult> {
  if (response.status === 200 || response.status === 201) {
    const entry = await readJson(response, objectEntrySchema, `Assets (${call.what})`, { endpoint: `${call.method} ${call.path}` });
    return { ok: true, objectId: entry.id, objectKey: entry.objectKey, ...met };
  }
  if (response.status === 400) return { ok: false, failure: validationFailure(await readJsonLoose(response), layout), ...met };
  throw await assetsFailure(response, call);
}

/** Maps `errors: {<attributeId>: message}` back to the attribute; the first attribute Assets complained about wins. */
export function validationFailure(body: unknown, layout: SchemaLayout): EmployeeWriteFailure {
  const parsed = assetsErrorBodySchema.safeParse(body);
  const errors = parsed.success ? (parsed.data.errors ?? {}) : {};
  const keysById = attributeKeysById(layout);
  for (const [id, message] of Object.entries(errors)) {
    const key = keysById.get(id) ?? null;
    const code = classify(typeof message === 'string' ? message : '');
    if (key !== null || Object.keys(errors).length === 1) return { code, attribute: key, message: failureMessage(code, key) };
  }
  return { code: 'invalid-value', attribute: null, message: 'Assets rejected the object (HTTP 400) without naming an attribute.' };
}

function classify(message: string): EmployeeWriteFailureCode {
  if (/duplicate/i.test(message)) return 'duplicate-value';
  if (/255|less than|too long/i.test(message)) return 'value-too-long';
  if (/user/i.test(message) && /not found|does not exist|unknown/i.test(message)) return 'unknown-user';
  return 'invalid-value';
}

function failureMessage(code: EmployeeWriteFailureCode, key: EmployeeAttributeKey | null): string {
  const subject = key === null ? 'a value' : `the value of "${attributeName(key)}"`;
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
