/**
 * "Test connection" on the sandbox for every way an admin gets the Microsoft side wrong: each failure shows its
 * title and the backend's actionable message (tenant, client ID, secret ID pasted for the Value, expired secret,
 * missing User.Read.All consent, Microsoft unreachable), and the Overview reports the failing connection. The
 * settings are entered through the page each time, as an admin would.
 */
import { randomUUID } from 'node:crypto';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { AdminPage } from '../../sandbox/ui/headless';
import {
  expectNoSecretInLogs,
  expectSecretOnlyInSaveRequests,
  openSetupForm,
  type SandboxPages,
  SECRET,
  startSandboxPages,
} from './support/sandbox-page';

async function saveThroughPage(page: AdminPage, values: { tenantId?: string; clientId?: string; clientSecret?: string }): Promise<void> {
  const saves = page.invokes('saveSettings').length;
  await page.type('tenantId', values.tenantId ?? SIMULATED_TENANT.tenantId);
  await page.type('clientId', values.clientId ?? SIMULATED_TENANT.clientId);
  await page.type('clientSecret', values.clientSecret ?? SECRET);
  await page.click('Save settings');
  await page.waitFor(() => page.invokes('saveSettings').length === saves + 1, { what: 'the settings to be saved' });
  await page.waitFor(() => page.text().includes('Settings saved') && !page.button('Test connection').disabled);
}

async function testConnection(page: AdminPage): Promise<string> {
  const tests = page.invokes('testConnection').length;
  await page.click('Test connection');
  await page.waitFor(() => page.invokes('testConnection').length === tests + 1 && !page.button('Test connection').loading, {
    timeoutMs: 20_000,
  });
  const notice = page.find(
    (n) => n.type === 'SectionMessage' && (n.props.appearance === 'error' || n.props.appearance === 'success') && page.text(n).length > 0,
  );
  const result = notice.find((n) =>
    /Connected to Microsoft Entra ID|rejected|not found|expired|not granted|could not be reached|not valid/.test(String(n.props.title)),
  );
  if (result === undefined) throw new Error(`No connection test result. ${page.text()}`);
  return page.text(result);
}

describe('Test connection on the sandbox', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 30, seed: 5 });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('succeeds with the right settings and says how many users the app can read', async () => {
    await saveThroughPage(page, {});
    const text = await testConnection(page);
    expect(text).toMatch(/^Connected to Microsoft Entra ID The app signed in as its app registration and can read \d+ users/);
    expect(text).toContain('Microsoft Graph application permissions granted: GroupMember.Read.All, User.Read.All.');
    // Issue 12: the groups permission on a line of its own, with what needs it.
    expect(text).toContain(
      'GroupMember.Read.All (read groups and their members): granted. It is needed only for group sync and for group membership rules in the sync scope.',
    );
  });

  it('names an unknown tenant', async () => {
    await saveThroughPage(page, { tenantId: randomUUID() });
    const text = await testConnection(page);
    expect(text).toContain('Tenant not found');
    expect(text).toContain('Microsoft Entra ID does not know this tenant. Check the Directory (tenant) ID');
  });

  it('names a client ID that has no app registration in the tenant', async () => {
    await saveThroughPage(page, { clientId: randomUUID() });
    const text = await testConnection(page);
    expect(text).toContain('App registration not found');
    expect(text).toContain('No app registration with this Client ID exists in the tenant');
  });

  it("tells the admin to paste the secret's Value when its Secret ID was pasted", async () => {
    await saveThroughPage(page, { clientSecret: SIMULATED_TENANT.secretId });
    const text = await testConnection(page);
    expect(text).toContain('Client secret rejected');
    expect(text).toContain("Paste the secret's Value, not its Secret ID");
    expect(text).not.toContain(SIMULATED_TENANT.secretId);
  });

  it('says when User.Read.All has not been granted admin consent', async () => {
    sandbox.emulator.simulation!.entra.setConsent(false);
    await saveThroughPage(page, {});
    const text = await testConnection(page);
    expect(text).toContain('Permission User.Read.All not granted');
    // Read from the token's roles claim: it names what is missing and where to grant it.
    expect(text).toContain(
      "The app registration's access token carries no Microsoft Graph application permissions; reading users needs the Microsoft Graph application permission User.Read.All",
    );
    expect(text).toContain('Grant admin consent');
    sandbox.emulator.simulation!.entra.setConsent(true);
  });

  it('says when the client secret has expired', async () => {
    sandbox.emulator.simulation!.entra.expireSecret();
    await saveThroughPage(page, {});
    const text = await testConnection(page);
    expect(text).toContain('Client secret expired');
    expect(text).toContain('Create a new client secret in Certificates & secrets');
  });

  it('shows the failing connection on the Overview, with the way to fix it', async () => {
    await page.selectTab('Overview');
    await page.waitForText('Microsoft connection');
    expect(page.text()).toMatch(
      /Microsoft connection Failing The client secret has expired\..* \(last tested \d{4}-\d\d-\d\d \d\d:\d\d UTC\) Fix on the Setup tab/,
    );
    expect(page.text()).toContain('Assets schema "Entra Directory" (ENTRA) Not created');
    await page.click('Fix on the Setup tab', { within: page.find((n) => n.props.testId === 'overview-connection')[0]! });
    await page.waitFor(() => page.find((n) => n.type === 'Form').length === 1);
  });

  it('never sends the secret anywhere but in the settings the admin saves', async () => {
    await page.idle();
    expectSecretOnlyInSaveRequests(page);
    expectNoSecretInLogs(sandbox.emulator);
  });
});

describe('Test connection when Microsoft cannot be reached', () => {
  it('says Microsoft could not be reached', async () => {
    // Nothing listens on port 9 of the loopback: the token call fails at the network level.
    const sandbox = await startSandboxPages({ users: 20, seed: 5, loginUrl: 'http://127.0.0.1:9' });
    try {
      const page = await openSetupForm(sandbox);
      await saveThroughPage(page, {});
      const text = await testConnection(page);
      expect(text).toContain('Microsoft could not be reached');
      expectSecretOnlyInSaveRequests(page);
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});
