/**
 * A clock that runs k times faster than real time, so a sync that takes half an hour against the real APIs can be
 * replayed in a couple of minutes while its requests still really overlap. Every time constant the simulation
 * has (fake latencies, rate-limit windows, Retry-After, pacing, invocation limits) is read on this clock, and every
 * wait the app makes sleeps 1/k of it in real time. The clock may also jump ahead (a queue delay, a retry-later)
 * when nothing is in flight, and `exclude` keeps bench bookkeeping (a forced GC) out of the measured time.
 */
import { FakeClock, T0 } from '../../tests/support/pipeline-harness';

export class ScaledClock extends FakeClock {
  private readonly realStart = performance.now();
  private offset = 0;

  constructor(
    readonly k: number,
    private readonly start = T0,
  ) {
    super(start);
    if (!(k >= 1)) throw new RangeError(`ScaledClock: k must be at least 1, got ${k}.`);
  }

  override now = (): number => this.start + this.offset + (performance.now() - this.realStart) * this.k;

  override advance = (ms: number): void => {
    if (ms > 0) this.offset += ms;
  };

  override set = (iso: string): void => {
    this.offset += Date.parse(iso) - this.now();
  };

  /** Waits `ms` of virtual time (ms / k of real time). */
  sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / this.k));

  /** Runs a synchronous piece of bookkeeping without letting its real duration count as virtual time. */
  exclude<T>(work: () => T): T {
    const before = performance.now();
    try {
      return work();
    } finally {
      this.offset -= (performance.now() - before) * this.k;
    }
  }
}
