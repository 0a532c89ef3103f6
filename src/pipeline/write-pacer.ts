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
        const slot = Math.max(now, nextSlot);
        if (slot > now) {
          nextSlot = slot;
          await deps.sleep(slot - now);
          // Another request may have taken the slot or the rate may have changed while this one waited.
          if (deps.clock.now() < nextSlot) continue;
        }
        const at = deps.clock.now();
        // Fresh: nothing of the run was written before, so the history is complete from a minute back.
        since ??= options.freshStart === true ? at - WINDOW_MS : at;
        nextSlot = Math.max(at, nextSlot) + WINDOW_MS / state.perMinute;
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
      return { from, gaps };
    },
  };
}
