/**
 * The cached Assets objects (ADR 0008): the app's own Employee objects (and, with group sync, Entra Group objects) as
 * the planner needs them (object id, key, decoded app-owned values), kept between runs so a resync asks Assets only
 * for the objects updated since the last read (`Updated > now(-<n>m)`) plus one count to catch deletions. One cache
 * per object type: a meta record and one generation of chunks; a new generation is written in full before the meta
 * switches to it, so a crash never leaves a half-merged cache.
 */
import { z } from 'zod';

import { type AssetsObject, assetsObjectSchema } from '../domain/assets-object';
import type { ObjectTypeDefinition } from '../domain/schema-definition';
import type { ObjectTypeLayout } from '../domain/schema-layout';
import { readChunks, writeChunks } from './chunked-store';
import { keys } from './keys';
import type { KeyValueStore } from './ports';
import { RETENTION_SECONDS } from './retention';

/** A cache older than this is read again in full (issue 16: default 7 days). */
export const ASSETS_CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The incremental read asks for the objects updated since the last read started, less this margin: the elapsed time
 * is measured on the app's clock while Assets evaluates now() on its own (invocations may run on hosts whose clocks
 * differ by seconds), Updated may be stamped when a write commits rather than when it began, and the query counts in
 * whole minutes. Re-reading ten minutes of changes costs a few objects; missing one would leave a stale object
 * until the next full read.
 */
export const ASSETS_CACHE_OVERLAP_MS = 10 * 60 * 1000;

export type CachedType = 'employee' | 'group';

export const assetsCacheMetaSchema = z.object({
  v: z.literal(1),
  generation: z.string().min(1),
  chunks: z.number().int().min(0),
  objects: z.number().int().min(0),
  /** The attributes and their Assets ids the cached values were decoded with: another layout reads everything again. */
  fingerprint: z.string(),
  /** When the last read (full or incremental) started, on the app's clock. */
  readStartedAt: z.number(),
  /** When the last full read started: the next one is due ASSETS_CACHE_MAX_AGE_MS later. */
  fullReadAt: z.number(),
});
export type AssetsCacheMeta = z.infer<typeof assetsCacheMetaSchema>;

/** What the cached values depend on: the workspace, the type's attribute keys and the Assets ids they were decoded from. */
export function cacheFingerprint(workspaceId: string, type: ObjectTypeDefinition, layout: ObjectTypeLayout): string {
  const attributes = type.attributes.map((attribute) => `${attribute.key}=${layout.attributeIds[attribute.key] ?? ''}`).sort();
  return `${workspaceId}|${layout.objectTypeId}|${attributes.join(',')}`;
}

export async function readAssetsCacheMeta(store: KeyValueStore, type: CachedType): Promise<AssetsCacheMeta | null> {
  const parsed = assetsCacheMetaSchema.safeParse(await store.get(keys.assetsCacheMeta(type)));
  return parsed.success ? parsed.data : null;
}

export async function writeAssetsCacheMeta(store: KeyValueStore, type: CachedType, meta: AssetsCacheMeta): Promise<void> {
  await store.set(keys.assetsCacheMeta(type), meta, { ttlSeconds: RETENTION_SECONDS.assetsCache });
}

export async function readAssetsCache(store: KeyValueStore, type: CachedType, generation: string, chunks: number): Promise<AssetsObject[]> {
  return readChunks(store, (i) => keys.assetsCacheChunk(type, generation, i), chunks, assetsObjectSchema);
}

export async function writeAssetsCacheChunks(
  store: KeyValueStore,
  type: CachedType,
  generation: string,
  objects: readonly AssetsObject[],
  firstIndex: number,
): Promise<number> {
  return writeChunks(store, (i) => keys.assetsCacheChunk(type, generation, i), objects, {
    firstIndex,
    ttlSeconds: RETENTION_SECONDS.assetsCache,
  });
}

export async function deleteAssetsCacheGeneration(
  store: KeyValueStore,
  type: CachedType,
  generation: string,
  chunks: number,
): Promise<void> {
  for (let i = 0; i < chunks; i++) await store.delete(keys.assetsCacheChunk(type, generation, i));
}

/** The cached objects with the changed ones folded in (replaced by object id, new ones added), in object id order. */
export function foldChanges(cached: readonly AssetsObject[], changed: readonly AssetsObject[]): AssetsObject[] {
  const byId = new Map(cached.map((object) => [object.objectId, object]));
  for (const object of changed) byId.set(object.objectId, object);
  return [...byId.values()].sort(byObjectId);
}

function byObjectId(a: AssetsObject, b: AssetsObject): number {
  const x = Number(a.objectId);
  const y = Number(b.objectId);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0;
}
