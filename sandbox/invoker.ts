/**
 * Runs the app's functions the way Forge does: one invocation at a time, each with its own context and time limit
 * (25 s for resolvers, the manifest's timeoutSeconds for consumers and triggers, scaled by the time factor).
 * An invocation that overruns is stopped: the emulator stops waiting for it, its result is ignored, and every
 * platform call it still makes fails (see invocation-context).
 *
 * The handler modules named in manifest.yml are required here, after the runtime globals are installed, exactly
 * as Forge loads them: the real files, the unmodified SDKs.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { type InvocationContext, type LogEntry, runInInvocation } from './invocation-context';
import type { Manifest, ManifestFunction } from './manifest';

export type Handler = (...args: unknown[]) => unknown;

export type InvocationOutcome =
  | { readonly kind: 'returned'; readonly value: unknown; readonly context: InvocationContext }
  | { readonly kind: 'threw'; readonly error: unknown; readonly context: InvocationContext }
  | { readonly kind: 'timed-out'; readonly context: InvocationContext };

export interface InvocationRequest {
  readonly functionKey: string;
  readonly moduleKey: string;
  /** Continues this chain (consumers); a new chain starts at this invocation when absent. */
  readonly chainId?: string;
  readonly accountId?: string;
  readonly args: readonly unknown[];
}

export class Invoker {
  private readonly handlers = new Map<string, Handler>();
  private tail: Promise<unknown> = Promise.resolve();
  /** Every invocation's own work, including one the emulator stopped waiting for: it may still be running. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly manifest: Manifest,
    private readonly timeFactor: number,
  ) {}

  /** Requires every handler module the manifest names; fails loudly when an export is missing. */
  loadHandlers(): void {
    for (const fn of this.manifest.functions.values()) this.handlers.set(fn.key, loadHandler(fn));
  }

  limitMs(functionKey: string): number {
    const fn = this.requireFunction(functionKey);
    const isResolver = this.manifest.adminPage?.resolverFunction === functionKey;
    return isResolver ? fn.timeoutSeconds * 1000 : fn.timeoutSeconds * 1000 * this.timeFactor;
  }

  /** Queues the invocation behind any running one and runs it under its time limit. */
  invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    const run = this.tail.then(() => this.runNow(request));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runNow(request: InvocationRequest): Promise<InvocationOutcome> {
    const handler = this.handlers.get(request.functionKey);
    if (handler === undefined) throw new Error(`No handler loaded for function ${request.functionKey}`);
    const invocationId = randomUUID();
    const context: InvocationContext = {
      invocationId,
      functionKey: request.functionKey,
      moduleKey: request.moduleKey,
      chainId: request.chainId ?? invocationId,
      accountId: request.accountId,
      startedAt: performance.now(),
      limitMs: this.limitMs(request.functionKey),
      dead: false,
      logs: [] as LogEntry[],
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvocationOutcome>((resolve) => {
      timer = setTimeout(() => {
        context.dead = true;
        resolve({ kind: 'timed-out', context });
      }, context.limitMs);
    });
    const work = runInInvocation(context, async () => handler(...request.args)).then(
      (value): InvocationOutcome => ({ kind: 'returned', value, context }),
      (error: unknown): InvocationOutcome => ({ kind: 'threw', error, context }),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
    try {
      const outcome = await Promise.race([work, timeout]);
      // Whatever it returns after this point is ignored, and its later platform calls fail.
      context.dead = true;
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Waits (at most maxMs) for the work of stopped invocations to end: their platform calls already fail, but their
   * code still runs, and it must not outlive the emulator's globals (it would log to the host's console).
   */
  async settle(maxMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxMs);
    });
    await Promise.race([Promise.allSettled([...this.running]), limit]);
    clearTimeout(timer);
  }

  private requireFunction(functionKey: string): ManifestFunction {
    const fn = this.manifest.functions.get(functionKey);
    if (fn === undefined) throw new Error(`manifest.yml declares no function ${functionKey}`);
    return fn;
  }
}

function loadHandler(fn: ManifestFunction): Handler {
  // A plain require on purpose: under tsx and under jest it loads the TypeScript source through their loaders, and
  // it must run only now, after the runtime globals exist (the SDKs capture them when first loaded).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded: unknown = require(fn.modulePath);
  const handler = typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>)[fn.exportName] : undefined;
  if (typeof handler !== 'function')
    throw new Error(`manifest.yml: function ${fn.key} names ${fn.exportName} in ${fn.modulePath}, which exports no such function`);
  return handler as Handler;
}
