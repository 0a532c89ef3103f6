/**
 * What the emulator knows about the invocation that is running: which function, which chain of pushes it belongs
 * to, its time limit, and whether it has been stopped. It travels with the app's async work (AsyncLocalStorage), so
 * a call the app makes after its invocation ran out of time is recognised and refused, as if Forge had ended it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

export interface LogEntry {
  readonly invocationId: string;
  readonly functionKey: string;
  readonly level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  /** Emulated epoch ms. */
  readonly at: number;
  readonly text: string;
}

export interface InvocationContext {
  readonly invocationId: string;
  readonly functionKey: string;
  readonly moduleKey: string;
  /** The originating resolver or trigger invocation of this chain of async events. */
  readonly chainId: string;
  /** The calling user (resolvers only). */
  readonly accountId: string | undefined;
  /** performance.now() when the invocation started. */
  readonly startedAt: number;
  readonly limitMs: number;
  dead: boolean;
  readonly logs: LogEntry[];
}

const storage = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return storage.getStore();
}

export function runInInvocation<T>(context: InvocationContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

export function remainingMs(context: InvocationContext): number {
  return Math.max(0, Math.round(context.limitMs - (performance.now() - context.startedAt)));
}

/** Thrown into an invocation's later platform calls once Forge would have stopped it. */
export class InvocationStoppedError extends Error {
  constructor(context: InvocationContext) {
    super(`The invocation of ${context.functionKey} was stopped: it ran past its ${Math.round(context.limitMs / 1000)} s time limit.`);
    this.name = 'FUNCTION_TIME_OUT';
  }
}
