/**
 * Issue 15, "Sync one user now", on the Sync tab: the "Sync one user" card on the sandbox (real page, resolvers and
 * pipeline; the fake tenant and site over HTTP). An admin syncs one person by Atlassian account id (created), sees
 * every step with its status and the attributes old -> new, syncs them again after a change in Entra ID (updated,
 * that attribute old -> new) and once more (nothing to write, nothing written); an email nobody has is answered at
 * its step, with the error's title and message; while a full run holds the run lock the card is disabled with the
 * reason, and a page loaded before the run shows the backend's refusal; the History tab lists the single-user runs.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { FakeGraphUser, FakeJiraUser } from '../../fakes/world/types';
import type { AdminPage, ForgeNode } from '../../sandbox/ui/headless';
import { expectSecretOnlyInSaveRequests, type SandboxPages, SECRET, startSandboxPages } from './support/sandbox-page';

jest.setTimeout(120_000);

const SECOND_ADMIN = '712020:0b9d7c5e-3a1f-4c2b-8e6d-2b2b2b2b2b2b';
const STEP_LABELS = [
  'Found in Entra ID',
  'In scope',
  'Matched',
  'Atlassian account',
  'Employee object',
  'Attributes',
  'Manager',
  'Groups',
  'Write',
];

/** The card's steps as shown: the status lozenge and the line next to it ("Label: detail", or the detail alone when it starts with the label). */
function shownSteps(page: AdminPage): { status: string; label: string; line: string }[] {
  return page
    .find((n) => n.type === 'Inline' && n.children.length === 2 && n.children[0]!.type === 'Lozenge' && n.children[1]!.type === 'Text')
    .map((n: ForgeNode) => {
      const line = page.text(n.children[1]);
      const label = STEP_LABELS.find((l) => line.toLowerCase().startsWith(l.toLowerCase())) ?? '';
      return { status: page.text(n.children[0]), label, line };
    });
}
const stepShown = (page: AdminPage, label: string) => shownSteps(page).find((s) => s.label === label)!;

/** An active Atlassian account with a visible email that exactly one enabled Entra user holds as mail. */
function matchedPerson(sandbox: SandboxPages): [FakeJiraUser, FakeGraphUser] {
  const world = sandbox.emulator.simulation!.world;
  for (const account of world.jira.users) {
    if (account.accountType !== 'atlassian' || !account.active || account.email === null || account.emailHidden) continue;
    const users = world.entra.users.filter((u) => u.mail?.toLowerCase() === account.email!.toLowerCase());
    if (users.length === 1 && users[0]!.accountEnabled && users[0]!.jobTitle !== null) return [account, users[0]!];
  }
  throw new Error('the world has no matched person with a job title');
}

/** Assets writes answered (creates and updates). */
const writes = (sandbox: SandboxPages) =>
  sandbox.emulator.simulation!.jira.requests.filter((r) => r.endpoint === 'object/create' || r.endpoint === 'object/update').length;

async function syncOne(page: AdminPage, kind: 'accountId' | 'email' | 'entraId', value: string): Promise<void> {
  await page.select('syncUserKind', kind);
  await page.type('syncUserValue', value);
  const calls = page.invokes('syncUser').length;
  await page.click('Sync this user');
  await page.waitFor(() => page.invokes('syncUser').length > calls && !page.button('Sync this user').loading, {
    what: 'the sync-user answer',
  });
  await page.idle();
}

