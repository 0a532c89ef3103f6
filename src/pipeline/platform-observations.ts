/**
 * What the app learned about this site and tenant while it ran: figures only a live platform can give (the page
 * sizes Graph and Assets really serve, the Assets write rate the site allows, clock skew against the servers).
 * Stages record them as they go; Diagnostics shows them, and the write pacer starts the next run from the learned
 * rate. One KVS value, merged per section, so a stage never overwrites what another stage learned.
 *
 * Counts and sizes only: nothing personal is ever stored here.
 */
import { z } from 'zod';

import type { EntraUser } from '../domain/entra-user';
import type { ObjectTypeDefinition } from '../domain/schema-definition';
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
  /**
   * The last time Assets answered the incremental read's `Updated > now(-<n>m)` (assets-cache.ts): refused (HTTP 400,
   * the run read every object instead) or served.
   */
  assetsUpdatedQuery: z.object({ refused: z.boolean(), at }).optional(),
  /** The Assets write rate the pacer settled on, and how many 429s it met getting there. */
  assetsWriteRate: z
    .object({
      perMinute: z.number().min(1),
      /** The site's write limit the pacer learned at a 429 (issue 16; absent when none was met, or written before). */
      ceiling: z.number().min(1).nullable().optional(),
      throttled: z.number().int().min(0),
      writes: z.number().int().min(0),
      at,
    })
    .optional(),
  /** Server clock minus the app's clock, from the servers' Date headers (positive: the server is ahead). */
  clockSkewMs: z.object({ jira: z.number().optional(), graph: z.number().optional(), at }).optional(),
  /**
   * Platform assumption G10: at a full read that follows delta rounds, how many users the delta-maintained cache
   * and the full read both held, and for how many of them the chosen attributes delta may not track
   * (DELTA_UNTRACKED_PROPERTIES) differed. Counts only.
   */
  optionalPropertyDrift: z
    .object({ compared: z.number().int().min(0), differed: z.number().int().min(0), attributes: z.number().int().min(0), at })
    .optional(),
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

/**
 * Graph properties whose changes Microsoft does not document `users/delta` as reporting (docs/platform-assumptions.md
 * G10; https://learn.microsoft.com/graph/delta-query-overview#limitations, https://learn.microsoft.com/graph/delta-query-users#properties):
 * the optional ones a chosen attribute may read, and every directory extension property.
 */
export const DELTA_UNTRACKED_PROPERTIES: readonly string[] = ['employeeHireDate', 'employeeOrgData', 'onPremisesExtensionAttributes'];

function deltaUntracked(property: string): boolean {
  return DELTA_UNTRACKED_PROPERTIES.includes(property) || property.startsWith('extension_');
}

/** The keys of the type's attributes read from a property delta may not track (empty: nothing to watch). */
export function deltaUntrackedKeys(type: ObjectTypeDefinition): string[] {
  return type.attributes.filter((attribute) => attribute.graphSelect.some(deltaUntracked)).map((attribute) => attribute.key);
}

/**
 * Compares the delta-maintained cache with what a full read just returned, on the given attribute keys: users in
 * both, and those whose values differ (a user the full read lacks, or new to it, is delta's ordinary business).
 */
export function compareOptionalValues(
  cached: readonly EntraUser[],
  read: ReadonlyMap<string, EntraUser>,
  attributeKeys: readonly string[],
): { compared: number; differed: number } {
  let compared = 0;
  let differed = 0;
  for (const before of cached) {
    const after = read.get(before.id);
    if (after === undefined) continue;
    compared++;
    if (attributeKeys.some((key) => (before.extra?.[key] ?? null) !== (after.extra?.[key] ?? null))) differed++;
  }
  return { compared, differed };
}
