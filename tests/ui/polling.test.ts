/**
 * When the page asks for the run status: once on load; every few seconds only while a run moves on its own (queued
 * or running); not while idle or waiting for confirmation; never per render; and not after the component that
 * polls is gone. The page's setTimeout is faked so the 3 s interval is stepped, not waited out; the backend is a
 * stub (tests/ui/support/stub-backend.ts).
 */
import * as path from 'node:path';

import { type AdminPage, renderAdminPage } from '../../sandbox/ui/headless';
import { POLL_INTERVAL_MS } from '../../src/ui/page-config';
import { runView, StubBackend } from './support/stub-backend';

/** Only setTimeout/clearTimeout (the page's poll timer); React's scheduler and the renderer keep real setImmediate. */
const fakeTimeoutsOnly: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'setImmediate',
    'clearImmediate',
    'nextTick',
    'queueMicrotask',
    'performance',
    'Date',
    'hrtime',
    'setInterval',
    'clearInterval',
  ],
};

describe('status polling', () => {
  let page: AdminPage | null = null;
  beforeEach(() => {
    jest.useFakeTimers(fakeTimeoutsOnly);
  });
  afterEach(async () => {
    await page?.close();
    page = null;
    jest.useRealTimers();
  });

  async function step(ms: number): Promise<void> {
    jest.advanceTimersByTime(ms);
    await page!.settle();
  }

  it('loads once when idle and does not poll', async () => {
    const stub = new StubBackend();
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    expect(stub.count('getStatus')).toBe(1);
    await step(POLL_INTERVAL_MS * 5);
    expect(stub.count('getStatus')).toBe(1);
  });

  it('polls every few seconds while a run is queued or running, and stops when it ends', async () => {
    const stub = new StubBackend();
    stub.status({ activeRun: runView({ status: 'queued', stage: 'atlassianUsers' }) });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('Waiting to start');
    expect(stub.count('getStatus')).toBe(1);

    await step(POLL_INTERVAL_MS - 1);
    expect(stub.count('getStatus')).toBe(1);
    stub.status({
      activeRun: runView({ status: 'running', stage: 'writeAssets', progress: { processed: 30, total: 120, label: 'Writing to Assets' } }),
    });
    await step(1);
    await page.waitForText('Step 6 of 7: Writing to Assets');
    expect(stub.count('getStatus')).toBe(2);
    expect(page.text()).toContain('Writing to Assets: 30 of 120');
    const bar = page.find((n) => n.type === 'ProgressBar')[0]!;
    expect(bar.props.value).toBeCloseTo((5 + 30 / 120) / 7);

    stub.status({ activeRun: null });
    await step(POLL_INTERVAL_MS);
    await page.waitForText('No run in progress.');
    expect(stub.count('getStatus')).toBe(3);
    await step(POLL_INTERVAL_MS * 4);
    expect(stub.count('getStatus')).toBe(3);
  });

  it('does not poll a run that waits for confirmation', async () => {
    const stub = new StubBackend();
    stub.status({
      activeRun: runView({
        status: 'awaiting-confirmation',
        stage: 'plan',
        safety: { inactivations: 40, activeBefore: 100, threshold: 10 },
      }),
    });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('Waiting for confirmation');
    await step(POLL_INTERVAL_MS * 4);
    expect(stub.count('getStatus')).toBe(1);
  });

  it('makes no invocation per render: typing into the settings form re-renders without calling the backend', async () => {
    const stub = new StubBackend();
    stub.answers.set('getSettings', { ok: true, data: null });
    stub.answers.set('getSchemaStatus', {
      ok: true,
      data: {
        state: 'missing',
        schemaName: 'Entra Directory',
        schemaKey: 'ENTRA',
        message: 'missing',
        pending: ['schema "Entra Directory" (key ENTRA)'],
        code: null,
      },
    });
    page = renderAdminPage({ invoke: stub.invoke });
    await page.waitForText('No run in progress.');
    await page.selectTab('Setup');
    await page.waitFor((p) => p.find((n) => n.type === 'Form').length === 1);
    const before = stub.calls.length;
    const reconciles = page.messages.filter((m) => m.kind === 'reconcile').length;
    for (const value of ['c', 'co', 'con', 'cont', 'contoso.com']) await page.type('tenantId', value);
    expect(page.messages.filter((m) => m.kind === 'reconcile').length).toBeGreaterThan(reconciles);
    expect(stub.calls.length).toBe(before);
  });

  it('stops polling when the component that polls unmounts', async () => {
    const stub = new StubBackend();
    stub.status({ activeRun: runView({ status: 'running' }) });
    page = renderAdminPage({ invoke: stub.invoke, entry: path.join(__dirname, 'fixtures/status-probe.tsx') });
    await page.waitForText('status: running');
    await step(POLL_INTERVAL_MS);
    await page.waitFor(() => stub.count('getStatus') === 2);
    await page.click('Remove probe');
    await page.waitForText('probe removed');
    await step(POLL_INTERVAL_MS * 5);
    expect(stub.count('getStatus')).toBe(2);
  });
});
