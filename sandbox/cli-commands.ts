/**
 * The sandbox commands. Each one does what the admin page would do, through the app's own resolvers, then (for
 * runs) delivers the queued events until the run is over or waits for confirmation. Each returns its exit code.
 */
import { performance } from 'node:perf_hooks';

import { z } from 'zod';

import { SIMULATED_TENANT } from '../fakes/simulation';
import { AppError } from '../src/domain/errors';
import { type GroupSelection, parseGroupSelection } from '../src/domain/group-sync';
import {
  parseCapabilityList,
  UPDATABLE_ATTRIBUTES,
  WRITE_BACK_CAPABILITIES,
  WRITE_BACK_OFF,
  type WriteBackSettings,
  writeBackSettingsSchema,
} from '../src/domain/write-back';
import { RESOLVER_KEYS } from '../src/functions/resolver-keys';
import { type AppClient, createAppClient, ResolverError, type RunView, statusSchema } from './app-client';
import type { CliOptions } from './cli-args';
import type { Output } from './cli-output';
import { describeHistory, describeRun, describeSchema, describeStatus } from './cli-text';
import type { Emulator } from './emulator';
import { exitCodeOf, notStartedSummary, type RunSummary, summaryOf } from './run-summary';

export const SCHEDULED_SYNC_TRIGGER = 'scheduled-sync-trigger';
const PROGRESS_EVERY_MS = 200;

export interface CommandContext {
  readonly emulator: Emulator;
  readonly client: AppClient;
  readonly output: Output;
  readonly options: CliOptions;
}

export function commandContext(emulator: Emulator, output: Output, options: CliOptions): CommandContext {
  return { emulator, client: createAppClient(emulator), output, options };
}

/** What the admin page shows as an error: one line on stderr, and {error} as the JSON result. */
export function failWith(ctx: CommandContext, error: ResolverError, prefix = ''): number {
  ctx.output.error(`${prefix}${error.message} [${error.code}]`);
  ctx.output.result({ error: { code: error.code, message: error.message } });
  return 1;
}

/** Delivers queued events until none is left, with a progress bar for `runId` on a terminal. */
export async function drainRun(ctx: CommandContext, runId: string | null): Promise<void> {
  const showProgress = runId !== null && !ctx.output.json && process.stdout.isTTY === true;
  let last = 0;
  await ctx.emulator.drain({
    until: async () => {
      // Real time, not the emulated clock (which jumps over delays).
      if (!showProgress || performance.now() - last < PROGRESS_EVERY_MS) return false;
      last = performance.now();
      const run = await ctx.client.getRun(runId).catch(() => null);
      if (run !== null)
        ctx.output.progress(
          `${run.mode === 'preview' ? 'Preview' : 'Sync'}: ${run.progress.label || run.stage || run.status}`,
          run.progress.processed,
          run.progress.total,
        );
      return false;
    },
  });
  ctx.output.clearProgress();
}

