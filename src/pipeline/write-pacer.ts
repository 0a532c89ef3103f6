/**
 * The write stage's pacer: spaces Assets write requests evenly at the adaptive rate (src/domain/write-rate.ts) and
 * keeps the requests it started in the last rolling minute, so that
 * - a 429 is answered with a measurement: how many write requests the site let through (answered without a 429,
 *   redirect hops included) in the rolling minute up to the write that met it, and
 * - once a ceiling is learned, no rolling minute holds more than the domain's window cap: after the burst that hit
 *   the limit, the pacer waits for its own old requests to leave the window instead of meeting 429s until they do.
 * The rate is read at every slot, so a decrease applies at once.
 *
 * The count is a measurement only when the pacer's history covers the whole rolling minute: the pacer has been
 * sending for a minute, or it knows nothing of this run was written before it started (`freshStart`: the first
 * invocation of the write stage). An invocation that continues the stage starts with an empty history while the
 * site's window still holds the previous invocation's requests, so for its first minute a 429 carries no count
 * (the domain then keeps a learned ceiling, or cuts as AIMD does when none is known) instead of "learning" a
 * ceiling of the few requests this invocation sent.
 *
 * An invocation that continues the stage after the run has written for a minute refills the shortfall the gap
 * before it left in the window (CATCH_UP_SPEED), so the gaps between invocations (Forge's per-invocation request
 * limit, queue hops of 1-5 s) cost no writes.
 */
import {
  afterProbe,
  afterThrottledFailure,
  afterWrite,
  windowCap,
  type WriteRateSettings,
  type WriteRateState,
} from '../domain/write-rate';

const WINDOW_MS = 60_000;

/**
 * How much faster than the rate a window with a gap is refilled (see `wait`). The site counts a rolling minute
 * (JSDCLOUD-11605: "requests per minute"; fakes/jira/rate-limiter.ts), so a minute holding no more than a minute's
 * worth at the rate stays within the limit however its requests are spread.
 */
export const CATCH_UP_SPEED = 4;

/**
 * How far behind the clock the next slot may lag: the slots the pacer left unused while the stage was busy elsewhere
 * (its checkpoint between batches: a few KVS round trips of 10-20 ms each, about a tenth of a 96-write batch at
 * 2,000 a minute) are taken afterwards, up to this much.
 */
export const IDLE_CREDIT_MS = 500;

