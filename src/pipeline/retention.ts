/**
 * How long the app keeps what it stores (docs/privacy.md lists each item). Run data (checkpoints, chunks, per-run
 * reports) uses PipelineConfig.runDataTtlSeconds (14 days).
 */
const DAY = 24 * 60 * 60;

export const RETENTION_SECONDS = {
  /**
   * The cached Entra directory and its delta link. Graph delta tokens expire after 7 days, after which the next run
   * reads everything again anyway, so a cache older than that is useless: it expires a day later.
   */
  directory: 8 * DAY,
  /** The cached Entra group directory and its delta link: the same reasoning as the user directory. */
  groupDirectory: 8 * DAY,
  /**
   * The cached Assets objects (assets-cache.ts): a cache older than 7 days is read again in full anyway, so it
   * expires a day later.
   */
  assetsCache: 8 * DAY,
  /** The hidden-email cache (email-cache.ts): entries asked more than 7 days ago are asked again, so it expires a day later. */
  emailCache: 8 * DAY,
  /** The latest preview and sync reports shown on the admin page (replaced by each run of the same mode). */
  latestReport: 45 * DAY,
  /** Run history entries and the last manual / scheduled sync summaries. */
  history: 400 * DAY,
} as const;
