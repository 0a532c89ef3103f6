/**
 * Reading one Microsoft Graph delta round a page at a time, shared by the stages that cache a directory between runs
 * (users: stages/entra-directory-stage.ts; groups: stages/entra-groups-stage.ts). A full read is the first round of
 * the delta query (link null); later runs follow the stored deltaLink. Each page's changes are stored as run-data
 * chunks right away and the checkpoint records how many, so a killed invocation resumes at the page it was on and
 * the caller merges the whole round in one step at the end.
 *
 * Expiry (https://learn.microsoft.com/graph/delta-query-overview: an expired or unknown state token answers 400
 * syncStateNotFound / 410 Gone): an expired deltaLink switches to a full read; an expired paging link mid full read
 * restarts it, at most MAX_FULL_READ_RESTARTS times a run, after which the run waits 60 s and reads again.
 * Throttling is never slept away: the client's "retry later" error propagates, the step runner reschedules the event
 * and the checkpoint resumes at the same page.
 */
import { z } from 'zod';

import { AppError, isAppError } from '../domain/errors';
import { writeChunks } from './chunked-store';
import { keys, type RunDataset } from './keys';
import type { KeyValueStore, Logger } from './ports';
import type { StepContext } from './step-runner';

/** Restarts of an expired full read within one run before the run waits and tries again later. */
export const MAX_FULL_READ_RESTARTS = 3;

export const fullReadCheckpointSchema = z.object({
  phase: z.literal('fullRead'),
  /** null: the next request starts the round. */
  link: z.string().nullable(),
  changeChunks: z.number().int(),
  changes: z.number().int(),
  restarts: z.number().int(),
  largestPage: z.number().int(),
});
export const deltaCheckpointSchema = z.object({
  phase: z.literal('delta'),
  link: z.string(),
  changeChunks: z.number().int(),
  changes: z.number().int(),
});
export type RoundCheckpoint = z.infer<typeof fullReadCheckpointSchema> | z.infer<typeof deltaCheckpointSchema>;

export const startFullRead = (restarts = 0): RoundCheckpoint => ({
  phase: 'fullRead',
  link: null,
  changeChunks: 0,
  changes: 0,
  restarts,
  largestPage: 0,
});

export interface DeltaPage<C> {
  readonly changes: readonly C[];
  readonly nextLink: string | null;
  readonly deltaLink: string | null;
}

export interface RoundReader<C> {
  readonly store: KeyValueStore;
  /** The port call: null starts a full round. A page asked ahead for the same link is handed over instead. */
  readonly fetchPage: (link: string | null) => Promise<DeltaPage<C>>;
  /**
   * Asks for the page at `link` now, while the caller stores the page it has (Graph's latency then overlaps the KVS
   * writes); the next `fetchPage(link)` takes it, its failure included. A page asked ahead that is never taken (the
   * invocation yields first) costs one request.
   */
  readonly askAhead: (link: string) => void;
  /** Where the round's changes are stored (run data). */
  readonly changeKey: (index: number) => string;
  readonly ttlSeconds: number;
  readonly logger: Logger;
  /** The stage's log event prefix, e.g. 'stage.entra-directory'. */
  readonly event: string;
  /** What is read, for the admin message, e.g. 'the directory'. */
  readonly what: string;
}

/** The round's last page was read: merge `changeChunks` chunks of changes and keep `deltaLink` for the next run. */
export interface RoundEnd {
  readonly mode: 'full' | 'delta';
  readonly deltaLink: string;
  readonly changeChunks: number;
  readonly changes: number;
  /** The largest page of a full read (0 for delta). */
  readonly largestPage: number;
}

