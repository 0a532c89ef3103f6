/**
 * A small, honest Forge runtime for the app's real code: it reads manifest.yml, installs what the unmodified @forge
 * SDKs expect (__forge_runtime__, __forge_fetch__, an egress-checked fetch, the emulated clock), then loads the
 * real handlers and runs them as Forge would: resolver calls with a caller, queue consumers with AsyncEvent and
 * retryContext, scheduled triggers. Storage and queues persist in the state directory, so a killed sandbox started
 * again with the same directory resumes where it stopped. Without --graph-url / --login-url / --jira-url it runs
 * against the built-in simulated tenant and site (fakes/), kept in the same directory.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { Simulation, SimulationOptions } from '../fakes/simulation';
import { createPrng } from '../fakes/world/prng';
import { EmulatedClock, installClock } from './clock';
import { Delivery, type DrainOptions, type DrainStats } from './delivery';
import { createEgressFetch } from './egress';
import { createFetchLimiter, type FetchLimiter, type FetchLimitOptions } from './fetch-limit';
import { createForgeFetch } from './forge-fetch';
import type { LogEntry } from './invocation-context';
import { Invoker } from './invoker';
import { createJiraProxy } from './jira-proxy';
import { createKvsApi } from './kvs-api';
import { FileKeyValueStore } from './kvs-store';
import { loadManifest } from './manifest';
import { createQueueApi, type DeliveryFaults } from './queue-api';
import { FileQueueStore } from './queue-store';
import { contextAriOf, installRuntime } from './runtime-globals';
import { lockStateDir } from './state-lock';
import { type BuiltInWorld, startBuiltInWorld } from './world-store';

export type { DrainStats } from './delivery';
export type { LogEntry } from './invocation-context';

/** The Jira administrator the sandbox acts as; the built-in site grants it ADMINISTER. */
export const SANDBOX_ADMIN_ACCOUNT_ID = '712020:5a7e1b3c-0d4f-4e2a-9b8c-5ad0b0c0ffee';
const PROJECT_ROOT = resolve(__dirname, '..');
const CLOUD_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const ENVIRONMENT_ID = '11111111-2222-4333-8444-555555555555';
const INSTALLATION_ID = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const REQUEST_MAX_BYTES = 500 * 1024;
const RESPONSE_MAX_BYTES = 5 * 1024 * 1024;

export interface EmulatorOptions {
  readonly stateDir: string;
  readonly graphUrl?: string;
  readonly loginUrl?: string;
  readonly jiraUrl?: string;
  readonly users?: number;
  readonly seed?: number;
  /** Scales consumer and trigger time limits, and real-time waits for delays; default 1. */
  readonly timeFactor?: number;
  /** The clock the emulated time runs on (default Date.now of the real clock). */
  readonly now?: () => number;
  readonly delivery?: DeliveryFaults;
  /** How long a kvs.query may lag behind writes (eventual consistency); default 0. */
  readonly kvsQueryDelayMs?: number;
  /**
   * Jump the emulated clock over delays instead of waiting. Default: on with the built-in world (its servers run on
   * the emulated clock), off when any external URL is given (a real server lives in real time).
   */
  readonly fastForward?: boolean;
  /** Behaviour of the built-in fakes (throttling, consent, preexisting schemas, latency...). */
  readonly simulation?: Omit<SimulationOptions, 'world' | 'now'>;
  /**
   * Forge's per-invocation outbound request limit (sandbox/fetch-limit.ts): always on for the global fetch;
   * `countsJira` (CLI --fetch-limit-counts-jira, default off) counts requestJira too.
   */
  readonly fetchLimit?: FetchLimitOptions;
  readonly adminAccountId?: string;
  /** The Atlassian account the page calls come from (`--as`); default: adminAccountId, the built-in site's admin. */
  readonly callerAccountId?: string;
  /**
   * Whether an Automation action's function gets the rule actor as `context.principal` (docs/platform-assumptions.md
   * R1, not documented): 'none' (default, the less friendly reading) or 'actor' (the calling account).
   */
  readonly automationPrincipal?: 'none' | 'actor';
  /**
   * Whether a Rovo action may call asUser() (R2, not documented): 'refused' (default, the less friendly reading: the
   * invocation has no user for requestJira, as Forge answers NEEDS_AUTHENTICATION_ERR) or 'allowed'.
   */
  readonly rovoAsUser?: 'refused' | 'allowed';
  /** Where sandbox notices go (default: stderr). The app's own log lines go to <stateDir>/logs/app.log. */
  readonly notice?: (message: string) => void;
}

