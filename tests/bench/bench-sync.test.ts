/**
 * Smoke test of the sync benchmark's machinery on a 200-user world: both strategies run the three scenarios to
 * the end, the figures add up (writes against plans and changed objects, requests against the fakes' records),
 * and the scaled clock keeps its promises. The real figures come from `npm run bench`, not from here.
 */
import type { Scenario, ScenarioFigures, Strategy } from '../../bench/sync/figures';
import { figuresTable, targetsTable } from '../../bench/sync/report';
import { runSyncBench, type SyncBenchResult } from '../../bench/sync/run-bench';
import { ScaledClock } from '../../bench/sync/scaled-clock';

describe('the sync benchmark on 200 users', () => {
  let result: SyncBenchResult;
  const find = (strategy: Strategy, scenario: Scenario): ScenarioFigures => {
    const found = result.results.find((r) => r.strategy === strategy && r.scenario === scenario);
    if (found === undefined) throw new Error(`no ${strategy} ${scenario} figures`);
    return found;
  };

  beforeAll(async () => {
    result = await runSyncBench({ sizes: [200], k: 20, checkK: null, baseline: true, gc: () => undefined });
  }, 60_000);

  it('runs both strategies through the scenarios (the pipeline also through its first resync)', () => {
    expect(result.results.map((r) => `${r.strategy} ${r.scenario} ${r.status}`)).toEqual([
      'pipeline first-sync succeeded',
      'baseline first-sync succeeded',
      'pipeline first-resync succeeded',
      'pipeline no-change succeeded',
      'baseline no-change succeeded',
      'pipeline churn-1pct succeeded',
      'baseline churn-1pct succeeded',
      // The no-change resync again with Jira serving 100 accounts a page (pipeline-runner.ts USERS_100_A_PAGE).
      'pipeline no-change succeeded',
    ]);
  });

  it('counts the first sync: every planned create written once, Graph read in pages, invocations under their limits', () => {
    const ours = find('pipeline', 'first-sync');
    expect(ours.plan.creates).toBeGreaterThan(150);
    expect(ours.assets.writes).toBe(ours.plan.creates);
    // The fake redirects some creates first (Assets redirects): those hops are requests, not writes.
    expect(ours.assets.writeRequests).toBe(ours.plan.creates);
    expect(ours.assets.byEndpoint['object/create']).toBeGreaterThanOrEqual(ours.plan.creates);
    // Token, then the first /users/delta round in pages of about 200 (it ends in the delta link).
    expect(ours.graph).toMatchObject({ requests: 1 + Math.max(1, Math.ceil(ours.entraUsers / 200)), tokenRequests: 1, batchItems: 0 });
    expect(ours.invocations.count).toBeGreaterThanOrEqual(6);
    expect(ours.invocations.longest!.fraction).toBeGreaterThan(0);
    expect(ours.invocations.pushesPerChain).toEqual([ours.invocations.pushes]);
    expect(ours.kvs.bytesWritten).toBeGreaterThan(ours.kvs.largestValueBytes);
    // The floor: creates and the redirect hops on them at the site's write limit (Assets' documented 1,000 a minute,
    // JSDCLOUD-11605) plus one write round trip.
    expect(ours.assets.writeRedirects).toBeGreaterThan(0);
    expect(ours.floorMs).toBe(Math.round(((ours.plan.creates + ours.assets.writeRedirects) * 60_000) / 1_000 + 120));
    // Under the platform model: KVS round trips and queue hops on every run.
    expect(ours.model).toMatchObject({ assetsWritesPerMinute: 1_000, fetchLimitCountsJira: false, aqlUpdatedFilter: 'supported' });
    expect(ours.model!.cost.kvsOperations).toBeGreaterThan(0);
    expect(ours.model!.cost.queueDeliveries).toBe(ours.invocations.pushes);
    expect(ours.wallMs).toBeGreaterThan(ours.floorMs! * 0.9);
  });

  it('gives the baseline a Graph lookup per Atlassian email and per found user, 20 to a $batch, and sequential writes', () => {
    const base = find('baseline', 'first-sync');
    const ours = find('pipeline', 'first-sync');
    expect(base.graph.batchItems).toBeGreaterThan(1.5 * ours.plan.creates);
    // Two phases (lookups, then managers) of full batches of 20, each ending with at most one partial batch.
    const envelopes = base.graph.requests - base.graph.tokenRequests;
    expect(base.graph.batchItems).toBeLessThanOrEqual(20 * envelopes);
    expect(base.graph.batchItems).toBeGreaterThan(20 * (envelopes - 2));
    expect(base.assets.writes).toBe(base.plan.creates);
    // One write after another: at least the simulated latency per write.
    expect(base.wallMs).toBeGreaterThanOrEqual(base.assets.writes * 120);
    expect(base.k).toBeNull();
  });

  it('writes nothing on a no-change resync and exactly the changed objects after churn', () => {
    expect(find('pipeline', 'no-change').assets.writeRequests).toBe(0);
    const noChange = find('pipeline', 'no-change');
    expect(noChange.graph.requests - noChange.graph.tokenRequests).toBe(1);
    // The first resync read back what the first sync wrote; the no-change resync after it reads one AQL page.
    expect(find('pipeline', 'first-resync').assets.byEndpoint['object/aql']).toBeGreaterThan(1);
    expect(noChange.assets.byEndpoint['object/aql']).toBe(1);
    const churn = find('pipeline', 'churn-1pct');
    expect(churn.changedObjects).toBeGreaterThan(0);
    expect(churn.assets.writes).toBe(churn.changedObjects);
    const baseChurn = find('baseline', 'churn-1pct');
    expect(baseChurn.assets.writes).toBe(baseChurn.changedObjects);
  });

  it('reports ratios and checks the targets that apply at this size', () => {
    expect(result.ratios.map((r) => r.scenario)).toEqual(['first-sync', 'no-change', 'churn-1pct']);
    for (const r of result.ratios) expect(r.graphRequests.ratio).toBeLessThan(0.2);
    const first = result.ratios[0]!;
    expect(first.graphLookups).toMatchObject({
      ours: find('pipeline', 'first-sync').graph.requests - 1,
      baseline: find('baseline', 'first-sync').graph.batchItems,
    });
    expect(first.wallMs.ratio).toBeCloseTo(first.wallMs.ours / first.wallMs.baseline);
    // Only the Jira users target may miss at this size (the fake serves user pages of 100, not 1,000).
    expect(result.targets.filter((t) => !t.pass).map((t) => t.target)).toEqual(
      result.targets.filter((t) => !t.pass && t.target.startsWith('Jira requests <=')).map((t) => t.target),
    );
    expect(result.targets.map((t) => t.target)).toEqual(
      expect.arrayContaining([
        'Graph calls = 1 (one users/delta call; a token request is not a Graph call)',
        'Assets writes = changed objects',
        'Assets requests <= 10 (redirect hops, the schema check included)',
      ]),
    );
    expect(figuresTable(result.results).split('\n')).toHaveLength(2 + 8);
    expect(targetsTable(result.targets)).toContain('PASS');
  });
});