/** The reader of a stage's round: its changes go to the run's `dataset` chunks, with the run data's TTL. */
export function roundReader<C>(
  deps: { readonly store: KeyValueStore; readonly logger: Logger; readonly config: { readonly runDataTtlSeconds: number } },
  runId: string,
  read: Pick<RoundReader<C>, 'fetchPage' | 'event' | 'what'> & { readonly dataset: RunDataset },
): RoundReader<C> {
  let ahead: { readonly link: string; readonly page: Promise<DeltaPage<C>> } | null = null;
  return {
    store: deps.store,
    fetchPage: (link) => {
      const asked = ahead;
      ahead = null;
      return asked !== null && asked.link === link ? asked.page : read.fetchPage(link);
    },
    askAhead: (link) => {
      const page = read.fetchPage(link);
      // Handled when taken; a page never taken must not surface as an unhandled rejection.
      page.catch(() => undefined);
      ahead = { link, page };
    },
    changeKey: (i) => keys.chunk(runId, read.dataset, i),
    ttlSeconds: deps.config.runDataTtlSeconds,
    logger: deps.logger,
    event: read.event,
    what: read.what,
  };
}

const isExpiry = (error: unknown): error is AppError =>
  isAppError(error) && (error.code === 'GRAPH_DELTA_EXPIRED' || error.code === 'GRAPH_PAGE_TOKEN_EXPIRED');

/**
 * Reads the page `cp` points at and stores its changes. Returns the next checkpoint (the caller saves it), or the
 * end of the round. An expiry returns a fresh full read (saved here); too many restarts throws a "retry later".
 */
export async function readRoundPage<C>(
  ctx: StepContext,
  reader: RoundReader<C>,
  cp: RoundCheckpoint,
): Promise<{ next: RoundCheckpoint } | { end: RoundEnd }> {
  const { runId } = ctx;
  let page: DeltaPage<C>;
  try {
    page = await reader.fetchPage(cp.link);
  } catch (error) {
    if (!isExpiry(error) || cp.link === null) throw error;
    if (cp.phase === 'delta') {
      reader.logger.info(`${reader.event}.delta-expired`, { runId, code: error.code });
      return { next: await saved(ctx, startFullRead()) };
    }
    const restarts = cp.restarts + 1;
    reader.logger.info(`${reader.event}.full-read-restart`, { runId, code: error.code, restarts });
    if (restarts <= MAX_FULL_READ_RESTARTS) return { next: await saved(ctx, startFullRead(restarts)) };
    // The next attempt starts afresh; the error says when.
    await ctx.saveCheckpoint(startFullRead());
    throw new AppError(
      'GRAPH_PAGE_TOKEN_EXPIRED',
      `Microsoft Graph expired the paging link of ${reader.what} read ${restarts} times in a row; the app will read ${reader.what} again in 60 s.`,
      { context: { runId, restarts }, cause: error, retry: 'later', retryAfterSeconds: 60 },
    );
  }
  // The next page goes out now, unless the stage yields after this one (it would be asked again next invocation).
  if (page.nextLink !== null && !ctx.shouldYield()) reader.askAhead(page.nextLink);
  const written = await writeChunks(reader.store, reader.changeKey, page.changes, {
    firstIndex: cp.changeChunks,
    ttlSeconds: reader.ttlSeconds,
  });
  const changeChunks = cp.changeChunks + written;
  const changes = cp.changes + page.changes.length;
  const largestPage = cp.phase === 'fullRead' ? Math.max(cp.largestPage, page.changes.length) : 0;
  if (page.nextLink !== null) {
    return {
      next:
        cp.phase === 'fullRead'
          ? { ...cp, link: page.nextLink, changeChunks, changes, largestPage }
          : { ...cp, link: page.nextLink, changeChunks, changes },
    };
  }
  if (page.deltaLink === null) {
    throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph returned a delta page with neither a next link nor a delta link.', {
      context: { runId },
      retry: 'now',
    });
  }
  return { end: { mode: cp.phase === 'fullRead' ? 'full' : 'delta', deltaLink: page.deltaLink, changeChunks, changes, largestPage } };
}

async function saved(ctx: StepContext, cp: RoundCheckpoint): Promise<RoundCheckpoint> {
  await ctx.saveCheckpoint(cp);
  return cp;
}
