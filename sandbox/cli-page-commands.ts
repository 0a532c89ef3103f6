/**
 * The commands that match the admin page's remaining actions (docs/sandbox.md): `settings` (the Setup tab),
 * `run RUN_ID` (a run's details from the History tab), `confirm RUN_ID` / `cancel RUN_ID` (the Sync tab's
 * confirmation panel), and `serve` (the page itself in a browser). Each goes through the app's own resolvers.
 */
import { RESOLVER_KEYS } from '../src/functions/resolver-keys';
import { ResolverError, type RunView } from './app-client';
import { type CommandContext, failWith, finishRun, reportRun } from './cli-commands';
import { describeReportExamples, describeRun, parseReport } from './cli-text';
import { DEFAULT_PAGE_PORT, startPageServer } from './page/server';
import { summaryOf } from './run-summary';

/** What the Setup tab shows: the stored settings (never the secret) and the schema status. */
export async function settingsCommand(ctx: CommandContext): Promise<number> {
  try {
    const settings = await ctx.client.raw(RESOLVER_KEYS.getSettings);
    const schema = await ctx.client.raw(RESOLVER_KEYS.getSchemaStatus);
    ctx.output.result({ settings, schema });
    const parsed = await ctx.client.getSettings();
    if (parsed === null) ctx.output.line('Microsoft connection: not set up (configure stores the settings).');
    else {
      ctx.output.line(
        `Microsoft connection: tenant ${parsed.tenantId}, client ${parsed.clientId}, cloud ${parsed.cloud}, scheduled sync every ${parsed.intervalDays} day(s).`,
      );
      const stored = (parsed as { secretStored?: unknown }).secretStored === true;
      const setAt = (parsed as { secretSetAt?: unknown }).secretSetAt;
      ctx.output.line(
        stored
          ? `Client secret: stored${typeof setAt === 'string' ? ` (set ${setAt})` : ''}; it is never shown.`
          : 'Client secret: none stored.',
      );
      ctx.output.line(
        parsed.attributes.length === 0
          ? 'Optional attributes: none (the core attributes only).'
          : `Optional attributes: ${parsed.attributes.join(', ')}`,
      );
    }
    const state = typeof schema === 'object' && schema !== null ? (schema as { state?: unknown }).state : undefined;
    ctx.output.line(`Schema: ${typeof state === 'string' ? state : 'unknown'}.`);
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error);
    throw error;
  }
}

function requireRunId(ctx: CommandContext): string {
  const runId = ctx.options.runId;
  if (runId === undefined) throw new Error('The run ID is missing.');
  return runId;
}

/** The run details view: the run, and its report when it has one. */
export async function runDetailsCommand(ctx: CommandContext): Promise<number> {
  const runId = requireRunId(ctx);
  try {
    const run = await ctx.client.getRun(runId);
    if (run === null)
      return failWith(ctx, new ResolverError('RUN_NOT_FOUND', 'That run no longer exists (run details expire after 14 days).'));
    const answer = await ctx.client.getReport(runId);
    const reportData = typeof answer === 'object' && answer !== null ? ((answer as { report?: unknown }).report ?? null) : null;
    ctx.output.result({ run, report: reportData });
    for (const line of describeRun(summaryOf(run), run)) ctx.output.line(line);
    ctx.output.line(`Started ${run.startedAt}${run.finishedAt === null ? '; still going' : `, finished ${run.finishedAt}`}.`);
    if (run.error !== null) ctx.output.line(`Error: ${run.error.message} [${run.error.code}]`);
    const report = parseReport(answer);
    if (report === null)
      ctx.output.line('No report is available for this run: it ended before planning, or its details expired (they are kept for 14 days).');
    else for (const line of describeReportExamples(report)) ctx.output.line(line);
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error);
    throw error;
  }
}

/** Confirm or cancel, as the Sync tab's buttons do, then deliver the run's events until it stops moving. */
export async function decideRunCommand(ctx: CommandContext, decision: 'confirm' | 'cancel'): Promise<number> {
  const runId = requireRunId(ctx);
  let answered: RunView;
  try {
    const key = decision === 'confirm' ? RESOLVER_KEYS.confirmRun : RESOLVER_KEYS.cancelRun;
    await ctx.client.raw(key, { runId });
    const run = await ctx.client.getRun(runId);
    if (run === null) throw new ResolverError('RUN_NOT_FOUND', 'That run no longer exists (run details expire after 14 days).');
    answered = run;
  } catch (error) {
    if (error instanceof ResolverError)
      return failWith(ctx, error, decision === 'confirm' ? 'The run was not confirmed: ' : 'The run was not cancelled: ');
    throw error;
  }
  const { summary, run } = await finishRun(ctx, answered);
  const code = reportRun(ctx, summary, run);
  // Cancelling is what was asked: a run that ends cancelled is success for `cancel`.
  return decision === 'cancel' && summary.status === 'cancelled' ? 0 : code;
}

/**
 * `npm start` serves the page after the demo only for a person at a terminal: not with --once or --json, not when
 * stdout is not a terminal (scripts, pipes), not when CI=true.
 */
export function servesAfterDemo(options: { once?: boolean; json: boolean }, stdoutIsTty: boolean, env: NodeJS.ProcessEnv): boolean {
  return options.once !== true && !options.json && stdoutIsTty && env['CI'] !== 'true';
}

/** Serves the admin page until SIGINT or SIGTERM. */
export async function serveCommand(ctx: CommandContext, options: { afterDemo?: boolean } = {}): Promise<number> {
  const server = await startPageServer({
    emulator: ctx.emulator,
    ...(ctx.options.port === undefined ? { port: DEFAULT_PAGE_PORT } : { port: ctx.options.port, strictPort: true }),
    notice: (message) => ctx.output.notice(message),
  });
  const lines = [
    `${options.afterDemo === true ? 'The admin page of this sandbox' : 'The admin page'} is at ${server.url}${server.portChanged ? ` (port ${DEFAULT_PAGE_PORT} was taken)` : ''}`,
    'Open it in a browser: the real app, drawn with the Atlassian Design System; syncs run in the background as on a site.',
    'Press Ctrl-C to stop.',
  ];
  // In --json mode the one JSON object is {url}; the notes go to stderr.
  if (ctx.output.json) {
    ctx.output.result({ url: server.url, port: server.port });
    for (const line of lines) ctx.output.notice(line);
  } else for (const line of lines) ctx.output.line(line);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  ctx.output.notice('Stopping the admin page...');
  await server.close();
  return 0;
}