export interface Emulator {
  readonly adminAccountId: string;
  /** The account invoke() calls as when not told otherwise. */
  readonly callerAccountId: string;
  readonly stateDir: string;
  /** The built-in tenant and site, when used. */
  readonly simulation?: Simulation;
  /** Every log line the app wrote in this process, in order. */
  readonly logs: readonly LogEntry[];
  /** Forge's per-invocation outbound request limit as enforced here, with the requests it refused. */
  readonly fetchLimit: FetchLimiter;
  /** Calls a resolver as @forge/bridge invoke does and answers what invoke would return to the page. */
  invoke(resolverKey: string, payload?: unknown, options?: { accountId?: string }): Promise<unknown>;
  /**
   * Invokes an action module's function with the payload Forge sends (issue 15; docs/sandbox.md "action"): the inputs
   * at the payload's top level beside `context: {cloudId, moduleKey}`, and `(payload, {principal, installContext})`.
   * Automation actions get a principal only with `automationPrincipal: 'actor'`; Rovo actions always name the caller
   * as principal, and their asUser() works only with `rovoAsUser: 'allowed'`. Answers what the function returned.
   */
  action(actionKey: string, input: Readonly<Record<string, unknown>>, options?: { accountId?: string }): Promise<unknown>;
  /** Delivers queued events until none is left (or until() says stop), honouring delays on the emulated clock. */
  drain(options?: DrainOptions): Promise<DrainStats>;
  /** Fires a scheduled trigger once (Forge does not retry a trigger that throws). */
  fireTrigger(triggerKey: string): Promise<void>;
  setNow(epochMs: number): void;
  now(): number;
  /** Events waiting in the queues. */
  pendingEvents(): number;
  close(): Promise<void>;
}

