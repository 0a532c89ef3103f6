/**
 * Issue 16, the queue hops before the first write: a step that completes its stage runs the next stage in the same
 * invocation while time allows (runChain, src/pipeline/step-runner.ts), after pushing that stage's event as always.
 * The pushed events then find the stage done (or its lease held) and do nothing; a kill inside an inline step is
 * covered by tests/pipeline/crash-recovery.test.ts (its reference run inlines), a Retry-After met inline by
 * tests/pipeline/run-control.test.ts ("never sending before Retry-After": the early event waits, notBefore).
 */
import { queueDelivery } from '../../bench/sync/platform-model';
import { DEFAULT_PLATFORM } from '../../bench/sync/platform-model';
import { generateWorld } from '../../fakes/world/generate-world';
import { FIRST_STAGE } from '../../src/pipeline/messages';
import { FakeClock, startHarness } from '../support/pipeline-harness';

const world = generateWorld({ users: 120, seed: 1618 });

async function syncOnce(inlineNextStage: boolean) {
  const clock = new FakeClock();
  const h = await startHarness({
    world,
    seed: 1618,
    clock,
    config: { inlineNextStage },
    // Forge's delivery: 1-5 s between a push and its delivery (the benchmark's platform model).
    delivery: queueDelivery(DEFAULT_PLATFORM),
  });
  try {
    const { run, stats } = await h.run('sync');
    return {
      run,
      stats,
      state: h.assetsState(),
      duplicates: h.duplicateEntraIds(),
      graphDelta: h.sim.entra.requests.filter((r) => r.path === '/v1.0/users/delta').length,
      jiraSearch: h.sim.jira.requests.filter((r) => r.endpoint === 'users/search').length,
      wallMs: Date.parse(run.finishedAt!) - Date.parse(run.startedAt),
    };
  } finally {
    await h.close();
  }
}

describe('inline steps (issue 16)', () => {
  it('runs the stages a step completes into in its own invocation: same result, same requests, no queue hops', async () => {
    const hops = await syncOnce(false);
    const inline = await syncOnce(true);
    expect(hops.run.status).toBe('succeeded');
    expect(inline.run.status).toBe('succeeded');
    expect(inline.state).toEqual(hops.state);
    expect(inline.duplicates).toEqual([]);
    // Each stage did its work once: the events pushed before the inline steps found them done.
    expect(inline.graphDelta).toBe(hops.graphDelta);
    expect(inline.jiraSearch).toBe(hops.jiraSearch);
    // The first invocation ran the whole chain: the run finished inside it.
    const first = inline.stats.invocationLog[0]!;
    expect(first.stage).toBe(FIRST_STAGE);
    expect(Date.parse(inline.run.finishedAt!)).toBeLessThanOrEqual(first.startedAt + first.durationMs);
    // Without the hops (six of 1-5 s between seven stages) the run is that much shorter.
    expect(hops.wallMs - inline.wallMs).toBeGreaterThanOrEqual(6 * 1_000 - 500);
    expect(inline.stats.thrown).toBe(0);
    expect(inline.stats.crashes).toBe(0);
  });
});
