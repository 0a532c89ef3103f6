/**
 * Runs as the admin and the schedule see them: one at a time, stale runs, the safety threshold with confirm and
 * cancel, cancelling a running run, throttling storms, a permanent failure, and the daily schedule.
 */
import { AppError } from '../../src/domain/errors';
import { activeRun, cancelRun, confirmRun, startRun } from '../../src/pipeline/run-control';
import { loadRun, readHistory, readLastRun } from '../../src/pipeline/run-store';
import { runScheduledTick } from '../../src/pipeline/scheduler';
import { runWatchdog } from '../../src/pipeline/scheduler';
import { readSettings } from '../../src/services/settings-service';
import { type Harness, startHarness } from '../support/pipeline-harness';

describe('run control', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('refuses a second start while a run is active, naming the active run', async () => {
    h = await startHarness({ users: 40 });
    const first = await startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: 'a1' });
    const second = await startRun(h.deps, { mode: 'preview', trigger: 'manual', startedBy: 'a2' }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(AppError);
    expect(second).toMatchObject({ code: 'RUN_ALREADY_ACTIVE' });
    expect((second as AppError).message).toContain(`run #${first.number}`);
    await h.pump();
    expect((await loadRun(h.deps, first.runId))!.status).toBe('succeeded');
    await expect(startRun(h.deps, { mode: 'preview', trigger: 'manual', startedBy: 'a2' })).resolves.toMatchObject({ status: 'queued' });
  });

  it('marks a run that stopped making progress failed, so a new run can start', async () => {
    h = await startHarness({ users: 40 });
    const dead = await startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: 'a1' });
    h.driver.pending.length = 0; // its events are lost
    h.clock.advance(h.deps.config.staleRunMs + 60_000);
    const fresh = await startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: 'a1' });
    const old = await loadRun(h.deps, dead.runId);
    expect(old).toMatchObject({ status: 'failed', error: { code: 'RUN_STALE' } });
    await h.pump();
    expect((await loadRun(h.deps, fresh.runId))!.status).toBe('succeeded');
  });

  describe('the safety threshold', () => {
    async function leaversScenario() {
      h = await startHarness({ users: 120, seed: 5 });
      await h.run('sync');
      const active = h.sim.jira.employees().filter((o) => o.values.active === true);
      const leavers = active.slice(0, 20);
      for (const o of leavers) h.sim.entra.hardDeleteUser(o.values.entraUserId as string);
      return { active, leavers };
    }

    it('stops before inactivating more than max(5, 10%) and applies nothing until confirmed', async () => {
      const { active, leavers } = await leaversScenario();
      const writesBefore = h.assetsWrites();
      const { run } = await h.run('sync');
      expect(run.status).toBe('awaiting-confirmation');
      expect(run.safety).toEqual({
        inactivations: leavers.length,
        activeBefore: active.length,
        threshold: Math.max(5, Math.floor(active.length / 10)),
      });
      expect(h.assetsWrites()).toBe(writesBefore);
      await expect(startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: 'x' })).rejects.toMatchObject({
        code: 'RUN_ALREADY_ACTIVE',
      });

      await confirmRun(h.deps, run.runId);
      await h.pump();
      expect((await loadRun(h.deps, run.runId))!.status).toBe('succeeded');
      const wasActive = new Set(active.map((o) => o.objectId));
      const inactivated = h.sim.jira
        .employees()
        .filter((o) => wasActive.has(o.objectId) && o.values.active === false)
        .map((o) => o.values.entraUserId);
      expect(inactivated.sort()).toEqual(leavers.map((o) => o.values.entraUserId).sort());
    });

    it('applies nothing when the admin cancels', async () => {
      await leaversScenario();
      const writesBefore = h.assetsWrites();
      const { run } = await h.run('sync');
      const cancelled = await cancelRun(h.deps, run.runId);
      expect(cancelled.status).toBe('cancelled');
      await h.pump();
      expect(h.assetsWrites()).toBe(writesBefore);
      await expect(confirmRun(h.deps, run.runId)).rejects.toMatchObject({ code: 'RUN_INVALID_STATE' });
    });

    it('inactivates nothing when the directory vanishes (Graph returns no users)', async () => {
      h = await startHarness({ users: 60, seed: 9 });
      await h.run('sync');
      for (const user of h.world.entra.users) h.sim.entra.hardDeleteUser(user.id);
      const writesBefore = h.assetsWrites();
      const { run } = await h.run('sync');
      expect(run.status).toBe('awaiting-confirmation');
      expect(h.assetsWrites()).toBe(writesBefore);
    });
  });

  it('stops a running run at the next chunk boundary when cancelled', async () => {
    h = await startHarness({ users: 120, config: { writeBatchSize: 5 } });
    const run = await startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: 'a1' });
    await h.pump({ stopAfter: 5, budgetCalls: 2 });
    await cancelRun(h.deps, run.runId);
    const writesAtCancel = h.assetsWrites();
    await h.pump({ budgetCalls: 2 });
    const after = await loadRun(h.deps, run.runId);
    expect(after!.status).toBe('cancelled');
    expect(h.assetsWrites() - writesAtCancel).toBeLessThanOrEqual(5);
    const history = await readHistory(h.deps);
    expect(history[0]).toMatchObject({ runId: run.runId, status: 'cancelled' });
  });

  it('waits out a Graph 429 storm by rescheduling, never sending before Retry-After', async () => {
    h = await startHarness({ users: 60 });
    h.sim.entra.failNext({ path: '/v1.0/users/delta', status: 429, headers: { 'Retry-After': '120' }, times: 3 });
    const { run, stats } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(stats.retriesLater).toBeGreaterThanOrEqual(1);
    const calls = h.sim.entra.requests.filter((r) => r.path === '/v1.0/users/delta');
    for (let i = 1; i < calls.length; i++) {
      if (calls[i - 1]!.status === 429) expect(calls[i]!.time - calls[i - 1]!.time).toBeGreaterThanOrEqual(120_000);
    }
  });

  it('finishes under Assets 429s without Retry-After, with the same result', async () => {
    h = await startHarness({
      users: 60,
      simulation: { jira: { rateLimits: { enabled: true, perMinute: { 'object/create': 15 }, sendRetryAfter: false } } },
    });
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(run.counts!.writeFailures).toBe(0);
    expect(h.sim.jira.employees()).toHaveLength(run.counts!.creates);
    expect(h.sim.jira.requests.some((r) => r.status === 429)).toBe(true);
    expect(h.duplicateEntraIds()).toEqual([]);
  });

  it('ends failed with an admin-readable reason when consent is withdrawn, and releases the lock', async () => {
    h = await startHarness({ users: 40 });
    h.sim.entra.setConsent(false);
    const { run } = await h.run('sync');
    expect(run.status).toBe('failed');
    expect(run.error!.code).toBe('GRAPH_CONSENT_MISSING');
    expect(run.error!.message).toContain('User.Read.All');
    expect(await readLastRun(h.deps, 'manual')).toMatchObject({ entry: { status: 'failed' } });
    await expect(startRun(h.deps, { mode: 'preview', trigger: 'manual', startedBy: 'a1' })).resolves.toBeTruthy();
  });

  it("parks a chain before Forge's push limit and re-seeds it from the next originating invocation", async () => {
    h = await startHarness({ users: 60, config: { reseedAfterPushes: 3, writeBatchSize: 10 } });
    const started = await startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: 'a1' });
    let reseeds = 0;
    for (;;) {
      await h.pump({ budgetCalls: 2 });
      const run = (await loadRun(h.deps, started.runId))!;
      if (run.status === 'succeeded') break;
      expect(run.parked).not.toBeNull();
      expect(h.driver.pending).toHaveLength(0);
      // Alternate the two re-seeding origins: an admin page load and the hourly watchdog.
      if (reseeds % 2 === 0) await activeRun(h.deps);
      else expect(await runWatchdog(h.deps)).toMatchObject({ reseeded: true });
      reseeds++;
      expect(reseeds).toBeLessThan(50);
    }
    expect(reseeds).toBeGreaterThanOrEqual(2);
    expect(h.duplicateEntraIds()).toEqual([]);
    expect(h.sim.jira.employees().length).toBeGreaterThan(40);
  });

  describe('the daily schedule', () => {
    it('starts a sync when due, once a day, and not before the interval has passed', async () => {
      h = await startHarness({ users: 30, intervalDays: 2 });
      const settings = await readSettings(h.deps);
      h.clock.set('2026-03-02T03:00:00Z');
      const first = await runScheduledTick(h.deps, settings);
      expect(first.started).toBe(true);
      await h.pump();
      expect(await runScheduledTick(h.deps, settings)).toMatchObject({ started: false, reason: 'not-due' });
      h.clock.set('2026-03-03T02:58:00Z');
      expect(await runScheduledTick(h.deps, settings)).toMatchObject({ started: false, reason: 'not-due' });
      h.clock.set('2026-03-04T02:59:00Z');
      const third = await runScheduledTick(h.deps, settings);
      expect(third.started).toBe(true);
      await h.pump();
      expect(await readLastRun(h.deps, 'scheduled')).toMatchObject({ entry: { trigger: 'scheduled', status: 'succeeded' } });
    });

    it('starts nothing on a duplicate trigger the same day, and nothing when not configured', async () => {
      h = await startHarness({ users: 30, intervalDays: 1 });
      const settings = await readSettings(h.deps);
      const first = await runScheduledTick(h.deps, settings);
      expect(first.started).toBe(true);
      expect(await runScheduledTick(h.deps, settings)).toMatchObject({ started: false });
      expect(await runScheduledTick(h.deps, null)).toMatchObject({ started: false, reason: 'not-configured' });
    });
  });
});
