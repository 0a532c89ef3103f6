/**
 * What the app learned about this site and tenant while it ran: figures only a live platform can give (the page
 * sizes Graph and Assets really serve, the Assets write rate the site allows, clock skew against the servers).
 * Stages record them as they go; Diagnostics shows them, and the write pacer starts the next run from the learned
 * rate. One KVS value, merged per section, so a stage never overwrites what another stage learned.
 *
 * Counts and sizes only: nothing personal is ever stored here.
 */
import { z } from 'zod';

import { keys } from './keys';
import type { KeyValueStore } from './ports';

const at = z.string();

/** A page size: what the app asked for and the largest page the server actually served. */
const pageSizeSchema = z.object({ requested: z.number().int().min(0), served: z.number().int().min(0), at });

export const platformObservationsSchema = z.object({
  /** Graph users list or delta: the largest page served in the last full read. */
  graphPageSize: pageSizeSchema.extend({ endpoint: z.string() }).optional(),
  /** Assets AQL search: the largest page served in the last snapshot read. */
  assetsAqlPageSize: pageSizeSchema.optional(),
  /** The Assets write rate the pacer settled on, and how many 429s it met getting there. */
  assetsWriteRate: z
    .object({ perMinute: z.number().min(1), throttled: z.number().int().min(0), writes: z.number().int().min(0), at })
    .optional(),
  /** Server clock minus the app's clock, from the servers' Date headers (positive: the server is ahead). */
  clockSkewMs: z.object({ jira: z.number().optional(), graph: z.number().optional(), at }).optional(),
});
export type PlatformObservations = z.infer<typeof platformObservationsSchema>;

export async function readObservations(store: KeyValueStore): Promise<PlatformObservations> {
  const parsed = platformObservationsSchema.safeParse(await store.get(keys.platformObservations()));
  return parsed.success ? parsed.data : {};
}

/** Merges the given sections into what is stored (last writer wins per section). */
export async function recordObservations(store: KeyValueStore, patch: PlatformObservations): Promise<void> {
  const current = await readObservations(store);
  await store.set(keys.platformObservations(), { ...current, ...patch });
}
