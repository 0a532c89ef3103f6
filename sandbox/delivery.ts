/**
 * Delivers pending async events to their consumers the way Forge does: at least once (an event is removed only
 * after its invocation finished), optionally duplicated and reordered, an InvocationError's retryAfter honoured, a
 * thrown error or an overrun retried with backoff, each retry with its retryContext, and an event dropped once it
 * is 24 hours old. Delays run on the emulated clock: with fast-forward (the built-in world, whose servers share
 * that clock) the clock jumps to the next due event; otherwise the sandbox waits in real time, scaled by the time
 * factor, and moves the emulated clock over the rest.
 */
import { z } from 'zod';

import type { EmulatedClock } from './clock';
import type { InvocationOutcome, Invoker } from './invoker';
import type { Manifest } from './manifest';
import type { FileQueueStore, QueuedEvent } from './queue-store';
import { contextAriOf } from './runtime-globals';

export const RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_BACKOFF_MS = 15 * 60 * 1000;

export interface DrainOptions {
  /** Checked before each delivery; the drain stops as soon as it answers true. */
  readonly until?: () => Promise<boolean>;
  /** A safety net against an app that never stops pushing (default 100,000). */
  readonly maxInvocations?: number;
}

export interface DrainStats {
  invocations: number;
  succeeded: number;
  /** Deliveries that returned an InvocationError (retry requested). */
  retriesRequested: number;
  /** Deliveries that threw. */
  failed: number;
  /** Deliveries stopped for running past their time limit. */
  timedOut: number;
  /** Events dropped (24-hour retention or no consumer). */
  dropped: number;
  /** Emulated time skipped over delays, in ms. */
  fastForwardedMs: number;
}

const retrySchema = z.object({
  _retry: z.literal(true),
  retryOptions: z
    .object({ retryAfter: z.number().optional(), retryReason: z.string().optional(), retryData: z.unknown().optional() })
    .optional(),
});

export interface DeliveryDeps {
  readonly store: FileQueueStore;
  readonly invoker: Pick<Invoker, 'invoke'>;
  readonly manifest: Manifest;
  readonly clock: EmulatedClock;
  readonly cloudId: string;
  readonly timeFactor: number;
  readonly fastForward: boolean;
  readonly reorder: boolean;
  readonly random: () => number;
  readonly log: (message: string) => void;
}

export function backoffMs(retryCount: number): number {
  return Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.max(0, retryCount - 1));
}

export class Delivery {
  constructor(private readonly deps: DeliveryDeps) {
    for (const event of deps.store.interrupted) {
      this.scheduleRetry(event, 'FUNCTION_PLATFORM_UNKNOWN_ERROR', null, backoffMs(event.retryCount + 1));
      deps.log(
        `queue ${event.queueName}: an invocation was cut off when the previous sandbox process stopped; the event will be delivered again`,
      );
    }
  }

  private running: Promise<unknown> = Promise.resolve();

