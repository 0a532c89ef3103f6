/**
 * `scheduled-tick`: sets the emulated clock (--now), fires the app's daily scheduled-sync trigger once, and runs
 * whatever it started to the end. The trigger answers nothing (Forge ignores a trigger's result), so what it did is
 * read from the log line it writes: schedule.started (with the run id), schedule.skipped (with the reason) or
 * schedule.failed. A skipped tick is a success (exit 0) with status "skipped" and the reason as `error`.
 */
import { z } from 'zod';

import { scheduledSyncStatus } from '../src/domain/schedule';
import { ResolverError } from './app-client';
import { type CommandContext, finishRun, reportRun, SCHEDULED_SYNC_TRIGGER } from './cli-commands';
import { notStartedSummary } from './run-summary';

const logLineSchema = z.union([
  z.object({ event: z.literal('schedule.started'), runId: z.string() }),
  z.object({ event: z.literal('schedule.skipped'), reason: z.string() }),
  z.object({ event: z.literal('schedule.failed'), code: z.string() }),
]);
type TriggerOutcome = z.infer<typeof logLineSchema>;

const SKIP_CODES: Readonly<Record<string, string>> = {
  'not-configured': 'SETTINGS_MISSING',
  'not-due': 'SCHEDULE_NOT_DUE',
  'already-triggered-today': 'SCHEDULE_ALREADY_TRIGGERED',
  'run-active': 'RUN_ALREADY_ACTIVE',
  error: 'SCHEDULE_NOT_STARTED',
};

export async function scheduledTickCommand(ctx: CommandContext): Promise<number> {
  const { emulator, options, client, output } = ctx;
  if (options.now !== undefined) emulator.setNow(options.now);
  const seen = emulator.logs.length;
  await emulator.fireTrigger(SCHEDULED_SYNC_TRIGGER);
  const outcome = emulator.logs
    .slice(seen)
    .map((entry) => parseLine(entry.text))
    .find((o): o is TriggerOutcome => o !== null);
  const nowIso = new Date(emulator.now()).toISOString();

  if (outcome?.event === 'schedule.started') {
    const run = await client.getRun(outcome.runId);
    if (run === null)
      return reportRun(
        ctx,
        notStartedSummary('sync', 'scheduled', {
          code: 'RUN_NOT_FOUND',
          message: 'The scheduled trigger started a run that cannot be found.',
        }),
        null,
      );
    output.line(`${nowIso}: the scheduled trigger started sync run #${run.number}.`);
    const { summary, run: finished } = await finishRun(ctx, run);
    return reportRun(ctx, summary, finished);
  }
  if (outcome?.event === 'schedule.skipped') {
    const message = await skipMessage(ctx, outcome.reason, nowIso);
    const summary = notStartedSummary(
      'sync',
      'scheduled',
      { code: SKIP_CODES[outcome.reason] ?? 'SCHEDULE_NOT_STARTED', message },
      'skipped',
    );
    output.result(summary);
    output.line(`${nowIso}: the scheduled trigger ran and started nothing: ${message}`);
    return 0;
  }
  const code = outcome?.event === 'schedule.failed' ? outcome.code : 'INTERNAL';
  return reportRun(
    ctx,
    notStartedSummary('sync', 'scheduled', {
      code,
      message: 'The scheduled trigger failed before it could start a sync; see <state-dir>/logs/app.log.',
    }),
    null,
  );
}

async function skipMessage(ctx: CommandContext, reason: string, nowIso: string): Promise<string> {
  switch (reason) {
    case 'not-configured':
      return 'The Microsoft connection is not set up.';
    case 'already-triggered-today':
      return `A scheduled sync was already started on ${nowIso.slice(0, 10)}.`;
    case 'run-active':
      return 'Another run is in progress.';
    case 'not-due': {
      try {
        const status = await ctx.client.getStatus();
        if (status.settings === null) return 'No scheduled sync is due.';
        const next = scheduledSyncStatus({
          intervalDays: status.settings.intervalDays,
          lastScheduledSyncAt: status.lastScheduled?.lastSucceededAt ?? null,
          now: new Date(ctx.emulator.now()),
        });
        return `No scheduled sync is due: the next one is due on ${next.nextDueAt.slice(0, 10)}.`;
      } catch (error) {
        if (error instanceof ResolverError) return 'No scheduled sync is due.';
        throw error;
      }
    }
    default:
      return 'The scheduled sync could not start; see <state-dir>/logs/app.log.';
  }
}

function parseLine(text: string): TriggerOutcome | null {
  try {
    const parsed = logLineSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
