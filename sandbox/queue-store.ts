/**
 * Pending async events, one file each under <stateDir>/queues/, plus the push count of every chain (the events that
 * descend from one resolver or trigger invocation). An event file is deleted only after its invocation finished, and
 * is marked in flight before it starts: a sandbox killed mid-invocation finds the mark on restart and delivers the
 * event again as a retry, as Forge redelivers an event whose invocation died.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from './atomic-file';

const queuedEventSchema = z.object({
  v: z.literal(1),
  /** Push order; also the file name, so a directory listing is the FIFO order. */
  seq: z.number().int(),
  /** Distinguishes the copies of a duplicated delivery (same eventId). */
  copy: z.number().int(),
  eventId: z.string(),
  jobId: z.string(),
  queueName: z.string(),
  body: z.record(z.string(), z.unknown()),
  concurrency: z.object({ key: z.string(), limit: z.number() }).optional(),
  /** Emulated epoch ms when the event may be delivered. */
  deliverAt: z.number(),
  /** Emulated epoch ms of the push: Forge keeps events for 24 hours. */
  enqueuedAt: z.number(),
  retryCount: z.number().int(),
  retryReason: z.string().nullable(),
  retryData: z.unknown(),
  chainId: z.string(),
  /** Set while an invocation runs for this event. */
  inFlightSince: z.number().nullable(),
});
export type QueuedEvent = z.infer<typeof queuedEventSchema>;

const chainSchema = z.object({ v: z.literal(1), pushes: z.number().int() });

export class FileQueueStore {
  private readonly events = new Map<string, QueuedEvent>();
  private readonly chains = new Map<string, number>();
  private nextSeq = 1;
  private readonly eventsDir: string;
  private readonly chainsDir: string;
  /** Events found in flight at start: their invocation died with the previous process. */
  readonly interrupted: QueuedEvent[] = [];

  constructor(dir: string) {
    this.eventsDir = join(dir, 'events');
    this.chainsDir = join(dir, 'chains');
    mkdirSync(this.eventsDir, { recursive: true });
    mkdirSync(this.chainsDir, { recursive: true });
    for (const name of readdirSync(this.eventsDir)) {
      const file = join(this.eventsDir, name);
      if (name.endsWith('.tmp')) {
        rmSync(file, { force: true });
        continue;
      }
      const event = parseFile(file, queuedEventSchema);
      this.events.set(name, event);
      this.nextSeq = Math.max(this.nextSeq, event.seq + 1);
      if (event.inFlightSince !== null) this.interrupted.push(event);
    }
    for (const name of readdirSync(this.chainsDir)) {
      const file = join(this.chainsDir, name);
      if (name.endsWith('.tmp')) rmSync(file, { force: true });
      else this.chains.set(decodeURIComponent(name.replace(/\.json$/, '')), parseFile(file, chainSchema).pushes);
    }
  }

  allocateSeq(): number {
    return this.nextSeq++;
  }

  pending(): QueuedEvent[] {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq || a.copy - b.copy);
  }

  size(): number {
    return this.events.size;
  }

  save(event: QueuedEvent): void {
    const name = fileName(event);
    writeFileAtomic(join(this.eventsDir, name), JSON.stringify(event));
    this.events.set(name, event);
  }

  remove(event: QueuedEvent): void {
    const name = fileName(event);
    rmSync(join(this.eventsDir, name), { force: true });
    this.events.delete(name);
  }

  chainPushes(chainId: string): number {
    return this.chains.get(chainId) ?? 0;
  }

  countPush(chainId: string): void {
    const pushes = this.chainPushes(chainId) + 1;
    writeFileAtomic(join(this.chainsDir, `${encodeURIComponent(chainId)}.json`), JSON.stringify({ v: 1, pushes }));
    this.chains.set(chainId, pushes);
  }
}

function fileName(event: Pick<QueuedEvent, 'seq' | 'copy'>): string {
  return `${String(event.seq).padStart(12, '0')}-${event.copy}.json`;
}

function parseFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`The sandbox queue file ${file} is unreadable; delete the state directory to start over.`);
  return parsed.data;
}
