/**
 * An in-memory Forge queue that delivers like Forge: at least once, optionally duplicated and reordered (seeded),
 * InvocationError-style retries after `retryAfter`, thrown errors retried with backoff, and an invocation that can
 * be killed at an exact storage operation (everything it would have done after that point is lost, including its
 * `finally` clean-up). Time is a fake clock the driver advances when only delayed events remain.
 */
import { mulberry32 as prngInts } from '../../fakes/world/prng';
import type { QueueKey, StageMessage } from '../../src/pipeline/messages';
import type { QueuePort } from '../../src/pipeline/ports';

export interface PendingEvent {
  readonly id: number;
  readonly queue: QueueKey;
  readonly message: StageMessage;
  availableAt: number;
  retryCount: number;
}

export interface DeliveryOptions {
  /** Probability that a push is delivered twice. */
  readonly duplicateRate?: number;
  /** Deliver available events in a random order instead of FIFO. */
  readonly reorder?: boolean;
  /** Extra random delay (ms) added to each push, for reordering in time. */
  readonly maxJitterMs?: number;
  /** A delay (ms) added to every push before the jitter: the least time between a push and its delivery. */
  readonly minDelayMs?: number;
  readonly seed?: number;
}

export class QueueDriver implements QueuePort {
  readonly pending: PendingEvent[] = [];
  pushes = 0;
  private nextId = 1;
  private readonly random: () => number;

  constructor(
    private readonly clock: { now(): number; advance(ms: number): void },
    private readonly options: DeliveryOptions = {},
  ) {
    this.random = mulberry32(options.seed ?? 1);
  }

  async push(queue: QueueKey, message: StageMessage, options?: { delaySeconds?: number }): Promise<void> {
    this.pushes++;
    const copies = this.random() < (this.options.duplicateRate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const jitter = Math.floor(this.random() * (this.options.maxJitterMs ?? 0));
      this.pending.push({
        id: this.nextId++,
        queue,
        message: structuredClone(message),
        availableAt: this.clock.now() + (options?.delaySeconds ?? 0) * 1000 + (this.options.minDelayMs ?? 0) + jitter,
        retryCount: 0,
      });
    }
  }

  /** Takes the next deliverable event, advancing the clock to it when none is available yet. */
  take(): PendingEvent | null {
    if (this.pending.length === 0) return null;
    const now = this.clock.now();
    let available = this.pending.filter((e) => e.availableAt <= now);
    if (available.length === 0) {
      const soonest = Math.min(...this.pending.map((e) => e.availableAt));
      this.clock.advance(soonest - now);
      available = this.pending.filter((e) => e.availableAt <= this.clock.now());
    }
    const chosen = this.options.reorder
      ? available[Math.floor(this.random() * available.length)]!
      : available.sort((a, b) => a.availableAt - b.availableAt || a.id - b.id)[0]!;
    this.pending.splice(this.pending.indexOf(chosen), 1);
    return chosen;
  }

  /** Puts an event back for redelivery (Forge retries failed deliveries). */
  redeliver(event: PendingEvent, afterMs: number): void {
    this.pending.push({ ...event, availableAt: this.clock.now() + afterMs, retryCount: event.retryCount + 1 });
  }
}

/** A seeded random number in [0, 1), from the world generator's PRNG. */
export function mulberry32(seed: number): () => number {
  const next = prngInts(seed);
  return () => next() / 4294967296;
}
