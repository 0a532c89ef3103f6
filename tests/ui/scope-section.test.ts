/**
 * Issue 12 (scope, the Setup tab): the "Who is synced" section on the sandbox (real page, resolvers and pipeline;
 * the fake tenant over HTTP). An admin builds a scope without typing OData: members only, enabled accounts only,
 * property rules with each test (equals, does not equal, starts with, is one of, is empty), a rule with an "or"
 * line (the one level of OR groups), a group membership rule including nested groups. The builder is checked with
 * the backend's own schemas before anything is sent (empty value, non-GUID id, too many rules), saving sends the
 * stored connection values and the scope's text form only, the stored scope is shown back in words and as text, an
 * id Entra ID does not know is refused by the backend and shown in the section, and clearing the builder stores no
 * scope (everyone). Test connection shows the groups permission line; without GroupMember.Read.All a membership rule
 * says so and the backend's GRAPH_GROUPS_FORBIDDEN is shown in the section.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { AdminPage } from '../../sandbox/ui/headless';
import type { RunReport } from '../../src/domain/report';
import { openSetupForm, type SandboxPages, startSandboxPages } from './support/sandbox-page';
import { messageBelow, saveConnection, sectionMessage, settingsOf, testConnection } from './support/setup-section';

jest.setTimeout(120_000);

const UNKNOWN_GROUP = '0badc0de-0000-4000-8000-000000000012';

/** The section's saved line once the connection alone is saved. */
const NO_SCOPE = 'Saved: no scope. Everyone the app registration can read is synced.';

/** The saved scope's text form as the section shows it (read-only). */
function shownText(page: AdminPage): string {
  const [block] = page.find((n) => n.type === 'CodeBlock' && String(n.props.text).length > 0 && page.text().includes('configure --scope'));
  return String(block?.props.text);
}

/** Adds a property rule and fills its first line. */
async function addRule(page: AdminPage, rule: number, property: string, test: string, value?: string): Promise<void> {
  await page.click('Add a property rule');
  await fillLine(page, rule, 1, property, test, value);
}

async function fillLine(page: AdminPage, rule: number, line: number, property: string, test: string, value?: string): Promise<void> {
  await page.select(`scope-property-${rule}-${line}`, property);
  await page.select(`scope-test-${rule}-${line}`, test);
  if (value !== undefined) await page.type(`scope-value-${rule}-${line}`, value);
}

