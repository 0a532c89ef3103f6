/**
 * Lists too large for one KVS value (240 KiB) are split into chunk keys, each under MAX_CHUNK_BYTES, and read back
 * with zod. Stages hand data to each other this way; queue messages only carry the run id.
 */
import { z } from 'zod';

import { AppError } from '../domain/errors';
import type { KeyValueStore } from './ports';

/** Below Forge's 240 KiB per value, with headroom for the JSON envelope. */
export const MAX_CHUNK_BYTES = 200 * 1024;

export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Splits items into consecutive groups whose JSON stays under maxBytes. An item too big on its own is an error. */
export function splitIntoChunks<T>(items: readonly T[], maxBytes = MAX_CHUNK_BYTES): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 2; // the array brackets
  for (const item of items) {
    const itemSize = byteLength(item) + 1;
    if (itemSize + 2 > maxBytes) {
      throw new AppError('STORAGE_VALUE_TOO_LARGE', 'A stored record is larger than Forge storage allows.', {
        context: { bytes: itemSize, maxBytes },
      });
    }
    if (size + itemSize > maxBytes && current.length > 0) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Writes items as chunks starting at `firstIndex`; returns the number of chunks written. */
export async function writeChunks<T>(
  store: KeyValueStore,
  keyOf: (index: number) => string,
  items: readonly T[],
  options: { firstIndex?: number; ttlSeconds?: number } = {},
): Promise<number> {
  return writeChunkList(store, keyOf, splitIntoChunks(items), options);
}

/** Writes chunks already split (splitIntoChunks with another size) starting at `firstIndex`; returns their number. */
export async function writeChunkList<T>(
  store: KeyValueStore,
  keyOf: (index: number) => string,
  chunks: readonly (readonly T[])[],
  options: { firstIndex?: number; ttlSeconds?: number } = {},
): Promise<number> {
  const first = options.firstIndex ?? 0;
  for (let i = 0; i < chunks.length; i++) {
    await store.set(keyOf(first + i), chunks[i], options.ttlSeconds === undefined ? undefined : { ttlSeconds: options.ttlSeconds });
  }
  return chunks.length;
}

/** Reads `count` chunks and parses every item; a missing or malformed chunk is a STORAGE_FAILED error. */
export async function readChunks<S extends z.ZodType>(
  store: KeyValueStore,
  keyOf: (index: number) => string,
  count: number,
  itemSchema: S,
): Promise<z.infer<S>[]> {
  const listSchema = z.array(itemSchema);
  const out: z.infer<S>[] = [];
  for (let i = 0; i < count; i++) {
    const key = keyOf(i);
    const raw = await store.get(key);
    const parsed = listSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('STORAGE_FAILED', 'Stored sync data is missing or unreadable; start a new run.', {
        context: { chunk: i, present: raw !== undefined },
        cause: parsed.error,
      });
    }
    for (const item of parsed.data) out.push(item);
  }
  return out;
}
