/**
 * Runs that need an admin's decision, through the real page on the sandbox: the safety threshold (who would be
 * inactivated, confirm, cancel), a second admin clicking while a run is active, a non-admin opening the page, and
 * cancelling a run before it finishes. The setup the walk-through already covers (schema, settings, first sync)
 * is done here through the same resolvers, without the page.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { AdminPage } from '../../sandbox/ui/headless';
import { expectNoSecretInLogs, expectSecretOnlyInSaveRequests, type SandboxPages, SECRET, startSandboxPages } from './support/sandbox-page';

const SECOND_ADMIN = '712020:0b9d7c5e-3a1f-4c2b-8e6d-2b2b2b2b2b2b';
const NOT_AN_ADMIN = '712020:9f8e7d6c-5b4a-4321-8fed-c0c0c0c0c0c0';

describe('runs that need an admin, on the sandbox', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  /** Removes `count` active employees from Entra ID (soft: they can be restored); returns the active count before and the ids. */
  function leave(count: number): { activeBefore: number; ids: string[] } {
    const entra = sandbox.emulator.simulation!.entra;
    const active = sandbox.emulator.simulation!.jira.employees().filter((o) => o.values.active === true);
    const ids = active.slice(0, count).map((employee) => employee.values.entraUserId as string);
    for (const id of ids) entra.softDeleteUser(id);
    return { activeBefore: active.length, ids };
  }
  const inactive = () => sandbox.emulator.simulation!.jira.employees().filter((o) => o.values.active === false).length;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 60, seed: 21, simulation: { jira: { administrators: [SECOND_ADMIN] } } });
    const { emulator } = sandbox;
    await emulator.invoke('createSchema');
    await emulator.drain();
    await emulator.invoke('saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SECRET,
      cloud: 'global',
      intervalDays: 1,
    });
    await emulator.invoke('startSync');
    await sandbox.drain();
    page = sandbox.open();
    await page.selectTab('Sync');
    await page.waitForText('Last manual sync Succeeded Run #1');
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('stops a sync above the safety threshold, shows who would be inactivated, and applies it when confirmed', async () => {
    const { activeBefore } = leave(8);
    const limit = Math.max(5, Math.floor(activeBefore / 10));
    expect(8).toBeGreaterThan(limit);
    await page.click('Run Manual Sync');
    await sandbox.drain();
    await page.waitForText('Run #2 is waiting for your confirmation');
    expect(page.text()).toContain(
      `This sync would inactivate 8 of ${activeBefore} active employees, more than the safety limit of ${limit}. Nothing has been written yet.`,
    );
    await page.waitFor(() => page.table('Employees to inactivate').rows.length === 8);
    expect(page.table('Employees to inactivate').rows[0]![2]).toBe(
      'The Entra ID user no longer exists (deleted, or outside what the app can read).',
    );
    expect(page.button('Run Manual Sync').disabled).toBe(true);
    expect(page.text()).toContain('A manual sync (run #2) is waiting for confirmation on the Sync tab. Confirm or cancel it first.');
    expect(inactive()).toBe(0);

    await page.selectTab('Overview');
    await page.waitForText('Waiting for confirmation');
    expect(page.text()).toContain('Run #2 would inactivate 8 employees, more than the safety limit.');
    await page.selectTab('Preview');
    await page.waitFor(() => page.button('Generate Preview').disabled);

    await page.selectTab('Sync');
    await page.waitForText('Confirm and apply');
    await page.click('Confirm and apply');
    await sandbox.drain();
    await page.waitForText('Last manual sync Succeeded Run #2');
    expect(page.text()).toContain('8 inactivated');
    expect(inactive()).toBe(8);
    expect(page.button('Run Manual Sync').disabled).toBe(false);
  });

  it('cancels a run waiting for confirmation: nothing is written and the history says so', async () => {
    const { ids } = leave(7);
    await page.click('Run Manual Sync');
    await sandbox.drain();
    await page.waitForText('Run #3 is waiting for your confirmation');
    await page.click('Cancel run');
    await page.waitForText('Run #3 was cancelled');
    expect(inactive()).toBe(8);
    expect(page.button('Run Manual Sync').disabled).toBe(false);
    await page.selectTab('History');
    await page.waitFor(() => page.table('Run history').rows.length === 3);
    expect(page.table('Run history').rows[0]!.slice(0, 6)).toEqual([
      '#3',
      expect.any(String),
      'Manual',
      `@user(${sandbox.emulator.adminAccountId})`,
      'Sync',
      'Cancelled',
    ]);
    // The leavers come back (it was a mistake in Entra ID), so the next syncs have nothing to inactivate.
    for (const id of ids) sandbox.emulator.simulation!.entra.restoreUser(id);
  });

  it('disables the buttons of a second admin while a run is active, with the reason, also when they click a stale page', async () => {
    const second = sandbox.open(SECOND_ADMIN);
    await second.selectTab('Sync');
    await second.waitFor(() => !second.button('Run Manual Sync').disabled);
    await page.selectTab('Sync');
    await page.waitFor(() => !page.button('Run Manual Sync').disabled);

    await page.click('Run Manual Sync');
    await page.waitFor(() => page.button('Run Manual Sync').disabled);
    expect(page.text()).toContain('A manual sync (run #4) is');

    // The second admin's page loaded before the run started: the click reaches the backend, which refuses it.
    await second.click('Run Manual Sync');
    await second.waitForText('A run is already active');
    expect(second.text()).toMatch(/A manual sync \(run #4, started [^)]+\) is already in progress\. Wait for it to finish or cancel it\./);
    await second.waitFor(() => second.button('Run Manual Sync').disabled);
    expect(second.text()).toMatch(/A manual sync \(run #4\) is (queued|running)\. Only one run at a time/);
    await second.selectTab('Preview');
    await second.waitFor(() => second.button('Generate Preview').disabled);

    await sandbox.drain();
    await second.selectTab('Sync');
    await second.waitForText('Last manual sync Succeeded Run #4');
    expect(second.button('Run Manual Sync').disabled).toBe(false);
    await page.waitForText('Last manual sync Succeeded Run #4');
    await second.close();
  });

  it('cancels a run before it finishes', async () => {
    await page.click('Run Manual Sync');
    await page.waitForText('Cancel run');
    await page.click('Cancel run');
    await page.waitForText('Cancellation requested');
    expect(page.button('Cancel run').disabled).toBe(true);
    await sandbox.drain();
    await page.waitForText('Run #5 was cancelled');
    expect(page.button('Run Manual Sync').disabled).toBe(false);
  });

  it('shows a non-admin only the refusal', async () => {
    const outsider = sandbox.open(NOT_AN_ADMIN);
    await outsider.waitForText('Only Jira administrators can use this page');
    expect(outsider.text()).toContain('Only Jira administrators can use Entra ID Sync.');
    await outsider.selectTab('Sync');
    await outsider.waitFor(() => outsider.button('Run Manual Sync').disabled);
    await outsider.selectTab('History');
    await outsider.waitForText('Only Jira administrators can use Entra ID Sync.');
    expect(outsider.find((n) => n.type === 'DynamicTable')).toEqual([]);
    await outsider.close();
  });

  it('never lets the client secret out', async () => {
    await page.idle();
    expectSecretOnlyInSaveRequests(page);
    expectNoSecretInLogs(sandbox.emulator);
  });
});
