/**
 * Issue 16, "Writes at whatever the site allows": the write stage's pacer (src/pipeline/write-pacer.ts over
 * src/domain/write-rate.ts) against sites whose real Assets limit is 600, 1,000 or 2,000 write requests a minute,
 * which the app does not know. A deterministic discrete-event simulation on a virtual clock: the fake site's own
 * rolling-minute limiter (fakes/jira/rate-limiter.ts) answers each request after a 120 ms round trip; a refused
 * request is handed back at once as the paced client does (AssetsCall.paced, src/clients/assets/assets-http.ts: no
 * in-process retry; no Retry-After, the fake's default after JSDCLOUD-11605), the pacer hears it, and the stage sends
 * the write again after THROTTLED_WAIT_MS and its turn at the pacer (write-assets-stage.ts); 8 writes in flight
 * (writeConcurrency). Redirect hops are left out here (the benchmark has them).
 * Targets (issue 16): the writes of a first sync within 1.15x of the floor set by the real limit, at most 2% of the
 * write requests answered 429.
 */
import { RateLimiter } from '../../fakes/jira/rate-limiter';
import { type WriteRateSettings } from '../../src/domain/write-rate';
import { startRate } from '../../src/domain/write-rate';
import { defaultPipelineConfig } from '../../src/pipeline/deps';
import { MAX_THROTTLED_RETRIES, rateSettings, THROTTLED_WAIT_MS } from '../../src/pipeline/stages/write-assets-stage';
import { createPacer } from '../../src/pipeline/write-pacer';

const ROUND_TRIP_MS = 120;

class GaveUp extends Error {
  constructor() {
    super('ASSETS_THROTTLED');
  }
}

class VirtualTime {
  current = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  now = (): number => this.current;
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, resolve });
    });
  /** Runs until `done` settles: whenever every task waits on a timer, time jumps to the earliest one. */
  async run(done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (finished) return;
      if (this.timers.length === 0) throw new Error('deadlock: nothing scheduled');
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.current = Math.max(this.current, next.at);
      next.resolve();
    }
  }
}

interface Convergence {
  readonly limit: number;
  readonly writes: number;
  readonly ms: number;
  readonly floorMs: number;
  readonly requests: number;
  readonly throttled: number;
  /** Writes the client handed back as ASSETS_THROTTLED (the stage waits and sends them again). */
  readonly gaveUp: number;
  /** Times the stage would have ended the invocation ("retry later") after MAX_THROTTLED_RETRIES hand-backs. */
  readonly endedInvocations: number;
  /** Virtual time after which the trailing minute always held at least 90% of the limit (until the writes ran out). */
  readonly convergedMs: number;
  /** Accepted requests a minute over the second half of the run, as a share of the limit. */
  readonly steadyShare: number;
  readonly finalPerMinute: number;
}

async function simulate(limit: number, writes: number, settings: WriteRateSettings, learned: number | null = null): Promise<Convergence> {
  const time = new VirtualTime();
  const site = new RateLimiter({ enabled: true, perMinute: { 'object/create': limit } }, time.now);
  // The write stage's first invocation: nothing of the run was written before (write-assets-stage.ts).
  const pacer = createPacer({ clock: time, sleep: time.sleep }, settings, startRate(settings, learned), { freshStart: true });
  const accepted: number[] = [];
  let requests = 0;
  let gaveUp = 0;
  let endedInvocations = 0;
  let next = 0;

  async function send(): Promise<number> {
    requests++;
    const refused = site.take('object/create') !== null;
    await time.sleep(ROUND_TRIP_MS);
    if (!refused) {
      accepted.push(time.now());
      return 0;
    }
    // The paced client hands the 429 back at once (ASSETS_THROTTLED, throttled 1): the stage tells the pacer (with the
    // request's ticket), waits THROTTLED_WAIT_MS, takes a new turn at the pacer and sends the write again.
    gaveUp++;
    throw new GaveUp();
  }

  const worker = async (): Promise<void> => {
    while (next < writes) {
      next++;
      for (let attempt = 1; ; attempt++) {
        const ticket = await pacer.wait();
        try {
          pacer.record(await send(), 0, ticket);
          break;
        } catch (error) {
          if (!(error instanceof GaveUp)) throw error;
          // The stage would end the invocation after MAX_THROTTLED_RETRIES: counted, and the simulation goes on.
          if (attempt >= MAX_THROTTLED_RETRIES) endedInvocations++;
          pacer.throttledOut(ticket, 1);
          await time.sleep(THROTTLED_WAIT_MS);
        }
      }
    }
  };
  await time.run(Promise.all(Array.from({ length: defaultPipelineConfig.writeConcurrency }, worker)));

  const ms = time.now();
  let convergedMs = 0;
  let from = 0;
  for (let i = 0; i < accepted.length; i++) {
    while (accepted[from]! <= accepted[i]! - 60_000) from++;
    if (accepted[i]! >= 60_000 && accepted[i]! <= ms - 60_000 && i - from + 1 < 0.9 * limit) convergedMs = accepted[i]!;
  }
  const half = ms / 2;
  const steady = accepted.filter((t) => t > half).length / ((ms - half) / 60_000) / limit;
  return {
    limit,
    writes,
    ms,
    floorMs: (writes * 60_000) / limit + ROUND_TRIP_MS,
    requests,
    throttled: requests - writes,
    gaveUp,
    endedInvocations,
    convergedMs,
    steadyShare: steady,
    finalPerMinute: pacer.state().perMinute,
  };
}

