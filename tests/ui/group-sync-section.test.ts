/**
 * Issue 13 (the Setup tab): the "Group sync" section on the sandbox (real page, resolvers and pipeline; the fake
 * tenant over HTTP). Before group sync is on, the page says it needs GroupMember.Read.All and, after a Test
 * connection, whether the token carries it (granted in the built-in tenant; a tenant whose app registration has only
 * User.Read.All is the other reading). The selection is checked with the backend's own schema before anything is
 * sent; saving sends it with the stored connection values, a refusal (an id Entra ID does not know, no permission)
 * is shown in the section with the backend's message, and the saved selection is shown back. A preview with a
 * prefix lists the Entra groups it would create.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { AdminPage } from '../../sandbox/ui/headless';
import type { RunReport } from '../../src/domain/report';
import { openSetupForm, type SandboxPages, startSandboxPages } from './support/sandbox-page';
import { messageBelow, saveConnection, sectionMessage, settingsOf, testConnection } from './support/setup-section';

jest.setTimeout(90_000);

const UNKNOWN_GROUP = '0badc0de-0000-4000-8000-000000000013';

/** The section's saved line once the connection alone is saved. */
const GROUP_SYNC_OFF = 'Saved: Group sync is off.';

describe('Setup tab: group sync, with GroupMember.Read.All granted (the built-in tenant)', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 30, seed: 5 });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('says what group sync needs before it is on, and that the last Test connection found it granted', async () => {
    await page.waitForText('Group sync needs the permission GroupMember.Read.All');
    expect(page.text()).toContain('Use Test connection above to see whether it is granted.');
    await saveConnection(page, GROUP_SYNC_OFF);
    expect(page.find((n) => n.type === 'Select' && n.props.name === 'groupMode')[0]?.props.value).toMatchObject({ value: 'off' });
    await testConnection(page, sandbox);
    await page.waitForText('GroupMember.Read.All is granted');
    expect(page.text()).toMatch(/found the permission GroupMember\.Read\.All: the app registration can read groups and their members/);
    expect(sectionMessage(page, 'GroupMember.Read.All is granted').props.appearance).toBe('success');
  });

  it('checks a prefix with the backend schema, saves it with the membership, and shows it back', async () => {
    await page.select('groupMode', 'prefix');
    expect(messageBelow(page, 'groupPrefix')).toEqual({ kind: 'ErrorMessage', text: 'Group sync: the name prefix cannot be empty.' });
    expect(page.button('Save group sync').disabled).toBe(true);
    await page.type('groupPrefix', 'Nested');
    expect(messageBelow(page, 'groupPrefix').kind).toBe('HelperMessage');
    await page.select('groupMembership', 'transitive');
    const saves = page.invokes('saveSettings').length;
    await page.click('Save group sync');
    await page.waitForText('Group sync saved');
    const sent = page.invokes('saveSettings')[saves]!.payload as Record<string, unknown>;
    expect(sent).toMatchObject({ groups: { mode: 'prefix', prefix: 'Nested' }, groupMembership: 'transitive' });
    expect(sent).not.toHaveProperty('clientSecret');
    expect(sent).not.toHaveProperty('attributes');
    expect(page.text()).toContain(
      'Group sync is on for groups whose name starts with "Nested", with transitive memberships (nested groups flattened). The next preview or sync uses it.',
    );
    expect(await settingsOf(sandbox)).toMatchObject({
      tenantId: SIMULATED_TENANT.tenantId,
      groups: 'prefix:Nested',
      groupMembership: 'transitive',
      secretStored: true,
    });
  });

  it('refuses chosen ids that are not GUIDs before sending, and shows the backend refusing an id Entra ID does not know', async () => {
    const world = sandbox.emulator.simulation!.world.entra.groups ?? [];
    const [first, second] = world.filter((g) => (g.displayName ?? '').startsWith('Nested'));
    expect(first).toBeDefined();
    await page.select('groupMode', 'ids');
    expect(messageBelow(page, 'groupIds').text).toBe('Group sync: choose at least one group.');
    await page.type('groupIds', `${first!.id}, not-a-group`);
    expect(messageBelow(page, 'groupIds')).toEqual({
      kind: 'ErrorMessage',
      text: 'Group sync: "not-a-group" is not an Entra group object id (a GUID).',
    });
    expect(page.button('Save group sync').disabled).toBe(true);

    await page.type('groupIds', `${first!.id}\n${UNKNOWN_GROUP}`);
    expect(messageBelow(page, 'groupIds').kind).toBe('HelperMessage');
    await page.click('Save group sync');
    await page.waitForText('Group sync not saved');
    expect(page.text()).toContain(`no Entra group has the object id ${UNKNOWN_GROUP}`);
    expect(await settingsOf(sandbox)).toMatchObject({ groups: 'prefix:Nested' });

    await page.type('groupIds', `${first!.id.toUpperCase()},${second!.id}`);
    await page.click('Save group sync');
    await page.waitForText('Group sync saved');
    expect(page.text()).not.toContain('Group sync not saved');
    expect(await settingsOf(sandbox)).toMatchObject({ groups: `ids:${first!.id.toLowerCase()},${second!.id.toLowerCase()}` });
    expect(page.text()).toContain(`Group sync is on for 2 chosen groups (${first!.id.toLowerCase()}, ${second!.id.toLowerCase()})`);
  });

  it('opens again on the saved selection', async () => {
    const again = await openSetupForm(sandbox);
    await again.waitFor(() => again.find((n) => n.props.name === 'groupIds').length === 1, { what: 'the chosen ids field' });
    const [field] = again.find((n) => n.props.name === 'groupIds');
    expect(String(field!.props.defaultValue).split('\n')).toHaveLength(2);
    expect(again.find((n) => n.type === 'Select' && n.props.name === 'groupMembership')[0]?.props.value).toMatchObject({
      value: 'transitive',
    });
    await again.close();
  });

  it('previews a prefix: the Entra groups to create are listed', async () => {
    await page.select('groupMode', 'prefix');
    await page.type('groupPrefix', 'Nested Team');
    await page.click('Save group sync');
    await page.waitForText('Group sync saved');
    await page.selectTab('Preview');
    await page.click('Generate Preview');
    await page.waitFor(() => page.button('Generate Preview').disabled);
    await sandbox.drain();
    await page.waitForText('Latest preview');
    const { report } = ((await sandbox.emulator.invoke('getReport', { mode: 'preview' })) as { data: { report: RunReport } }).data;
    expect(report.groupChanges.items.map((g) => g.name).sort()).toEqual(['Nested Team A', 'Nested Team B']);
    const table = page.table('Entra groups');
    expect(table.rows.map((row) => row.join(' ')).join('\n')).toMatch(/Nested Team A/);
    expect(table.rows.map((row) => row.join(' ')).join('\n')).toMatch(/Nested Team B/);
  });
});