  /** One drain at a time: a second caller waits for the first, so no event is picked twice. */
  drain(options: DrainOptions = {}): Promise<DrainStats> {
    const next = this.running.then(() => this.drainNow(options));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async drainNow(options: DrainOptions): Promise<DrainStats> {
    const stats: DrainStats = { invocations: 0, succeeded: 0, retriesRequested: 0, failed: 0, timedOut: 0, dropped: 0, fastForwardedMs: 0 };
    const max = options.maxInvocations ?? 100_000;
    for (;;) {
      if (options.until !== undefined && (await options.until())) return stats;
      const pending = this.deps.store.pending();
      if (pending.length === 0) return stats;
      const now = this.deps.clock.now();
      const due = pending.filter((e) => e.deliverAt <= now);
      if (due.length === 0) {
        const next = Math.min(...pending.map((e) => e.deliverAt));
        stats.fastForwardedMs += await this.waitUntil(next);
        continue;
      }
      if (++stats.invocations > max) throw new Error(`The queues were still busy after ${max} invocations: the app may be looping.`);
      const event = this.deps.reorder ? (due[Math.floor(this.deps.random() * due.length)] ?? due[0]!) : due[0]!;
      await this.deliver(event, stats);
    }
  }

  private async waitUntil(deliverAt: number): Promise<number> {
    const waitMs = Math.max(0, deliverAt - this.deps.clock.now());
    if (this.deps.fastForward) {
      this.deps.clock.advance(waitMs);
      return waitMs;
    }
    const realMs = Math.ceil(waitMs * this.deps.timeFactor);
    await new Promise((resolve) => setTimeout(resolve, realMs));
    const remaining = deliverAt - this.deps.clock.now();
    this.deps.clock.advance(remaining);
    return Math.max(0, remaining);
  }

  private async deliver(event: QueuedEvent, stats: DrainStats): Promise<void> {
    const { store, manifest, clock } = this.deps;
    const consumer = manifest.consumers.get(event.queueName);
    if (consumer === undefined || clock.now() - event.enqueuedAt > RETENTION_MS) {
      store.remove(event);
      stats.dropped++;
      this.deps.log(
        `queue ${event.queueName}: event ${event.eventId} dropped (${consumer === undefined ? 'no consumer' : 'older than 24 hours'})`,
      );
      return;
    }
    store.save({ ...event, inFlightSince: clock.now() });
    const asyncEvent = {
      body: event.body,
      queueName: event.queueName,
      jobId: event.jobId,
      eventId: event.eventId,
      ...(event.concurrency === undefined ? {} : { concurrency: event.concurrency }),
      contextAri: contextAriOf(this.deps.cloudId),
      ...(event.retryCount === 0
        ? {}
        : {
            retryContext: {
              retryCount: event.retryCount,
              retryReason: event.retryReason ?? 'FUNCTION_PLATFORM_UNKNOWN_ERROR',
              retryData: event.retryData,
              retentionWindow: {
                startTime: new Date(event.enqueuedAt).toISOString(),
                remainingTimeMs: Math.max(0, event.enqueuedAt + RETENTION_MS - clock.now()),
              },
            },
          }),
    };
    const invocationContext = { installContext: contextAriOf(this.deps.cloudId), principal: undefined };
    const outcome = await this.deps.invoker.invoke({
      functionKey: consumer.functionKey,
      moduleKey: consumer.moduleKey,
      chainId: event.chainId,
      args: [asyncEvent, invocationContext],
    });
    this.settle(event, outcome, stats);
  }

  private settle(event: QueuedEvent, outcome: InvocationOutcome, stats: DrainStats): void {
    if (outcome.kind === 'timed-out') {
      stats.timedOut++;
      this.deps.log(`queue ${event.queueName}: ${outcome.context.functionKey} ran past its time limit; the event will be delivered again`);
      this.scheduleRetry(event, 'FUNCTION_TIME_OUT', null, backoffMs(event.retryCount + 1));
      return;
    }
    if (outcome.kind === 'threw') {
      stats.failed++;
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      this.deps.log(`queue ${event.queueName}: ${outcome.context.functionKey} threw (${message}); the event will be delivered again`);
      this.scheduleRetry(event, 'FUNCTION_PLATFORM_UNKNOWN_ERROR', null, backoffMs(event.retryCount + 1));
      return;
    }
    const retry = retrySchema.safeParse(outcome.value);
    if (retry.success) {
      stats.retriesRequested++;
      const options = retry.data.retryOptions ?? {};
      const seconds = Math.min(900, Math.max(1, options.retryAfter ?? 1));
      const data =
        options.retryData === undefined || Buffer.byteLength(JSON.stringify(options.retryData)) > 4096 ? null : options.retryData;
      this.scheduleRetry(event, options.retryReason ?? 'FUNCTION_RETRY_REQUEST', data, seconds * 1000);
      return;
    }
    stats.succeeded++;
    this.deps.store.remove(event);
  }

  private scheduleRetry(event: QueuedEvent, reason: string, retryData: unknown, delayMs: number): void {
    this.deps.store.save({
      ...event,
      retryCount: event.retryCount + 1,
      retryReason: reason,
      retryData,
      deliverAt: this.deps.clock.now() + delayMs,
      inFlightSince: null,
    });
  }
}
