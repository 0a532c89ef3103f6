/**
 * Heap figures for a scenario. The process also holds the fakes, the world and the in-memory KVS (which in Forge
 * live elsewhere), so its peak says little about what one Forge invocation needs; two figures are kept:
 *
 * - invocation: the live heap an invocation adds over what it started with (after a full GC), read at each of its
 *   storage operations. Whenever the heap has grown more than SLACK past the live figure seen so far, a full GC runs
 *   (kept out of virtual time: no request is in flight during a storage operation) and the live size is read; at
 *   other operations the raw growth is taken. So the figure is an upper bound of the live growth at every storage
 *   operation, at most SLACK above the measured live peak. It still includes what the fakes keep while answering
 *   (e.g. objects created) and what the invocation writes into the in-memory KVS, so it overstates the app's needs.
 * - process: the peak heapUsed of the whole process (app, fakes, KVS, world), sampled every few milliseconds.
 */
import type { ScaledClock } from './scaled-clock';

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 5;
const SLACK = 32 * MB;

export interface HeapFigures {
  readonly invocationPeakMb: number;
  /** The stage of the invocation with that peak (the baseline: its one loop). */
  readonly invocationPeakStage: string | null;
  readonly processPeakMb: number;
  /** Full collections the meter forced to read live sizes. */
  readonly collections: number;
}

export class HeapMeter {
  private processPeak = 0;
  private invocationUpper = 0;
  private peakStage: string | null = null;
  private stage: string | null = null;
  private liveInInvocation = 0;
  private base: number | null = null;
  private collections = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly gc: () => void,
    /** Keeps forced collections out of virtual time on a scaled clock. */
    private readonly clock: Pick<ScaledClock, 'exclude'> | null,
  ) {}

  start(): void {
    this.collect();
    this.processPeak = 0;
    this.invocationUpper = 0;
    this.peakStage = null;
    this.collections = 0;
    this.sampleProcess();
    this.timer = setInterval(() => this.sampleProcess(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  stop(): HeapFigures {
    this.sampleProcess();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.base = null;
    return {
      invocationPeakMb: round(this.invocationUpper / MB),
      invocationPeakStage: this.peakStage,
      processPeakMb: round(this.processPeak / MB),
      collections: this.collections,
    };
  }

  beforeInvocation = (stage: string): void => {
    this.stage = stage;
    this.collect();
    this.base = process.memoryUsage().heapUsed;
    this.liveInInvocation = 0;
  };

  /** At a point where no request is in flight (a storage operation, a phase boundary of the baseline). */
  observe = (): void => {
    const used = this.sampleProcess();
    if (this.base === null) return;
    let growth = used - this.base;
    if (growth > this.liveInInvocation + SLACK) {
      this.collect();
      this.collections++;
      growth = process.memoryUsage().heapUsed - this.base;
      this.liveInInvocation = Math.max(this.liveInInvocation, growth);
    }
    if (growth > this.invocationUpper) {
      this.invocationUpper = growth;
      this.peakStage = this.stage;
    }
  };

  afterInvocation = (): void => {
    this.base = null;
  };

  private sampleProcess(): number {
    const used = process.memoryUsage().heapUsed;
    this.processPeak = Math.max(this.processPeak, used);
    return used;
  }

  private collect(): void {
    if (this.clock === null) this.gc();
    else this.clock.exclude(this.gc);
  }
}

function round(mb: number): number {
  return Math.round(mb * 10) / 10;
}