/** Events left by a sandbox process that stopped (or was killed) are delivered first, as Forge would have. */
export async function resumePending(ctx: CommandContext): Promise<void> {
  const pending = ctx.emulator.pendingEvents();
  if (pending === 0) return;
  const active = await ctx.client
    .getStatus()
    .then((s) => s.activeRun)
    .catch(() => null);
  ctx.output.notice(
    `Resuming ${pending} queued event(s) left by an earlier sandbox process${active === null ? '' : ` (run #${active.number}, ${active.mode})`}...`,
  );
  await drainRun(ctx, active?.runId ?? null);
  if (active !== null) {
    const finished = await ctx.client.getRun(active.runId).catch(() => null);
    if (finished !== null)
      ctx.output.notice(`Run #${finished.number} (${finished.mode}) resumed and ended: ${summaryOf(finished).status}.`);
  }
}

/** Starts a run through its resolver and runs it to the end (or to awaiting confirmation). */
export async function runToEnd(
  ctx: CommandContext,
  mode: 'preview' | 'sync',
  start: () => Promise<RunView>,
): Promise<{ summary: RunSummary; run: RunView | null }> {
  let started: RunView;
  try {
    started = await start();
  } catch (error) {
    if (error instanceof ResolverError) return { summary: notStartedSummary(mode, 'manual', error), run: null };
    throw error;
  }
  return finishRun(ctx, started);
}

export async function finishRun(ctx: CommandContext, started: RunView): Promise<{ summary: RunSummary; run: RunView }> {
  await drainRun(ctx, started.runId);
  const run = (await ctx.client.getRun(started.runId)) ?? started;
  return { summary: summaryOf(run), run };
}

/** Prints a run summary (JSON or text) and returns the exit code. */
export function reportRun(ctx: CommandContext, summary: RunSummary, run: RunView | null): number {
  ctx.output.result(summary);
  for (const line of describeRun(summary, run)) ctx.output.line(line);
  if (summary.status === 'failed' || summary.status === 'cancelled') {
    const what =
      run === null
        ? `The ${summary.mode} could not start`
        : `${summary.mode === 'preview' ? 'Preview' : 'Sync'} run #${run.number} ${summary.status}`;
    ctx.output.error(`${what}: ${summary.error?.message ?? 'no reason was recorded'}${summary.error ? ` [${summary.error.code}]` : ''}`);
  }
  return exitCodeOf(summary);
}

export async function runCommand(ctx: CommandContext, mode: 'preview' | 'sync'): Promise<number> {
  const { summary, run } = await runToEnd(ctx, mode, mode === 'preview' ? ctx.client.startPreview : ctx.client.startSync);
  return reportRun(ctx, summary, run);
}

/**
 * Create Schema to the end: starts the job (or joins the running one) through the createSchema resolver, delivers
 * queued events until the job has ended, and answers what the resolver answered before it became a job
 * ({created, repaired}) plus the steps in the order they completed. A failed job throws its error as a ResolverError.
 */
export async function createSchemaToEnd(ctx: CommandContext): Promise<{ created: string[]; repaired: string[]; steps: string[] }> {
  const started = await ctx.client.createSchema();
  const ended = async () => {
    const job = await ctx.client.getSchemaJob();
    return job === null || job.jobId !== started.jobId || (job.status !== 'queued' && job.status !== 'running');
  };
  await ctx.emulator.drain({ until: ended });
  const job = (await ctx.client.getSchemaJob()) ?? started;
  if (job.status === 'failed')
    throw new ResolverError(job.error?.code ?? 'SCHEMA_JOB_FAILED', job.error?.message ?? 'Create Schema stopped without a reason.');
  if (job.status !== 'succeeded')
    throw new ResolverError('SCHEMA_JOB_FAILED', 'Create Schema did not finish: the queue emptied while the job was still running.');
  return { created: job.result?.created ?? [], repaired: job.result?.repaired ?? [], steps: job.steps.map((step) => step.label) };
}

export async function schemaCommand(ctx: CommandContext): Promise<number> {
  try {
    const result = await createSchemaToEnd(ctx);
    ctx.output.result(result);
    for (const line of describeSchema(result)) ctx.output.line(line);
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error);
    throw error;
  }
}

