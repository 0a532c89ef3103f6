/**
 * Issue 16, the reading before the first write: while the directory read waits for its Microsoft pacing window
 * (src/clients/egress-pacer.ts, a "retry later" with the time it may go on), the reads that need nothing from it,
 * the Atlassian accounts and the Assets snapshot (READS_BESIDE in src/pipeline/messages.ts), run beside the chain in
 * the same invocation (runChain and runSideStep in src/pipeline/step-runner.ts). Through the real pipeline on the
 * simulated tenant and site: the egress pacer at 3 Microsoft calls a minute makes a 1,200-user directory read wait
 * twice (7 calls: the token and 6 delta pages of 200), and every Jira request takes 2 s of the harness clock, so the
 * Atlassian read has a length to overlap.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import { paceEgress } from '../../src/clients/egress-pacer';
import { AppError } from '../../src/domain/errors';
import type { PipelineConfig } from '../../src/pipeline/deps';
import { createStage } from '../../src/pipeline/stages';
import type { StageHandler } from '../../src/pipeline/step-runner';
import { FakeClock, type PumpOptions, startHarness } from '../support/pipeline-harness';

const world = generateWorld({ users: 1_200, seed: 4242 });
const JIRA_REQUEST_MS = 2_000;

interface SyncOptions {
  readonly config?: Partial<PipelineConfig>;
  /** How long each Jira request takes on the harness clock (default JIRA_REQUEST_MS). */
  readonly jiraRequestMs?: number;
  /** Wraps the atlassianUsers handler (counts its starts, fails it once...). */
  readonly atlassianStage?: (handler: StageHandler, ops: () => number) => StageHandler;
  readonly pump?: PumpOptions;
}

async function syncOnce(options: SyncOptions = {}) {
  const clock = new FakeClock();
  let ops = 0;
  const h = await startHarness({
    world,
    clock,
    config: options.config ?? {},
    wrapExternalFetch: (fetch) =>
      paceEgress(fetch, { maxPerMinute: 3, maxInlineWaitMs: 0, now: clock.now, sleep: async (ms) => clock.advance(ms) }),
    wrapJiraFetch: (fetch) => async (request) => {
      clock.advance(options.jiraRequestMs ?? JIRA_REQUEST_MS);
      return fetch(request);
    },
    invocationLimits: () => ({ timeoutMs: 900_000, yieldAfterMs: 600_000 }),
    buildStage: (stage, deps) => {
      const handler = createStage(stage, deps);
      return stage === 'atlassianUsers' && options.atlassianStage ? options.atlassianStage(handler, () => ops) : handler;
    },
    observeInvocation: { before: () => (ops = 0), storageOp: () => ops++ },
  });
  try {
    const { run, stats } = await h.run('sync', options.pump ?? {});
    const delta = h.sim.entra.requests.filter((r) => r.path === '/v1.0/users/delta');
    const search = h.sim.jira.requests.filter((r) => r.endpoint === 'users/search');
    return {
      run,
      stats,
      state: h.assetsState(),
      duplicates: h.duplicateEntraIds(),
      logs: h.logs,
      deltaRequests: delta.length,
      lastDeltaAt: Math.max(...delta.map((r) => r.time)),
      searchTimes: search.map((r) => r.time),
      wallMs: Date.parse(run.finishedAt!) - Date.parse(run.startedAt),
    };
  } finally {
    await h.close();
  }
}

const events = (logs: { event: string; fields: Record<string, unknown> }[], event: string) =>
  logs.filter((l) => l.event === event).map((l) => l.fields.stage);