export interface PacerDeps {
  readonly clock: { now(): number };
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * One paced request: `windowCount` is how many requests the pacer had started in the minute up to it (itself
 * included), or undefined when its history does not cover that minute.
 */
export interface PacerTicket {
  readonly windowCount: number | undefined;
  /** This request was sent past the provisional cap to test the site (one at a time). */
  readonly probe?: boolean;
}

export interface PacerOptions {
  /** Nothing of this run was written before this pacer started (default false: the history may miss some). */
  readonly freshStart?: boolean;
  /** The history an earlier invocation of the stage kept (PacerHistory), so the count covers the minute at once. */
  readonly history?: PacerHistory;
}

/**
 * What the pacer knows of the last rolling minute, kept in the write checkpoint so that the next invocation (after a
 * yield, a "retry later", or Forge's per-invocation request limit, which under the "requestJira counts" reading ends
 * an invocation every 99 requests) still counts the window: `from`, since when the history is complete (epoch ms);
 * `gaps`, the start times as whole-ms differences (the first from `from`), oldest first. Starts of an invocation that
 * crashed before its checkpoint are missing: the count is then low by at most one batch.
 */
export interface PacerHistory {
  readonly from: number;
  readonly gaps: number[];
  /** When the run's first paced request started (absent in histories kept before it existed: no catching up). */
  readonly began?: number;
}

export interface Pacer {
  /** Waits for the next request slot at the current rate and within the rolling-minute cap. */
  wait(): Promise<PacerTicket>;
  /** A write completed after meeting this many 429s and following this many redirects. */
  record(throttled: number, redirects: number, ticket?: PacerTicket): void;
  /** Assets kept throttling the request of `ticket` until the client gave up for now. */
  throttledOut(ticket?: PacerTicket, throttled?: number): void;
  /**
   * The request of `ticket` ended without an answer to learn from (it threw for another reason): a probe no longer
   * holds the others back. Idempotent; the write stage calls it for every request once it is done.
   */
  settle(ticket: PacerTicket): void;
  state(): WriteRateState;
  /** The history to keep for the next invocation (null before the first request). */
  history(): PacerHistory | null;
}

export function createPacer(deps: PacerDeps, settings: WriteRateSettings, initial: WriteRateState, options: PacerOptions = {}): Pacer {
  let state = initial;
  let nextSlot = 0;
  /** Since when the pacer's history is complete (its first request, or what an earlier invocation kept). */
  let since: number | null = options.history?.from ?? null;
  /** When the run's first paced request started (kept across invocations; null before it, or unknown). */
  let began: number | null = options.history?.began ?? null;
  /** The shortfall of the window this invocation found at its first request, still to refill (null: not measured). */
  let catchUpLeft: number | null = null;
  /** The probe past the provisional cap that is out, and what its answer wakes (null: none out). */
  let probe: { readonly answered: Promise<void>; readonly wake: () => void } | null = null;
  const endProbe = (): void => {
    probe?.wake();
    probe = null;
  };
  /** Start times of the requests of the last rolling minute (redirect hops included), oldest first. */
  const started: number[] = [];
  if (options.history !== undefined) {
    let at = options.history.from;
    for (const gap of options.history.gaps) started.push((at += gap));
  }
  const prune = (now: number): void => {
    while (started.length > 0 && started[0]! <= now - WINDOW_MS) started.shift();
  };
  return {
    async wait() {
      for (;;) {
        const now = deps.clock.now();
        prune(now);
        const cap = windowCap(state, settings);
        let probing = false;
        if (started.length >= cap) {
          if (probe !== null) {
            // A probe is out: its answer raises the cap or teaches the ceiling.
            await probe.answered;
            continue;
          }
          if ((state.ceiling ?? null) === null) {
            // No ceiling known yet: one request goes past the provisional cap to test the site.
            probing = true;
          } else {
            // The oldest request of the window (the one at index length - cap) has to leave it first.
            const leaves = started[started.length - cap]! + WINDOW_MS;
            await deps.sleep(Math.max(1, leaves - now));
            continue;
          }
        }
        const gap = WINDOW_MS / state.perMinute;
        // Catching up: an invocation that continues the stage (it got the history) after the run has written for a
        // minute finds its window short by the gap before it (a queue hop between two invocations, a "retry later"):
        // it refills that shortfall, measured once at its first request, faster than the rate (CATCH_UP_SPEED), never
        // past a minute's worth at the rate. So the gaps of Forge's request limit (every 99 requests under the
        // "requestJira counts" reading) cost no writes. Within one invocation the pacer keeps the rate's spacing (a
        // short window there follows a 429's backoff, where a burst would meet the limit again).
        if (catchUpLeft === null && options.history !== undefined && began !== null && began <= now - WINDOW_MS)
          catchUpLeft = Math.max(0, Math.floor(state.perMinute) - started.length);
        const catchUp =
          (catchUpLeft ?? 0) > 0 &&
          since !== null &&
          since <= now - WINDOW_MS &&
          began !== null &&
          began <= now - WINDOW_MS &&
          started.length < Math.floor(state.perMinute);
        if (catchUp) {
          const last = started[started.length - 1];
          const slot = last === undefined ? now : Math.max(now, last + gap / CATCH_UP_SPEED);
          if (slot > now) {
            await deps.sleep(slot - now);
            continue;
          }
        } else {
          const slot = Math.max(now, nextSlot);
          if (slot > now) {
            nextSlot = slot;
            await deps.sleep(slot - now);
            // Another request may have taken the slot or the rate may have changed while this one waited.
            if (deps.clock.now() < nextSlot) continue;
          }
        }
        const at = deps.clock.now();
        if (catchUp && catchUpLeft !== null) catchUpLeft--;
        // Fresh: nothing of the run was written before, so the history is complete from a minute back.
        since ??= options.freshStart === true ? at - WINDOW_MS : at;
        began ??= at;
        // A slot left unused for a moment since this pacer's last request (the stage saving its checkpoint between
        // two batches, the slowest write of a batch) may still be taken, up to IDLE_CREDIT_MS of them: a burst of at
        // most that much of the rate. Not before the first request: an invocation starts at the rate.
        nextSlot = Math.max(nextSlot === 0 ? at : at - IDLE_CREDIT_MS, nextSlot) + gap;
        started.push(at);
        prune(at);
        const covers = since <= at - WINDOW_MS;
        if (probing) {
          let wake = (): void => undefined;
          const answered = new Promise<void>((resolve) => (wake = resolve));
          probe = { answered, wake };
        }
        return { windowCount: covers ? started.length : undefined, probe: probing };
      }
    },
    record(throttled, redirects, ticket) {
      const now = deps.clock.now();
      state = afterWrite(state, throttled, settings, ticket?.windowCount);
      if (ticket?.probe === true) {
        if (throttled === 0) state = afterProbe(state, settings);
        endProbe();
      }
      if (redirects > 0) {
        // A followed redirect was one more request against the same per-minute limit: it takes a slot too.
        for (let i = 0; i < redirects; i++) started.push(now);
        nextSlot = Math.max(nextSlot, now) + (redirects * WINDOW_MS) / state.perMinute;
      }
    },
    throttledOut(ticket, throttled) {
      state = afterThrottledFailure(state, settings, ticket?.windowCount, throttled);
      if (ticket?.probe === true) endProbe();
    },
    settle(ticket) {
      if (ticket.probe === true) endProbe();
    },
    state: () => state,
    history() {
      if (since === null) return null;
      const now = deps.clock.now();
      prune(now);
      // Starts older than the window are dropped; the history stays complete from the later of `since` and a minute back.
      const from = Math.round(Math.max(since, now - WINDOW_MS - 1));
      let previous = from;
      const gaps = started.map((t) => {
        const gap = Math.max(0, Math.round(t) - previous);
        previous += gap;
        return gap;
      });
      return { from, gaps, ...(began === null ? {} : { began }) };
    },
  };
}
