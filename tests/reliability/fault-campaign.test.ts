/**
 * The reliability campaign: 200 seeded runs of a real sync, each killed at a random instant (an invocation crash at
 * a random storage operation, or a kill right after Assets applied a random write), most of them also with
 * duplicated, reordered and delayed events, random storage errors, a Graph 429 storm or Assets 429s without
 * Retry-After. Every run must end with the same Assets state as an uninterrupted run, with no duplicate Employee
 * object, and never hang. The table it prints is the evidence; the assertions make it a gate.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import { AppError } from '../../src/domain/errors';
import { type HarnessOptions, type PumpOptions, startHarness } from '../support/pipeline-harness';
import { mulberry32 } from '../support/queue-driver';

const RUNS = 200;
const world = generateWorld({ users: 60, seed: 77 });
const base: HarnessOptions = { world, seed: 77, config: { writeBatchSize: 6, aqlPageSize: 20 } };

interface Outcome {
  kill: 'invocation crash' | 'kill after write';
  faults: string[];
  equal: boolean;
  duplicates: number;
  hang: boolean;
  status: string;
}

describe('fault campaign', () => {
  it(`survives ${RUNS} random kills combined with delivery, storage and throttling faults`, async () => {
    const reference = await startHarness(base);
    const { run: refRun, stats: refStats } = await reference.run('sync', { budgetCalls: 2 });
    const expected = reference.assetsState();
    const creates = refRun.counts!.creates;
    await reference.close();
    expect(refRun.status).toBe('succeeded');

    const outcomes: Outcome[] = [];
    for (let i = 0; i < RUNS; i++) {
      const random = mulberry32(1_000 + i);
      const faults: string[] = [];
      const options: HarnessOptions = { ...base };
      const delivery = random() < 0.6;
      if (delivery) faults.push('duplicated/reordered/delayed events');
      const assets429 = random() < 0.2;
      if (assets429) faults.push('Assets 429 without Retry-After');
      const h = await startHarness({
        ...options,
        ...(delivery ? { delivery: { duplicateRate: 0.3, reorder: true, maxJitterMs: 20_000, seed: i } } : {}),
        ...(assets429
          ? { simulation: { jira: { rateLimits: { enabled: true, perMinute: { 'object/create': 20 }, sendRetryAfter: false } } } }
          : {}),
      });
      if (random() < 0.2) {
        faults.push('Graph 429 storm');
        h.sim.entra.failNext({ path: '/v1.0/users', status: 429, headers: { 'Retry-After': '30' }, times: 1 + Math.floor(random() * 4) });
      }
      const storageErrors = random() < 0.3;
      if (storageErrors) faults.push('storage errors');
      const killAfterWrite = random() < 0.4;
      const pump: PumpOptions = {
        budgetCalls: 2,
        maxInvocations: 2_000,
        ...(killAfterWrite
          ? { crashAfterWrite: 1 + Math.floor(random() * creates) }
          : (() => {
              const invocation = 1 + Math.floor(random() * refStats.invocations);
              const op = 1 + Math.floor(random() * Math.max(1, refStats.opsPerInvocation[invocation - 1] ?? 10));
              return { crashAt: (n: number) => (n === invocation ? op : null) };
            })()),
        ...(storageErrors
          ? {
              storageFault: () =>
                random() < 0.02 ? new AppError('STORAGE_FAILED', 'Forge storage failed; the app will retry.', { retry: 'now' }) : null,
            }
          : {}),
      };
      let hang = false;
      let status = 'unknown';
      try {
        const { run } = await h.run('sync', pump);
        status = run.status;
      } catch (error) {
        hang = error instanceof Error && error.message.includes('did not finish');
        if (!hang) throw error;
      }
      outcomes.push({
        kill: killAfterWrite ? 'kill after write' : 'invocation crash',
        faults,
        equal: JSON.stringify([...h.assetsState()].sort()) === JSON.stringify([...expected].sort()),
        duplicates: h.duplicateEntraIds().length,
        hang,
        status,
      });
      await h.close();
    }

    const rows = [
      ['invocation crash at a random storage operation', outcomes.filter((o) => o.kill === 'invocation crash')],
      ['kill right after Assets applied a random write', outcomes.filter((o) => o.kill === 'kill after write')],
      ['  with duplicated, reordered and delayed events', outcomes.filter((o) => o.faults.includes('duplicated/reordered/delayed events'))],
      ['  with random storage errors (2% of calls)', outcomes.filter((o) => o.faults.includes('storage errors'))],
      ['  with a Graph 429 storm', outcomes.filter((o) => o.faults.includes('Graph 429 storm'))],
      ['  with Assets 429s without Retry-After', outcomes.filter((o) => o.faults.includes('Assets 429 without Retry-After'))],
      ['all runs', outcomes],
    ] as const;
    const table = [
      '| faults injected | runs | end states equal | duplicates found | hangs | succeeded |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        ([label, list]) =>
          `| ${label} | ${list.length} | ${list.filter((o) => o.equal).length} | ${list.reduce((s, o) => s + o.duplicates, 0)} | ${list.filter((o) => o.hang).length} | ${list.filter((o) => o.status === 'succeeded').length} |`,
      ),
    ].join('\n');
    console.log(`Fault campaign (${RUNS} runs, world of ${world.entra.users.length} Entra users):\n${table}`);

    expect(outcomes).toHaveLength(RUNS);
    expect(outcomes.filter((o) => o.hang)).toEqual([]);
    expect(outcomes.reduce((s, o) => s + o.duplicates, 0)).toBe(0);
    expect(outcomes.filter((o) => !o.equal || o.status !== 'succeeded')).toEqual([]);
  }, 600_000);
});
