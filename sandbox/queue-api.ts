/**
 * The async events publish endpoint, as @forge/events 3.0.8 calls it through __forge_fetch__({remote: 'stargate'}):
 * POST /webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion} (placeholders sent literally) with
 * {queueName, jobId, type, schema, payload: [{body, delayInSeconds?, concurrency?}], time}.
 *
 * Forge's limits, answered with the statuses the SDK maps: 50 events and 200 KB per push (413 too big), 100 KB per
 * event for a consumer whose timeout is over 55 s (202 with failedEvents), delayInSeconds 0..900, 500 events per
 * minute (429), and 1,000 pushes in the chain that descends from one resolver or trigger invocation (405).
 * Seeded delivery faults (duplicates, extra delay) are applied here, at push time.
 */
import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import type { FileQueueStore, QueuedEvent } from './queue-store';

export const PUBLISH_PATH = '/webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}';
export const MAX_EVENTS_PER_PUSH = 50;
export const MAX_PUSH_BYTES = 200 * 1024;
export const MAX_LONG_CONSUMER_EVENT_BYTES = 100 * 1024;
export const LONG_CONSUMER_SECONDS = 55;
export const MAX_DELAY_SECONDS = 900;
export const MAX_EVENTS_PER_MINUTE = 500;
export const MAX_PUSHES_PER_CHAIN = 1_000;

export interface DeliveryFaults {
  /** Probability that a pushed event is delivered twice. */
  readonly duplicateRate?: number;
  /** Deliver due events in a random order instead of push order. */
  readonly reorder?: boolean;
  /** Extra random delay (ms, emulated clock) added to each pushed event. */
  readonly maxDelayMs?: number;
  readonly seed?: number;
}

export interface QueueApiDeps {
  readonly store: FileQueueStore;
  readonly now: () => number;
  /** Timeout (s) of the function consuming each queue; absent when no consumer listens. */
  readonly consumerTimeout: (queueName: string) => number | undefined;
  readonly random: () => number;
  readonly faults: DeliveryFaults;
  readonly log: (message: string) => void;
}

const pushEventSchema = z.object({
  body: z.record(z.string(), z.unknown()),
  delayInSeconds: z.number().optional(),
  concurrency: z
    .object({ key: z.string().min(1), limit: z.number().int().min(1) })
    .strict()
    .optional(),
});
const publishSchema = z.object({
  queueName: z.string().regex(/^[a-zA-Z0-9-_]+$/),
  jobId: z.string().min(1),
  type: z.literal('avi:forge:app:event'),
  schema: z.literal('ari:cloud:ecosystem::forge/app-event-2'),
  payload: z.array(z.unknown()),
  time: z.string(),
});

export interface QueueAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export function createQueueApi(deps: QueueApiDeps) {
  const recentEvents: number[] = [];

  return function publish(path: string, rawBody: unknown, chainId: string): QueueAnswer {
    if (path !== PUBLISH_PATH) return { status: 404, body: { message: `Unknown queue endpoint ${path}` } };
    const request = publishSchema.safeParse(rawBody);
    if (!request.success)
      return { status: 400, body: { message: `The push request is malformed: ${request.error.issues[0]?.message ?? ''}` } };
    const { queueName, jobId, payload } = request.data;
    if (payload.length === 0 || payload.length > MAX_EVENTS_PER_PUSH)
      return { status: 400, body: { message: `A push holds 1 to ${MAX_EVENTS_PER_PUSH} events.` } };
    if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PUSH_BYTES)
      return { status: 413, body: { errorMessage: `A push may carry at most ${MAX_PUSH_BYTES / 1024} KB.` } };

    const now = deps.now();
    while (recentEvents.length > 0 && (recentEvents[0] ?? 0) <= now - 60_000) recentEvents.shift();
    if (recentEvents.length + payload.length > MAX_EVENTS_PER_MINUTE)
      return { status: 429, body: { message: 'Too many events pushed in the last minute.' } };
    if (deps.store.chainPushes(chainId) >= MAX_PUSHES_PER_CHAIN) {
      return { status: 405, body: { message: `This chain of invocations already made ${MAX_PUSHES_PER_CHAIN} pushes.` } };
    }
    deps.store.countPush(chainId);

    const timeout = deps.consumerTimeout(queueName);
    const failedEvents: { index: number; errorMessage: string }[] = [];
    payload.forEach((raw, index) => {
      const event = pushEventSchema.safeParse(raw);
      if (!event.success) {
        failedEvents.push({ index, errorMessage: `The event is malformed: ${event.error.issues[0]?.message ?? ''}` });
        return;
      }
      const delay = event.data.delayInSeconds ?? 0;
      if (delay < 0 || delay > MAX_DELAY_SECONDS) {
        failedEvents.push({ index, errorMessage: `delayInSeconds must be 0 to ${MAX_DELAY_SECONDS}.` });
        return;
      }
      if (
        timeout !== undefined &&
        timeout > LONG_CONSUMER_SECONDS &&
        Buffer.byteLength(JSON.stringify(raw)) > MAX_LONG_CONSUMER_EVENT_BYTES
      ) {
        failedEvents.push({
          index,
          errorMessage: `An event for a consumer with a timeout over ${LONG_CONSUMER_SECONDS} s may carry at most 100 KB.`,
        });
        return;
      }
      recentEvents.push(now);
      if (timeout === undefined) {
        deps.log(`queue ${queueName}: no consumer in manifest.yml; the event is dropped`);
        return;
      }
      const eventId = randomUUID();
      const seq = deps.store.allocateSeq();
      const copies = deps.random() < (deps.faults.duplicateRate ?? 0) ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        const jitter = Math.floor(deps.random() * (deps.faults.maxDelayMs ?? 0));
        const queued: QueuedEvent = {
          v: 1,
          seq,
          copy,
          eventId,
          jobId,
          queueName,
          body: event.data.body,
          ...(event.data.concurrency === undefined ? {} : { concurrency: event.data.concurrency }),
          deliverAt: now + delay * 1000 + jitter,
          enqueuedAt: now,
          retryCount: 0,
          retryReason: null,
          retryData: null,
          chainId,
          inFlightSince: null,
        };
        deps.store.save(queued);
      }
    });
    if (failedEvents.length > 0)
      return { status: 202, body: { failedEvents, errorMessage: `${failedEvents.length} event(s) were not accepted.` } };
    return { status: 201 };
  };
}
