/**
 * The Assets write rate, adapted to what the site allows (issue 11 point 5). Pure: the write stage feeds it each
 * write's outcome and spaces its requests at `perMinute`.
 *
 * Why adaptive: the only public figure is the Assets REST API's default as quoted in JSDCLOUD-11605
 * (https://jira.atlassian.com/browse/JSDCLOUD-11605): "All endpoints are rate-limited to 1,000 requests per minute
 * per instance with a total limit of 10,000 requests per minute per instance. Any exceptions to this rule will be
 * mentioned in the documentation of the individual endpoints." No source was found for the 2,000 creates a minute
 * the app used to assume, a site may allow less (other apps and imports share the limit) or more, and a 429 may
 * carry no Retry-After (the same ticket). So the rate learns the site's ceiling (issue 16):
 * - start below the documented 1,000 a minute (or at what the site's last run learned);
 * - until the first 429, ramp multiplicatively (x`increaseFactor` every `stepEvery` clean writes), so a site that
 *   allows 2,000 a minute is found within a minute;
 * - at a 429, the write requests the site let through in the rolling minute before it (counted by the pacer,
 *   src/pipeline/write-pacer.ts) ARE the limit: run at `margin` of it, start at most `windowShare` of it in any
 *   rolling minute, and probe gently above it (x`probeFactor` every `stepEvery` clean writes) in case it grows;
 * - a 429 met with far fewer requests in the window than the known ceiling (the limit fell, or another client shares
 *   it) cuts as AIMD does (x`decreaseFactor`) and learns the lower count; a 429 without a count (the pacer's history
 *   does not cover the minute) keeps a learned ceiling, or cuts as AIMD does when none is known;
 * - 429s met by the `cooldownWrites` writes after a change were already in flight: they change nothing.
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
  /** Multiplicative decrease on a 429 without a window count, or well below a known ceiling. */
  readonly decreaseFactor: number;
  /** While no ceiling is known: the rate is multiplied by this every `stepEvery` clean writes. */
  readonly increaseFactor: number;
  /** The rate as a share of the learned ceiling. */
  readonly margin: number;
  /** The most write requests the pacer starts in any rolling minute, as a share of the learned ceiling. */
  readonly windowShare: number;
  /** With a ceiling known: the ceiling is multiplied by this every `stepEvery` clean writes (probing above it). */
  readonly probeFactor: number;
  /** After a decrease, 429s met by this many completed writes do not decrease again (they were already in flight). */
  readonly cooldownWrites: number;
  /**
   * Until a ceiling is learned, the most write requests the pacer starts in a rolling minute: the documented default
   * (JSDCLOUD-11605: 1,000 a minute per endpoint), so the ramp does not fill a 1,000 site's window with a burst that
   * every write in flight then meets for the rest of the minute...
   */
  readonly provisionalCeiling: number;
  /**
   * ...raised by this factor each time one probe request sent past it went through (src/pipeline/write-pacer.ts): at
   * the cap one request at a time tests the site, so a site at its limit refuses one write, not every write in flight.
   */
  readonly provisionalFactor: number;
}

export const DEFAULT_WRITE_RATE: WriteRateSettings = {
  startPerMinute: 900,
  minPerMinute: 60,
  maxPerMinute: 3_000,
  stepPerMinute: 20,
  stepEvery: 50,
  decreaseFactor: 0.7,
  increaseFactor: 1.25,
  margin: 0.985,
  windowShare: 0.995,
  probeFactor: 1.0005,
  cooldownWrites: 16,
  provisionalCeiling: 1_000,
  provisionalFactor: 1.25,
};

export interface WriteRateState {
  readonly perMinute: number;
  /** The write requests a minute the site let through when it last refused one (null until a 429 is met). */
  readonly ceiling?: number | null;
  /** 429s met so far (this run). */
  readonly throttled: number;
  /** Writes completed so far (this run). */
  readonly writes: number;
  /** Writes since the rate last went up (or down): the additive-increase counter. */
  readonly sinceChange: number;
  /** Writes since the last decrease (the cooldown counter); starts past the cooldown. */
  readonly sinceDecrease: number;
  /** The window cap while no ceiling is known (absent: `provisionalCeiling`). */
  readonly provisional?: number;
}

export function clampRate(perMinute: number, settings: WriteRateSettings): number {
  if (!Number.isFinite(perMinute)) return settings.startPerMinute;
  return Math.min(settings.maxPerMinute, Math.max(settings.minPerMinute, perMinute));
}

