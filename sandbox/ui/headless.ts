/**
 * A headless Jira for the admin page: renders the real App (src/ui/index.tsx, so @forge/react's ForgeReconciler
 * runs for real) against a fake frontend bridge whose `invoke` is the caller's (the emulator's resolvers, or a stub
 * in component tests), records every bridge message (for secret scanning), and clicks, types and selects the way
 * an admin would, through the live function props in the ForgeDoc.
 *
 * Each render gets a fresh module registry (jest.isolateModules under jest, a fresh require cache otherwise), so
 * two pages never share React state or a captured bridge.
 */
import * as path from 'node:path';

import { forgetPage, type PageBridge, withPageBridge } from './bridge';
import {
  ancestorsOf,
  type ButtonState,
  buttonState,
  findAll,
  findByText,
  type ForgeNode,
  isButton,
  isField,
  serialise,
  type TableView,
  tableView,
  textOf,
  walk,
} from './forge-doc';

export type { ButtonState, ForgeNode, TableView } from './forge-doc';

/** What the bridge's invoke would return to the page for (functionKey, payload): the resolver's answer. */
export type HeadlessInvoke = (functionKey: string, payload: unknown) => Promise<unknown>;

export type BridgeMessage =
  | { readonly kind: 'reconcile'; readonly json: string }
  | {
      readonly kind: 'invoke';
      readonly functionKey: string;
      readonly payload: unknown;
      readonly answer: unknown;
      readonly failed: boolean;
      readonly json: string;
    }
  | { readonly kind: 'other'; readonly cmd: string; readonly json: string };

export interface RenderOptions {
  readonly invoke: HeadlessInvoke;
  /** The module that calls ForgeReconciler.render (default src/ui/index.tsx). */
  readonly entry?: string;
  /** Default time limit of waitFor, in milliseconds (default 10 s). */
  readonly timeoutMs?: number;
}

export interface Scope {
  /** Look only inside this node (e.g. a table row, a modal). */
  readonly within?: ForgeNode;
}

export interface AdminPage {
  /** The live ForgeDoc root (updated in place by the reconciler). */
  tree(): ForgeNode;
  /** All visible text, whitespace collapsed. */
  text(node?: ForgeNode): string;
  find(predicate: (node: ForgeNode) => boolean, scope?: Scope): ForgeNode[];
  findByText(text: string | RegExp, scope?: Scope): ForgeNode[];
  /** Every button with its text and whether it is disabled or loading. */
  buttons(scope?: Scope): ButtonState[];
  button(text: string, scope?: Scope): ButtonState;
  /** Clicks the button with exactly this text (a submit button submits its form); throws if it is disabled. */
  click(buttonText: string, scope?: Scope): Promise<void>;
  /** Types into the text field registered under `fieldName` (then leaves it, as a person would). */
  type(fieldName: string, value: string, scope?: Scope): Promise<void>;
  /** Picks the option whose value or label is `value` in the Select named `name`. */
  select(name: string, value: string, scope?: Scope): Promise<void>;
  /** Submits a form (the only one in scope when none is given). */
  submit(form?: ForgeNode): Promise<void>;
  /** Opens the tab with this label. */
  selectTab(label: string): Promise<void>;
  /** The DynamicTables in scope, read as head and rows of cell text. */
  tables(scope?: Scope): TableView[];
  /** The one table with this label (or caption). */
  table(caption: string, scope?: Scope): TableView;
  /** Resolves when `predicate` returns true (or stops throwing); rejects with the page text on timeout. */
  waitFor(predicate: (page: AdminPage) => boolean | void, options?: { timeoutMs?: number; what?: string }): Promise<void>;
  waitForText(text: string | RegExp, options?: { timeoutMs?: number }): Promise<void>;
  /** Lets React flush effects and pending microtasks. */
  settle(): Promise<void>;
  /** Every bridge message so far, in order, each with its JSON for scanning. */
  readonly messages: readonly BridgeMessage[];
  invokes(functionKey?: string): Extract<BridgeMessage, { kind: 'invoke' }>[];
  /** Resolves when no invoke is waiting for its answer (the page has heard back from every call). */
  idle(options?: { timeoutMs?: number }): Promise<void>;
  /** Waits for calls in flight, then stops talking to the backend: later invokes never settle, so polling ends. */
  close(): Promise<void>;
}

