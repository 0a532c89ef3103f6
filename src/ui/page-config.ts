/** The page's fixed figures, in one place (tests import them from here without loading the bridge). */

/** How often the page asks for the run status while a run moves on its own. */
export const POLL_INTERVAL_MS = 3_000;

/** Rows per page of every table (the product paginates; the exact totals are shown above each table). */
export const ROWS_PER_PAGE = 10;
