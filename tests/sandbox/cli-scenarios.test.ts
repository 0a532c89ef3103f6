/**
 * Sandbox command line scenarios that need the world changed between commands (done in process on the same state
 * directory, as an admin or a directory would change it): the safety threshold (awaiting-confirmation exits 0),
 * a schema conflict (the message names the other schema) and a repair, and the schedule (--now: due, not due,
 * a second tick on the same day).
 */
import { changeWorld, jsonOf, runCli, SIMULATED_CREDENTIALS, stateDirsRemovedAfterAll } from './cli-harness';

jest.setTimeout(120_000);

const stateDir = stateDirsRemovedAfterAll();

const credentials = [...SIMULATED_CREDENTIALS];

describe('sandbox CLI scenarios', () => {
  it('exits 0 and says so when a sync waits for confirmation of too many inactivations', async () => {
    const dir = stateDir('safety');
    const base = ['--state-dir', dir, '--users', '40', '--seed', '12'];
    expect((await runCli(['configure', ...credentials, ...base])).code).toBe(0);
    expect((await runCli(['schema', ...base])).code).toBe(0);
    expect(jsonOf(await runCli(['sync', '--json', ...base]))).toMatchObject({ status: 'succeeded' });

    await changeWorld(dir, (em) => {
      const active = new Set(
        em
          .simulation!.jira.employees()
          .filter((e) => e.values.active === true)
          .map((e) => e.values.entraUserId),
      );
      const leavers = em.simulation!.world.entra.users.filter((u) => u.accountEnabled && active.has(u.id)).slice(0, 12);
      for (const u of leavers) em.simulation!.entra.softDeleteUser(u.id);
    });

    const waiting = await runCli(['sync', '--json', ...base]);
    expect(waiting.code).toBe(0);
    expect(jsonOf(waiting)).toMatchObject({
      mode: 'sync',
      trigger: 'manual',
      status: 'awaiting-confirmation',
      counts: { inactivations: 12 },
    });
    const human = await runCli(['status', ...base]);
    expect(human.stdout).toMatch(/awaiting-confirmation/);
    const blocked = await runCli(['sync', ...base]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/waiting for confirmation/);
  });

  it('names the schema that holds the key ENTRA, and repairs a damaged schema', async () => {
    const dir = stateDir('conflict');
    await changeWorld(dir, () => undefined, { jira: { preexistingSchemas: [{ name: 'People Directory', key: 'ENTRA' }] } });
    const conflict = await runCli(['schema', '--state-dir', dir]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('People Directory');
    expect(conflict.stderr).toContain('[ASSETS_SCHEMA_CONFLICT]');
    expect(conflict.stderr.trim().split('\n')).toHaveLength(1);

    const other = stateDir('repair');
    expect((await runCli(['schema', '--state-dir', other, '--users', '40', '--seed', '12'])).code).toBe(0);
    await changeWorld(other, (em) => em.simulation!.jira.deleteAttribute('Employee', 'Manager'));
    const repaired = await runCli(['schema', '--state-dir', other]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/Manager/);
    // The schema command keeps the resolver's old {created, repaired} and adds the job's steps.
    expect(jsonOf(await runCli(['schema', '--json', '--state-dir', other]))).toEqual({
      created: [],
      repaired: [],
      steps: ['Find the Assets workspace', 'Read the ENTRA schema as it is in Assets', 'Check the result'],
    });
  });

  it('runs the scheduled sync when due, skips it when not due or already started that day', async () => {
    const dir = stateDir('schedule');
    const base = ['--state-dir', dir, '--users', '30', '--seed', '13'];
    const day = (offset: number, time: string) => new Date(Date.UTC(2031, 0, 10 + offset)).toISOString().slice(0, 10) + `T${time}Z`;
    expect((await runCli(['configure', ...credentials, '--interval-days', '2', ...base])).code).toBe(0);
    expect((await runCli(['schema', ...base])).code).toBe(0);

    const first = await runCli(['scheduled-tick', '--now', day(0, '02:00:00'), '--json', ...base]);
    expect(first.code).toBe(0);
    expect(jsonOf(first)).toMatchObject({
      mode: 'sync',
      trigger: 'scheduled',
      status: 'succeeded',
      runId: expect.stringMatching(/^20310110/),
    });

    const sameDay = await runCli(['scheduled-tick', '--now', day(0, '09:00:00'), '--json', ...base]);
    expect(sameDay.code).toBe(0);
    expect(jsonOf(sameDay)).toMatchObject({
      status: 'skipped',
      trigger: 'scheduled',
      error: { code: 'SCHEDULE_NOT_DUE', message: expect.stringContaining('2031-01-12') },
    });

    const nextDay = await runCli(['scheduled-tick', '--now', day(1, '02:00:00'), '--json', ...base]);
    expect(jsonOf(nextDay)).toMatchObject({ status: 'skipped' });

    const due = await runCli(['scheduled-tick', '--now', day(2, '02:00:00'), ...base]);
    expect(due.code).toBe(0);
    expect(due.stdout).toMatch(/Sync run #2 \(scheduled\) succeeded/);

    // A scheduled run that fails leaves the day claimed: a second firing that day does not start another.
    expect((await runCli(['configure', '--client-secret', 'not-the-right-secret-value', ...base])).code).toBe(0);
    const failing = await runCli(['scheduled-tick', '--now', day(4, '02:00:00'), '--json', ...base]);
    expect(failing.code).toBe(1);
    expect(jsonOf(failing)).toMatchObject({ status: 'failed', trigger: 'scheduled', error: { code: 'ENTRA_SECRET_INVALID' } });
    const again = await runCli(['scheduled-tick', '--now', day(4, '05:00:00'), '--json', ...base]);
    expect(again.code).toBe(0);
    expect(jsonOf(again)).toMatchObject({ status: 'skipped', error: { code: 'SCHEDULE_ALREADY_TRIGGERED' } });

    const history = jsonOf(await runCli(['history', '--json', ...base]))['runs'] as { trigger: string; status: string }[];
    expect(history.map((h) => `${h.trigger}:${h.status}`)).toEqual(['scheduled:failed', 'scheduled:succeeded', 'scheduled:succeeded']);
  });
});
