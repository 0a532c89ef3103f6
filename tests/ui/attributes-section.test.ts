/**
 * Issue 12, attributes point 4: the Setup tab's "Choose attributes" section on the sandbox. Every catalogue
 * attribute is offered with its note; a bad extension line shows the backend's message and cannot be saved; choosing
 * attributes and an extension property saves them (getSettings returns them) without touching the connection.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import { WORLD_EXTENSION_PROPERTIES } from '../../fakes/world/world-data';
import type { AdminPage, ForgeNode } from '../../sandbox/ui/headless';
import { ATTRIBUTE_CHOICES } from '../../src/domain/attribute-catalogue';
import { openSetupForm, type SandboxPages, SECRET, startSandboxPages } from './support/sandbox-page';

jest.setTimeout(60_000);

/** A checkbox of the attribute choice (the Actions section has checkboxes of its own). */
const isAttributeChoice = (n: ForgeNode) => n.type === 'Checkbox' && !String(n.props.name ?? '').startsWith('writeBack');

function checkbox(page: AdminPage, key: string): ForgeNode {
  const [node] = page.find((n) => isAttributeChoice(n) && n.props.value === key);
  if (node === undefined) throw new Error(`No checkbox ${key}`);
  return node;
}

describe('Setup tab: choose attributes', () => {
  let sandbox: SandboxPages;
  let page: AdminPage;

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 30, seed: 5 });
    page = await openSetupForm(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('offers every attribute with its note, once the connection is saved, and saves the choice', async () => {
    await page.waitForText('Connect Microsoft Entra ID first');
    await page.type('tenantId', SIMULATED_TENANT.tenantId);
    await page.type('clientId', SIMULATED_TENANT.clientId);
    await page.type('clientSecret', SECRET);
    await page.click('Save settings');
    await page.waitFor(() => page.find(isAttributeChoice).length === ATTRIBUTE_CHOICES.length, {
      what: 'the attribute choices',
    });
    const text = page.text();
    for (const choice of ATTRIBUTE_CHOICES) expect(text).toContain(choice.note);
    expect(checkbox(page, 'hireDate').props.label).toBe('Hire Date (Date): Entra employee hire date');
    expect(text).toContain('a change may only arrive at the weekly full read');

    await (checkbox(page, 'hireDate').props.onChange as () => void)();
    await (checkbox(page, 'extensionAttribute1').props.onChange as () => void)();
    await page.settle();
    await page.type('extensions', 'extension_costCentre = Cost');
    expect(page.text()).toContain('"extension_costCentre" is not a directory extension property');
    expect(page.button('Save attributes').disabled).toBe(true);

    await page.type('extensions', `${WORLD_EXTENSION_PROPERTIES.costCentre} = HR Cost Centre`);
    const saves = page.invokes('saveSettings').length;
    await page.click('Save attributes');
    await page.waitFor(() => page.invokes('saveSettings').length === saves + 1, { what: 'the attributes to be saved' });
    await page.waitForText('Attributes saved');
    const settings = ((await sandbox.emulator.invoke('getSettings', {})) as { data: Record<string, unknown> }).data;
    expect(settings).toMatchObject({
      tenantId: SIMULATED_TENANT.tenantId,
      attributes: ['hireDate', 'extensionAttribute1'],
      extensions: [{ property: WORLD_EXTENSION_PROPERTIES.costCentre, name: 'HR Cost Centre' }],
      secretStored: true,
    });
  });
});
