/**
 * What the sandbox UI tests of the Setup tab's sections (group sync, who is synced) do and read alike: save the
 * built-in tenant's connection, run Test connection and wait until the page has read its result again, the message
 * right below a field, a section message by its title, and the settings as the backend stored them.
 */
import { SIMULATED_TENANT } from '../../../fakes/simulation';
import type { AdminPage, ForgeNode } from '../../../sandbox/ui/headless';
import { type SandboxPages, SECRET } from './sandbox-page';

/** Saves the built-in tenant's connection on the Setup form and waits for `shown`, the section's saved line. */
export async function saveConnection(page: AdminPage, shown: string): Promise<void> {
  await page.type('tenantId', SIMULATED_TENANT.tenantId);
  await page.type('clientId', SIMULATED_TENANT.clientId);
  await page.type('clientSecret', SECRET);
  await page.click('Save settings');
  await page.waitForText(shown);
}

export async function testConnection(page: AdminPage, sandbox: SandboxPages): Promise<void> {
  const overviews = page.invokes('getOverview').length;
  await page.click('Test connection');
  await sandbox.drain();
  // The sections read the recorded test through getOverview, reloaded once the test has answered.
  await page.waitFor(() => page.invokes('getOverview').length > overviews, { what: 'the last connection test to be read again' });
  await page.idle();
}

/** The node right after a field (its ErrorMessage or HelperMessage), for a TextArea too. */
export function messageBelow(page: AdminPage, name: string): { kind: string; text: string } {
  let found: { kind: string; text: string } | null = null;
  const visit = (node: ForgeNode) => {
    const index = node.children.findIndex((child) => child.props.name === name);
    const next = index < 0 ? undefined : node.children[index + 1];
    if (next !== undefined) found = { kind: next.type, text: page.text(next) };
    node.children.forEach(visit);
  };
  visit(page.tree());
  if (found === null) throw new Error(`No field ${name}`);
  return found;
}

export function sectionMessage(page: AdminPage, title: string): ForgeNode {
  const [node] = page.find((n) => n.type === 'SectionMessage' && n.props.title === title);
  if (node === undefined) throw new Error(`No section message "${title}". ${page.text().slice(0, 2000)}`);
  return node;
}

/** The settings as stored (getSettings, straight to the emulator). */
export async function settingsOf(sandbox: SandboxPages): Promise<Record<string, unknown>> {
  return ((await sandbox.emulator.invoke('getSettings', {})) as { data: Record<string, unknown> }).data;
}
