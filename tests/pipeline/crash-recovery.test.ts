/**
 * Forge may kill an invocation at any instant and delivers events at least once, in any order. Whatever happens,
 * the run must end with the same Assets state as an uninterrupted run, with no duplicate Employee object, and
 * never hang. Crash points cover every invocation of a reference run (stage boundaries and continuations) at its
 * first, middle and last storage operation.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import { readStageOutput } from '../../src/pipeline/stage-outputs';
import { writeCheckpointSchema } from '../../src/pipeline/stages/write-assets-stage';
import { aroundStoreOps } from '../../src/pipeline/store-ops';
import { type HarnessOptions, startHarness } from '../support/pipeline-harness';

const world = generateWorld({ users: 90, seed: 23 });
// Small batches and a short budget make many checkpoints and continuations (mid-chunk crash points).
const options: HarnessOptions = { world, seed: 23, config: { writeBatchSize: 8, aqlPageSize: 25 } };
const BUDGET_CALLS = 2;

async function referenceRun() {
  const h = await startHarness(options);
  try {
    const { run, stats } = await h.run('sync', { budgetCalls: BUDGET_CALLS });
    return { state: h.assetsState(), run, stats };
  } finally {
    await h.close();
  }
}

describe('crash recovery', () => {
  let reference: Awaited<ReturnType<typeof referenceRun>>;
  beforeAll(async () => {
    reference = await referenceRun();
  });

  it('has a reference run with several continuations', () => {
    expect(reference.run.status).toBe('succeeded');
    expect(reference.stats.invocations).toBeGreaterThan(8);
  });

  it('reaches the reference state whatever invocation is killed at whatever storage operation', async () => {
    const points: { invocation: number; op: number }[] = [];
    reference.stats.opsPerInvocation.forEach((ops, i) => {
      for (const op of new Set([1, Math.ceil(ops / 4), Math.ceil(ops / 2), Math.ceil((3 * ops) / 4), ops]))
        points.push({ invocation: i + 1, op });
    });
    const outcomes: string[] = [];
    for (const point of points) {
      const h = await startHarness(options);
      try {
        const { run, stats } = await h.run('sync', {
          budgetCalls: BUDGET_CALLS,
          crashAt: (n) => (n === point.invocation ? point.op : null),
        });
        const label = `kill invocation ${point.invocation} at op ${point.op}`;
        expect({ label, status: run.status, error: run.error }).toEqual({ label, status: 'succeeded', error: null });
        expect({ label, duplicates: h.duplicateEntraIds() }).toEqual({ label, duplicates: [] });
        expect(h.assetsState()).toEqual(reference.state);
        expect({ label, crashes: stats.crashes }).toEqual({ label, crashes: 1 });
        outcomes.push(label);
      } finally {
        await h.close();
      }
    }
    expect(outcomes.length).toBe(points.length);
    expect(points.length).toBeGreaterThan(40);
  }, 240_000);

  it('never creates a second Employee object when killed right after Assets applied a write', async () => {
    const writes = reference.run.counts!.creates;
    for (const n of [1, 2, Math.ceil(writes / 3), Math.ceil(writes / 2), writes - 1, writes]) {
      const h = await startHarness(options);
      try {
        const { run, stats } = await h.run('sync', { budgetCalls: BUDGET_CALLS, crashAfterWrite: n });
        expect({ n, status: run.status, crashes: stats.crashes }).toEqual({ n, status: 'succeeded', crashes: 1 });
        expect({ n, duplicates: h.duplicateEntraIds() }).toEqual({ n, duplicates: [] });
        expect(h.assetsState()).toEqual(reference.state);
      } finally {
        await h.close();
      }
    }
  }, 120_000);

  it('keeps the created pairs right when killed after rewriting the last created chunk, before its checkpoint', async () => {
    // The write stage appends each batch's created pairs to the last created chunk (write-assets-stage.ts
    // appendCreated): a kill between that write and the checkpoint leaves more pairs in the chunk than the checkpoint
    // counts, and the replayed batch appends its pairs again. The run must still link managers to the objects created.
    for (const killAfter of [1, 2, 3, 5]) {
      let createdWrites = 0;
      let dead = false;
      const alive = () => {
        if (dead) throw new Error('invocation killed after a created chunk was written');
      };
      const h = await startHarness({
        ...options,
        wrapStore: (inner) =>
          aroundStoreOps(inner, async (op, key, call) => {
            alive();
            const result = await call();
            if (op === 'set' && /^run:[^:]+:created:\d+$/.test(key) && ++createdWrites === killAfter) dead = true;
            return result;
          }),
        observeInvocation: { before: () => (dead = false) },
      });
      try {
        const { run } = await h.run('sync', { budgetCalls: BUDGET_CALLS });
        expect({ killAfter, createdWrites: createdWrites > killAfter, status: run.status }).toEqual({
          killAfter,
          createdWrites: true,
          status: 'succeeded',
        });
        expect({ killAfter, duplicates: h.duplicateEntraIds() }).toEqual({ killAfter, duplicates: [] });
        expect(h.assetsState()).toEqual(reference.state);
        // One chunk holds every pair of this run (many batches of 8), where there used to be a chunk per batch.
        const cp = await readStageOutput(h.deps, run.runId, 'writeAssets', writeCheckpointSchema);
        expect({ killAfter, createdChunks: cp.createdChunks, pairs: cp.createdTail }).toEqual({
          killAfter,
          createdChunks: 1,
          pairs: run.counts!.creates,
        });
      } finally {
        await h.close();
      }
    }
  }, 120_000);

  it('survives duplicated, reordered and delayed events', async () => {
    for (const seed of [1, 2, 3]) {
      const h = await startHarness({ ...options, delivery: { duplicateRate: 0.5, reorder: true, maxJitterMs: 30_000, seed } });
      try {
        const { run } = await h.run('sync', { budgetCalls: BUDGET_CALLS });
        expect(run.status).toBe('succeeded');
        expect(h.duplicateEntraIds()).toEqual([]);
        expect(h.assetsState()).toEqual(reference.state);
      } finally {
        await h.close();
      }
    }
  }, 120_000);
});
