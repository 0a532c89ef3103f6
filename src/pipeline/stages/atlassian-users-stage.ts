/**
 * Stage 1: the Atlassian population. Pages through Jira's user search, keeps active 'atlassian' accounts, fetches
 * the emails that profile visibility hides (asApp email API), and stores the accounts in chunks for the plan stage.
 * The emails the email API returned are cached between runs (email-cache.ts): a resync asks it only for hidden-email
 * accounts the cache does not hold, and for all of them once the cache's answers are a week old.
 * When the email API is refused (400 not approved / 503 disabled) the run goes on with visible emails and the
 * report says why matching is incomplete.
 */
import { z } from 'zod';

import { atlassianAccountSchema } from '../../domain/atlassian-account';
import { isInPopulation } from '../../domain/email-match';
import { writeChunks } from '../chunked-store';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import {
  deleteEmailCacheGeneration,
  deleteEmailCacheMeta,
  EMAIL_CACHE_MAX_AGE_MS,
  readEmailCache,
  readEmailCacheMeta,
  writeEmailCacheChunks,
  writeEmailCacheMeta,
} from '../email-cache';
import { keys } from '../keys';
import type { AtlassianUsersPort } from '../ports';
import type { StageHandler } from '../step-runner';

type AtlassianPage = Awaited<ReturnType<AtlassianUsersPort['listUsersPage']>>;

/** Everything this stage can touch besides its step context. */
export interface AtlassianUsersStageDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger'> {
  readonly connect: ConnectTo<'atlassian'>;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds'>;
}

/**
 * The hidden-email cache's state in this run (email-cache.ts): the generation read (null: none usable), the one being
 * written (the run id) and whether the meta has been switched to it.
 */
const emailCacheStateSchema = z.object({
  /** The generation whose emails this run uses; null when there is none or it was asked too long ago. */
  use: z.object({ generation: z.string().min(1), chunks: z.number().int().min(0) }).nullable(),
  /** The generation the meta named at the start, dropped once the new one is in place. */
  previous: z.object({ generation: z.string().min(1), chunks: z.number().int().min(0) }).nullable(),
  generation: z.string().min(1),
  chunks: z.number().int().min(0),
  entries: z.number().int().min(0),
  /** When every entry of the new generation was last asked (the used generation's time, or this run's start). */
  askedAt: z.number(),
  /** Hidden emails taken from the cache instead of the email API. */
  fromCache: z.number().int().min(0),
  committed: z.boolean(),
});
type EmailCacheState = z.infer<typeof emailCacheStateSchema>;

export const atlassianCheckpointSchema = z.object({
  startAt: z.number().int().min(0),
  chunks: z.number().int().min(0),
  population: z.number().int().min(0),
  scanned: z.number().int().min(0),
  hiddenEmails: z.number().int().min(0),
  hiddenEmailsResolved: z.number().int().min(0),
  emailWarning: z.string().nullable(),
  done: z.boolean(),
  /** Absent in checkpoints of older versions: that run neither reads nor writes the cache. */
  emailCache: emailCacheStateSchema.optional(),
});
export type AtlassianCheckpoint = z.infer<typeof atlassianCheckpointSchema>;

export const storedAccountSchema = atlassianAccountSchema;

/** Decides from the cache's meta whether this run uses it, and starts the run's own generation. */
async function startEmailCache(deps: AtlassianUsersStageDeps, runId: string): Promise<EmailCacheState> {
  const now = deps.clock.now();
  const meta = await readEmailCacheMeta(deps.store);
  const previous = meta === null || meta.generation === runId ? null : { generation: meta.generation, chunks: meta.chunks };
  const usable = previous !== null && meta !== null && now - meta.askedAt <= EMAIL_CACHE_MAX_AGE_MS && meta.askedAt <= now;
  return {
    use: usable ? previous : null,
    previous,
    generation: runId,
    chunks: 0,
    entries: 0,
    askedAt: usable && meta !== null ? meta.askedAt : now,
    fromCache: 0,
    committed: false,
  };
}

/**
 * Switches the meta to this run's generation and drops the previous one. When the email API was unavailable in this
 * run the cache is dropped instead: emails the app may no longer read are not kept, and the next run asks again.
 */
async function commitEmailCache(deps: AtlassianUsersStageDeps, cp: AtlassianCheckpoint, cache: EmailCacheState): Promise<void> {
  if (cp.emailWarning === null) {
    await writeEmailCacheMeta(deps.store, {
      v: 1,
      generation: cache.generation,
      chunks: cache.chunks,
      entries: cache.entries,
      askedAt: cache.askedAt,
    });
  } else {
    await deleteEmailCacheMeta(deps.store);
    await deleteEmailCacheGeneration(deps.store, cache.generation, cache.chunks);
  }
  if (cache.previous !== null && cache.previous.generation !== cache.generation) {
    await deleteEmailCacheGeneration(deps.store, cache.previous.generation, cache.previous.chunks);
  }
}

