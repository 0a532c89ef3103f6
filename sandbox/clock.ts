/**
 * The emulated clock. The app reads time from `Date.now()` and `new Date()`, so the emulator sets the clock of the
 * whole process: it replaces the global Date with one that adds an offset to the real (or injected) time. The
 * offset moves when a command asks for a time (`scheduled-tick --now`) or when the queue fast-forwards over a delay;
 * it is kept in the state directory so emulated time never runs backwards between two commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from './atomic-file';

const clockFileSchema = z.object({ v: z.literal(1), offsetMs: z.number(), lastNow: z.number() });

export class EmulatedClock {
  private offsetMs = 0;
  private readonly file: string;

  constructor(
    stateDir: string,
    private readonly base: () => number,
  ) {
    this.file = join(stateDir, 'clock.json');
    if (existsSync(this.file)) {
      const parsed = clockFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) {
        this.offsetMs = parsed.data.offsetMs;
        // Never behind the time an earlier process already reached (its fast-forwards included).
        const behind = parsed.data.lastNow - this.now();
        if (behind > 0) this.offsetMs += behind;
      }
    }
  }

  now = (): number => this.base() + this.offsetMs;

  /** Sets the emulated time (e.g. `--now`); later it runs on from there. */
  set(epochMs: number): void {
    this.offsetMs = epochMs - this.base();
    this.save();
  }

  /** Moves the clock forward (never back) by `ms`. */
  advance(ms: number): void {
    if (ms <= 0) return;
    this.offsetMs += ms;
    this.save();
  }

  save(): void {
    writeFileAtomic(this.file, JSON.stringify({ v: 1, offsetMs: this.offsetMs, lastNow: this.now() }));
  }
}

type DateArgs = ConstructorParameters<DateConstructor>;

/**
 * Replaces globalThis.Date so that `Date.now()`, `new Date()` and `Date()` read `now`; every other use of Date is
 * unchanged (and `instanceof Date` still holds for dates made either way). Returns the function that puts the real
 * Date back.
 */
export function installClock(now: () => number): () => void {
  const RealDate = globalThis.Date;
  const patched = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : (args as DateArgs), newTarget) as object;
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, property, receiver) {
      if (property === 'now') return now;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  globalThis.Date = patched;
  return () => {
    globalThis.Date = RealDate;
  };
}