/** `--attributes employeeId, officeLocation` -> ['employeeId', 'officeLocation']; '' -> []. */
function attributeKeys(text: string): string[] {
  return text
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/** `--groups` / `--group-membership` as the settings payload takes them; a usage error (exit 2) otherwise. */
function groupOptions(options: CliOptions): { groups?: GroupSelection; groupMembership?: string } | { error: string } {
  let groups: GroupSelection | undefined;
  try {
    groups = options.groups === undefined ? undefined : parseGroupSelection(options.groups);
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  }
  const membership = options.groupMembership;
  if (membership !== undefined && membership !== 'direct' && membership !== 'transitive')
    return { error: `--group-membership must be direct or transitive, not "${membership}".` };
  return { ...(groups === undefined ? {} : { groups }), ...(membership === undefined ? {} : { groupMembership: membership }) };
}

const commaList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * The write-back settings to save: the stored ones (off when none) with what `--write-back*` changed; null when no
 * write-back option was given (the stored settings stay as they are). An unknown capability or attribute name is a
 * usage error of configure; the rest (lists a capability needs, GUIDs, the rate's range) is the backend's to check.
 */
function writeBackOption(options: CliOptions, stored: unknown): WriteBackSettings | { error: string } | null {
  const given = options.writeBack;
  if (given === undefined) return null;
  const parsedStored = writeBackSettingsSchema.safeParse(stored);
  const base: WriteBackSettings = parsedStored.success ? parsedStored.data : WRITE_BACK_OFF;
  let capabilities = base.capabilities;
  if (given.capabilities !== undefined) {
    const list = parseCapabilityList(given.capabilities);
    if ('unknown' in list)
      return {
        error: `--write-back: unknown capability ${list.unknown.join(', ')} (allowed: ${WRITE_BACK_CAPABILITIES.join(', ')}; '' switches all off).`,
      };
    capabilities = list.capabilities;
  }
  let attributes = base.attributes;
  if (given.attributes !== undefined) {
    const names = commaList(given.attributes);
    const unknown = names.filter((name) => !(UPDATABLE_ATTRIBUTES as readonly string[]).includes(name));
    if (unknown.length > 0)
      return { error: `--write-back-attributes: unknown attribute ${unknown.join(', ')} (allowed: ${UPDATABLE_ATTRIBUTES.join(', ')}).` };
    attributes = [...new Set(names)] as WriteBackSettings['attributes'];
  }
  return {
    capabilities,
    attributes,
    groupIds: given.groups === undefined ? base.groupIds : commaList(given.groups),
    allowGuests: given.guests ?? base.allowGuests,
    exceptions: given.exceptions === undefined ? base.exceptions : commaList(given.exceptions),
    ratePerMinute: given.rate ?? base.ratePerMinute,
  };
}

function describeWriteBack(view: unknown): string {
  const parsed = writeBackSettingsSchema.safeParse(view);
  if (!parsed.success || parsed.data.capabilities.length === 0) return 'Write-back actions: off.';
  const w = parsed.data;
  return (
    `Write-back actions: ${w.capabilities.join(', ')}` +
    (w.capabilities.includes('updateAttributes') ? `; attributes ${w.attributes.join(', ')}` : '') +
    (w.capabilities.includes('groupMembership') ? `; ${w.groupIds.length} allowed group(s)` : '') +
    `; guests ${w.allowGuests ? 'allowed' : 'refused'}; ${w.exceptions.length} exception(s); at most ${w.ratePerMinute} a minute.`
  );
}

export async function configureCommand(ctx: CommandContext): Promise<number> {
  const { options, emulator } = ctx;
  const group = groupOptions(options);
  if ('error' in group) {
    // A usage error of this command (docs/sandbox.md): exit 2, nothing stored.
    ctx.output.error(`The settings were not saved: ${group.error} [INPUT_INVALID]`);
    ctx.output.result({ error: { code: 'INPUT_INVALID', message: group.error } });
    return 2;
  }
  try {
    const stored = await ctx.client.getSettings();
    const writeBack = writeBackOption(options, stored?.['writeBack']);
    if (writeBack !== null && 'error' in writeBack) {
      // An unknown capability or attribute: a usage error of this command (docs/sandbox.md), exit 2, nothing stored.
      ctx.output.error(`The settings were not saved: ${writeBack.error} [INPUT_INVALID]`);
      ctx.output.result({ error: { code: 'INPUT_INVALID', message: writeBack.error } });
      return 2;
    }
    const nothingGiven = options.tenantId === undefined && options.clientId === undefined && options.clientSecret === undefined;
    // On a fresh built-in world, `configure` alone connects to the simulated tenant's app registration.
    const builtInTenant =
      stored === null &&
      nothingGiven &&
      emulator.simulation !== undefined &&
      options.graphUrl === undefined &&
      options.loginUrl === undefined;
    const form: Record<string, unknown> = {
      tenantId: options.tenantId ?? stored?.tenantId ?? (builtInTenant ? SIMULATED_TENANT.tenantId : undefined),
      clientId: options.clientId ?? stored?.clientId ?? (builtInTenant ? SIMULATED_TENANT.clientId : undefined),
      clientSecret: options.clientSecret ?? (builtInTenant ? SIMULATED_TENANT.clientSecret : undefined),
      cloud: stored?.cloud ?? 'global',
      intervalDays: options.intervalDays ?? stored?.intervalDays ?? 1,
      // Absent: the stored scope stays; '' clears it.
      scope: options.scope,
      // Absent: the stored choice stays; '' chooses none. Keys are checked by saveSettings (INPUT_INVALID).
      attributes: options.attributes === undefined ? undefined : attributeKeys(options.attributes),
      // Absent: the stored group sync stays. Chosen group ids are looked up in Graph by saveSettings (INPUT_INVALID).
      ...group,
      // Absent: the stored write-back settings stay; given: the stored ones with the options' changes.
      ...(writeBack === null ? {} : { writeBack }),
    };
    const saved = await ctx.client.saveSettings(Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)));
    ctx.output.result(saved);
    if (builtInTenant) ctx.output.line("Using the built-in simulated tenant's app registration.");
    ctx.output.line(
      `Settings saved: tenant ${saved.tenantId}, client ${saved.clientId}, cloud ${saved.cloud}, scheduled sync every ${saved.intervalDays} day(s).`,
    );
    ctx.output.line(saved.scope === '' ? 'Sync scope: everyone the app reads.' : `Sync scope: ${saved.scope}`);
    ctx.output.line(
      saved.attributes.length === 0
        ? 'Optional attributes: none (the core attributes only).'
        : `Optional attributes: ${saved.attributes.join(', ')}`,
    );
    ctx.output.line(
      saved.groups === 'off'
        ? 'Group sync: off.'
        : `Group sync: ${saved.groups} (${saved.groupMembership} membership; needs the Graph application permission GroupMember.Read.All).`,
    );
    ctx.output.line(describeWriteBack(saved['writeBack']));
    ctx.output.line('The client secret is stored in the Forge secret store; it is never shown again.');
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) {
      const code = failWith(ctx, error, 'The settings were not saved: ');
      // An unreadable --scope expression is a usage error of this command (docs/sandbox.md): exit 2, nothing stored.
      // So is an unknown or repeated --attributes key.
      // So is a chosen group id that Entra ID does not know.
      const checked = options.scope !== undefined || options.attributes !== undefined || options.groups !== undefined;
      return checked && error.code === 'INPUT_INVALID' ? 2 : code;
    }
    throw error;
  }
}

