/**
 * The page's renderer on its own: the components the Diagnostics card uses render with the design system (CodeBlock
 * as a code block, DynamicTable as a table with a Lozenge, LoadingButton as a button), and a UI Kit component the
 * renderer does not know is a visible red box naming it, which fails a screenshot.
 */
import { resolve } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { bundlePage } from '../../sandbox/page/bundle';
import { type PageServer, startPageServer } from '../../sandbox/page/server';
import { launchBrowser, type PageSandbox, screenshot, startPageSandbox } from './support/browser';

let sandbox: PageSandbox;
let server: PageServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  sandbox = await startPageSandbox({ users: 10, seed: 1 });
  const bundle = await bundlePage({ appEntry: resolve(__dirname, 'fixtures/components.tsx') });
  server = await startPageServer({ emulator: sandbox.emulator, port: 0, bundle });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Renderer fixture' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});

describe('the page renderer', () => {
  it('draws CodeBlock, DynamicTable with a Lozenge, and LoadingButton with the design system', async () => {
    const main = page.getByRole('main');
    const code = main.locator('pre code, [data-code-lang], pre').first();
    await code.waitFor();
    expect(await code.innerText()).toContain('report line 2');
    const table = main.getByRole('table', { name: 'Checks' });
    expect(await table.getByRole('row').count()).toBe(2);
    expect(await table.getByText('Pass').isVisible()).toBe(true);
    expect(await main.getByRole('button', { name: 'Run diagnostics' }).isEnabled()).toBe(true);
  });

  it('draws an unknown UI Kit component as a red box naming it, and a screenshot of it fails', async () => {
    const box = page.getByRole('main').getByTestId('page-problem');
    await box.waitFor();
    expect(await box.innerText()).toContain('Unknown UI Kit component: Toggle.');
    expect(
      await box.evaluate(
        (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor,
      ),
    ).toBe('rgb(201, 55, 44)');
    await expect(screenshot(page, 'renderer-unknown')).rejects.toThrow('The page shows error boxes: Unknown UI Kit component: Toggle.');
  });
});