describe('the sync benchmark, one site of the sweep alone (--sites)', () => {
  it('runs only the chosen site: no main-site scenario, no baseline, its first sync checked against its floor', async () => {
    const result = await runSyncBench({
      sizes: [200],
      sweepSizes: [200],
      sites: ['600'],
      k: 20,
      checkK: 2.5,
      baseline: true,
      gc: () => undefined,
    });
    expect(result.results.map((r) => `${r.strategy} ${r.scenario} [${r.variant}] ${r.status}`)).toEqual([
      'pipeline first-sync [assets 600/min] succeeded',
    ]);
    expect(result.results[0]!.model?.assetsWritesPerMinute).toBe(600);
    expect(result.kCheck).toBeNull();
    expect(result.targets.map((t) => t.target)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^wall time <= 1\.15 x floor .* at 600\/min\)$/), '429s <= 2% of write requests']),
    );
  }, 60_000);
});

describe('ScaledClock', () => {
  it('runs k times faster than real time, jumps on advance, and leaves excluded work out', async () => {
    const clock = new ScaledClock(50);
    const t0 = clock.now();
    await clock.sleep(1_000);
    const slept = clock.now() - t0;
    // Node may fire a timer up to a millisecond early by performance.now(): k = 50 makes that 50 ms.
    expect(slept).toBeGreaterThanOrEqual(900);
    expect(slept).toBeLessThan(20_000);

    const t1 = clock.now();
    clock.advance(60_000);
    expect(clock.now() - t1).toBeGreaterThanOrEqual(60_000);

    const t2 = clock.now();
    clock.exclude(() => {
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // busy: 30 ms of real time, 1.5 s of virtual time if it were counted
      }
    });
    expect(clock.now() - t2).toBeLessThan(500);
  });
});