describe('Sync tab: sync one user', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;
  let stale: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 60, seed: 9, simulation: { jira: { administrators: [SECOND_ADMIN] } } });
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
    page = sandbox.open();
    await page.selectTab('Sync');
    await page.waitForText('Sync one user');
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('is disabled until a value is entered, then syncs one person by account id: created, each step shown, attributes (empty) -> new', async () => {
    const [account, user] = matchedPerson(sandbox);
    expect(page.button('Sync this user').disabled).toBe(true);
    await page.type('syncUserValue', '   ');
    expect(page.button('Sync this user').disabled).toBe(true);

    await syncOne(page, 'accountId', account.accountId);
    expect(page.invokes('syncUser').at(-1)!.payload).toEqual({ accountId: account.accountId });
    const [employee] = sandbox.emulator.simulation!.jira.employees();
    expect(sandbox.emulator.simulation!.jira.employees()).toHaveLength(1);
    expect(employee!.values.entraUserId).toBe(user.id);
    expect(page.text()).toContain(`Single-user run #1: created ${employee!.objectKey}.`);

    const steps = shownSteps(page);
    expect(steps.map((s) => s.label)).toEqual(STEP_LABELS);
    expect(stepShown(page, 'Found in Entra ID')).toMatchObject({ status: 'ok', line: expect.stringMatching(/^Found in Entra ID: [^:]/) });
    expect(stepShown(page, 'In scope').line).toBe('In scope: the sync has no scope (everyone is synced).');
    // The backend's detail already names its step: the card does not say it twice.
    expect(steps.filter((s) => s.line.startsWith(`${s.label}: ${s.label}`))).toEqual([]);
    expect(stepShown(page, 'Matched')).toMatchObject({ status: 'ok', line: 'Matched by mail.' });
    expect(stepShown(page, 'Atlassian account').line).toBe(`Atlassian account ${account.accountId}, active.`);
    expect(stepShown(page, 'Employee object').line).toBe(
      'Employee object: No Employee object has this Entra User ID: one will be created.',
    );
    expect(stepShown(page, 'Attributes').line).toContain(`Job Title: (empty) -> ${user.jobTitle}`);
    expect(stepShown(page, 'Attributes').line).toContain(`Entra User ID: (empty) -> ${user.id}`);
    expect(stepShown(page, 'Write')).toEqual({ status: 'ok', label: 'Write', line: `Write: Created ${employee!.objectKey}.` });
    expect(steps.every((s) => ['ok', 'warning', 'skipped'].includes(s.status))).toBe(true);
    // The page reads the status again (the History and Overview follow).
    expect(page.find((n) => n.type === 'SectionMessage' && n.props.appearance === 'error')).toEqual([]);
  });

  it('syncs the same person again after a change in Entra ID (old -> new), then once more with nothing to write', async () => {
    const [account, user] = matchedPerson(sandbox);
    const [employee] = sandbox.emulator.simulation!.jira.employees();
    sandbox.emulator.simulation!.entra.upsertUser({ ...user, jobTitle: 'Chief Example Officer' });

    await syncOne(page, 'entraId', user.id);
    expect(page.invokes('syncUser').at(-1)!.payload).toEqual({ entraId: user.id });
    expect(page.text()).toContain(`Single-user run #2: updated ${employee!.objectKey}.`);
    expect(stepShown(page, 'Employee object').line).toBe(`Employee object: Found ${employee!.objectKey}.`);
    expect(stepShown(page, 'Attributes').line).toBe(`Attributes: Job Title: ${user.jobTitle} -> Chief Example Officer`);
    expect(stepShown(page, 'Write').line).toBe(`Write: Updated ${employee!.objectKey}.`);

    const before = writes(sandbox);
    await syncOne(page, 'accountId', account.accountId);
    expect(page.text()).toContain('Single-user run #3: nothing to write.');
    expect(stepShown(page, 'Attributes').line).toBe('Attributes: Every attribute already holds its value: nothing to write.');
    expect(stepShown(page, 'Write')).toMatchObject({ status: 'ok', line: 'Write: Nothing to write.' });
    expect(writes(sandbox)).toBe(before);
    expect(sandbox.emulator.simulation!.jira.employees()).toHaveLength(1);
  });

  it('answers an email nobody has at its step, with the title and message of the error, and writes nothing', async () => {
    const before = writes(sandbox);
    await syncOne(page, 'email', 'nobody-here@example.invalid');
    expect(page.invokes('syncUser').at(-1)!.payload).toEqual({ email: 'nobody-here@example.invalid' });
    await page.waitForText('Single-user run #4: nothing written.');
    expect(shownSteps(page)[0]).toEqual({
      status: 'failed',
      label: 'Found in Entra ID',
      line: 'Found in Entra ID: No Entra ID user has this email as mail, UPN, proxy address or other mail.',
    });
    // The steps after the failed one were not reached.
    expect(shownSteps(page).slice(1)).toEqual(
      STEP_LABELS.slice(1).map((label) => ({ status: 'skipped', label, line: `${label}: Not reached.` })),
    );
    // The admin guide's "Sync one user: not found" message, as the page shows it.
    const [notice] = page.find((n) => n.type === 'SectionMessage' && n.props.title === 'Sync one user: not found');
    expect(notice).toBeDefined();
    expect(notice!.props.appearance).toBe('error');
    expect(page.text(notice)).toBe('Sync one user: not found No Entra ID user has this email as mail, UPN, proxy address or other mail.');
    expect(writes(sandbox)).toBe(before);
  });

  it('is disabled with the reason while a full run holds the lock; a page loaded before the run shows the refusal', async () => {
    const [account] = matchedPerson(sandbox);
    stale = sandbox.open(SECOND_ADMIN);
    await stale.selectTab('Sync');
    await stale.waitForText('Sync one user');
    await stale.type('syncUserValue', account.accountId);
    await stale.waitFor(() => !stale.button('Sync this user').disabled);

    await page.click('Run Manual Sync');
    await page.waitFor(() => page.button('Sync this user').disabled, { what: 'the card disabled during the run' });
    await page.waitForText(/A manual sync \(run #5\) is (queued|running)\. Only one run at a time/);
    // The reason is shown under the card's button too, not only under Run Manual Sync.
    const reasons = page.findByText(/A manual sync \(run #5\) is (queued|running)\. Only one run at a time/);
    expect(reasons.length).toBeGreaterThanOrEqual(2);

    // The second admin's page was loaded before the run: the click reaches the backend, which refuses it.
    const calls = stale.invokes('syncUser').length;
    await stale.click('Sync this user');
    await stale.waitFor(() => stale.invokes('syncUser').length > calls);
    await stale.waitForText('A run is already active');
    expect(stale.text()).toMatch(/A manual sync \(run #5, started [^)]+\) is already in progress\. Wait for it to finish or cancel it\./);
    expect(stale.text()).not.toContain('Single-user run #');

    await sandbox.drain();
    await page.waitForText('Last manual sync Succeeded Run #5');
    await page.waitFor(() => page.button('Sync this user').disabled === false, { what: 'the card enabled again after the run' });
    await stale.close();
  });

  it('lists each single-user run on the History tab as "Single user", who started it and how it ended', async () => {
    await page.selectTab('History');
    await page.waitFor(() => page.table('Run history').rows.length === 5);
    const rows = page.table('Run history').rows;
    expect(rows.map((row) => [row[0], row[4], row[5]])).toEqual([
      ['#5', 'Sync', 'Succeeded'],
      ['#4', 'Single user', 'Failed'],
      ['#3', 'Single user', 'Succeeded'],
      ['#2', 'Single user', 'Succeeded'],
      ['#1', 'Single user', 'Succeeded'],
    ]);
    expect(rows[4]!.slice(2, 4)).toEqual(['Manual', `@user(${sandbox.emulator.adminAccountId})`]);
  });

  it('never lets the client secret out', async () => {
    await page.idle();
    expectSecretOnlyInSaveRequests(page);
  });
});