describe('Setup tab: who is synced, with GroupMember.Read.All granted (the built-in tenant)', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 30, seed: 5 });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('shows the groups permission on its own line after Test connection, and no scope at first', async () => {
    await page.waitForText('Who is synced');
    await saveConnection(page, NO_SCOPE);
    expect(page.find((n) => n.type === 'CodeBlock' && n.props.text === "''  (empty: everyone)")).toHaveLength(1);
    await testConnection(page, sandbox);
    expect(page.text()).toContain(
      'GroupMember.Read.All (read groups and their members): granted. It is needed only for group sync and for group membership rules in the sync scope.',
    );
  });

  it('builds a scope with every test, an "or" line and a membership rule, saves its text form and shows it back', async () => {
    const world = sandbox.emulator.simulation!.world.entra;
    const group = (world.groups ?? []).find((g) => (g.displayName ?? '').startsWith('Nested'))!;
    await page.select('scopeUserType', 'members');
    await page.select('scopeAccounts', 'enabled');
    await addRule(page, 1, 'department', 'in', 'Sales\nLegal, EMEA');
    await addRule(page, 2, 'country', 'eq', 'Germany');
    await page.click('Add "or" to rule 2');
    await fillLine(page, 2, 2, 'usageLocation', 'startsWith', 'G');
    await addRule(page, 3, 'jobTitle', 'ne', " Intern's Helper ");
    await addRule(page, 4, 'employeeType', 'empty');
    expect(page.text()).toContain('Rule 4: no value');
    await page.click('Add a group membership rule');
    // The section says what the rule needs, from the last Test connection.
    expect(sectionMessage(page, 'GroupMember.Read.All is granted').props.appearance).toBe('success');
    await page.type('scope-groups-5', group.id.toUpperCase());
    await page.select('scope-membership-5', 'transitive');

    const saves = page.invokes('saveSettings').length;
    await page.click('Save scope');
    await page.waitForText('Scope saved');
    const sent = page.invokes('saveSettings')[saves]!.payload as Record<string, unknown>;
    const expected =
      "userType eq 'Member' and accountEnabled eq true and department in ('Sales', 'Legal, EMEA') and " +
      "(country eq 'Germany' or startswith(usageLocation, 'G')) and jobTitle ne 'Intern''s Helper' and employeeType eq null and " +
      `transitiveMemberOf('${group.id.toLowerCase()}')`;
    expect(sent).toEqual({
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      cloud: 'global',
      intervalDays: 1,
      scope: expected,
    });
    expect(await settingsOf(sandbox)).toMatchObject({ scope: expected, secretStored: true, groups: 'off', attributes: [] });
    const text = page.text();
    expect(text).toContain('Saved: only users who meet every one of these are synced:');
    expect(text).toContain('Members only (guests are left out)');
    expect(text).toContain('Enabled accounts only');
    expect(text).toContain('Department is one of “Sales”, “Legal, EMEA”');
    expect(text).toContain('Country or region equals “Germany”, or Usage location starts with “G”');
    expect(text).toContain("Job title does not equal “Intern's Helper”");
    expect(text).toContain('Employee type is empty');
    expect(text).toContain(`Member of the group ${group.id.toLowerCase()}, directly or through nested groups`);
    expect(shownText(page)).toBe(expected);
  });

  it('opens again on the saved scope', async () => {
    const again = await openSetupForm(sandbox);
    await again.waitFor(() => again.find((n) => n.props.name === 'scope-groups-5').length === 1, { what: 'the saved rules' });
    expect(again.find((n) => n.props.name === 'scope-value-1-1')[0]?.props.defaultValue).toBe('Sales\nLegal, EMEA');
    expect(again.find((n) => n.props.name === 'scope-test-2-2')[0]?.props.value).toMatchObject({ value: 'startsWith' });
    expect(again.find((n) => n.props.name === 'scopeUserType')[0]?.props.value).toMatchObject({ value: 'members' });
    expect(again.find((n) => n.props.name === 'scope-membership-5')[0]?.props.value).toMatchObject({ value: 'transitive' });
    await again.close();
  });

  it('refuses an empty value, a non-GUID group id and too many rules in the page, sending nothing', async () => {
    const saves = page.invokes('saveSettings').length;
    await page.type('scope-value-2-1', '   ');
    expect(messageBelow(page, 'scope-value-2-1')).toEqual({
      kind: 'ErrorMessage',
      text: 'A scope value cannot be empty: to test for an empty property use "is empty" (prop eq null).',
    });
    expect(page.button('Save scope').disabled).toBe(true);
    await page.type('scope-value-2-1', 'Germany');
    await page.type('scope-value-1-1', ' , ');
    expect(messageBelow(page, 'scope-value-1-1').text).toBe('The "is one of" rule on department needs at least one value.');
    await page.type('scope-value-1-1', 'Sales');
    await page.type('scope-groups-5', 'not-a-group');
    expect(messageBelow(page, 'scope-groups-5')).toEqual({
      kind: 'ErrorMessage',
      text: '"not-a-group" is not an Entra group object id (a GUID).',
    });
    expect(page.button('Save scope').disabled).toBe(true);
    await page.click('Remove rule 5');
    expect(page.button('Save scope').disabled).toBe(false);

    // 5 property lines so far; 16 more make 21, one over the limit.
    for (let rule = 5; rule <= 20; rule++) await addRule(page, rule, 'city', 'eq', `City ${rule}`);
    expect(page.text()).toContain('A scope can have at most 20 property rules; this one has 21.');
    expect(page.button('Save scope').disabled).toBe(true);
    await page.click('Remove rule 2, or 2');
    expect(page.text()).not.toContain('at most 20 property rules');
    for (let rule = 20; rule >= 5; rule--) await page.click(`Remove rule ${rule}`);
    expect(page.invokes('saveSettings')).toHaveLength(saves);
  });

  it('shows the backend refusing a group id Entra ID does not know; nothing is stored', async () => {
    const before = (await settingsOf(sandbox)).scope;
    await page.click('Add a group membership rule');
    await page.type('scope-groups-5', UNKNOWN_GROUP);
    await page.click('Save scope');
    await page.waitForText('Scope not saved');
    expect(page.text()).toContain(`The sync scope was not saved: no Entra group has the object id ${UNKNOWN_GROUP}`);
    expect((await settingsOf(sandbox)).scope).toBe(before);
  });

  it('saves a two-rule scope and previews it: the preview shows the scope and what each rule excluded', async () => {
    await page.click('Remove rule 5');
    await page.click('Remove rule 4');
    await page.click('Remove rule 3');
    await page.click('Remove rule 2');
    await page.select('scopeUserType', 'all');
    await page.select('scopeAccounts', 'all');
    const departments = [...new Set(sandbox.emulator.simulation!.world.entra.users.map((u) => u.department).filter(Boolean))] as string[];
    await page.select('scope-test-1-1', 'eq');
    await page.type('scope-value-1-1', departments[0]!);
    await page.click('Add "or" to rule 1');
    await fillLine(page, 1, 2, 'department', 'eq', departments[1]!);
    await page.click('Save scope');
    await page.waitForText('Scope saved');
    const expected = `(department eq '${departments[0]}' or department eq '${departments[1]}')`;
    expect((await settingsOf(sandbox)).scope).toBe(expected);
    await page.selectTab('Preview');
    await page.click('Generate Preview');
    await page.waitFor(() => page.button('Generate Preview').disabled);
    await sandbox.drain();
    await page.waitForText('Latest preview');
    const { report } = ((await sandbox.emulator.invoke('getReport', { mode: 'preview' })) as { data: { report: RunReport } }).data;
    expect(report.counts.outOfScope).toBeGreaterThan(0);
    expect(page.text()).toContain(`Scope: ${expected}. ${report.counts.outOfScope} Entra ID users read are outside it.`);
    expect(page.text()).toContain(`${expected}: excluded ${report.counts.outOfScope}`);
    await page.selectTab('Setup');
  });

  it('clears the scope: an empty builder stores no scope (everyone)', async () => {
    await page.waitFor(() => page.find((n) => n.props.name === 'scope-value-1-1').length === 1, { what: 'the builder' });
    await page.click('Clear the scope (everyone)');
    expect(page.text()).toContain('No rules: every user of the chosen type and status is synced.');
    const saves = page.invokes('saveSettings').length;
    await page.click('Save scope');
    await page.waitForText('Scope saved');
    expect((page.invokes('saveSettings')[saves]!.payload as Record<string, unknown>).scope).toBe('');
    expect((await settingsOf(sandbox)).scope).toBe('');
    expect(page.text()).toContain('Saved: no scope. Everyone the app registration can read is synced.');
  });
});

describe('Setup tab: who is synced when the app registration has only User.Read.All', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 20, seed: 6, simulation: { tenant: { grantedRoles: ['User.Read.All'] } } });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('says GroupMember.Read.All is not granted, and shows GRAPH_GROUPS_FORBIDDEN when a membership rule is saved', async () => {
    await saveConnection(page, NO_SCOPE);
    await testConnection(page, sandbox);
    expect(page.text()).toContain('GroupMember.Read.All (read groups and their members): not granted.');
    const [group] = sandbox.emulator.simulation!.world.entra.groups ?? [];
    await page.click('Add a group membership rule');
    expect(sectionMessage(page, 'GroupMember.Read.All is not granted').props.appearance).toBe('error');
    await page.type('scope-groups-1', group!.id);
    await page.click('Save scope');
    await page.waitForText('Permission GroupMember.Read.All not granted');
    expect((await settingsOf(sandbox)).scope).toBe('');
  });
});
