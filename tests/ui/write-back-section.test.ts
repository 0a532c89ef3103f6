/**
 * Issue 17 on the sandbox (real page, resolvers and pipeline; the fake tenant over HTTP): the Setup tab's "Actions"
 * section and the History tab's "Actions" panel. A capability switched on and saved is stored; a save the backend
 * refuses shows its message and stores nothing; next to a switched-on capability the page says, from the last Test
 * connection, whether its permission is granted, missing or not checked yet; the panel lists the attempts of real
 * write-back actions (run through the emulator's Automation action) and exports them as CSV.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { AdminPage, ForgeNode } from '../../sandbox/ui/headless';
import { openSetupForm, type SandboxPages, startSandboxPages } from './support/sandbox-page';
import { messageBelow, saveConnection, settingsOf, testConnection } from './support/setup-section';

jest.setTimeout(120_000);

const OFF_LINE = 'Saved: Write-back is off: Automation rules cannot change anything in Entra ID.';

function checkbox(page: AdminPage, name: string, value: string): ForgeNode {
  const [node] = page.find((n) => n.type === 'Checkbox' && n.props.name === name && n.props.value === value);
  if (node === undefined) throw new Error(`No checkbox ${name}=${value}`);
  return node;
}

async function toggle(page: AdminPage, name: string, value: string): Promise<void> {
  await (checkbox(page, name, value).props.onChange as () => void)();
  await page.settle();
}

/** The permission line next to a capability: its lozenge and its text. */
function permissionLines(page: AdminPage): string[] {
  return page
    .find((n) => n.type === 'Inline' && n.children.some((c) => c.type === 'Lozenge') && /^Permission /.test(page.text(n.children[1]!)))
    .map((n) => page.text(n));
}

