/**
 * Page states that are slow or awkward to reach on the sandbox, driven by a STUB backend
 * (tests/ui/support/stub-backend.ts): capped report lists with exact totals, updates with old -> new values,
 * loading and working states, a malformed answer, an unreachable app, and a failed run opened from the history.
 */
import { type AdminPage, renderAdminPage } from '../../sandbox/ui/headless';
import { createReportCollector } from '../../src/domain/report';
import { ROWS_PER_PAGE } from '../../src/ui/page-config';
import { cappedReport, historyEntry, runView, StubBackend, T0 } from './support/stub-backend';

describe('page states (stub backend)', () => {
  let page: AdminPage | null = null;
  afterEach(async () => {
    await page?.close();
    page = null;
  });

  it('shows exact totals above capped lists, and paginates every table', async () => {
    const stub = new StubBackend();
    stub.answers.set('getReport', {
      ok: true,
      data: { runId: 'r1', report: cappedReport(25, 3), run: runView({ number: 7, mode: 'preview', status: 'succeeded', finishedAt: T0 }) },
    });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    await page.selectTab('Preview');
    await page.waitForText('Latest preview');
    expect(page.text()).toContain('Run #7, started 2026-03-02 09:00 UTC');
    expect(page.text()).toContain('Employees to create (25) Listing the first 3 of 25.');
    const table = page.table('Employees to create');
    expect(table.rows).toHaveLength(3);
    expect(table.rowsPerPage).toBe(ROWS_PER_PAGE);
    expect(table.rows[0]).toEqual(['Person 0', '-', 'Engineer', 'R&D', '-', '@user(acc-0)']);
  });

  it('shows each update as attribute: old -> new', async () => {
    const collector = createReportCollector(100);
    for (let i = 0; i < 12; i++) {
      collector.add('updates', () => ({
        objectKey: `ENTRA-${i}`,
        objectId: String(i),
        fullName: `Person ${i}`,
        accountId: `acc-${i}`,
        changes: [
          { attribute: 'Job Title', from: 'Engineer', to: 'Senior Engineer' },
          { attribute: 'Manager', from: null, to: 'Ada Admin' },
        ],
      }));
    }
    const report = collector.build({
      atlassianUsers: 12,
      matched: 12,
      unchanged: 0,
      safety: { tripped: false, inactivations: 0, activeObjects: 12, limit: 5 },
      createColumns: ['Email', 'Job Title', 'Department'],
    });
    const stub = new StubBackend();
    stub.answers.set('getReport', { ok: true, data: { runId: 'r1', report, run: null } });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    await page.selectTab('Preview');
    await page.waitForText('Employees to update (12)');
    const table = page.table('Employees to update');
    expect(table.rows).toHaveLength(12);
    expect(table.rows[11]).toEqual(['ENTRA-11', 'Person 11', 'Job Title: Engineer → Senior Engineer Manager: - → Ada Admin']);
    expect(page.text()).not.toContain('Listing the first');
  });

  it('shows a spinner while loading and a working button while a start is in flight', async () => {
    const stub = new StubBackend();
    const gates = new Map<string, () => void>();
    const held = (key: string) => new Promise<void>((resolve) => gates.set(key, resolve));
    const statusGate = held('getStatus');
    let startGate: Promise<void> | null = null;
    page = renderAdminPage({
      invoke: async (key, payload) => {
        if (key === 'getStatus') await statusGate;
        if (key === 'startPreview') await startGate;
        return stub.invoke(key, payload);
      },
    });
    await page.waitForText('Loading the status');
    expect(page.find((n) => n.type === 'Spinner')).toHaveLength(1);
    gates.get('getStatus')!();
    await page.waitForText('No run in progress.');

    await page.selectTab('Preview');
    await page.waitFor((p) => !p.button('Generate Preview').disabled);
    startGate = held('startPreview');
    // The run the stub "starts" has already finished by the time the page asks, so nothing is left polling.
    stub.answers.set('startPreview', { ok: true, data: runView({ mode: 'preview', status: 'queued', stage: 'atlassianUsers' }) });
    const statusLoads = stub.count('getStatus');
    await page.click('Generate Preview');
    await page.waitFor((p) => p.button('Generate Preview').loading);
    expect(stub.count('getStatus')).toBe(statusLoads);
    gates.get('startPreview')!();
    await page.waitFor((p) => !p.button('Generate Preview').loading);
    expect(stub.count('getStatus')).toBe(statusLoads + 1);
  });

  it('shows the new preview when the run ended before the status was asked again (a short run never seen moving)', async () => {
    const stub = new StubBackend();
    const old = runView({ runId: '20260302090000-old', number: 1, mode: 'preview', status: 'succeeded', finishedAt: T0 });
    stub.answers.set('getReport', { ok: true, data: { runId: old.runId, report: cappedReport(3, 100), run: old } });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    await page.selectTab('Preview');
    await page.waitForText('Run #1, started');
    // The preview runs every stage in its first invocation: done before the page asks for the status again, which
    // therefore never shows it active.
    const fresh = runView({ runId: '20260302100000-new', number: 3, mode: 'preview', status: 'succeeded', finishedAt: T0 });
    stub.answers.set('startPreview', { ok: true, data: runView({ runId: fresh.runId, number: 3, mode: 'preview', status: 'queued' }) });
    stub.answers.set('getRun', { ok: true, data: fresh });
    stub.answers.set('getReport', { ok: true, data: { runId: fresh.runId, report: cappedReport(5, 100), run: fresh } });
    await page.click('Generate Preview');
    await page.waitForText('Run #3, started');
    expect(page.text()).toContain('Employees to create (5)');
    expect(page.text()).not.toContain('Run #1, started');
  });

  it('says the answer was unexpected when a resolver answers a shape the page does not know', async () => {
    const stub = new StubBackend();
    stub.answers.set('getHistory', { ok: true, data: [{ runId: 42 }] });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    await page.selectTab('History');
    await page.waitForText('The app answered in an unexpected way. Reload the page');
  });

  it('says the app could not be reached when the bridge call fails', async () => {
    const stub = new StubBackend();
    page = renderAdminPage({
      invoke: async (key, payload) => {
        if (key === 'getOverview') throw new Error('There was an error invoking the function');
        return stub.invoke(key, payload);
      },
    });
    await page.waitForText('The app could not be reached. Check your connection and reload the page.');
    expect(page.text()).toContain('No run in progress.');
  });

  it('opens a failed run from the history with its error, and says when its report is gone', async () => {
    const stub = new StubBackend();
    const failed = historyEntry({
      runId: '20260302100000-fff',
      number: 9,
      trigger: 'scheduled',
      startedBy: null,
      status: 'failed',
      counts: null,
      error: {
        code: 'ENTRA_SECRET_EXPIRED',
        message: 'The client secret has expired. Create a new client secret in Certificates & secrets and save it here.',
      },
    });
    stub.answers.set('getHistory', { ok: true, data: [failed, historyEntry()] });
    stub.answers.set('getReport', { ok: true, data: { runId: '20260302100000-fff', report: null, run: null } });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    await page.selectTab('History');
    await page.waitFor((p) => p.table('Run history').rows.length === 2);
    const table = page.table('Run history');
    expect(table.rows[0]).toEqual([
      '#9',
      '2026-03-02 09:00 UTC',
      'Scheduled',
      'Schedule',
      'Sync',
      'Failed',
      '1 min 5 s',
      '-',
      '-',
      '-',
      '-',
      'Details',
    ]);
    expect(table.rows[1]!.slice(7, 11)).toEqual(['3', '1', '0', '0']);
    await page.click('Details', { within: table.rowNodes[0]! });
    await page.waitForText('No report is available for this run');
    const modal = page.find((n) => n.type === 'Modal')[0]!;
    expect(page.text(modal)).toContain('Run #9');
    expect(page.text(modal)).toContain('Client secret expired The client secret has expired.');
    expect(page.text(modal)).toContain('Started 2026-03-02 09:00 UTC by the schedule');
    expect(stub.calls.filter((c) => c.key === 'getReport').map((c) => c.payload)).toEqual([{ runId: '20260302100000-fff' }]);
  });
});
