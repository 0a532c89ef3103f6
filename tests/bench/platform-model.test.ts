/**
 * The sync benchmark's platform model (bench/sync/platform-model.ts) through the real pipeline on small worlds: the
 * KVS round trips and the queue delays it adds really pass on the run's clock, Forge's per-invocation request limit
 * is applied in the "requestJira counts" reading, and the issue 16 targets are evaluated so that a miss makes
 * `npm run bench` exit non-zero.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ScenarioFigures } from '../../bench/sync/figures';
import { DEFAULT_PLATFORM, type PlatformModel, platformRuntime, queueDelivery } from '../../bench/sync/platform-model';
import { checkTargets, type TargetCheck } from '../../bench/sync/targets';
import type { PipelineConfig } from '../../src/pipeline/deps';
import { FakeClock, type Harness, type InvocationRecord, startHarness } from '../support/pipeline-harness';

/** A clock whose sleeps pass at once in virtual time (the harness's default way of waiting). */
function sleepingClock(): FakeClock & { sleep(ms: number): Promise<void> } {
  const clock = new FakeClock();
  return Object.assign(clock, { sleep: async (ms: number) => clock.advance(ms) });
}

async function modelledHarness(model: PlatformModel, users: number, config: Partial<PipelineConfig> = {}) {
  const clock = sleepingClock();
  const runtime = platformRuntime(model, clock);
  const log: InvocationRecord[] = [];
  const h = await startHarness({
    users,
    seed: 31,
    clock,
    config,
    delivery: queueDelivery(model),
    wrapStore: runtime.wrapStore,
    wrapJiraFetch: runtime.wrapJiraFetch,
    wrapExternalFetch: runtime.wrapExternalFetch,
    observeInvocation: {
      before: (stage) => runtime.beginInvocation(stage),
      after: (record) => {
        runtime.endInvocation();
        log.push(record);
      },
    },
  });
  return { h, runtime, log };
}

describe('the benchmark platform model', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('puts a seeded 10-20 ms round trip on every KVS operation and 1-5 s between a push and its delivery', async () => {
    const model: PlatformModel = { ...DEFAULT_PLATFORM, fetchLimit: null };
    // Every stage in its own invocation (no inline steps, step-runner.ts runChain), so each hop is a delivery to measure.
    const started = await modelledHarness(model, 80, { inlineNextStage: false });
    h = started.h;
    const opsBefore = h.store.memory.operations;
    const costBefore = started.runtime.cost(h.driver.pushes);
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');

    const cost = started.runtime.cost(h.driver.pushes);
    const ops = cost.kvsOperations - costBefore.kvsOperations;
    // Every storage operation the run made went through the model (retries included), each 10 to 20 ms.
    expect(ops).toBe(h.store.memory.operations - opsBefore);
    expect(ops).toBeGreaterThan(50);
    const asked = cost.kvsAskedMs - costBefore.kvsAskedMs;
    expect(asked).toBeGreaterThanOrEqual(10 * ops - 1);
    expect(asked).toBeLessThanOrEqual(20 * ops + 1);
    // On a clock whose sleeps pass exactly, the waits took what was asked.
    expect(Math.abs(cost.kvsWaitedMs - costBefore.kvsWaitedMs - asked)).toBeLessThanOrEqual(2);

    // Each invocation after the first started 1 to 5 s after the one before it pushed (at its end at the latest).
    const gaps = started.log.slice(1).map((r, i) => r.startedAt - (started.log[i]!.startedAt + started.log[i]!.durationMs));
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    for (const gap of gaps) {
      // The push comes before the invocation's last checkpoint operations (a few KVS round trips at most).
      expect(gap).toBeGreaterThan(1_000 - 200);
      expect(gap).toBeLessThanOrEqual(5_000);
    }
    expect(new Set(gaps).size).toBeGreaterThan(1);

    // The same seed draws the same delays: a second site of the same world takes the same virtual time.
    const again = await modelledHarness(model, 80, { inlineNextStage: false });
    try {
      const second = await again.h.run('sync');
      expect(Date.parse(second.run.finishedAt!) - Date.parse(second.run.startedAt)).toBe(
        Date.parse(run.finishedAt!) - Date.parse(run.startedAt),
      );
    } finally {
      await again.h.close();
    }
  }, 60_000);

  it('applies the per-invocation request limit to requestJira in the "requestJira counts" reading, and the run still succeeds', async () => {
    const started = await modelledHarness({ ...DEFAULT_PLATFORM, kvsRoundTripMs: [0, 0], fetchLimit: { countsJira: true } }, 260);
    h = started.h;
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(started.runtime.limiter?.refused.jira).toBeGreaterThan(0);
    expect(h.assetsWrites()).toBe(run.counts?.creates);

    // The other reading on the same world: requestJira never refused.
    const other = await modelledHarness({ ...DEFAULT_PLATFORM, kvsRoundTripMs: [0, 0], fetchLimit: { countsJira: false } }, 260);
    try {
      expect((await other.h.run('sync')).run.status).toBe('succeeded');
      expect(other.runtime.limiter?.refused.jira).toBe(0);
    } finally {
      await other.h.close();
    }
  }, 60_000);
});

