/**
 * The admin page in a real browser (issue 14): Debian's Chromium, the page served by the sandbox (the real src/ui
 * drawn with the Atlassian Design System, invoke answered by the real resolvers, queue events delivered in the
 * background). One admin's walk, keyboard only (Tab to each control, Enter to act, typing into fields): fresh
 * install -> Create Schema -> invalid settings (each message next to its field) -> Test connection failures (bad
 * secret, Secret ID pasted, no consent, wrong cloud) -> valid settings -> Preview (tables, old -> new) -> Sync with
 * progress -> safety threshold confirm and cancel -> sync one user (issue 15) -> History and run details -> group sync on with a name prefix and
 * a preview listing the Entra groups (issue 13) -> a two-rule sync scope built by keyboard and a preview showing its
 * figures (issue 12) -> a write-back capability switched on in Setup > Actions, its permission granted after Test
 * connection, and a real disable action listed in History > Actions with its CSV export (issue 17); then a non-admin's refusal. axe-core
 * finds no serious or critical violation on any tab; screenshots of each tab are checked (not blank, no error box)
 * and saved (docs/images with `npm run screenshots`). The client secret never reaches the page.
 */
import type { Browser, Page } from 'playwright-core';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import {
  idle,
  launchBrowser,
  openTab,
  pageRecord,
  type PageSandbox,
  pressButton,
  screenshot,
  seriousViolations,
  startPageSandbox,
  tabTo,
  typeInto,
  waitShown,
} from './support/browser';

const SECRET = SIMULATED_TENANT.clientSecret;

let sandbox: PageSandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // Jira answers a little slowly, so a run's progress is on screen long enough to be seen.
  sandbox = await startPageSandbox({ users: 40, seed: 12, simulation: { jira: { latencyMs: 15 } } });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(sandbox.server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

const main = () => page.getByRole('main');

async function expectAccessible(): Promise<void> {
  await idle(page);
  expect(await seriousViolations(page)).toEqual([]);
}

/** The message linked to a field (aria-describedby), and that it sits right below the field. */
async function messageOf(label: string): Promise<{ text: string; below: boolean }> {
  const field = page.getByLabel(label, { exact: false }).first();
  const id = await field.getAttribute('aria-describedby');
  if (id === null) throw new Error(`The field ${label} has no message linked to it.`);
  const message = page.locator(`[id="${id}"]`);
  const [f, m] = [await field.boundingBox(), await message.boundingBox()];
  return {
    text: ((await message.textContent()) ?? '').trim(),
    below: f !== null && m !== null && m.y >= f.y + f.height - 1 && m.y - (f.y + f.height) < 40,
  };
}

async function fillSettings(values: { tenantId?: string; clientId?: string; clientSecret?: string; intervalDays?: string }): Promise<void> {
  await typeInto(page, 'Tenant ID', values.tenantId ?? SIMULATED_TENANT.tenantId);
  await typeInto(page, 'Client ID', values.clientId ?? SIMULATED_TENANT.clientId);
  await typeInto(page, 'Client secret', values.clientSecret ?? SECRET);
  await typeInto(page, 'Scheduled sync interval', values.intervalDays ?? '1');
}

async function saveAndTest(values: Parameters<typeof fillSettings>[0]): Promise<string> {
  await fillSettings(values);
  const saves = (await pageRecord(page)).invokes.filter((i) => i.functionKey === 'saveSettings').length;
  await pressButton(page, 'Save settings');
  await page.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { __entraSyncPage: { invokes: { functionKey: string; response: string | null }[] } }
      ).__entraSyncPage.invokes.filter((i) => i.functionKey === 'saveSettings' && i.response !== null).length ===
      n + 1,
    saves,
  );
  await main().getByText('Settings saved').waitFor();
  const tests = (await pageRecord(page)).invokes.filter((i) => i.functionKey === 'testConnection').length;
  await pressButton(page, 'Test connection');
  await page.waitForFunction(
    (n) =>
      (
        globalThis as unknown as { __entraSyncPage: { invokes: { functionKey: string; response: string | null }[] } }
      ).__entraSyncPage.invokes.filter((i) => i.functionKey === 'testConnection' && i.response !== null).length ===
      n + 1,
    tests,
  );
  await idle(page);
  const result = main()
    .locator('section')
    .filter({ hasText: /Connected to Microsoft Entra ID|Client secret|Permission|cloud|not found/ })
    .last();
  return (await result.innerText()).replace(/\s+/g, ' ');
}