describe('Setup tab: Actions (write-back), and the History Actions panel', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 30, seed: 5 });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('shows every capability off by default, with what it does and its least permission, and the warning', async () => {
    await page.waitForText('Write-back changes Microsoft Entra ID');
    await saveConnection(page, OFF_LINE);
    for (const value of ['accountStatus', 'revokeSessions', 'updateAttributes', 'groupMembership'])
      expect(checkbox(page, 'writeBackCapability', value).props.isChecked).toBe(false);
    const text = page.text();
    expect(text).toContain('Needs the permission User.EnableDisableAccount.All.');
    expect(text).toContain('Needs the permission User.RevokeSessions.All.');
    expect(text).toContain('Needs the permission User.ReadWrite.All.');
    expect(text).toContain('Needs the permission GroupMember.ReadWrite.All.');
    expect(text).toContain('Password resets and user creation are deliberately not offered');
    expect(permissionLines(page)).toEqual([]);
  });

  it('switches a capability on: not checked before a test, saved and stored, then missing after Test connection', async () => {
    await toggle(page, 'writeBackCapability', 'accountStatus');
    expect(permissionLines(page)).toEqual([
      'Not checked Permission User.EnableDisableAccount.All not checked yet. Run Test connection to check.',
    ]);
    const saves = page.invokes('saveSettings').length;
    await page.click('Save actions');
    await page.waitForText('Actions saved');
    const sent = page.invokes('saveSettings')[saves]!.payload as Record<string, unknown>;
    expect(sent).not.toHaveProperty('clientSecret');
    expect(sent).not.toHaveProperty('groups');
    expect(page.text()).toContain('Write-back is on for: Disable / enable accounts (at most 10 a minute).');
    expect(await settingsOf(sandbox)).toMatchObject({
      tenantId: SIMULATED_TENANT.tenantId,
      secretStored: true,
      writeBack: { capabilities: ['accountStatus'], attributes: [], groupIds: [], allowGuests: false, exceptions: [], ratePerMinute: 10 },
    });

    await testConnection(page, sandbox);
    await page.waitForText('Permission User.EnableDisableAccount.All missing');
    expect(permissionLines(page)).toEqual([
      expect.stringMatching(
        /^Missing Permission User\.EnableDisableAccount\.All missing: actions will be refused until it is granted \(API permissions > Grant admin consent\)\./,
      ),
    ]);
    // The Test connection answer says it too, for the switched-on capability only.
    expect(page.text()).toContain(
      'Write-back "Disable / enable accounts" needs User.EnableDisableAccount.All: missing. Its actions will be refused until it is granted',
    );
    expect(page.text()).not.toContain('Write-back "Sign users out everywhere"');
  });

  it('says granted once the permission is consented and Test connection runs again', async () => {
    sandbox.emulator.simulation!.entra.setConsent(true, ['User.Read.All', 'GroupMember.Read.All', 'User.EnableDisableAccount.All']);
    await testConnection(page, sandbox);
    await page.waitForText('Permission User.EnableDisableAccount.All granted');
    expect(permissionLines(page)).toEqual([
      expect.stringMatching(/^Granted Permission User\.EnableDisableAccount\.All granted \(Test connection /),
    ]);
  });

  it('shows the backend refusing a save (group actions without groups, a rate out of range) and stores nothing', async () => {
    await toggle(page, 'writeBackCapability', 'groupMembership');
    await page.click('Save actions');
    await page.waitForText('list the groups the group actions may change, or switch them off');
    await page.type('writeBackGroupIds', 'not-a-guid');
    await page.type('writeBackRate', 'ten');
    expect(messageBelow(page, 'writeBackRate')).toEqual({
      kind: 'ErrorMessage',
      text: 'Actions per minute must be a whole number from 1 to 30.',
    });
    expect(page.button('Save actions').disabled).toBe(true);
    await page.type('writeBackRate', '31');
    expect(messageBelow(page, 'writeBackRate').kind).toBe('HelperMessage');
    await page.click('Save actions');
    await page.waitForText('at most 30 actions a minute');
    expect(page.text()).toContain('allowed groups must be Entra object ids (GUIDs)');
    expect(await settingsOf(sandbox)).toMatchObject({ writeBack: { capabilities: ['accountStatus'], ratePerMinute: 10 } });
  });

  it('saves attributes, groups, guests, exceptions and the rate, and opens again on them', async () => {
    const groupId = '2a4c5e6f-0000-4000-8000-000000000017';
    const exception = '3b5d6f70-0000-4000-8000-000000000017';
    await page.type('writeBackGroupIds', `${groupId.toUpperCase()}`);
    await page.type('writeBackRate', '5');
    await toggle(page, 'writeBackCapability', 'updateAttributes');
    await toggle(page, 'writeBackAttribute', 'manager');
    await toggle(page, 'writeBackAttribute', 'jobTitle');
    await toggle(page, 'writeBackAllowGuests', 'allowGuests');
    await page.type('writeBackExceptions', exception);
    await page.click('Save actions');
    await page.waitForText('Actions saved');
    expect(await settingsOf(sandbox)).toMatchObject({
      writeBack: {
        capabilities: ['accountStatus', 'updateAttributes', 'groupMembership'],
        attributes: ['jobTitle', 'manager'],
        groupIds: [groupId.toUpperCase()],
        allowGuests: true,
        exceptions: [exception],
        ratePerMinute: 5,
      },
    });
    const again = await openSetupForm(sandbox);
    await again.waitFor(() => again.find((n) => n.props.name === 'writeBackGroupIds').length === 1, { what: 'the allowed groups field' });
    expect(checkbox(again, 'writeBackCapability', 'updateAttributes').props.isChecked).toBe(true);
    expect(checkbox(again, 'writeBackCapability', 'revokeSessions').props.isChecked).toBe(false);
    expect(checkbox(again, 'writeBackAttribute', 'manager').props.isChecked).toBe(true);
    expect(checkbox(again, 'writeBackAttribute', 'department').props.isChecked).toBe(false);
    expect(checkbox(again, 'writeBackAllowGuests', 'allowGuests').props.isChecked).toBe(true);
    expect(again.find((n) => n.props.name === 'writeBackRate')[0]?.props.defaultValue).toBe('5');
    expect(again.find((n) => n.props.name === 'writeBackExceptions')[0]?.props.defaultValue).toBe(exception);
    await again.close();
  });

  it('History: an empty Actions panel first, then the attempts of real actions, newest first, exported as CSV', async () => {
    const history = sandbox.open();
    await history.selectTab('History');
    await history.waitForText('No write-back actions');
    expect(history.text()).toContain('Write-back is off (Setup tab, Actions) or no Automation rule has attempted an action yet.');
    await history.close();

    const em = sandbox.emulator;
    expect((await em.invoke('createSchema', {})) as { ok: boolean }).toMatchObject({ ok: true });
    await sandbox.drain();
    expect((await em.invoke('startSync', {})) as { ok: boolean }).toMatchObject({ ok: true });
    await sandbox.drain();
    const [person] = em
      .simulation!.jira.employees()
      .filter((o) => o.values['active'] === true && typeof o.values['atlassianAccountId'] === 'string');
    const accountId = String(person!.values['atlassianAccountId']);
    const entraId = String(person!.values['entraUserId']);
    expect(await em.action('disable-entra-account', { accountId, rule: 'Offboarding, "leavers"' })).toMatchObject({ result: 'changed' });
    expect(await em.action('disable-entra-account', { accountId })).toMatchObject({ result: 'no change' });
    // Switched on but User.ReadWrite.All not granted: refused, and recorded with its code.
    await em.action('update-entra-user', { accountId, jobTitle: 'Engineer' });

    const panel = sandbox.open();
    await panel.selectTab('History');
    await panel.waitFor(() => panel.tables().some((t) => t.caption === 'Write-back actions'), { what: 'the actions table' });
    const table = panel.table('Write-back actions');
    expect(table.head).toEqual(['Time', 'Rule', 'Actor', 'Action', 'Target', 'Before -> after', 'Result', 'Code', 'Graph request id']);
    expect(table.rows.map((row) => [row[3], row[6], row[7]])).toEqual([
      ['update', 'refused', 'WRITE_BACK_PERMISSION_MISSING'],
      ['disable', 'no change', '-'],
      ['disable', 'changed', '-'],
    ]);
    const changed = table.rows[2]!;
    expect(changed[1]).toBe('Offboarding, "leavers"');
    expect(changed[4]).toBe(`${String(person!.objectKey)} / ${entraId}`);
    expect(changed[5]).toBe('accountEnabled: true -> accountEnabled: false');
    expect(changed[8]).toMatch(/\S{8,}/);

    await panel.click('Export as CSV');
    // Export reads every attempt kept (getWriteBackAudit {limit: 1000}), not only the rows the table shows.
    await panel.waitFor(() => panel.find((n) => n.type === 'CodeBlock').length > 0, { what: 'the CSV' });
    expect(panel.text()).toContain('Every attempt kept (3, the latest 1,000 at most)');
    const [block] = panel.find((n) => n.type === 'CodeBlock');
    const csv = String(block!.props.text).split('\r\n');
    expect(csv[0]).toBe('seq,at,rule,actor,action,capability,accountId,entraUserId,objectKey,before,after,result,code,graphRequestId');
    expect(csv).toHaveLength(4);
    expect(csv[3]).toContain(`,"Offboarding, ""leavers""",`);
    expect(csv[3]).toContain(
      `,disable,accountStatus,${accountId},${entraId},${String(person!.objectKey)},accountEnabled: true,accountEnabled: false,changed,,`,
    );
    expect(csv.join('\n')).not.toContain(SIMULATED_TENANT.clientSecret);
    await panel.close();
  });
});