let active: string | null = null;

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (active !== null) throw new Error(`An emulator for ${active} is already running in this process; close it first.`);
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const unlock = lockStateDir(stateDir);
  const cleanups: (() => Promise<void> | void)[] = [unlock];
  active = stateDir;
  cleanups.push(() => {
    active = null;
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    const notice = options.notice ?? ((message: string) => process.stderr.write(`${message}\n`));
    const adminAccountId = options.adminAccountId ?? SANDBOX_ADMIN_ACCOUNT_ID;
    const callerAccountId = options.callerAccountId ?? adminAccountId;
    const timeFactor = options.timeFactor ?? 1;
    if (!(timeFactor > 0)) throw new Error('timeFactor must be greater than 0');
    const manifest = loadManifest(PROJECT_ROOT);
    const realNow = options.now ?? Date.now.bind(Date);
    const clock = new EmulatedClock(stateDir, realNow);
    cleanups.push(installClock(clock.now));
    const logsDir = join(stateDir, 'logs');
    mkdirSync(logsDir, { recursive: true });

    const external = options.graphUrl !== undefined || options.loginUrl !== undefined || options.jiraUrl !== undefined;
    const needsWorld = options.graphUrl === undefined || options.loginUrl === undefined || options.jiraUrl === undefined;
    let world: BuiltInWorld | null = null;
    if (needsWorld) {
      world = await startBuiltInWorld({
        stateDir,
        users: options.users,
        seed: options.seed,
        now: clock.now,
        adminAccountId,
        simulation: options.simulation,
        warn: notice,
      });
      const started = world;
      cleanups.push(async () => {
        // Changes made through the fakes' control API (tests) are kept too.
        started.persist('both');
        await started.close();
      });
    }
    const builtIn = world?.simulation;
    const realFetch = globalThis.fetch;
    const prng = createPrng(options.delivery?.seed ?? 1);
    const random = () => prng.next();

    const kvsApp = new FileKeyValueStore(join(stateDir, 'kvs', 'app'), clock.now, options.kvsQueryDelayMs ?? 0);
    const kvsSecrets = new FileKeyValueStore(join(stateDir, 'kvs', 'secret'), clock.now);
    const queueStore = new FileQueueStore(join(stateDir, 'queues'));
    const invoker = new Invoker(manifest, timeFactor);
    const fetchLimit = createFetchLimiter(options.fetchLimit);
    const logs: LogEntry[] = [];
    const logFile = join(logsDir, 'app.log');

    const forgeFetch = createForgeFetch({
      kvs: createKvsApi(kvsApp, kvsSecrets),
      publish: createQueueApi({
        store: queueStore,
        now: clock.now,
        consumerTimeout: (queue) => {
          const consumer = manifest.consumers.get(queue);
          return consumer === undefined ? undefined : manifest.functions.get(consumer.functionKey)?.timeoutSeconds;
        },
        random,
        faults: options.delivery ?? {},
        log: notice,
      }),
      requestJira: createJiraProxy({
        siteUrl: options.jiraUrl ?? builtIn!.jira.url,
        scopes: manifest.scopes,
        fetch: realFetch,
        ...(options.jiraUrl === undefined ? { afterChange: () => world?.persist('jira') } : {}),
      }),
      scopes: manifest.scopes,
      fetchLimit,
    });
    const egressFetch = createEgressFetch({
      declared: manifest.egress,
      loginTarget: options.loginUrl ?? builtIn!.entra.url,
      graphTarget: options.graphUrl ?? builtIn!.entra.url,
      graphAliases: options.graphUrl === undefined ? ['https://graph.microsoft.com'] : [],
      realFetch,
      fetchLimit,
      afterMicrosoftCall: (kind) => {
        const usesBuiltIn = kind === 'login' ? options.loginUrl === undefined : options.graphUrl === undefined;
        if (usesBuiltIn) world?.persist('entra');
      },
    });
    cleanups.push(
      installRuntime({
        identity: {
          appId: manifest.appId,
          environmentId: ENVIRONMENT_ID,
          installationId: INSTALLATION_ID,
          cloudId: CLOUD_ID,
          scopes: [...manifest.scopes],
          egress: manifest.egress,
        },
        forgeFetch,
        egressFetch,
        now: clock.now,
        onLog: (entry) => {
          logs.push(entry);
          appendFileSync(logFile, `${new Date(entry.at).toISOString()} ${entry.functionKey} ${entry.level} ${entry.text}\n`);
        },
      }),
    );
    invoker.loadHandlers();
    // Runs before the runtime globals are removed (cleanups run in reverse): stopped invocations end first.
    cleanups.push(() => invoker.settle(10_000));

    const delivery = new Delivery({
      store: queueStore,
      invoker,
      manifest,
      clock,
      cloudId: CLOUD_ID,
      timeFactor,
      fastForward: options.fastForward ?? !external,
      reorder: options.delivery?.reorder ?? false,
      random,
      log: (message) => appendFileSync(join(logsDir, 'platform.log'), `${new Date(clock.now()).toISOString()} ${message}\n`),
    });

    const emulator: Emulator = {
      adminAccountId,
      callerAccountId,
      stateDir,
      ...(builtIn === undefined ? {} : { simulation: builtIn }),
      logs,
      fetchLimit,
      invoke: async (resolverKey, payload, invokeOptions) => {
        const page = manifest.adminPage;
        if (page === null) throw new Error('manifest.yml declares no admin page resolver');
        const payloadJson = JSON.stringify(payload ?? {});
        if (Buffer.byteLength(payloadJson) > REQUEST_MAX_BYTES)
          throw new Error('The request payload is larger than the 500 KB Forge accepts from the page.');
        const accountId = invokeOptions?.accountId ?? callerAccountId;
        const outcome = await invoker.invoke({
          functionKey: page.resolverFunction,
          moduleKey: page.moduleKey,
          accountId,
          args: [
            {
              call: { functionKey: resolverKey, payload: JSON.parse(payloadJson) as unknown },
              context: {
                cloudId: CLOUD_ID,
                moduleKey: page.moduleKey,
                siteUrl: 'https://sandbox.atlassian.net',
                extension: { type: 'jira:adminPage' },
                localId: `${page.moduleKey}-local`,
                environmentType: 'DEVELOPMENT',
              },
            },
            { principal: { accountId }, installContext: contextAriOf(CLOUD_ID) },
          ],
        });
        if (outcome.kind === 'timed-out')
          throw new Error(
            `There was an error invoking the function - the resolver ran past its ${invoker.limitMs(page.resolverFunction) / 1000} s time limit.`,
          );
        if (outcome.kind === 'threw') {
          throw new Error(
            `There was an error invoking the function - ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
          );
        }
        if (outcome.value === undefined) return undefined;
        const answer = JSON.stringify(outcome.value);
        if (Buffer.byteLength(answer) > RESPONSE_MAX_BYTES)
          throw new Error('The resolver answered more than the 5 MB Forge passes back to the page.');
        return JSON.parse(answer) as unknown;
      },
      action: async (actionKey, input, actionOptions) => {
        const action = manifest.actions.get(actionKey);
        if (action === undefined)
          throw new Error(`manifest.yml declares no action ${actionKey} offered by an automation:actionProvider or a rovo:agent`);
        const accountId = actionOptions?.accountId ?? callerAccountId;
        const principal = action.surface === 'rovo' || (options.automationPrincipal ?? 'none') === 'actor' ? { accountId } : undefined;
        const userForRequests = action.surface === 'rovo' && (options.rovoAsUser ?? 'refused') === 'allowed' ? accountId : undefined;
        const payload = JSON.parse(JSON.stringify({ ...input, context: { cloudId: CLOUD_ID, moduleKey: action.providerKey } })) as unknown;
        const outcome = await invoker.invoke({
          functionKey: action.functionKey,
          moduleKey: actionKey,
          ...(userForRequests === undefined ? {} : { accountId: userForRequests }),
          args: [payload, { principal, installContext: contextAriOf(CLOUD_ID) }],
        });
        if (outcome.kind === 'timed-out') throw new Error(`The action ${actionKey} ran past its time limit.`);
        if (outcome.kind === 'threw')
          throw new Error(
            `The action ${actionKey} threw: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
          );
        return outcome.value === undefined ? undefined : (JSON.parse(JSON.stringify(outcome.value)) as unknown);
      },
      drain: (drainOptions) => delivery.drain(drainOptions),
      fireTrigger: async (triggerKey) => {
        const trigger = manifest.triggers.get(triggerKey);
        if (trigger === undefined) throw new Error(`manifest.yml declares no scheduled trigger ${triggerKey}`);
        const outcome = await invoker.invoke({
          functionKey: trigger.functionKey,
          moduleKey: triggerKey,
          args: [
            { context: { cloudId: CLOUD_ID, moduleKey: triggerKey } },
            { installContext: contextAriOf(CLOUD_ID), principal: undefined },
          ],
        });
        if (outcome.kind !== 'returned')
          notice(
            `The scheduled trigger ${triggerKey} ${outcome.kind === 'timed-out' ? 'ran past its time limit' : 'threw'}; Forge does not retry triggers.`,
          );
      },
      setNow: (epochMs) => clock.set(epochMs),
      now: () => clock.now(),
      pendingEvents: () => queueStore.size(),
      close: async () => {
        clock.save();
        await close();
      },
    };
    return emulator;
  } catch (error) {
    await close();
    throw error;
  }
}
