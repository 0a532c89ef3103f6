/**
 * The browser suite's tools: Chromium found by path (CHROMIUM_PATH, else Debian's /usr/bin/chromium) and launched
 * through playwright-core; the sandbox (emulator on a temporary state directory) with the admin page served on a free
 * port; keyboard-only actions (Tab until the control has focus, then Enter or typing); axe-core; and screenshots
 * that fail the test when blank or showing an error box.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

import { type Emulator, type EmulatorOptions, startEmulator } from '../../../sandbox/emulator';
import { bundlePage, type PageBundle } from '../../../sandbox/page/bundle';
import { type PageServer, startPageServer } from '../../../sandbox/page/server';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary, or an error that says how to get one (the suite never skips). */
export function chromiumPath(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      `Chromium was not found (looked in ${CANDIDATES.join(', ')}). Install it (Debian: apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary. The browser suite does not skip.`,
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  // As root in a container Chromium's own sandbox cannot start; /dev/shm is often tiny there.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

let sharedBundle: Promise<PageBundle> | null = null;
const bundle = () => (sharedBundle ??= bundlePage());

export interface PageSandbox {
  readonly emulator: Emulator;
  readonly server: PageServer;
  /** Another server on the same sandbox, signed in as another Atlassian account. */
  serveAs(accountId: string): Promise<PageServer>;
  close(): Promise<void>;
}

export async function startPageSandbox(options: Partial<Omit<EmulatorOptions, 'stateDir'>>): Promise<PageSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), 'entra-browser-'));
  const emulator = await startEmulator({ notice: () => undefined, ...options, stateDir });
  const servers: PageServer[] = [];
  const serve = async (accountId?: string) => {
    const server = await startPageServer({
      emulator,
      port: 0,
      strictPort: false,
      bundle: await bundle(),
      ...(accountId === undefined ? {} : { accountId }),
    });
    servers.push(server);
    return server;
  };
  const server = await serve();
  return {
    emulator,
    server,
    serveAs: (accountId) => serve(accountId),
    async close() {
      for (const s of servers) await s.close();
      await emulator.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** What the page recorded about its bridge (sandbox/page/browser/bridge-client.ts). */
export interface PageRecord {
  inFlight: number;
  invokes: { functionKey: string; request: string; response: string | null; failed: boolean }[];
  reconciles: number;
  problems: string[];
}

export function pageRecord(page: Page): Promise<PageRecord> {
  return page.evaluate(() => (globalThis as unknown as { __entraSyncPage: PageRecord }).__entraSyncPage);
}

/** Waits until no invoke is waiting for its answer. */
export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as { __entraSyncPage?: { inFlight: number } }).__entraSyncPage?.inFlight === 0);
}

/**
 * Waits for `locator` to be visible. On a timeout the error also says what the page's main region showed instead
 * (its text, cut to 1,500 characters), the bridge's problems and the last invokes' answers (the sandbox's simulated
 * people only; the client secret never reaches the page), so a failure on a loaded CI machine says what happened.
 */
