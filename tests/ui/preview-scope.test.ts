/**
 * Issue 12, scope point 4 (UI): the preview shows the sync scope's figures (the scope, what each rule excluded, the
 * users left out) and the two scope lists, through the real page, resolvers and pipeline on the sandbox emulator.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { RunReport } from '../../src/domain/report';
import { type SandboxPages, startSandboxPages } from './support/sandbox-page';

describe('preview with a sync scope', () => {
  let sandbox: SandboxPages;
  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 40, seed: 11 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('shows the scope, the users each rule excluded and who is left out', async () => {
    const saved = (await sandbox.emulator.invoke('saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SIMULATED_TENANT.clientSecret,
      intervalDays: 1,
      scope: "userType eq 'Member'",
    })) as { ok: boolean };
    expect(saved.ok).toBe(true);
    const page = sandbox.open();
    await page.selectTab('Preview');
    await page.waitForText('No preview yet');
    await page.click('Generate Preview');
    await page.waitFor(() => page.button('Generate Preview').disabled);
    await sandbox.drain();
    await page.waitForText('Latest preview');
    const { report } = ((await sandbox.emulator.invoke('getReport', { mode: 'preview' })) as { data: { report: RunReport } }).data;
    expect(report.counts.outOfScope).toBeGreaterThan(0);
    const text = page.text();
    expect(text).toContain(`Scope: userType eq 'Member'. ${report.counts.outOfScope} Entra ID users read are outside it.`);
    expect(text).toContain(`userType eq 'Member': excluded ${report.counts.outOfScope}`);
    expect(text).toContain('Outside the sync scope');
    expect(text).toContain(`Employees leaving the sync scope (${report.counts.scopeLeaving})`);
    expect(text).toContain(`Employees entering the sync (${report.counts.scopeEntering})`);
  });
});
