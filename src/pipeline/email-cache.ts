/**
 * The hidden-email cache (issue 16, docs/adr/0008 addendum): the emails Jira's email API returned for accounts whose
 * profile hides their email, by accountId, kept between runs so a resync asks the email API only for accounts it has
 * not asked about lately. Jira's user search answers them with no emailAddress every run; without the cache every
 * run asked the email API again for all of them (one call per 100 accounts).
 *
 * One meta record and one generation of chunks. The atlassianUsers stage reads the generation the meta names at its
 * start, writes a new generation (the hidden-email accounts of this run only: an account whose email became visible,
 * or that left the site, drops out) page by page, and switches the meta to it once every page is done, so a killed
 * invocation never leaves a half-written cache in use. A cache whose entries were asked more than
 * EMAIL_CACHE_MAX_AGE_MS ago is not used: everything is asked again, so an email changed in Atlassian is picked up
 * within a week. Keys carry only the generation (a run id) and an index; the values hold emails (docs/privacy.md).
 */
import { z } from 'zod';

import { AppError } from '../domain/errors';
import { readChunks, writeChunks } from './chunked-store';
import { keys } from './keys';
import type { KeyValueStore } from './ports';
import { RETENTION_SECONDS } from './retention';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Entries asked longer ago than this are asked again (issue 16: an email changed in Atlassian is seen within a week). */
export const EMAIL_CACHE_MAX_AGE_MS = 7 * DAY_MS;

/**
 * KVS TTL of the meta and the chunks (RETENTION_SECONDS.emailCache): a cache older than 7 days is not used anyway, so
 * it expires a day later, below the 14-day run data that holds the same emails per run.
 */
export const EMAIL_CACHE_TTL_SECONDS = RETENTION_SECONDS.emailCache;

/** email null: the email API was asked and returned none for the account (asked again only after the week, too). */
export const emailCacheEntrySchema = z.object({ accountId: z.string().min(1), email: z.string().min(1).nullable() });
export type EmailCacheEntry = z.infer<typeof emailCacheEntrySchema>;

export const emailCacheMetaSchema = z.object({
  v: z.literal(1),
  generation: z.string().min(1),
  chunks: z.number().int().min(0),
  entries: z.number().int().min(0),
  /** When the email API was last asked for every hidden-email account (epoch ms, the app's clock). */
  askedAt: z.number(),
});
export type EmailCacheMeta = z.infer<typeof emailCacheMetaSchema>;

export async function readEmailCacheMeta(store: KeyValueStore): Promise<EmailCacheMeta | null> {
  const parsed = emailCacheMetaSchema.safeParse(await store.get(keys.emailCacheMeta()));
  return parsed.success ? parsed.data : null;
}

export async function writeEmailCacheMeta(store: KeyValueStore, meta: EmailCacheMeta): Promise<void> {
  await store.set(keys.emailCacheMeta(), meta, { ttlSeconds: EMAIL_CACHE_TTL_SECONDS });
}

export async function deleteEmailCacheMeta(store: KeyValueStore): Promise<void> {
  await store.delete(keys.emailCacheMeta());
}

/**
 * The cached emails by accountId. A generation that is missing or unreadable (expired, or dropped meanwhile) is an
 * empty cache: the accounts are asked again, which costs calls, never a wrong email.
 */
export async function readEmailCache(store: KeyValueStore, generation: string, chunks: number): Promise<Map<string, string | null>> {
  try {
    const entries = await readChunks(store, (i) => keys.emailCacheChunk(generation, i), chunks, emailCacheEntrySchema);
    return new Map(entries.map((entry) => [entry.accountId, entry.email]));
  } catch (error) {
    if (error instanceof AppError && error.code === 'STORAGE_FAILED') return new Map();
    throw error;
  }
}

export async function writeEmailCacheChunks(
  store: KeyValueStore,
  generation: string,
  entries: readonly EmailCacheEntry[],
  firstIndex: number,
): Promise<number> {
  return writeChunks(store, (i) => keys.emailCacheChunk(generation, i), entries, { firstIndex, ttlSeconds: EMAIL_CACHE_TTL_SECONDS });
}

export async function deleteEmailCacheGeneration(store: KeyValueStore, generation: string, chunks: number): Promise<void> {
  for (let i = 0; i < chunks; i++) await store.delete(keys.emailCacheChunk(generation, i));
}
