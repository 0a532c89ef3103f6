/**
 * The admin page on the sandbox: a Forge emulator (real resolvers and queue consumers, built-in simulated tenant and
 * site) and headless pages whose bridge invoke goes to it, as a given Jira user. Plus what every walk-through
 * asserts: field messages next to their fields, and that no bridge message carries the client secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SIMULATED_TENANT } from '../../../fakes/simulation';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../../sandbox/emulator';
import { type AdminPage, type ForgeNode, renderAdminPage } from '../../../sandbox/ui/headless';

export const SECRET = SIMULATED_TENANT.clientSecret;

export interface SandboxPages {
  readonly emulator: Emulator;
  /** Opens the admin page as a Jira user (default: the sandbox's admin). */
  open(accountId?: string): AdminPage;
  /**
   * Waits until every open page has its answers (a click's invoke has reached the resolver), then delivers queued
   * events until the pipeline is idle (the run ends or waits for confirmation).
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxPages(options: Partial<Omit<EmulatorOptions, 'stateDir'>> = {}): Promise<SandboxPages> {
  const stateDir = mkdtempSync(join(tmpdir(), 'entra-ui-'));
  const emulator = await startEmulator({ users: 40, seed: 11, notice: () => undefined, ...options, stateDir });
  const pages: AdminPage[] = [];
  return {
    emulator,
    open(accountId) {
      const page = renderAdminPage({
        invoke: (key, payload) => emulator.invoke(key, payload, accountId === undefined ? undefined : { accountId }),
      });
      pages.push(page);
      return page;
    },
    async drain() {
      for (const page of pages) await page.idle();
      await emulator.drain();
    },
    async close() {
      for (const page of pages) await page.close();
      await emulator.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The admin page opened on the Setup tab, once its settings form is drawn. */
export async function openSetupForm(sandbox: SandboxPages): Promise<AdminPage> {
  const page = sandbox.open();
  await page.selectTab('Setup');
  await page.waitFor(() => page.find((n) => n.type === 'Form').length === 1);
  return page;
}

/** The message shown right below a form field: its ErrorMessage, or else its HelperMessage. */
export function fieldMessage(page: AdminPage, name: string): { kind: 'error' | 'help'; text: string } {
  let found: { kind: 'error' | 'help'; text: string } | null = null;
  const visit = (node: ForgeNode) => {
    const index = node.children.findIndex((child) => child.props.name === name && (child.type === 'Textfield' || child.type === 'Select'));
    if (index >= 0) {
      const next = node.children[index + 1];
      if (next?.type === 'ErrorMessage') found = { kind: 'error', text: page.text(next) };
      else if (next?.type === 'HelperMessage') found = { kind: 'help', text: page.text(next) };
    }
    node.children.forEach(visit);
  };
  visit(page.tree());
  if (found === null) throw new Error(`No message below the field ${name}.`);
  return found;
}

/**
 * The client secret travels only in the saveSettings request the admin submits: never in an answer, never in the
 * rendered tree, never in another request.
 */
export function expectSecretOnlyInSaveRequests(page: AdminPage, secret = SECRET): void {
  const leaks = page.messages.filter((message) => {
    if (!message.json.includes(secret)) return false;
    if (message.kind !== 'invoke' || message.functionKey !== 'saveSettings') return true;
    return JSON.stringify(message.answer).includes(secret);
  });
  expect(leaks.map((m) => (m.kind === 'invoke' ? `invoke ${m.functionKey}` : m.kind))).toEqual([]);
}

export function expectNoSecretInLogs(emulator: Emulator, secret = SECRET): void {
  expect(emulator.logs.filter((entry) => JSON.stringify(entry).includes(secret))).toEqual([]);
}