const settings = rateSettings(defaultPipelineConfig);
const figures: Convergence[] = [];

afterAll(() => {
  // The figures docs/performance.md quotes (one line per limit).
  for (const f of figures)
    process.stdout.write(
      `limit ${f.limit}: ${f.writes} writes in ${(f.ms / 1000).toFixed(1)} s = ${(f.ms / f.floorMs).toFixed(3)}x floor ${(f.floorMs / 1000).toFixed(1)} s; ` +
        `429s ${f.throttled}/${f.requests} = ${((100 * f.throttled) / f.requests).toFixed(2)}%; handed back ${f.gaveUp}, invocations ended ${f.endedInvocations}; ` +
        `converged by ${(f.convergedMs / 1000).toFixed(0)} s; steady ${(100 * f.steadyShare).toFixed(1)}% of the limit; final rate ${Math.round(f.finalPerMinute)}\n`,
    );
});

describe('adaptive write rate against a site limit the app does not know (issue 16)', () => {
  it.each([600, 1_000, 2_000])(
    'a 10,000-write first sync at a real limit of %i a minute: within 1.15x of the floor, at most 2%% 429s',
    async (limit) => {
      const f = await simulate(limit, 10_000, settings);
      figures.push(f);
      expect(f.ms / f.floorMs).toBeLessThanOrEqual(1.15);
      expect(f.throttled / f.requests).toBeLessThanOrEqual(0.02);
      expect(f.endedInvocations).toBe(0);
      // Converged within the first two and a half minutes, and then uses most of the limit.
      expect(f.convergedMs).toBeLessThanOrEqual(150_000);
      expect(f.steadyShare).toBeGreaterThanOrEqual(0.93);
      expect(f.steadyShare).toBeLessThanOrEqual(1);
    },
  );

  it('a 1,000-write first sync at 600 a minute: the fixed learning cost stays within 2% 429s', async () => {
    const f = await simulate(600, 1_000, settings);
    figures.push(f);
    expect(f.ms / f.floorMs).toBeLessThanOrEqual(1.15);
    expect(f.throttled / f.requests).toBeLessThanOrEqual(0.02);
  });

  it('a 1,000-write first sync at 2,000 a minute ramps up from the documented-safe start within 1.15x of its floor', async () => {
    const f = await simulate(2_000, 1_000, settings);
    figures.push(f);
    expect(f.ms / f.floorMs).toBeLessThanOrEqual(1.15);
  });

  it('a site whose limit fell below what the last run learned (2,000 to 600): found in the first minute, at a one-off cost in 429s', async () => {
    const f = await simulate(600, 5_000, settings, 2_000);
    figures.push(f);
    expect(f.ms / f.floorMs).toBeLessThanOrEqual(1.15);
    // The writes in flight when the over-full first minute is met hear their 429 at once (paced writes: 8, one per
    // write in flight; about 170 when the client retried each in-process into the full window), then none.
    expect(f.throttled).toBeLessThanOrEqual(50);
    expect(f.finalPerMinute).toBeLessThanOrEqual(600);
  });

  it('learns the ceiling from the window count: the rate after a 429 is a share of what the site let through', async () => {
    const f = await simulate(1_000, 3_000, settings);
    expect(f.finalPerMinute).toBeGreaterThanOrEqual(900);
    expect(f.finalPerMinute).toBeLessThanOrEqual(1_030);
  });
});

describe('the pacer history an invocation keeps for the next (issue 16)', () => {
  it('counts the window at once in a continuing invocation that got the history, and not at all without it', async () => {
    const time = new VirtualTime();
    const first = createPacer({ clock: time, sleep: time.sleep }, settings, startRate(settings, null), { freshStart: true });
    let count: number | undefined;
    const firstRun = (async () => {
      for (let i = 0; i < 300; i++) count = (await first.wait()).windowCount;
    })();
    await time.run(firstRun);
    expect(count).toBe(300);
    const kept = first.history()!;
    await time.run(time.sleep(2_000));
    const resumed = createPacer({ clock: time, sleep: time.sleep }, settings, first.state(), { history: kept });
    const fresh = createPacer({ clock: time, sleep: time.sleep }, settings, first.state());
    const tickets = await Promise.all([resumed.wait(), fresh.wait()]);
    expect(tickets[0].windowCount).toBe(301);
    expect(tickets[1].windowCount).toBeUndefined();
  });
});