const DEFAULT_ENTRY = path.resolve(__dirname, '../../src/ui/index.tsx');
// Captured at import, so tests that fake timers for the page still wait in real time here.
const realSetTimeout = setTimeout;
const realSetImmediate = setImmediate;
const sleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));
const tick = () => new Promise<void>((resolve) => realSetImmediate(resolve));
// Real elapsed time: the sandbox emulator moves Date.now to its emulated clock (and may jump it forward).
const elapsedMs = () => performance.now();

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Node's require cache entries added by earlier non-jest renders: dropped before the next render. */
const loadedByPages = new Set<string>();

/**
 * Imports the page in a fresh module registry. It must be the running loader's own synchronous `require` (jest's,
 * which transforms the TSX; or Node's under tsx), hence require rather than import().
 */
function loadFresh(entry: string): void {
  if (typeof jest !== 'undefined') {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
      require(entry);
    });
    return;
  }
  for (const key of loadedByPages) delete require.cache[key];
  loadedByPages.clear();
  const before = new Set(Object.keys(require.cache));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  require(entry);
  for (const key of Object.keys(require.cache)) if (!before.has(key)) loadedByPages.add(key);
}

export function renderAdminPage(options: RenderOptions): AdminPage {
  const messages: BridgeMessage[] = [];
  let root: ForgeNode | null = null;
  let closed = false;
  let inFlight = 0;
  const timeoutDefault = options.timeoutMs ?? 10_000;

  const bridge: PageBridge = {
    onReconcile(doc) {
      root = doc;
    },
    async callBridge(cmd, data) {
      if (cmd === 'reconcile') {
        messages.push({ kind: 'reconcile', json: serialise((data as { forgeDoc?: unknown } | null)?.forgeDoc) });
        return undefined;
      }
      if (cmd === 'invoke') {
        const { functionKey, payload } = data as { functionKey: string; payload?: unknown };
        if (closed) return new Promise<never>(() => undefined);
        const sent = clone(payload);
        inFlight++;
        try {
          const answer = clone(await options.invoke(functionKey, sent));
          messages.push({
            kind: 'invoke',
            functionKey,
            payload: sent,
            answer,
            failed: false,
            json: serialise({ functionKey, payload: sent, answer }),
          });
          return answer;
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          messages.push({
            kind: 'invoke',
            functionKey,
            payload: sent,
            answer: text,
            failed: true,
            json: serialise({ functionKey, payload: sent, error: text }),
          });
          throw error;
        } finally {
          inFlight--;
        }
      }
      messages.push({ kind: 'other', cmd, json: serialise(data) });
      return undefined;
    },
  };

  withPageBridge(bridge, () => loadFresh(options.entry ?? DEFAULT_ENTRY));

  const tree = (): ForgeNode => {
    if (root === null) throw new Error('The page has not rendered anything (no reconcile reached the bridge).');
    return root;
  };
  const base = (scope?: Scope) => scope?.within ?? tree();
  const describe = () => `Page text: ${textOf(tree()).slice(0, 3000)}`;

  const findButton = (text: string, scope?: Scope): ForgeNode => {
    const all = findAll(base(scope), isButton);
    const matches = all.filter((b) => textOf(b) === text);
    if (matches.length === 1) return matches[0]!;
    const names = all.map((b) => JSON.stringify(textOf(b))).join(', ');
    throw new Error(
      matches.length === 0 ? `No button "${text}". Buttons: ${names}` : `${matches.length} buttons "${text}": narrow with a scope.`,
    );
  };

  const findOne = (what: string, predicate: (n: ForgeNode) => boolean, scope?: Scope): ForgeNode => {
    const matches = findAll(base(scope), predicate);
    if (matches.length !== 1) throw new Error(`${matches.length === 0 ? 'No' : matches.length} ${what}. ${describe()}`);
    return matches[0]!;
  };

  const call = (node: ForgeNode, prop: string, ...args: unknown[]): unknown => {
    const fn = node.props[prop];
    if (typeof fn !== 'function') throw new Error(`${node.type} has no ${prop} handler`);
    return (fn as (...a: unknown[]) => unknown)(...args);
  };

  const settle = async () => {
    for (let i = 0; i < 5; i++) await tick();
  };

  const page: AdminPage = {
    tree,
    text: (node) => textOf(node ?? tree()),
    find: (predicate, scope) => findAll(base(scope), predicate),
    findByText: (text, scope) => findByText(base(scope), text),
    buttons: (scope) => findAll(base(scope), isButton).map(buttonState),
    button: (text, scope) => buttonState(findButton(text, scope)),
    async click(text, scope) {
      const node = findButton(text, scope);
      const state = buttonState(node);
      if (state.disabled || state.loading) throw new Error(`The button "${text}" is ${state.disabled ? 'disabled' : 'busy'}.`);
      if (typeof node.props.onClick === 'function') await call(node, 'onClick', { preventDefault: () => undefined });
      else if (node.props.type === 'submit') {
        const form = [...(ancestorsOf(tree(), node) ?? [])].reverse().find((n) => n.type === 'Form');
        if (form === undefined) throw new Error(`The submit button "${text}" is not inside a Form.`);
        await call(form, 'onSubmit');
      } else throw new Error(`The button "${text}" does nothing when clicked.`);
      await settle();
    },
    async type(fieldName, value, scope) {
      const field = findOne(`text field "${fieldName}"`, (n) => isField(n) && n.props.name === fieldName, scope);
      const inputType = typeof field.props.type === 'string' ? field.props.type : 'text';
      await call(field, 'onChange', { target: { value, type: inputType, name: fieldName }, currentTarget: { value } });
      if (typeof field.props.onBlur === 'function') await call(field, 'onBlur');
      await settle();
    },
    async select(name, value, scope) {
      const field = findOne(`select "${name}"`, (n) => n.type === 'Select' && n.props.name === name, scope);
      const options = Array.isArray(field.props.options) ? (field.props.options as { label?: unknown; value?: unknown }[]) : [];
      const option = options.find((o) => o.value === value || o.label === value);
      if (option === undefined) throw new Error(`Select "${name}" has no option "${value}".`);
      await call(field, 'onChange', option);
      if (typeof field.props.onBlur === 'function') await call(field, 'onBlur');
      await settle();
    },
    async submit(form) {
      const target = form ?? findOne('form', (n) => n.type === 'Form');
      await call(target, 'onSubmit');
      await settle();
    },
    async selectTab(label) {
      const tabs = findOne('Tabs', (n) => n.type === 'Tabs');
      const labels = findAll(tabs, (n) => n.type === 'Tab').map(textOf);
      const index = labels.indexOf(label);
      if (index < 0) throw new Error(`No tab "${label}". Tabs: ${labels.join(', ')}`);
      await call(tabs, 'onChange', index);
      await settle();
    },
    tables: (scope) => findAll(base(scope), (n) => n.type === 'DynamicTable').map(tableView),
    table(caption, scope) {
      const found = page.tables(scope).filter((t) => t.caption === caption);
      if (found.length !== 1)
        throw new Error(
          `${found.length} tables "${caption}". Tables: ${page
            .tables(scope)
            .map((t) => t.caption)
            .join(', ')}`,
        );
      return found[0]!;
    },
    async waitFor(predicate, waitOptions = {}) {
      const deadline = elapsedMs() + (waitOptions.timeoutMs ?? timeoutDefault);
      let last: unknown = null;
      for (;;) {
        try {
          if (root !== null && predicate(page) !== false) return;
          last = null;
        } catch (error) {
          last = error;
        }
        if (elapsedMs() > deadline) {
          const reason = last instanceof Error ? last.message : 'the condition stayed false';
          throw new Error(
            `Timed out waiting${waitOptions.what === undefined ? '' : ` for ${waitOptions.what}`}: ${reason}\n${root === null ? '(nothing rendered)' : describe()}`,
          );
        }
        await sleep(15);
      }
    },
    waitForText: (text, waitOptions = {}) =>
      page.waitFor(() => (typeof text === 'string' ? textOf(tree()).includes(text) : text.test(textOf(tree()))), {
        ...waitOptions,
        what: `text ${String(text)}`,
      }),
    settle,
    messages,
    invokes: (functionKey) =>
      messages.filter(
        (m): m is Extract<BridgeMessage, { kind: 'invoke' }> =>
          m.kind === 'invoke' && (functionKey === undefined || m.functionKey === functionKey),
      ),
    async idle(idleOptions = {}) {
      await page.waitFor(() => inFlight === 0, { ...idleOptions, what: 'the answers to every call in flight' });
      await settle();
    },
    async close() {
      try {
        await page.idle();
      } finally {
        closed = true;
        forgetPage(bridge);
      }
    },
  };
  return page;
}

/** Every node of the page, for assertions that scan the whole tree. */
export function allNodes(page: AdminPage): ForgeNode[] {
  const nodes: ForgeNode[] = [];
  walk(page.tree(), (n) => {
    nodes.push(n);
  });
  return nodes;
}
