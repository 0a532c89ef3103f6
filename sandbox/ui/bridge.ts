/**
 * The Forge frontend bridge as the UI Kit SDKs find it: @forge/react calls `self.__bridge.callBridge('reconcile',
 * {forgeDoc})` after every commit, and @forge/bridge captures `globalThis.__bridge.callBridge` when first imported
 * and sends `invoke` through it. Several headless pages may be alive at once (two admins), so `self.__bridge` is one
 * dispatcher that routes each reconcile to the page whose root it is; a root seen for the first time belongs to
 * the page being loaded (the reconciler commits its first render synchronously, during the page's import).
 */
import { type ForgeNode, isForgeNode } from './forge-doc';

export type CallBridge = (cmd: string, data: unknown) => Promise<unknown>;

export interface PageBridge {
  readonly callBridge: CallBridge;
  /** Called with the page's root on every reconcile. */
  onReconcile(root: ForgeNode): void;
}

interface Dispatcher {
  readonly pages: Map<ForgeNode, PageBridge>;
  loading: PageBridge | null;
  last: PageBridge | null;
}

const DISPATCHER = Symbol.for('entra-sync.headless-bridge');

type BridgeGlobal = typeof globalThis & {
  self?: { __bridge?: { callBridge: CallBridge } };
  __bridge?: { callBridge: CallBridge };
  [DISPATCHER]?: Dispatcher;
};

function dispatcher(): Dispatcher {
  const g = globalThis as BridgeGlobal;
  const existing = g[DISPATCHER];
  if (existing !== undefined) return existing;
  const created: Dispatcher = { pages: new Map(), loading: null, last: null };
  g[DISPATCHER] = created;
  const callBridge: CallBridge = async (cmd, data) => {
    if (cmd === 'reconcile') {
      const doc = (data as { forgeDoc?: unknown } | null)?.forgeDoc;
      if (!isForgeNode(doc)) return undefined;
      let page = created.pages.get(doc);
      if (page === undefined && created.loading !== null) {
        page = created.loading;
        created.pages.set(doc, page);
      }
      page?.onReconcile(doc);
      return page === undefined ? undefined : page.callBridge(cmd, data);
    }
    const target = created.loading ?? created.last;
    return target === null ? undefined : target.callBridge(cmd, data);
  };
  if (g.self === undefined) g.self = {};
  g.self.__bridge = { callBridge };
  return created;
}

/**
 * Runs `load` (which imports the page) with `page` as the bridge the SDKs capture, and routes the page's
 * reconciles to it from then on.
 */
export function withPageBridge<T>(page: PageBridge, load: () => T): T {
  const d = dispatcher();
  const g = globalThis as BridgeGlobal;
  d.loading = page;
  d.last = page;
  g.__bridge = { callBridge: page.callBridge };
  try {
    return load();
  } finally {
    d.loading = null;
  }
}

export function forgetPage(page: PageBridge): void {
  const d = dispatcher();
  for (const [root, owner] of d.pages) if (owner === page) d.pages.delete(root);
  if (d.last === page) d.last = null;
}
