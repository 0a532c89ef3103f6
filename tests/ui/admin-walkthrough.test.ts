/**
 * The admin's first day, through the real page and the real resolvers and pipeline on the sandbox emulator:
 * fresh install -> Create Schema -> settings (invalid values first) -> Test connection -> Generate Preview ->
 * Run Manual Sync -> Overview and History show the run (and a scheduled one). Every assertion reads the rendered tree; at the end every
 * bridge message and every app log line is checked for the client secret.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { AdminPage } from '../../sandbox/ui/headless';
import type { RunReport } from '../../src/domain/report';
import { ROWS_PER_PAGE } from '../../src/ui/page-config';
import {
  expectNoSecretInLogs,
  expectSecretOnlyInSaveRequests,
  fieldMessage,
  type SandboxPages,
  SECRET,
  startSandboxPages,
} from './support/sandbox-page';

describe('admin walk-through on the sandbox', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 40, seed: 11 });
    page = sandbox.open();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('opens on an Overview that points a fresh install to Setup', async () => {
    await page.waitForText('Entra ID Sync is not set up yet');
    expect(page.text()).toContain('on the Setup tab');
    await page.click('Go to Setup');
    await page.waitForText('Schema not created yet');
    expect(page.button('Test connection').disabled).toBe(true);
    expect(page.text()).toContain('Save the settings (with a client secret) first.');
  });

  it('creates the schema and lists what it created', async () => {
    expect(page.text()).toContain('It will create: schema "Entra Directory" (key ENTRA)');
    await page.click('Create Schema');
    // Create Schema is a queued job: the card shows it running, the queue delivers it, the card's poll shows the end.
    await page.waitForText('Creating the schema');
    await sandbox.drain();
    await page.waitForText('Schema created or repaired');
    expect(page.text()).toContain('Created: schema "Entra Directory" (key ENTRA) object type "Employee"');
    await page.waitForText('Nothing to do: the schema is complete.');
    expect(page.button('Create Schema').disabled).toBe(true);
    expect(sandbox.emulator.simulation!.jira.employees()).toEqual([]);
  });

  it('shows the schema messages next to the fields for invalid settings, and sends nothing', async () => {
    await page.type('tenantId', 'not a tenant');
    await page.type('clientId', '1234');
    await page.type('clientSecret', '   ');
    await page.type('intervalDays', '0');
    await page.click('Save settings');
    await page.waitFor(() => fieldMessage(page, 'intervalDays').kind === 'error');
    expect(fieldMessage(page, 'tenantId')).toEqual({
      kind: 'error',
      text: expect.stringContaining('Tenant ID must be the Directory (tenant) ID'),
    });
    expect(fieldMessage(page, 'clientId')).toEqual({
      kind: 'error',
      text: expect.stringContaining('Client ID must be the Application (client) ID'),
    });
    expect(fieldMessage(page, 'clientSecret')).toEqual({
      kind: 'error',
      text: expect.stringContaining('Client secret cannot be only spaces'),
    });
    expect(fieldMessage(page, 'intervalDays')).toEqual({
      kind: 'error',
      text: 'Scheduled sync interval must be a whole number of days from 1 to 100.',
    });
    expect(fieldMessage(page, 'cloud').kind).toBe('help');
    expect(page.invokes('saveSettings')).toEqual([]);
  });

  it("shows the backend's refusal next to the secret field when no secret is stored and none was typed", async () => {
    await page.type('tenantId', SIMULATED_TENANT.tenantId);
    await page.type('clientId', SIMULATED_TENANT.clientId);
    await page.type('clientSecret', '');
    await page.type('intervalDays', '7');
    await page.click('Save settings');
    await page.waitFor(() => page.invokes('saveSettings').length === 1);
    await page.waitFor(() => fieldMessage(page, 'clientSecret').kind === 'error');
    expect(fieldMessage(page, 'clientSecret').text).toContain('Client secret is required');
    expect(fieldMessage(page, 'tenantId').kind).toBe('help');
  });

  it('saves the settings; the secret field is write-only afterwards', async () => {
    await page.type('clientSecret', SECRET);
    await page.select('cloud', 'global');
    await page.click('Save settings');
    await page.waitForText('Settings saved');
    await page.waitFor(() => fieldMessage(page, 'clientSecret').text.startsWith('A secret is stored (set '));
    const secretField = page.find((n) => n.type === 'Textfield' && n.props.name === 'clientSecret')[0]!;
    expect(secretField.props.type).toBe('password');
    expect(secretField.props.defaultValue).toBe('');
    const tenantField = page.find((n) => n.type === 'Textfield' && n.props.name === 'tenantId')[0]!;
    expect(tenantField.props.defaultValue).toBe(SIMULATED_TENANT.tenantId);
    expect(page.text()).toContain('never as you or any other person');
  });

  it('keeps the stored secret when saved again with the secret field empty', async () => {
    await page.type('intervalDays', '1');
    await page.click('Save settings');
    await page.waitFor(() => page.invokes('saveSettings').length === 3);
    await page.waitFor(() => fieldMessage(page, 'clientSecret').text.startsWith('A secret is stored'));
    const sent = page.invokes('saveSettings')[2]!.payload as Record<string, unknown>;
    expect(sent).not.toHaveProperty('clientSecret');
    expect(sent.intervalDays).toBe('1');
  });

  it('tests the connection and says how many users the app can read', async () => {
    await page.waitFor(() => !page.button('Test connection').disabled);
    await page.click('Test connection');
    await page.waitForText('Connected to Microsoft Entra ID');
    const answer = page.invokes('testConnection')[0]!.answer as { ok: true; data: { userCount: number } };
    expect(answer.data.userCount).toBeGreaterThan(0);
    expect(page.text()).toContain(`can read ${answer.data.userCount} users`);
  });

  it('generates a preview, shows its progress, then the counts and one table per category; nothing is written', async () => {
    await page.selectTab('Preview');
    await page.waitForText('No preview yet');
    await page.click('Generate Preview');
    await page.waitFor(() => page.button('Generate Preview').disabled);
    expect(page.text()).toMatch(/A manual preview \(run #1\) is (queued|running)/);
    expect(page.find((n) => n.type === 'ProgressBar')).toHaveLength(1);
    expect(page.button('Generate Preview').disabled).toBe(true);

    await sandbox.drain();
    await page.waitForText('Latest preview');
    expect(page.button('Generate Preview').disabled).toBe(false);
    const { report } = ((await sandbox.emulator.invoke('getReport', { mode: 'preview' })) as { data: { report: RunReport } }).data;
    expect(report.counts.creates).toBeGreaterThan(0);
    expect(page.text()).toContain(`Employees to create (${report.counts.creates})`);
    const creates = page.table('Employees to create');
    expect(creates.rowsPerPage).toBe(ROWS_PER_PAGE);
    expect(creates.head).toEqual(['Name', 'Email', 'Job Title', 'Department', 'Manager', 'Atlassian account']);
    expect(creates.rows).toHaveLength(Math.min(report.counts.creates, 100));
    expect(page.text()).toContain(`Atlassian accounts not matched (${report.counts.unmatchedAtlassian})`);
    if (report.counts.unmatchedAtlassian > 0) expect(page.table('Atlassian accounts not matched').rows[0]![2]).not.toBe('');
    for (const title of ['Employees to update', 'Employees to inactivate', 'Manager links that cannot be set', 'Warnings'])
      expect(page.text()).toContain(title);
    expect(sandbox.emulator.simulation!.jira.employees()).toEqual([]);
  });

  it('runs a manual sync: the button is disabled with the reason while it runs, then the result and report show', async () => {
    await page.selectTab('Sync');
    await page.waitForText('No manual sync yet.');
    await page.click('Run Manual Sync');
    await page.waitFor(() => page.button('Run Manual Sync').disabled);
    expect(page.text()).toMatch(/A manual sync \(run #2\) is (queued|running)\. Only one run at a time/);
    expect(page.button('Cancel run').disabled).toBe(false);

    await sandbox.drain();
    await page.waitForText('Latest sync report');
    const employees = sandbox.emulator.simulation!.jira.employees();
    expect(employees.length).toBeGreaterThan(0);
    expect(page.text()).toContain(`${employees.length} created`);
    expect(page.button('Run Manual Sync').disabled).toBe(false);
    expect(page.text()).toContain('Write failures (0)');
  });

  it('shows the run on the Overview: last manual sync, next scheduled sync, connection and schema', async () => {
    await page.selectTab('Overview');
    await page.waitForText('Microsoft connection');
    const text = page.text();
    expect(text).toContain('No run in progress.');
    expect(text).toMatch(/Last manual sync Succeeded Run #2, started \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain('No scheduled sync yet.');
    expect(text).toContain('Every 1 day. The next scheduled sync starts at the next daily check');
    // The full reconciliation read: when the whole directory was last read and when the next full read is due.
    const fullRead =
      /Entra directory Last full directory read: (\d{4}-\d\d-\d\d) \d\d:\d\d UTC\. The next full read is due from (\d{4}-\d\d-\d\d) \d\d:\d\d UTC\. The app reads only what changed in Entra ID, and the whole directory every 7 days/.exec(
        text,
      );
    expect(fullRead).not.toBeNull();
    expect(Date.parse(fullRead![2]!) - Date.parse(fullRead![1]!)).toBe(7 * 86_400_000);
    expect(text).toMatch(/Microsoft connection Working The app signed in to Microsoft and can read \d+ users/);
    expect(text).toContain('Assets schema "Entra Directory" (ENTRA) Ready');
    expect(page.buttons().map((b) => b.text)).not.toContain('Fix on the Setup tab');
  });

  it('shows the scheduled sync on the Overview once the daily trigger ran one', async () => {
    await sandbox.emulator.fireTrigger('scheduled-sync-trigger');
    await sandbox.drain();
    await page.selectTab('Setup');
    await page.selectTab('Overview');
    await page.waitForText('Last scheduled sync Succeeded Run #3');
    const tomorrow = new Date(sandbox.emulator.now() + 86_400_000).toISOString().slice(0, 10);
    await page.waitForText(`Every 1 day. The next scheduled sync starts at the first daily check on ${tomorrow} (UTC).`);
    expect(page.text()).toMatch(
      /Last scheduled sync Succeeded Run #3, started [^,]+, took [^,]+ 0 created, 0 updated, 0 inactivated, \d+ unchanged/,
    );
  });

  it('lists the runs in the History, and a row opens the run with its report', async () => {
    await page.selectTab('History');
    await page.waitFor(() => page.table('Run history').rows.length === 3);
    const history = page.table('Run history');
    expect(history.rows.map((row) => row.slice(0, 6))).toEqual([
      ['#3', expect.stringMatching(/UTC$/), 'Scheduled', 'Schedule', 'Sync', 'Succeeded'],
      ['#2', expect.stringMatching(/UTC$/), 'Manual', `@user(${sandbox.emulator.adminAccountId})`, 'Sync', 'Succeeded'],
      ['#1', expect.stringMatching(/UTC$/), 'Manual', `@user(${sandbox.emulator.adminAccountId})`, 'Preview', 'Succeeded'],
    ]);
    await page.click('Details', { within: history.rowNodes[1]! });
    await page.waitForText('Employees to create (');
    const modal = page.find((n) => n.type === 'Modal')[0]!;
    expect(page.text(modal)).toContain('Run #2');
    expect(page.text(modal)).toContain('Sync, manual');
    await page.click('Close', { within: modal });
    await page.waitFor(() => page.find((n) => n.type === 'Modal').length === 0);
  });

  it('never lets the client secret out: not in an answer, not on the page, not in a log', async () => {
    await page.idle();
    expect(page.invokes('saveSettings').some((m) => JSON.stringify(m.payload).includes(SECRET))).toBe(true);
    expectSecretOnlyInSaveRequests(page);
    expectNoSecretInLogs(sandbox.emulator);
  });
});