export async function waitShown(page: Page, locator: Locator, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    const shown = await page
      .getByRole('main')
      .innerText({ timeout: 5_000 })
      .catch(() => '(the main region could not be read)');
    const record = await pageRecord(page).catch(() => null);
    const invokes = (record?.invokes ?? [])
      .slice(-3)
      .map((i) => `${i.functionKey}${i.failed ? ' (failed)' : ''}: ${(i.response ?? 'no answer').slice(0, 300)}`);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\nThe page showed instead:\n${shown.slice(0, 1_500)}\nBridge problems: ${JSON.stringify(record?.problems ?? [])}\nLast invokes:\n${invokes.join('\n')}`,
    );
  }
}

interface Focused {
  readonly tag: string;
  readonly role: string | null;
  readonly name: string;
  readonly label: string;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = (
      globalThis as unknown as {
        document: {
          activeElement:
            | (Record<string, unknown> & {
                getAttribute(n: string): string | null;
                tagName: string;
                textContent: string | null;
                labels?: { textContent: string | null }[];
              })
            | null;
        };
      }
    ).document.activeElement;
    if (el === null) return { tag: '', role: null, name: '', label: '' };
    const labels = el.labels === undefined || el.labels === null ? [] : Array.from(el.labels);
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: labels.map((l) => (l.textContent ?? '').replace(/\s+/g, ' ').replace(/\*$/, '').trim()).join(' '),
    };
  });
}

/**
 * Presses Tab (at most `max` times, wrapping around the page) until the focused control matches: a button or tab
 * by its text, a field by its label. Fails when the control cannot be reached by keyboard.
 */
export async function tabTo(page: Page, target: { button?: string; field?: string; tab?: string }, max = 120): Promise<void> {
  const matches = (f: Focused) =>
    (target.button !== undefined && (f.tag === 'button' || f.role === 'button') && f.name === target.button) ||
    (target.tab !== undefined && f.role === 'tab') ||
    (target.field !== undefined && f.label.startsWith(target.field));
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (matches(f)) return;
    seen.push(`${f.tag}${f.role === null ? '' : `[${f.role}]`} "${(f.label || f.name).slice(0, 40)}"`);
  }
  throw new Error(`Could not reach ${JSON.stringify(target)} with the Tab key. Focus went through: ${seen.slice(0, 60).join(', ')}`);
}

/** Tab to a button, then Enter. */
export async function pressButton(page: Page, text: string): Promise<void> {
  await tabTo(page, { button: text });
  await page.keyboard.press('Enter');
}

/** Tab to a text field, select what it holds and type the new value. */
export async function typeInto(page: Page, label: string, value: string): Promise<void> {
  await tabTo(page, { field: label });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  if (value !== '') await page.keyboard.type(value);
}

/**
 * Opens a tab of the page with the keyboard: Tab to the tab list, then the arrow keys, as ARIA tabs work. Each key
 * press waits for the focus to move and the focused tab waits for its panel to be selected (the renderer re-renders
 * after the key, which on a loaded machine takes a moment), so a slow render never makes the loop overshoot.
 */
export async function openTab(page: Page, name: string): Promise<void> {
  await tabTo(page, { tab: name });
  const names = (await page.getByRole('tab').allInnerTexts()).map((t) => t.trim());
  const target = names.indexOf(name);
  if (target < 0) throw new Error(`No tab "${name}". Tabs: ${names.join(', ')}`);
  const focusedIndex = async () => names.indexOf(((await focused(page)).name || '').trim());
  const selected = page.getByRole('tab', { name, selected: true });
  for (let i = 0; i < names.length * 2; i++) {
    const current = await focusedIndex();
    if (current === target) {
      // Arrow keys select the tab they reach; Enter selects it where the renderer only moves focus.
      if (
        await selected.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        return;
      await page.keyboard.press('Enter');
      if (
        await selected.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        return;
      break;
    }
    await page.keyboard.press(current > target ? 'ArrowLeft' : 'ArrowRight');
    for (let wait = 0; wait < 50 && (await focusedIndex()) === current; wait++) await page.waitForTimeout(100);
  }
  throw new Error(`The tab "${name}" could not be opened with the arrow keys.`);
}

/** Serious and critical axe-core violations, described. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')})`,
    );
}

/** docs/images when regenerating (`npm run screenshots`), else a temporary directory. */
export const SCREENSHOT_DIR =
  process.env['SCREENSHOTS'] === 'update' ? resolve(__dirname, '../../../docs/images') : mkdtempSync(join(tmpdir(), 'entra-shots-'));

/**
 * Saves a screenshot of the page and fails when it is blank (almost one colour) or the page shows an error box
 * (an unknown component, a failed callback, a bridge problem).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const problems = await page.locator('[data-testid="page-problem"]').allTextContents();
  if (problems.length > 0) throw new Error(`The page shows error boxes: ${problems.join(' | ')}`);
  // From the top, so the sticky top bar is drawn where it belongs in a full-page picture.
  await page.evaluate(() => {
    const g = globalThis as unknown as { scrollTo(x: number, y: number): void; requestAnimationFrame(cb: () => void): void };
    g.scrollTo(0, 0);
    return new Promise((r) => g.requestAnimationFrame(() => r(null)));
  });
  const png = await page.screenshot({ fullPage: true });
  const colours = await page.evaluate(async (b64) => {
    const g = globalThis as unknown as {
      Image: new () => { src: string; decode(): Promise<void>; width: number; height: number };
      document: {
        createElement(t: 'canvas'): {
          width: number;
          height: number;
          getContext(k: '2d'): {
            drawImage(i: unknown, x: number, y: number): void;
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
      };
    };
    const img = new g.Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = g.document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4 * 7) {
      const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const top = Math.max(...counts.values());
    return { distinct: counts.size, dominantShare: top / total };
  }, png.toString('base64'));
  if (colours.distinct < 20 || colours.dominantShare > 0.985)
    throw new Error(
      `The screenshot ${name} is blank (${colours.distinct} colours, ${(colours.dominantShare * 100).toFixed(1)}% one colour).`,
    );
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  writeFileSync(file, png);
  return file;
}