export const createAtlassianUsersStage =
  (deps: AtlassianUsersStageDeps): StageHandler =>
  async (ctx) => {
    const { runId } = ctx;
    // A fresh run decides from the cache's meta, which only this stage's commit changes: a killed first invocation
    // decides the same way again.
    let cp: AtlassianCheckpoint = (await ctx.readCheckpoint(atlassianCheckpointSchema)) ?? {
      startAt: 0,
      chunks: 0,
      population: 0,
      scanned: 0,
      hiddenEmails: 0,
      hiddenEmailsResolved: 0,
      emailWarning: null,
      done: false,
      emailCache: await startEmailCache(deps, runId),
    };
    if (cp.done && (cp.emailCache === undefined || cp.emailCache.committed)) return { kind: 'complete' };
    const { atlassian } = await deps.connect();
    // The cached emails, read once per invocation (null until a page needs them).
    let cached: Map<string, string | null> | null = null;

    // The next page of the search, asked while this page's emails are looked up and its chunks stored (the page
    // after a page starts where it ended, so it is known at once): the reading costs the slower of the two chains,
    // not their sum (issue 16). Left unanswered when the invocation yields: one request, nothing stored.
    let ahead: { readonly startAt: number; readonly page: Promise<AtlassianPage> } | null = null;
    const pageAt = (startAt: number): Promise<AtlassianPage> => {
      if (ahead !== null && ahead.startAt === startAt) return ahead.page;
      return atlassian.listUsersPage(startAt);
    };
    while (!cp.done) {
      if (ctx.shouldYield()) return { kind: 'continue' };
      const page = await pageAt(cp.startAt);
      ahead = null;
      if (!page.isLast) {
        const startAt = cp.startAt + page.accounts.length;
        const next = atlassian.listUsersPage(startAt);
        // Its failure is met when the loop asks for that page (the awaited promise rejects then), never unobserved.
        next.catch(() => undefined);
        ahead = { startAt, page: next };
      }
      const population = page.accounts.filter(isInPopulation);
      // Jira leaves emailAddress out when the profile hides it: take those from the cache, ask the email API for the rest.
      const needEmail = population.filter((a) => a.email === null).map((a) => a.accountId);
      const cache = cp.emailCache;
      // Once the email API said it is unavailable, cached emails are not used either (they are dropped at the end).
      const useCache = cache?.use != null && cp.emailWarning === null;
      if (useCache && cached === null && needEmail.length > 0 && cache.use !== null) {
        cached = await readEmailCache(deps.store, cache.use.generation, cache.use.chunks);
      }
      // The cache's answer per account: an email, or null when the email API had none for it (asked, not answered).
      const fromCache = new Map<string, string | null>();
      for (const id of needEmail) {
        const email = useCache ? cached?.get(id) : undefined;
        if (email !== undefined) fromCache.set(id, email);
      }
      const toAsk = needEmail.filter((id) => !fromCache.has(id));

      let resolved = new Map<string, string>();
      let answered = false;
      let emailWarning = cp.emailWarning;
      if (toAsk.length > 0 && emailWarning === null) {
        const answer = await atlassian.getEmails(toAsk);
        resolved = new Map(answer.emails);
        answered = answer.unavailable === null;
        if (answer.unavailable !== null) emailWarning = answer.unavailable.message;
      }
      const emailOf = (accountId: string): string | null => resolved.get(accountId) ?? fromCache.get(accountId) ?? null;
      const accounts = population.map((a) => (a.email === null ? { ...a, email: emailOf(a.accountId) } : a));
      const written = await writeChunks(deps.store, (i) => keys.chunk(runId, 'accounts', i), accounts, {
        firstIndex: cp.chunks,
        ttlSeconds: deps.config.runDataTtlSeconds,
      });
      const cachedHits = [...fromCache.values()].filter((email) => email !== null).length;
      let nextCache = cache;
      if (cache !== undefined) {
        // Every hidden-email account the email API answered for (by an email or by none), now or from the cache.
        const entries = needEmail
          .filter((accountId) => fromCache.has(accountId) || (answered && toAsk.includes(accountId)))
          .map((accountId) => ({ accountId, email: emailOf(accountId) }));
        const cacheChunks = await writeEmailCacheChunks(deps.store, cache.generation, entries, cache.chunks);
        nextCache = {
          ...cache,
          chunks: cache.chunks + cacheChunks,
          entries: cache.entries + entries.length,
          fromCache: cache.fromCache + cachedHits,
        };
      }
      cp = {
        startAt: cp.startAt + page.accounts.length,
        chunks: cp.chunks + written,
        population: cp.population + accounts.length,
        scanned: cp.scanned + page.accounts.length,
        hiddenEmails: cp.hiddenEmails + needEmail.length,
        hiddenEmailsResolved: cp.hiddenEmailsResolved + resolved.size + cachedHits,
        emailWarning,
        done: page.isLast,
        ...(nextCache === undefined ? {} : { emailCache: nextCache }),
      };
      await ctx.saveCheckpoint(cp);
      await ctx.progress(cp.scanned, null, 'Reading Atlassian accounts');
    }
    if (cp.emailCache !== undefined && !cp.emailCache.committed) {
      if (ctx.shouldYield()) return { kind: 'continue' };
      await commitEmailCache(deps, cp, cp.emailCache);
      cp = { ...cp, emailCache: { ...cp.emailCache, committed: true } };
      await ctx.saveCheckpoint(cp);
    }
    deps.logger.info('stage.atlassian-users', {
      runId,
      scanned: cp.scanned,
      population: cp.population,
      hiddenEmails: cp.hiddenEmails,
      hiddenEmailsResolved: cp.hiddenEmailsResolved,
      hiddenEmailsFromCache: cp.emailCache?.fromCache ?? 0,
      emailApiUnavailable: cp.emailWarning !== null,
    });
    return { kind: 'complete' };
  };