describe('the issue 16 targets', () => {
  const names = (checks: readonly TargetCheck[], pass: boolean) => checks.filter((c) => c.pass === pass).map((c) => c.target);

  it('checks the no-change resync against 1 Graph call, ceil(N / 1,000) + 5 Jira calls and 10 Assets calls, under the accepted Updated query only', () => {
    const noChange = figures({
      scenario: 'no-change',
      graph: { requests: 2, tokenRequests: 1 },
      jira: { requests: 56 },
      assets: { requests: 10 },
    });
    const checks = checkTargets([noChange], null);
    expect(names(checks, false)).toEqual(['Jira requests <= ceil(50000 / 1,000) + 5 = 55']);
    expect(names(checks, true)).toEqual(
      expect.arrayContaining(['Graph calls = 1 (one users/delta call; a token request is not a Graph call)', 'zero Assets writes']),
    );
    const refused = checkTargets([{ ...noChange, model: { ...noChange.model!, aqlUpdatedFilter: 'refused' } }], null);
    expect(refused.map((c) => c.target)).not.toContain('Jira requests <= ceil(50000 / 1,000) + 5 = 55');
  });

  it('checks the first sync against 1.15x its floor (1.25x when requestJira counts) and 2% of 429s at the floor sizes', () => {
    const first = figures({ scenario: 'first-sync', wallMs: 1_200_000, floorMs: 1_000_000 });
    const at = (f: ScenarioFigures) =>
      checkTargets([f], null, [f.size])
        .filter((c) => !c.pass)
        .map((c) => c.target.split(' (')[0]);
    expect(at(first)).toEqual(['wall time <= 1.15 x floor']);
    expect(at({ ...first, model: { ...first.model!, fetchLimitCountsJira: true } })).toEqual([]);
    expect(at({ ...first, assets: { ...first.assets, writeRequests: 1_000, writeThrottled: 21 } })).toEqual([
      'wall time <= 1.15 x floor',
      '429s <= 2% of write requests',
    ]);
    // Not a floor size: no floor check.
    expect(checkTargets([first], null, []).filter((c) => !c.pass)).toEqual([]);
  });

  it('makes npm run bench exit non-zero and name the missed target', () => {
    // A 100-user first sync: the queue hops alone are longer than its write floor, so 1.15x is missed.
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'bench16-')), 'first.json');
    const result = spawnSync(
      path.resolve(__dirname, '../../node_modules/.bin/tsx'),
      ['--expose-gc', path.resolve(__dirname, '../../bench/bench-sync.ts'), '--size', '100', '--k', '20', '--out', out],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/target\(s\) missed:\n.*100 users, first-sync: wall time <= 1\.15 x floor/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { targets: TargetCheck[]; results: ScenarioFigures[] };
    expect(written.results.map((r) => `${r.strategy} ${r.scenario} ${r.status}`)).toEqual(['pipeline first-sync succeeded']);
    expect(written.targets.some((t) => !t.pass && t.target.startsWith('wall time <= 1.15 x floor'))).toBe(true);
  }, 120_000);
});

/** Figures of a pipeline scenario at 50,000 users that meet every target unless overridden. */
function figures(over: {
  scenario: ScenarioFigures['scenario'];
  graph?: Partial<ScenarioFigures['graph']>;
  jira?: Partial<ScenarioFigures['jira']>;
  assets?: Partial<ScenarioFigures['assets']>;
  wallMs?: number;
  floorMs?: number | null;
}): ScenarioFigures {
  return {
    strategy: 'pipeline',
    scenario: over.scenario,
    variant: 'main',
    model: {
      assetsWritesPerMinute: 1_000,
      fetchLimitCountsJira: false,
      aqlUpdatedFilter: 'supported',
      cost: { kvsOperations: 0, kvsAskedMs: 0, kvsWaitedMs: 0, queueDeliveries: 0, fetchLimitRefused: { external: 0, jira: 0 } },
    },
    size: 50_000,
    entraUsers: 50_000,
    atlassianAccounts: 44_542,
    k: 5,
    status: 'succeeded',
    plan: { creates: 0, updates: 0, inactivations: 0 },
    graph: { requests: 1, tokenRequests: 0, batches: 0, batchItems: 0, resourceUnits: 1, throttled: 0, ...over.graph },
    jira: { requests: 50, byEndpoint: {}, throttled: 0, ...over.jira },
    assets: {
      requests: 5,
      byEndpoint: {},
      throttled: 0,
      writes: 0,
      writeRequests: 0,
      writeRedirects: 0,
      writeThrottled: 0,
      writeSpan: null,
      ...over.assets,
    },
    throttled: 0,
    invocations: {
      count: 6,
      byStage: {},
      msByStage: {},
      retriesLater: 0,
      pushes: 6,
      pushesPerChain: [6],
      longest: { stage: 'plan', durationMs: 1_000, limitMs: 300_000, fraction: 1 / 300 },
    },
    kvs: { bytesWritten: 1, largestValueBytes: 1, operations: 1 },
    heap: { invocationPeakMb: 100, invocationPeakStage: 'plan', processPeakMb: 200, collections: 0 },
    wallMs: over.wallMs ?? 60_000,
    floorMs: over.floorMs ?? null,
    changedObjects: null,
  };
}