describe('the admin page in Chromium, keyboard only', () => {
  it('opens in a Jira settings frame on an Overview that points a fresh install to Setup', async () => {
    expect(
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Entra ID Sync' }).getAttribute('aria-current'),
    ).toBe('page');
    await main().getByText('Entra ID Sync is not set up yet').waitFor();
    expect(await page.getByRole('heading', { level: 1, name: 'Entra ID Sync' }).isVisible()).toBe(true);
    await expectAccessible();
    await screenshot(page, 'overview-fresh');
    await pressButton(page, 'Go to Setup');
    await page.getByRole('tab', { name: 'Setup', selected: true }).waitFor();
  });

  it('creates the schema and shows its progress to the end', async () => {
    await main().getByText('Create Schema', { exact: true }).waitFor();
    await pressButton(page, 'Create Schema');
    // Works whether Create Schema answers at once or runs as a job whose steps appear on the card.
    await main()
      .getByText(/Schema created or repaired|schema (has been|was) created|and its Employee object type are ready/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await idle(page);
    const status = (await sandbox.emulator.invoke('getSchemaStatus')) as { data: { state: string } };
    expect(status.data.state).toBe('ready');
  });

  it('shows each invalid setting next to its field and sends nothing', async () => {
    await fillSettings({ tenantId: 'not a tenant', clientId: '1234', clientSecret: '   ', intervalDays: '0' });
    await pressButton(page, 'Save settings');
    await page.locator('[data-field-message="ErrorMessage"]').nth(3).waitFor();
    const tenant = await messageOf('Tenant ID');
    expect(tenant.text).toContain('Tenant ID must be the Directory (tenant) ID');
    const client = await messageOf('Client ID');
    expect(client.text).toContain('Client ID must be the Application (client) ID');
    const secret = await messageOf('Client secret');
    expect(secret.text).toContain('Client secret cannot be only spaces');
    const interval = await messageOf('Scheduled sync interval');
    expect(interval.text).toBe('Scheduled sync interval must be a whole number of days from 1 to 100.');
    for (const m of [tenant, client, secret, interval]) expect(m.below).toBe(true);
    expect(await page.getByLabel('Tenant ID').getAttribute('aria-invalid')).toBe('true');
    expect((await pageRecord(page)).invokes.filter((i) => i.functionKey === 'saveSettings')).toEqual([]);
  });

  it('names each connection failure: bad secret, Secret ID pasted, no consent, wrong cloud', async () => {
    expect(await saveAndTest({ clientSecret: 'not-the-right-secret-value-0123456789' })).toContain('Client secret rejected');
    const secretId = await saveAndTest({ clientSecret: SIMULATED_TENANT.secretId });
    expect(secretId).toContain("Paste the secret's Value, not its Secret ID");

    sandbox.emulator.simulation!.entra.setConsent(false);
    expect(await saveAndTest({})).toContain('Permission User.Read.All not granted');
    sandbox.emulator.simulation!.entra.setConsent(true);

    // Microsoft's answer for a tenant in another national cloud (AADSTS90038, NationalCloudTenantRedirection).
    sandbox.emulator.simulation!.entra.failNext({
      path: /\/token$/,
      status: 400,
      body: {
        error: 'invalid_request',
        error_description:
          "AADSTS90038: NationalCloudTenantRedirection - The specified tenant 'x' belongs to the National Cloud 'USGov'. Trace ID: t Correlation ID: c",
        error_codes: [90038],
      },
    });
    expect(await saveAndTest({})).toMatch(/choose the Microsoft cloud the tenant lives in/);
  });

  it('saves valid settings, picks the cloud with the keyboard, and connects', async () => {
    await fillSettings({});
    await tabTo(page, { field: 'Microsoft cloud' });
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: /Global/ }).waitFor();
    await page.keyboard.press('Enter');
    const result = await saveAndTest({});
    expect(result).toMatch(/Connected to Microsoft Entra ID The app signed in as its app registration and can read \d+ users/);
    expect(await page.getByLabel('Client secret').inputValue()).toBe('');
    await expectAccessible();
    await screenshot(page, 'setup');
  });

  it('previews the first sync: a table per category, nothing written', async () => {
    await openTab(page, 'Preview');
    await pressButton(page, 'Generate Preview');
    await waitShown(page, main().getByRole('table').first(), 60_000);
    await idle(page);
    expect(await main().getByRole('table').count()).toBeGreaterThan(0);
    expect(sandbox.emulator.simulation!.jira.employees()).toEqual([]);
    await expectAccessible();
  });

  it('syncs with progress shown while the page polls, then the result', async () => {
    await openTab(page, 'Sync');
    await pressButton(page, 'Run Manual Sync');
    await page.getByRole('progressbar').first().waitFor({ timeout: 30_000 });
    await main().getByRole('heading', { name: 'Run in progress' }).waitFor({ state: 'detached', timeout: 90_000 });
    await waitShown(page, main().getByRole('heading', { name: 'Latest sync report' }), 30_000);
    await idle(page);
    expect(sandbox.emulator.simulation!.jira.employees().length).toBeGreaterThan(20);
    await expectAccessible();
  });

  it('previews a change as old -> new', async () => {
    const employee = sandbox.emulator.simulation!.jira.employees()[0]!;
    const user = sandbox.emulator.simulation!.world.entra.users.find((u) => u.id === employee.values.entraUserId)!;
    sandbox.emulator.simulation!.entra.upsertUser({ ...user, jobTitle: 'Chief Sandbox Officer' });
    await openTab(page, 'Preview');
    await pressButton(page, 'Generate Preview');
    await waitShown(page, main().getByText('Chief Sandbox Officer').first(), 60_000);
    const row = main().getByRole('row').filter({ hasText: 'Chief Sandbox Officer' }).first();
    expect(await row.textContent()).toMatch(/→|->/);
    await idle(page);
    await expectAccessible();
    await screenshot(page, 'preview');
  });

  const leave = (count: number) => {
    const sim = sandbox.emulator.simulation!;
    const active = new Set(
      sim.jira
        .employees()
        .filter((e) => e.values.active === true)
        .map((e) => e.values.entraUserId),
    );
    for (const u of sim.world.entra.users.filter((x) => x.accountEnabled && active.has(x.id)).slice(0, count))
      sim.entra.softDeleteUser(u.id);
  };

  it('stops a sync above the safety threshold; Confirm and apply inactivates them', async () => {
    leave(12);
    await openTab(page, 'Sync');
    await pressButton(page, 'Run Manual Sync');
    await main()
      .getByText(/is waiting for your confirmation/)
      .waitFor({ timeout: 90_000 });
    await idle(page);
    await expectAccessible();
    await screenshot(page, 'sync-confirmation');
    const before = sandbox.emulator.simulation!.jira.employees().filter((e) => e.values.active === false).length;
    await pressButton(page, 'Confirm and apply');
    await main()
      .getByText(/is waiting for your confirmation/)
      .waitFor({ state: 'detached', timeout: 90_000 });
    await main().getByRole('heading', { name: 'Run in progress' }).waitFor({ state: 'detached', timeout: 90_000 });
    await main()
      .getByText(/12 inactivated|inactivated 12/)
      .first()
      .waitFor({ timeout: 30_000 });
    expect(sandbox.emulator.simulation!.jira.employees().filter((e) => e.values.active === false).length).toBe(before + 12);
  });

  it('cancels the next one, and nothing is inactivated', async () => {
    leave(12);
    await pressButton(page, 'Run Manual Sync');
    await main()
      .getByText(/is waiting for your confirmation/)
      .waitFor({ timeout: 90_000 });
    const inactive = sandbox.emulator.simulation!.jira.employees().filter((e) => e.values.active === false).length;
    await pressButton(page, 'Cancel run');
    await main()
      .getByText(/was cancelled/)
      .first()
      .waitFor({ timeout: 60_000 });
    expect(sandbox.emulator.simulation!.jira.employees().filter((e) => e.values.active === false).length).toBe(inactive);
    await idle(page);
    await screenshot(page, 'sync');
  });

  it('syncs one user by keyboard on the Sync tab and shows each step, the attribute old -> new and the write (issue 15)', async () => {
    const sim = sandbox.emulator.simulation!;
    const active = new Set(
      sim.jira
        .employees()
        .filter((e) => e.values.active === true)
        .map((e) => e.values.entraUserId),
    );
    // The last one: the leavers above were taken from the front of the list.
    const user = sim.world.entra.users.filter((u) => u.accountEnabled && active.has(u.id)).at(-1)!;
    const employee = sim.jira.employees().find((e) => e.values.entraUserId === user.id)!;
    sim.entra.upsertUser({ ...user, jobTitle: 'Chief Single User Officer' });
    await main().getByRole('heading', { name: 'Sync one user' }).waitFor();
    await tabTo(page, { field: 'Find the person by' });
    await page.keyboard.type('Entra');
    await page.getByRole('option', { name: 'Entra object ID' }).waitFor();
    await page.keyboard.press('Enter');
    await typeInto(page, 'Entra object ID', user.id);
    await pressButton(page, 'Sync this user');
    await main()
      .getByText(new RegExp(`Single-user run #\\d+: updated ${employee.objectKey}\\.`))
      .waitFor({ timeout: 60_000 });
    await idle(page);
    const text = (await main().innerText()).replace(/\s+/g, ' ');
    for (const label of ['Found in Entra ID', 'In scope', 'Matched', 'Atlassian account', 'Employee object', 'Manager', 'Groups']) {
      expect(text).toContain(label);
      expect(text).not.toContain(`${label}: ${label}`);
    }
    expect(text).toContain(`Attributes: Job Title: ${user.jobTitle ?? '(empty)'} -> Chief Single User Officer`);
    expect(text).toContain(`Write: Updated ${employee.objectKey}.`);
    expect(sim.jira.employees().find((e) => e.objectKey === employee.objectKey)!.values.jobTitle).toBe('Chief Single User Officer');
    await expectAccessible();
    await screenshot(page, 'sync-user');
  });

  it('lists every run in the History; Details opens a run with its report; Escape closes it', async () => {
    await openTab(page, 'History');
    const table = main().getByRole('table').first();
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThanOrEqual(6);
    await expectAccessible();
    await screenshot(page, 'history');
    await pressButton(page, 'Details');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByText(/Started .* by/).waitFor();
    await idle(page);
    await expectAccessible();
    await screenshot(page, 'run-details');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the Overview after the runs', async () => {
    await openTab(page, 'Overview');
    await main().getByText('Last manual sync').first().waitFor();
    await idle(page);
    await expectAccessible();
    await screenshot(page, 'overview');
  });

  it('runs Diagnostics on the Setup tab: every check passes after the runs, with a report for a support ticket', async () => {
    await openTab(page, 'Setup');
    await pressButton(page, 'Run diagnostics');
    await main().getByText('Report for a support ticket (no personal data):').waitFor({ timeout: 30_000 });
    await idle(page);
    const table = main().getByRole('table').last();
    expect((await table.innerText()).replace(/\s+/g, ' ')).toMatch(/Assets reachable as the app Pass/);
    expect(
      await main()
        .getByText(/\d+ passed, 0 failed/)
        .count(),
    ).toBeGreaterThan(0);
    await expectAccessible();
    await screenshot(page, 'diagnostics');
  });

  it('turns group sync on with a name prefix, previews, and lists the Entra groups to create (issue 13)', async () => {
    await main().getByRole('heading', { name: 'Group sync', exact: true }).waitFor();
    // Test connection above recorded the token's roles: the built-in tenant grants GroupMember.Read.All.
    await main().getByText('GroupMember.Read.All is granted').waitFor();
    await tabTo(page, { field: 'Group sync' });
    await page.keyboard.type('Groups whose');
    await page.getByRole('option', { name: 'Groups whose name starts with' }).waitFor();
    await page.keyboard.press('Enter');
    await typeInto(page, 'Group name starts with', 'Nested Team');
    await pressButton(page, 'Save group sync');
    await main().getByText('Group sync saved').waitFor();
    const settings = (await sandbox.emulator.invoke('getSettings')) as { data: { groups: string } };
    expect(settings.data.groups).toBe('prefix:Nested Team');
    expect((await main().innerText()).replace(/\s+/g, ' ')).toContain(
      'Group sync is on for groups whose name starts with "Nested Team", with direct memberships.',
    );
    await expectAccessible();
    await screenshot(page, 'setup-groups');

    await openTab(page, 'Preview');
    await pressButton(page, 'Generate Preview');
    const groups = main().getByRole('table').filter({ hasText: 'Nested Team A' });
    await waitShown(page, groups.first(), 60_000);
    await idle(page);
    const text = (await groups.first().innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Nested Team A');
    expect(text).toContain('Nested Team B');
    await expectAccessible();
    await screenshot(page, 'preview-groups');
  });

  it('builds a two-rule sync scope by keyboard, saves it, and previews its figures (issue 12)', async () => {
    const departments = [...new Set(sandbox.emulator.simulation!.world.entra.users.map((u) => u.department).filter(Boolean))] as string[];
    await openTab(page, 'Setup');
    await main().getByRole('heading', { name: 'Who is synced', exact: true }).waitFor();
    await main().getByText('Saved: no scope. Everyone the app registration can read is synced.').waitFor();
    await pressButton(page, 'Add a property rule');
    await tabTo(page, { field: 'Rule 1: test' });
    await page.keyboard.type('does not');
    await page.getByRole('option', { name: 'does not equal' }).waitFor();
    await page.keyboard.press('Enter');
    await typeInto(page, 'Rule 1: value', departments[0]!);
    await pressButton(page, 'Add a property rule');
    await tabTo(page, { field: 'Rule 2: property' });
    await page.keyboard.type('Office');
    await page.getByRole('option', { name: 'Office location' }).waitFor();
    await page.keyboard.press('Enter');
    await tabTo(page, { field: 'Rule 2: test' });
    await page.keyboard.type('does not');
    await page.getByRole('option', { name: 'does not equal' }).waitFor();
    await page.keyboard.press('Enter');
    await typeInto(page, 'Rule 2: value', 'Tokyo');
    await pressButton(page, 'Save scope');
    await main().getByText('Scope saved').waitFor();
    const expected = `department ne '${departments[0]}' and officeLocation ne 'Tokyo'`;
    const settings = (await sandbox.emulator.invoke('getSettings')) as { data: { scope: string } };
    expect(settings.data.scope).toBe(expected);
    const setup = (await main().innerText()).replace(/\s+/g, ' ');
    expect(setup).toContain(`Department does not equal “${departments[0]}”`);
    expect(setup).toContain('Office location does not equal “Tokyo”');
    expect(setup).toContain(expected);
    await expectAccessible();
    await screenshot(page, 'setup-scope');

    await openTab(page, 'Preview');
    await pressButton(page, 'Generate Preview');
    const note = main()
      .locator('section')
      .filter({ hasText: `Scope: ${expected}.` });
    await waitShown(page, note.first(), 60_000);
    await idle(page);
    const text = (await note.first().innerText()).replace(/\s+/g, ' ');
    const { report } = (
      (await sandbox.emulator.invoke('getReport', { mode: 'preview' })) as {
        data: { report: { counts: { outOfScope: number }; scope: { rules: { rule: string; excluded: number }[] } } };
      }
    ).data;
    expect(report.counts.outOfScope).toBeGreaterThan(0);
    expect(text).toContain(`${report.counts.outOfScope} Entra ID users read are outside it.`);
    for (const rule of report.scope.rules) expect(text).toContain(`${rule.rule}: excluded ${rule.excluded}`);
    expect(report.scope.rules.map((r) => r.rule)).toEqual([`department ne '${departments[0]}'`, "officeLocation ne 'Tokyo'"]);
    await expectAccessible();
  });

  it('switches a write-back capability on in Setup > Actions by keyboard, and lists an action in History > Actions with its CSV (issue 17)', async () => {
    const sim = sandbox.emulator.simulation!;
    await openTab(page, 'Setup');
    await main().getByRole('heading', { name: 'Actions', exact: true }).waitFor();
    await main().getByText('Saved: Write-back is off: Automation rules cannot change anything in Entra ID.').waitFor();
    await tabTo(page, { field: 'Disable / enable accounts' });
    await page.keyboard.press('Space');
    await main().getByText('Permission User.EnableDisableAccount.All missing').waitFor();
    await pressButton(page, 'Save actions');
    await main().getByText('Actions saved').waitFor();
    const settings = (await sandbox.emulator.invoke('getSettings')) as { data: { writeBack: { capabilities: string[] } } };
    expect(settings.data.writeBack.capabilities).toEqual(['accountStatus']);
    // Consent for the capability's permission, then Test connection records it: the section says it is granted.
    sim.entra.setConsent(true, ['User.Read.All', 'GroupMember.Read.All', 'User.EnableDisableAccount.All']);
    await pressButton(page, 'Test connection');
    await main()
      .getByText(/Permission User\.EnableDisableAccount\.All granted/)
      .waitFor({ timeout: 30_000 });
    await expectAccessible();
    await screenshot(page, 'setup-actions');

    // Someone still in Entra ID (the threshold step deleted the first ones) and inside the scope saved above.
    const departments = [...new Set(sim.world.entra.users.map((u) => u.department).filter(Boolean))];
    const active = new Set(
      sim.jira
        .employees()
        .filter((e) => e.values['active'] === true && typeof e.values['atlassianAccountId'] === 'string')
        .map((e) => e.values['entraUserId']),
    );
    const user = sim.world.entra.users
      .filter((u) => u.accountEnabled && active.has(u.id) && u.department !== departments[0] && u.officeLocation !== 'Tokyo')
      .at(-1)!;
    const employee = sim.jira.employees().find((e) => e.values['entraUserId'] === user.id)!;
    const done = await sandbox.emulator.action('disable-entra-account', {
      accountId: String(employee.values['atlassianAccountId']),
      rule: 'Offboarding',
    });
    expect(done).toMatchObject({ result: 'changed' });
    await openTab(page, 'History');
    const table = main().getByRole('table').filter({ hasText: 'accountEnabled: true -> accountEnabled: false' });
    await waitShown(page, table.first(), 30_000);
    expect((await table.first().innerText()).replace(/\s+/g, ' ')).toContain(
      `${employee.objectKey} / ${String(employee.values['entraUserId'])}`,
    );
    await pressButton(page, 'Export as CSV');
    await main().getByText('as CSV to copy (the page cannot download files):', { exact: false }).waitFor();
    await idle(page);
    expect(await main().innerText()).toContain(
      'seq,at,rule,actor,action,capability,accountId,entraUserId,objectKey,before,after,result,code,graphRequestId',
    );
    await expectAccessible();
    await screenshot(page, 'history-actions');
  });

  it('never lets the client secret reach the page: not in an answer, not in the page', async () => {
    const record = await pageRecord(page);
    for (const call of record.invokes) expect(call.response ?? '').not.toContain(SECRET);
    expect(record.invokes.filter((c) => c.request.includes(SECRET)).every((c) => c.functionKey === 'saveSettings')).toBe(true);
    expect(await page.content()).not.toContain(SECRET);
    expect(record.problems).toEqual([]);
  });

  it('refuses a Jira user who is not an administrator', async () => {
    const outsider = sandbox.emulator.simulation!.world.jira.users.find((u) => u.accountId !== sandbox.emulator.adminAccountId)!;
    const server = await sandbox.serveAs(outsider.accountId);
    const other = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    try {
      await other.goto(server.url);
      await other.getByRole('main').getByText('Only Jira administrators can use Entra ID Sync.').first().waitFor();
      expect(await other.getByTestId('signed-in-account').textContent()).toContain(outsider.displayName);
      await screenshot(other, 'not-admin');
    } finally {
      await other.close();
    }
  });
});
