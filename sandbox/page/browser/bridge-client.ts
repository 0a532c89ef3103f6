/**
 * The Forge frontend bridge in the browser, installed before the app's bundle runs: @forge/react sends
 * `reconcile` {forgeDoc} after every commit, and @forge/bridge's `invoke` sends {functionKey, payload}. Invokes go
 * to the sandbox's page server (POST /api/invoke), which calls the app's real resolver on the emulator as the
 * signed-in account and answers exactly what @forge/bridge invoke returns on a site; a failed invocation rejects,
 * as it does in Jira. Everything is recorded on `globalThis.__entraSyncPage` for the browser tests.
 */
import type { ForgeNode } from '../../ui/forge-doc';

export type CallBridge = (cmd: string, data: unknown) => Promise<unknown>;

export interface InvokeRecord {
  readonly functionKey: string;
  /** The request body as sent and the answer as received, as JSON text (for secret scans). */
  readonly request: string;
  response: string | null;
  failed: boolean;
}

export interface PageRecord {
  /** Invokes still waiting for their answer. */
  inFlight: number;
  readonly invokes: InvokeRecord[];
  reconciles: number;
  /** Bridge commands the host does not implement, and errors the app reported over the bridge. */
  readonly problems: string[];
}

export interface BridgeHost {
  readonly record: PageRecord;
  onDoc(listener: (doc: ForgeNode) => void): void;
}

type BridgeGlobal = typeof globalThis & { __bridge?: { callBridge: CallBridge }; self?: unknown; __entraSyncPage?: PageRecord };

function isForgeNode(value: unknown): value is ForgeNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    Array.isArray((value as { children?: unknown }).children)
  );
}

interface InvokeAnswer {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly message?: string;
}

function isInvokeAnswer(value: unknown): value is InvokeAnswer {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

async function invokeOnServer(record: InvokeRecord): Promise<unknown> {
  const response = await fetch('/api/invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: record.request,
  });
  const text = await response.text();
  record.response = text;
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = null;
  }
  if (!isInvokeAnswer(answer)) throw new Error(`There was an error invoking the function - the sandbox answered HTTP ${response.status}.`);
  if (!answer.ok) throw new Error(answer.message ?? 'There was an error invoking the function.');
  return answer.value;
}

/** Installs the bridge on `self` and `globalThis`; call before the app's bundle is loaded. */
export function installBridge(): BridgeHost {
  const g = globalThis as BridgeGlobal;
  const record: PageRecord = { inFlight: 0, invokes: [], reconciles: 0, problems: [] };
  const listeners: ((doc: ForgeNode) => void)[] = [];
  let latest: ForgeNode | null = null;

  const callBridge: CallBridge = async (cmd, data) => {
    if (cmd === 'reconcile') {
      const doc = (data as { forgeDoc?: unknown } | null)?.forgeDoc;
      if (!isForgeNode(doc)) return undefined;
      record.reconciles++;
      latest = doc;
      for (const listener of listeners) listener(doc);
      return undefined;
    }
    if (cmd === 'invoke') {
      const { functionKey, payload } = (data ?? {}) as { functionKey?: unknown; payload?: unknown };
      if (typeof functionKey !== 'string') throw new Error('functionKey must be a string!');
      const entry: InvokeRecord = {
        functionKey,
        request: JSON.stringify({ functionKey, payload: payload ?? null }),
        response: null,
        failed: false,
      };
      record.invokes.push(entry);
      record.inFlight++;
      try {
        return await invokeOnServer(entry);
      } catch (error) {
        entry.failed = true;
        throw error;
      } finally {
        record.inFlight--;
      }
    }
    if (cmd === 'onError') {
      const error = (data as { error?: unknown } | null)?.error;
      record.problems.push(`The app reported an error: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    record.problems.push(`The page does not implement the bridge command "${cmd}".`);
    return undefined;
  };

  const bridge = { callBridge };
  g.__bridge = bridge;
  (g as unknown as { self: { __bridge?: unknown } }).self.__bridge = bridge;
  g.__entraSyncPage = record;
  return {
    record,
    onDoc(listener) {
      listeners.push(listener);
      // A reconcile that came before the host drew anything is not lost.
      if (latest !== null) listener(latest);
    },
  };
}
