/**
 * The Assets write rate, adapted to what the site allows (issue 11 point 5). Pure: the write stage feeds it each
 * write's outcome and spaces its requests at `perMinute`.
 *
 * Why adaptive: the only public figure is the Assets REST API's default as quoted in JSDCLOUD-11605
 * (https://jira.atlassian.com/browse/JSDCLOUD-11605): "All endpoints are rate-limited to 1,000 requests per minute
 * per instance with a total limit of 10,000 requests per minute per instance. Any exceptions to this rule will be
 * mentioned in the documentation of the individual endpoints." No source was found for the 2,000 creates a minute
 * the app used to assume, a site may allow less (other apps and imports share the limit) or more, and a 429 may
 * carry no Retry-After (the same ticket). So, AIMD as TCP does:
 * - start below the documented 1,000 a minute (or at what the site's last run learned);
 * - multiplicative decrease on throttling: a 429 cuts the rate (x0.7), at most once per `cooldownWrites` completed
 *   writes, so the writes already in flight when the limit was hit do not cut it again and again;
 * - additive increase while writes succeed: +`stepPerMinute` every `stepEvery` writes without a 429, up to a ceiling.
 */

export interface WriteRateSettings {
  /** Where a site without history starts: below the documented 1,000 a minute. */
  readonly startPerMinute: number;
  readonly minPerMinute: number;
  /** The ceiling of the additive increase. */
  readonly maxPerMinute: number;
  /** Additive increase: this many writes a minute more... */
  readonly stepPerMinute: number;
  /** ...after this many writes in a row without a 429. */
  readonly stepEvery: number;
  /** Multiplicative decrease on a 429. */
  readonly decreaseFactor: number;
  /** After a decrease, 429s met by this many completed writes do not decrease again (they were already in flight). */
  readonly cooldownWrites: number;
}

export const DEFAULT_WRITE_RATE: WriteRateSettings = {
  startPerMinute: 900,
  minPerMinute: 60,
  maxPerMinute: 3_000,
  stepPerMinute: 20,
  stepEvery: 100,
  decreaseFactor: 0.7,
  cooldownWrites: 16,
};

export interface WriteRateState {
  readonly perMinute: number;
  /** 429s met so far (this run). */
  readonly throttled: number;
  /** Writes completed so far (this run). */
  readonly writes: number;
  /** Writes since the rate last went up (or down): the additive-increase counter. */
  readonly sinceChange: number;
  /** Writes since the last decrease (the cooldown counter); starts past the cooldown. */
  readonly sinceDecrease: number;
}

export function clampRate(perMinute: number, settings: WriteRateSettings): number {
  if (!Number.isFinite(perMinute)) return settings.startPerMinute;
  return Math.min(settings.maxPerMinute, Math.max(settings.minPerMinute, perMinute));
}

/** The state a run starts from: what the site's last run learned when known, else the documented-safe start. */
export function startRate(settings: WriteRateSettings, learnedPerMinute: number | null): WriteRateState {
  return {
    perMinute: clampRate(learnedPerMinute ?? settings.startPerMinute, settings),
    throttled: 0,
    writes: 0,
    sinceChange: 0,
    sinceDecrease: settings.cooldownWrites,
  };
}

/** One write completed after meeting `throttled` 429s (0 when it went straight through). */
export function afterWrite(state: WriteRateState, throttled: number, settings: WriteRateSettings): WriteRateState {
  const counted = { ...state, writes: state.writes + 1, throttled: state.throttled + throttled };
  if (throttled > 0) return decrease(counted, settings);
  const sinceChange = state.sinceChange + 1;
  const sinceDecrease = state.sinceDecrease + 1;
  if (sinceChange >= settings.stepEvery) {
    return { ...counted, perMinute: clampRate(state.perMinute + settings.stepPerMinute, settings), sinceChange: 0, sinceDecrease };
  }
  return { ...counted, sinceChange, sinceDecrease };
}

/** Assets kept refusing (the client gave up for now): slow down, and count it. */
export function afterThrottledFailure(state: WriteRateState, settings: WriteRateSettings): WriteRateState {
  return decrease({ ...state, throttled: state.throttled + 1 }, settings);
}

function decrease(state: WriteRateState, settings: WriteRateSettings): WriteRateState {
  if (state.sinceDecrease < settings.cooldownWrites) return { ...state, sinceChange: 0, sinceDecrease: state.sinceDecrease + 1 };
  return {
    ...state,
    perMinute: clampRate(Math.round(state.perMinute * settings.decreaseFactor), settings),
    sinceChange: 0,
    sinceDecrease: 0,
  };
}
