/**
 * The Forge KVS wire protocol, as @forge/kvs 1.6.5 speaks it through __forge_fetch__({type: 'kvs'}): a POST of JSON
 * to /api/v1/<op>. Answers follow what the SDK expects: 200 with a JSON body, an empty 2xx, or an error body
 * {code, message} (KEY_NOT_FOUND is how a missing key is reported; the SDK turns it into `undefined`).
 *
 * Enforced as Forge documents: the key pattern and 500-character keys, 240 KiB values (128 KiB secrets), JSON
 * values only, TTLs (an expired key is absent), keyPolicy FAIL_IF_EXISTS, returnValue PREVIOUS/LATEST, batches and
 * transactions of at most 25 operations, queries of at most 100 results. Assumed (not published): the error codes
 * and statuses below other than KEY_NOT_FOUND; the app never depends on them (it confirms a failed claim by reading).
 */
import { z } from 'zod';

import type { FileKeyValueStore, StoredEntry } from './kvs-store';

export const KVS_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
export const KVS_KEY_MAX_LENGTH = 500;
export const KVS_VALUE_MAX_BYTES = 240 * 1024;
export const KVS_SECRET_MAX_BYTES = 128 * 1024;
export const KVS_MAX_DEPTH = 32;
export const KVS_BATCH_MAX = 25;
export const KVS_QUERY_MAX = 100;
const KVS_QUERY_DEFAULT = 10;

export interface KvsAnswer {
  readonly status: number;
  readonly body?: unknown;
}

class KvsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ttlSchema = z.object({ value: z.number().positive(), unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']) });
const metadataSchema = z.array(z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'])).optional();
const setOptionsSchema = z
  .object({
    ttl: ttlSchema.optional(),
    keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
    returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
    returnMetadataFields: metadataSchema,
  })
  .strict()
  .optional();
const getSchema = z.object({ key: z.string(), options: z.object({ metadataFields: metadataSchema }).strict().optional() }).strict();
const setSchema = z.object({ key: z.string(), value: z.unknown(), options: setOptionsSchema }).strict();
const deleteSchema = z.object({ key: z.string() }).strict();
const querySchema = z
  .object({
    limit: z.number().int().optional(),
    after: z.string().optional(),
    where: z
      .array(z.object({ property: z.literal('key'), condition: z.literal('BEGINS_WITH'), values: z.tuple([z.string()]) }))
      .max(1)
      .optional(),
    options: z.object({ metadataFields: metadataSchema }).optional(),
  })
  .strict();
const batchSetSchema = z.array(
  z.object({
    key: z.string(),
    value: z.unknown(),
    options: z.object({ ttl: ttlSchema.optional() }).strict().optional(),
    entityName: z.undefined(),
  }),
);
const batchKeysSchema = z.array(z.object({ key: z.string(), options: z.unknown().optional(), entityName: z.undefined() }));
const transactionSchema = z
  .object({
    set: z
      .array(
        z.object({
          key: z.string(),
          value: z.unknown(),
          options: z.object({ ttl: ttlSchema.optional() }).strict().optional(),
          entityName: z.undefined(),
          conditions: z.undefined(),
        }),
      )
      .optional(),
    delete: z.array(z.object({ key: z.string(), entityName: z.undefined(), conditions: z.undefined() })).optional(),
    check: z.array(z.unknown()).optional(),
  })
  .strict();

const UNIT_MS = { SECONDS: 1_000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

export function createKvsApi(app: FileKeyValueStore, secrets: FileKeyValueStore) {
  return function handle(path: string, rawBody: unknown): KvsAnswer {
    try {
      return route(path, rawBody);
    } catch (error) {
      if (error instanceof KvsFailure) return { status: error.status, body: { code: error.code, message: error.message } };
      throw error;
    }
  };

  function route(path: string, rawBody: unknown): KvsAnswer {
    switch (path) {
      case '/api/v1/get':
        return get(app, parse(getSchema, rawBody));
      case '/api/v1/secret/get':
        return get(secrets, parse(getSchema, rawBody));
      case '/api/v1/set':
        return set(app, parse(setSchema, rawBody), KVS_VALUE_MAX_BYTES);
      case '/api/v1/secret/set':
        return set(secrets, parse(setSchema, rawBody), KVS_SECRET_MAX_BYTES);
      case '/api/v1/delete':
        return remove(app, parse(deleteSchema, rawBody).key);
      case '/api/v1/secret/delete':
        return remove(secrets, parse(deleteSchema, rawBody).key);
      case '/api/v1/query':
        return query(parse(querySchema, rawBody));
      case '/api/v1/batch/set':
        return batchSet(parse(batchSetSchema, rawBody));
      case '/api/v1/batch/get':
        return batchGet(parse(batchKeysSchema, rawBody));
      case '/api/v1/batch/delete':
        return batchDelete(parse(batchKeysSchema, rawBody));
      case '/api/v1/transaction':
        return transaction(parse(transactionSchema, rawBody));
      default:
        if (path.startsWith('/api/v1/entity/'))
          throw new KvsFailure(501, 'NOT_EMULATED', `The sandbox does not emulate the Custom Entity Store (${path}).`);
        throw new KvsFailure(404, 'NOT_FOUND', `Unknown KVS operation ${path}.`);
    }
  }

  function get(store: FileKeyValueStore, request: z.infer<typeof getSchema>): KvsAnswer {
    checkKey(request.key);
    const entry = store.get(request.key);
    if (entry === undefined) throw new KvsFailure(404, 'KEY_NOT_FOUND', `No value is stored for the key.`);
    return { status: 200, body: render(entry) };
  }

  function set(store: FileKeyValueStore, request: z.infer<typeof setSchema>, maxBytes: number): KvsAnswer {
    checkKey(request.key);
    checkValue(request.value, maxBytes);
    const options = request.options ?? {};
    if (options.returnValue !== undefined && options.keyPolicy === 'FAIL_IF_EXISTS') {
      throw new KvsFailure(400, 'INVALID_OPTIONS', 'returnValue is only allowed with keyPolicy OVERRIDE.');
    }
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && store.get(request.key) !== undefined) {
      throw new KvsFailure(409, 'KEY_ALREADY_EXISTS', 'A value already exists for this key and keyPolicy is FAIL_IF_EXISTS.');
    }
    const previous = store.set(request.key, request.value, ttlMs(options.ttl));
    if (options.returnValue === 'PREVIOUS') return previous === undefined ? { status: 204 } : { status: 200, body: render(previous) };
    if (options.returnValue === 'LATEST') {
      const latest = store.get(request.key);
      return latest === undefined ? { status: 204 } : { status: 200, body: render(latest) };
    }
    return { status: 204 };
  }

  function remove(store: FileKeyValueStore, key: string): KvsAnswer {
    checkKey(key);
    store.delete(key);
    return { status: 204 };
  }

  function query(request: z.infer<typeof querySchema>): KvsAnswer {
    const limit = request.limit ?? KVS_QUERY_DEFAULT;
    if (limit < 1 || limit > KVS_QUERY_MAX) throw new KvsFailure(400, 'INVALID_LIMIT', `limit must be 1 to ${KVS_QUERY_MAX}.`);
    const after = request.after === undefined ? null : decodeCursor(request.after);
    const prefix = request.where?.[0]?.values[0] ?? null;
    const page = app.query(prefix, after, limit);
    const last = page.data.at(-1);
    return {
      status: 200,
      body: {
        data: page.data.map((e) => ({ key: e.key, value: e.value })),
        ...(page.last || last === undefined ? {} : { cursor: encodeCursor(last.key) }),
      },
    };
  }

  function batchSet(items: z.infer<typeof batchSetSchema>): KvsAnswer {
    checkBatch(items.length);
    const successfulKeys: { key: string }[] = [];
    const failedKeys: { key: string; error: { code: string; message: string } }[] = [];
    for (const item of items) {
      try {
        checkKey(item.key);
        checkValue(item.value, KVS_VALUE_MAX_BYTES);
        app.set(item.key, item.value, ttlMs(item.options?.ttl));
        successfulKeys.push({ key: item.key });
      } catch (error) {
        if (!(error instanceof KvsFailure)) throw error;
        failedKeys.push({ key: item.key, error: { code: error.code, message: error.message } });
      }
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  function batchGet(items: z.infer<typeof batchKeysSchema>): KvsAnswer {
    checkBatch(items.length);
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      checkKey(item.key);
      const entry = app.get(item.key);
      if (entry === undefined)
        failedKeys.push({ key: item.key, error: { code: 'KEY_NOT_FOUND', message: 'No value is stored for the key.' } });
      else successfulKeys.push(render(entry));
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  function batchDelete(items: z.infer<typeof batchKeysSchema>): KvsAnswer {
    checkBatch(items.length);
    for (const item of items) checkKey(item.key);
    for (const item of items) app.delete(item.key);
    return { status: 200, body: { successfulKeys: items.map((i) => ({ key: i.key })), failedKeys: [] } };
  }

  /** All or nothing: every operation is validated before any is applied. */
  function transaction(request: z.infer<typeof transactionSchema>): KvsAnswer {
    if ((request.check ?? []).length > 0)
      throw new KvsFailure(501, 'NOT_EMULATED', 'The sandbox does not emulate transaction conditions (check).');
    const sets = request.set ?? [];
    const deletes = request.delete ?? [];
    checkBatch(sets.length + deletes.length);
    const keysUsed = [...sets.map((s) => s.key), ...deletes.map((d) => d.key)];
    if (new Set(keysUsed).size !== keysUsed.length)
      throw new KvsFailure(400, 'INVALID_TRANSACTION', 'Each key can be used only once in a transaction.');
    for (const s of sets) {
      checkKey(s.key);
      checkValue(s.value, KVS_VALUE_MAX_BYTES);
    }
    for (const d of deletes) checkKey(d.key);
    for (const s of sets) app.set(s.key, s.value, ttlMs(s.options?.ttl));
    for (const d of deletes) app.delete(d.key);
    return { status: 204 };
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new KvsFailure(
      400,
      'INVALID_REQUEST',
      `The KVS request is not one Forge accepts: ${parsed.error.issues[0]?.message ?? 'invalid body'}.`,
    );
  return parsed.data;
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > KVS_KEY_MAX_LENGTH || !KVS_KEY_PATTERN.test(key)) {
    throw new KvsFailure(400, 'INVALID_KEY', `Keys must be 1-${KVS_KEY_MAX_LENGTH} characters matching ${String(KVS_KEY_PATTERN)}.`);
  }
}

function checkValue(value: unknown, maxBytes: number): void {
  if (value === undefined || value === null)
    throw new KvsFailure(400, 'INVALID_VALUE', 'The value must be a string, number, boolean, array or object.');
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxBytes)
    throw new KvsFailure(413, 'VALUE_TOO_LARGE', `The value is ${bytes} bytes; Forge stores at most ${maxBytes} bytes per key.`);
  if (depthOf(value) > KVS_MAX_DEPTH)
    throw new KvsFailure(400, 'INVALID_VALUE', `The value is nested deeper than ${KVS_MAX_DEPTH} levels.`);
}

function checkBatch(size: number): void {
  if (size < 1 || size > KVS_BATCH_MAX)
    throw new KvsFailure(400, 'INVALID_BATCH', `A batch or transaction holds 1 to ${KVS_BATCH_MAX} operations.`);
}

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

function ttlMs(ttl: z.infer<typeof ttlSchema> | undefined): number | null {
  return ttl === undefined ? null : Math.round(ttl.value * UNIT_MS[ttl.unit]);
}

function render(entry: StoredEntry): Record<string, unknown> {
  return {
    key: entry.key,
    value: entry.value,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    ...(entry.expiresAt === null ? {} : { expireTime: new Date(entry.expiresAt).toISOString() }),
  };
}

function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0) throw new KvsFailure(400, 'INVALID_CURSOR', 'The cursor is not one this store issued.');
  return key;
}