describe('reads beside the directory read (issue 16)', () => {
  it('reads the Atlassian accounts and the Assets snapshot while the directory read waits: same result, same requests, shorter', async () => {
    const chain = await syncOnce({ config: { sideReads: false } });
    const side = await syncOnce();
    expect(chain.run.status).toBe('succeeded');
    expect(side.run.status).toBe('succeeded');
    expect(side.state).toEqual(chain.state);
    expect(side.duplicates).toEqual([]);
    // Each page read once: the chain's own steps found the stages complete (or went on from their checkpoints).
    expect(side.deltaRequests).toBe(chain.deltaRequests);
    expect(side.searchTimes).toHaveLength(chain.searchTimes.length);
    // The directory waited for its pacing window twice in both runs; the steps beside it count as no retry.
    expect(side.run.retries).toEqual(chain.run.retries);
    expect(chain.run.retries.later).toBeGreaterThanOrEqual(2);

    // Without: the Atlassian read starts after the directory's last page. With: it was done before it.
    expect(Math.min(...chain.searchTimes)).toBeGreaterThan(chain.lastDeltaAt);
    expect(Math.max(...side.searchTimes)).toBeLessThan(side.lastDeltaAt);
    expect(events(side.logs, 'step.side-complete')).toEqual(['atlassianUsers', 'assetsSnapshot']);
    expect(events(chain.logs, 'step.side')).toEqual([]);
    // The time it took (every Jira request 2 s here) came off the run.
    const atlassianReadMs = chain.searchTimes.length * JIRA_REQUEST_MS;
    expect(chain.wallMs - side.wallMs).toBeGreaterThanOrEqual(atlassianReadMs);
  });

  it('a read longer than the wait stops when the directory may go on, and its own step continues from the checkpoint', async () => {
    // At 20 s a Jira request the Atlassian read outlasts the directory's waits (under a minute each).
    const chain = await syncOnce({ config: { sideReads: false }, jiraRequestMs: 20_000 });
    const side = await syncOnce({ jiraRequestMs: 20_000 });
    expect(side.run.status).toBe('succeeded');
    expect(side.state).toEqual(chain.state);
    const stops = events(side.logs, 'step.side-yielded').filter((stage) => stage === 'atlassianUsers').length;
    expect(stops).toBeGreaterThan(0);
    // The chain's own step went on where the side step stopped: no page read again, only the page each stop had
    // asked ahead and left unanswered (atlassian-users-stage.ts).
    expect(side.searchTimes.length).toBeGreaterThanOrEqual(chain.searchTimes.length);
    expect(side.searchTimes.length).toBeLessThanOrEqual(chain.searchTimes.length + stops);
    // The directory went on when its wait was over, not after the Atlassian read: at most one page of it later
    // (a users/search page and its email lookups, at 20 s a request) than with no side reads at all.
    expect(side.lastDeltaAt - chain.lastDeltaAt).toBeLessThanOrEqual(6 * 20_000);
    expect(side.wallMs).toBeLessThan(chain.wallMs);
  });

  it('a failure beside the chain is left to the chain: the stage runs again in its turn, nothing counted against the run', async () => {
    const chain = await syncOnce({ config: { sideReads: false } });
    let starts = 0;
    const failedOnce = await syncOnce({
      atlassianStage: (handler) => async (ctx) => {
        if (++starts === 1) throw new AppError('JIRA_REQUEST_FAILED', 'Jira answered 503.', { retry: 'now' });
        return handler(ctx);
      },
    });
    expect(failedOnce.run.status).toBe('succeeded');
    expect(failedOnce.state).toEqual(chain.state);
    expect(failedOnce.run.retries).toEqual(chain.run.retries);
    expect(failedOnce.run.error).toBeNull();
    const stopped = failedOnce.logs.filter((l) => l.event === 'step.side-stopped');
    expect(stopped.map((l) => [l.fields.stage, l.fields.code])).toEqual([['atlassianUsers', 'JIRA_REQUEST_FAILED']]);
  });

  it('an invocation killed in the middle of a read beside the chain loses nothing: the run finishes with the same result', async () => {
    const reference = await syncOnce();
    // Where the Atlassian read starts in the first invocation (beside the directory's first wait), in storage operations.
    let sideStartOp: number | null = null;
    await syncOnce({
      atlassianStage: (handler, ops) => async (ctx) => {
        sideStartOp ??= ops();
        return handler(ctx);
      },
    });
    expect(sideStartOp).not.toBeNull();
    const killed = await syncOnce({ pump: { crashAt: (invocation) => (invocation === 1 ? sideStartOp! + 8 : null) } });
    expect(killed.stats.crashes).toBe(1);
    expect(killed.run.status).toBe('succeeded');
    expect(killed.state).toEqual(reference.state);
    expect(killed.duplicates).toEqual([]);
  });
});
