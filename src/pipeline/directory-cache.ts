/**
 * The cached Entra directory: the users as the sync rules need them (entra-user.ts: ids, match keys, written
 * attributes, manager id; nothing more), kept between runs with the Graph deltaLink so a resync asks Graph only
 * for what changed. Stored as one generation of chunks plus a meta record; a new generation is written in full
 * before the meta switches to it, so a crash never leaves a half-merged directory.
 */
import { z } from 'zod';

import { type EntraUser, entraUserSchema } from '../domain/entra-user';
import { readChunks, writeChunks } from './chunked-store';
import { keys } from './keys';
import type { KeyValueStore } from './ports';
import { RETENTION_SECONDS } from './retention';

export const directoryMetaSchema = z.object({
  v: z.literal(1),
  generation: z.string(),
  chunks: z.number().int().min(0),
  users: z.number().int().min(0),
  deltaLink: z.string().nullable(),
  /** When the whole directory was last read (the next full read is due FULL_READ_MAX_AGE_DAYS later). */
  fullReadAt: z.string(),
  updatedAt: z.string(),
  /**
   * Users new to the directory whose delta item lacked a property and whose re-read by id answered 404 (not yet
   * replicated): their partial record is kept and re-read by the next runs, at most MAX_REREAD_ATTEMPTS times.
   * Entra object ids and counts only. Absent in metas written before this field existed.
   */
  pendingReads: z.array(z.object({ id: z.string().min(1), attempts: z.number().int().min(1) })).default([]),
  /**
   * The optional attributes the cached users carry (EntraUser.extra): a run whose definition wants others reads the
   * whole directory again. Absent in metas written before attributes could be chosen: none.
   */
  attributes: z.array(z.string()).default([]),
  /**
   * The Graph properties the cached users carry for the sync scope (EntraUser.profile): a run whose scope reads
   * others reads the whole directory again. Absent in metas written before the scope existed: none.
   */
  profile: z.array(z.string()).default([]),
});
export type DirectoryMeta = z.infer<typeof directoryMetaSchema>;

export async function readDirectoryMeta(store: KeyValueStore): Promise<DirectoryMeta | null> {
  const parsed = directoryMetaSchema.safeParse(await store.get(keys.directoryMeta()));
  return parsed.success ? parsed.data : null;
}

export async function readDirectory(store: KeyValueStore, generation: string, chunks: number): Promise<EntraUser[]> {
  return readChunks(store, (i) => keys.directoryChunk(generation, i), chunks, entraUserSchema);
}

export async function writeDirectoryChunks(
  store: KeyValueStore,
  generation: string,
  users: readonly EntraUser[],
  firstIndex = 0,
): Promise<number> {
  return writeChunks(store, (i) => keys.directoryChunk(generation, i), users, { firstIndex, ttlSeconds: RETENTION_SECONDS.directory });
}

export async function deleteGeneration(store: KeyValueStore, generation: string, chunks: number): Promise<void> {
  for (let i = 0; i < chunks; i++) await store.delete(keys.directoryChunk(generation, i));
}