export async function testConnectionCommand(ctx: CommandContext): Promise<number> {
  try {
    const result = await ctx.client.testConnection();
    ctx.output.result(result);
    ctx.output.line(`Microsoft Graph connection works: the app registration can read ${result.userCount} users.`);
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error, 'The connection test failed: ');
    throw error;
  }
}

export async function statusCommand(ctx: CommandContext): Promise<number> {
  try {
    const data = await ctx.client.raw(RESOLVER_KEYS.getStatus);
    ctx.output.result(data);
    const status = statusSchema.safeParse(data);
    if (status.success) for (const line of describeStatus(status.data)) ctx.output.line(line);
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error);
    throw error;
  }
}

export async function historyCommand(ctx: CommandContext): Promise<number> {
  try {
    const data = await ctx.client.getHistory();
    ctx.output.result({ runs: data });
    for (const line of describeHistory(data)) ctx.output.line(line);
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error);
    throw error;
  }
}

const diagnosticsAnswer = z.object({ summary: z.object({ fail: z.number() }), report: z.string() });

/** Diagnostics (runDiagnostics): `{checkedAt, checks, summary, report}` with --json, else the report; exit 1 when a check failed. */
export async function diagnosticsCommand(ctx: CommandContext): Promise<number> {
  try {
    const data = await ctx.client.raw(RESOLVER_KEYS.runDiagnostics);
    ctx.output.result(data);
    const answer = diagnosticsAnswer.parse(data);
    for (const line of answer.report.split('\n')) ctx.output.line(line);
    return answer.summary.fail > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error);
    throw error;
  }
}
