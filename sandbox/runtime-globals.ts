/**
 * Installs what the unmodified @forge SDKs look for in a Forge function's process, before any app module loads:
 * globalThis.__forge_runtime__ (app and invocation context, remaining time, tracing, metrics), __forge_fetch__,
 * the egress-checked global fetch, and a console that files the app's log lines under the running invocation
 * instead of printing them (Forge keeps function logs apart from anything a user sees). Returns the uninstaller.
 */
import { randomUUID } from 'node:crypto';

import type { ForgeFetch } from './forge-fetch';
import { currentInvocation, type LogEntry, remainingMs } from './invocation-context';

export interface RuntimeIdentity {
  readonly appId: string;
  readonly environmentId: string;
  readonly installationId: string;
  readonly cloudId: string;
  readonly scopes: readonly string[];
  readonly egress: readonly string[];
}

export interface RuntimeInstall {
  readonly identity: RuntimeIdentity;
  readonly forgeFetch: ForgeFetch;
  readonly egressFetch: typeof fetch;
  readonly now: () => number;
  /** Receives every log line an app invocation writes. */
  readonly onLog: (entry: LogEntry) => void;
}

type Globals = typeof globalThis & { __forge_runtime__?: unknown; __forge_fetch__?: unknown };
const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export function contextAriOf(cloudId: string): string {
  return `ari:cloud:jira::site/${cloudId}`;
}

export function installRuntime(install: RuntimeInstall): () => void {
  const g = globalThis as Globals;
  if (g.__forge_runtime__ !== undefined || g.__forge_fetch__ !== undefined) {
    throw new Error('A Forge runtime is already installed in this process: close the other emulator first.');
  }
  const { identity } = install;
  const noop = () => undefined;
  const runtime = {
    proxy: { token: 'sandbox-proxy-token', url: 'http://forge-proxy.sandbox.invalid' },
    contextAri: contextAriOf(identity.cloudId),
    get appContext() {
      const invocation = currentInvocation();
      return {
        appId: identity.appId,
        appVersion: '1.0.0',
        environmentId: identity.environmentId,
        environmentType: 'DEVELOPMENT',
        invocationId: invocation?.invocationId ?? randomUUID(),
        installationId: identity.installationId,
        moduleKey: invocation?.moduleKey,
        functionKey: invocation?.functionKey,
        license: undefined,
        installation: { ari: { installationId: identity.installationId }, contexts: [{ cloudId: identity.cloudId }] },
        permissions: { scopes: [...identity.scopes], external: { fetch: { backend: identity.egress.map((address) => ({ address })) } } },
      };
    },
    get lambdaContext() {
      const invocation = currentInvocation();
      return {
        awsRequestId: invocation?.invocationId ?? randomUUID(),
        getRemainingTimeInMillis: () => (invocation === undefined ? 900_000 : remainingMs(invocation)),
      };
    },
    tracing: { traceId: randomUUID().replace(/-/g, ''), spanId: randomUUID().replace(/-/g, '').slice(0, 16) },
    metrics: {
      counter: () => ({ incr: noop, decr: noop }),
      timing: () => ({ measure: () => ({ stop: noop }) }),
      gauge: () => ({ set: noop }),
    },
    featureFlags: {},
    externalAuth: [],
  };

  const previousFetch = g.fetch;
  const previousConsole = Object.fromEntries(CONSOLE_LEVELS.map((level) => [level, console[level]])) as Record<
    (typeof CONSOLE_LEVELS)[number],
    (...args: unknown[]) => void
  >;
  g.__forge_runtime__ = runtime;
  g.__forge_fetch__ = install.forgeFetch;
  g.fetch = install.egressFetch;
  for (const level of CONSOLE_LEVELS) {
    console[level] = (...args: unknown[]) => {
      const invocation = currentInvocation();
      if (invocation === undefined) {
        previousConsole[level](...args);
        return;
      }
      const entry: LogEntry = {
        invocationId: invocation.invocationId,
        functionKey: invocation.functionKey,
        level,
        at: install.now(),
        text: args.map(format).join(' '),
      };
      invocation.logs.push(entry);
      install.onLog(entry);
    };
  }

  return () => {
    delete g.__forge_runtime__;
    delete g.__forge_fetch__;
    g.fetch = previousFetch;
    for (const level of CONSOLE_LEVELS) console[level] = previousConsole[level];
  };
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
