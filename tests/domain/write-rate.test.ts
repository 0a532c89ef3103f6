/**
 * Issue 11 point 5: the adaptive Assets write rate converges under the limit a site really has. A simulated server
 * with a rolling-minute limit (as the fake and the Assets docs quoted in JSDCLOUD-11605 describe) answers each
 * paced request; a refused one is retried a second later, as the client's backoff would. Issue 16: the rate is
 * fed the window count the stage's pacer measures, and learns the ceiling from it.
 */
import {
  afterProbe,
  afterThrottledFailure,
  afterWrite,
  DEFAULT_WRITE_RATE,
  startRate,
  windowCap,
  type WriteRateState,
} from '../../src/domain/write-rate';

interface Outcome {
  state: WriteRateState;
  /** Accepted writes per minute over the last `tailMinutes`. */
  tailRate: number;
  /** 429s per 1,000 writes. */
  throttledPerMille: number;
}

function simulate(
  limitPerMinute: number,
  minutes: number,
  start: WriteRateState = startRate(DEFAULT_WRITE_RATE, null),
  tailMinutes = 10,
): Outcome {
  const accepted: number[] = [];
  let state = start;
  let t = 0;
  const end = minutes * 60_000;
  while (t < end) {
    let throttled = 0;
    for (;;) {
      while (accepted.length > 0 && accepted[0]! <= t - 60_000) accepted.shift();
      if (accepted.length < limitPerMinute) break;
      throttled++;
      t += 1_000;
    }
    accepted.push(t);
    acceptedAll.push(t);
    // What the write stage's pacer feeds (src/pipeline/write-pacer.ts): the requests of the rolling minute up to this
    // one; the simulated server's own history covers the whole minute, as the pacer's does in the stage's first
    // invocation.
    state = afterWrite(state, throttled, DEFAULT_WRITE_RATE, accepted.length);
    t += 60_000 / state.perMinute;
  }
  const tail = acceptedAll.filter((x) => x >= end - tailMinutes * 60_000).length / tailMinutes;
  acceptedAll.length = 0;
  return { state, tailRate: tail, throttledPerMille: (state.throttled / state.writes) * 1000 };
}
const acceptedAll: number[] = [];

describe('adaptive Assets write rate', () => {
  it('starts below the documented 1,000 a minute on a site without history', () => {
    expect(startRate(DEFAULT_WRITE_RATE, null).perMinute).toBeLessThan(1_000);
  });

  it.each([600, 1_000, 2_000])('converges under a server limit of %i a minute: most of the limit used, few 429s', (limit) => {
    const { tailRate, throttledPerMille, state } = simulate(limit, 40);
    expect(tailRate).toBeLessThanOrEqual(limit);
    expect(tailRate).toBeGreaterThan(limit * 0.75);
    expect(throttledPerMille).toBeLessThan(15);
    expect(state.perMinute).toBeLessThanOrEqual(DEFAULT_WRITE_RATE.maxPerMinute);
  });

  it('slows down sharply on a 429, once for the writes already in flight, and speeds up gently', () => {
    let state = startRate(DEFAULT_WRITE_RATE, 1_000);
    state = afterWrite(state, 1, DEFAULT_WRITE_RATE);
    expect(state.perMinute).toBe(700);
    for (let i = 0; i < DEFAULT_WRITE_RATE.cooldownWrites - 1; i++) state = afterWrite(state, 2, DEFAULT_WRITE_RATE);
    expect(state.perMinute).toBe(700);
    for (let i = 0; i < DEFAULT_WRITE_RATE.stepEvery; i++) state = afterWrite(state, 0, DEFAULT_WRITE_RATE);
    // No ceiling known yet: the ramp is multiplicative (x1.25).
    expect(state.perMinute).toBe(875);
    state = afterThrottledFailure(state, DEFAULT_WRITE_RATE);
    expect(state.perMinute).toBe(613);
    expect(state.throttled).toBe(1 + 2 * (DEFAULT_WRITE_RATE.cooldownWrites - 1) + 1);
  });

  it('issue 16: a 429 with a window count learns the ceiling, caps the rolling minute under it and probes gently above it', () => {
    let state = startRate(DEFAULT_WRITE_RATE, null);
    // Before any 429: the documented 1,000 a minute caps the rolling minute; a probe that goes through raises it.
    expect(windowCap(state, DEFAULT_WRITE_RATE)).toBe(1_000);
    expect(windowCap(afterProbe(state, DEFAULT_WRITE_RATE), DEFAULT_WRITE_RATE)).toBe(1_250);
    state = afterWrite(state, 1, DEFAULT_WRITE_RATE, 2_000);
    expect(state.ceiling).toBe(2_000);
    expect(state.perMinute).toBe(1_970);
    expect(windowCap(state, DEFAULT_WRITE_RATE)).toBe(1_990);
    for (let i = 0; i < 10 * DEFAULT_WRITE_RATE.stepEvery; i++) state = afterWrite(state, 0, DEFAULT_WRITE_RATE);
    expect(state.ceiling).toBeCloseTo(2_000 * DEFAULT_WRITE_RATE.probeFactor ** 10, 6);
    expect(state.perMinute).toBeLessThan(1_990);
    // Refused with far fewer requests in the window than before: the limit fell or is shared; cut as AIMD does too.
    state = afterWrite(state, 1, DEFAULT_WRITE_RATE, 1_000);
    expect(state.ceiling).toBe(1_000);
    expect(state.perMinute).toBe(985);
  });

  it('issue 16: a 429 without a window count keeps a learned ceiling; without one it cuts as AIMD does', () => {
    let state = afterWrite(startRate(DEFAULT_WRITE_RATE, null), 1, DEFAULT_WRITE_RATE, 1_000);
    expect(state.perMinute).toBe(985);
    state = { ...state, sinceDecrease: DEFAULT_WRITE_RATE.cooldownWrites };
    state = afterWrite(state, 1, DEFAULT_WRITE_RATE);
    expect(state.ceiling).toBe(1_000);
    expect(state.perMinute).toBe(985);
    expect(afterWrite(startRate(DEFAULT_WRITE_RATE, 1_000), 1, DEFAULT_WRITE_RATE).perMinute).toBe(700);
    // A ceiling the site's last run learned: start just under it, not at the documented-safe 900 or ramping past it.
    expect(startRate(DEFAULT_WRITE_RATE, 970, 2_000).perMinute).toBe(1_970);
    expect(startRate(DEFAULT_WRITE_RATE, 970, 2_000).ceiling).toBe(2_000);
  });

  it('keeps within its floor and ceiling, and starts from a learned rate', () => {
    let state = startRate(DEFAULT_WRITE_RATE, 10);
    expect(state.perMinute).toBe(DEFAULT_WRITE_RATE.minPerMinute);
    for (let i = 0; i < 50; i++) state = afterThrottledFailure({ ...state, sinceDecrease: 99 }, DEFAULT_WRITE_RATE);
    expect(state.perMinute).toBe(DEFAULT_WRITE_RATE.minPerMinute);
    state = startRate(DEFAULT_WRITE_RATE, 1e9);
    expect(state.perMinute).toBe(DEFAULT_WRITE_RATE.maxPerMinute);
    expect(startRate(DEFAULT_WRITE_RATE, 1_234).perMinute).toBe(1_234);
  });

  it('a run that starts from the rate learned under a 600 limit meets fewer 429s than one that starts fresh', () => {
    const first = simulate(600, 10);
    const second = simulate(600, 10, startRate(DEFAULT_WRITE_RATE, first.state.perMinute));
    expect(second.state.throttled).toBeLessThan(first.state.throttled);
  });
});