/** The state a run starts from: what the site's last run learned when known, else the documented-safe start. */
export function startRate(
  settings: WriteRateSettings,
  learnedPerMinute: number | null,
  learnedCeiling: number | null = null,
): WriteRateState {
  // A ceiling learned by the site's last run: start just under it (and probe gently), not ramp past it again.
  const ceiling =
    learnedCeiling !== null && Number.isFinite(learnedCeiling) && learnedCeiling >= settings.minPerMinute ? learnedCeiling : null;
  return {
    perMinute: clampRate(ceiling === null ? (learnedPerMinute ?? settings.startPerMinute) : ceiling * settings.margin, settings),
    ceiling,
    throttled: 0,
    writes: 0,
    sinceChange: 0,
    sinceDecrease: settings.cooldownWrites,
  };
}

/**
 * One write completed after meeting `throttled` 429s (0 when it went straight through). `windowCount`: the write
 * requests the site let through in the rolling minute up to this write's completion (itself included), when known.
 */
export function afterWrite(state: WriteRateState, throttled: number, settings: WriteRateSettings, windowCount?: number): WriteRateState {
  const counted = { ...state, writes: state.writes + 1, throttled: state.throttled + throttled };
  if (throttled > 0) return decrease(counted, settings, windowCount);
  const sinceChange = state.sinceChange + 1;
  const sinceDecrease = state.sinceDecrease + 1;
  const ceiling = state.ceiling ?? null;
  if (sinceChange < settings.stepEvery) return { ...counted, sinceChange, sinceDecrease };
  if (ceiling === null) {
    const perMinute = Math.max(state.perMinute * settings.increaseFactor, state.perMinute + settings.stepPerMinute);
    return { ...counted, perMinute: clampRate(Math.round(perMinute), settings), sinceChange: 0, sinceDecrease };
  }
  const probed = ceiling * settings.probeFactor;
  return { ...counted, ceiling: probed, perMinute: clampRate(probed * settings.margin, settings), sinceChange: 0, sinceDecrease };
}

/** The most write requests the pacer may start in any rolling minute: the provisional cap until a ceiling is learned. */
export function windowCap(state: WriteRateState, settings: WriteRateSettings): number {
  const ceiling = state.ceiling ?? null;
  return ceiling === null
    ? Math.max(1, Math.floor(provisionalCap(state, settings)))
    : Math.max(1, Math.floor(ceiling * settings.windowShare));
}

/** A probe request sent past the provisional cap went through: the site allows more, so the cap goes up. */
export function afterProbe(state: WriteRateState, settings: WriteRateSettings): WriteRateState {
  if ((state.ceiling ?? null) !== null) return state;
  return { ...state, provisional: provisionalCap(state, settings) * settings.provisionalFactor };
}

function provisionalCap(state: WriteRateState, settings: WriteRateSettings): number {
  return state.provisional ?? settings.provisionalCeiling;
}

/** Assets kept refusing (the client gave up for now): slow down (learning the ceiling when the count is known), and count it. */
export function afterThrottledFailure(
  state: WriteRateState,
  settings: WriteRateSettings,
  windowCount?: number,
  /** The 429s the call met before the client gave up, when it says (at least 1). */
  throttled = 1,
): WriteRateState {
  return decrease({ ...state, throttled: state.throttled + Math.max(1, throttled) }, settings, windowCount);
}

function decrease(state: WriteRateState, settings: WriteRateSettings, windowCount?: number): WriteRateState {
  if (state.sinceDecrease < settings.cooldownWrites) return { ...state, sinceChange: 0, sinceDecrease: state.sinceDecrease + 1 };
  const cut = clampRate(Math.round(state.perMinute * settings.decreaseFactor), settings);
  const known = state.ceiling ?? null;
  if (windowCount === undefined || !(windowCount >= settings.minPerMinute)) {
    // No count (the pacer's history does not cover the minute, e.g. an invocation that continues the stage while the
    // site's window still holds the last one's requests): a learned ceiling stays, the rate backs off to it (a probe
    // may have gone above); without a ceiling, cut as AIMD does.
    if (known !== null)
      return {
        ...state,
        perMinute: clampRate(Math.min(state.perMinute, known * settings.margin), settings),
        sinceChange: 0,
        sinceDecrease: 0,
      };
    return { ...state, perMinute: cut, sinceChange: 0, sinceDecrease: 0 };
  }
  // Refused with far fewer requests in the window than the known ceiling let through: the site's limit fell or
  // another client shares it, so the count may lag what is left: cut as AIMD does too.
  const fell = known !== null && windowCount < known * settings.margin * 0.95;
  const measured = clampRate(Math.round(windowCount * settings.margin), settings);
  return {
    ...state,
    ceiling: windowCount,
    perMinute: fell ? Math.min(measured, cut) : measured,
    sinceChange: 0,
    sinceDecrease: 0,
  };
}