describe('Setup tab: group sync when the app registration has only User.Read.All', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 20, seed: 6, simulation: { tenant: { grantedRoles: ['User.Read.All'] } } });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('says the permission is missing and how to grant it, more urgently once group sync is chosen', async () => {
    await saveConnection(page, GROUP_SYNC_OFF);
    await testConnection(page, sandbox);
    await page.waitForText('GroupMember.Read.All is not granted');
    expect(page.text()).toContain(
      'API permissions > Add a permission > Microsoft Graph > Application permissions > GroupMember.Read.All, then Grant admin consent',
    );
    expect(sectionMessage(page, 'GroupMember.Read.All is not granted').props.appearance).toBe('warning');
    await page.select('groupMode', 'all');
    expect(sectionMessage(page, 'GroupMember.Read.All is not granted').props.appearance).toBe('error');
  });

  it('shows GRAPH_GROUPS_FORBIDDEN next to the section when chosen ids cannot be looked up', async () => {
    const [group] = sandbox.emulator.simulation!.world.entra.groups ?? [];
    await page.select('groupMode', 'ids');
    await page.type('groupIds', group!.id);
    await page.click('Save group sync');
    await page.waitForText('Permission GroupMember.Read.All not granted');
    expect(page.text()).toMatch(/add the Microsoft Graph application permission GroupMember\.Read\.All/);
    expect(await settingsOf(sandbox)).toMatchObject({ groups: 'off' });
  });
});
