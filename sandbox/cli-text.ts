/**
 * The sandbox's human-readable text: run results, schema changes, status, history and a few example rows of a
 * report. Pure functions from the resolvers' answers to lines, so the wording lives in one place.
 */
import { z } from 'zod';

import { type RunReport, runReportSchema } from '../src/domain/report';
import type { RunView, StatusView } from './app-client';
import type { RunSummary } from './run-summary';

const LABEL = { preview: 'Preview', sync: 'Sync', 'single-user': 'Single-user' } as const;

export function describeRun(summary: RunSummary, run: RunView | null): string[] {
  if (run === null) return [];
  const head = `${LABEL[summary.mode]} run #${run.number} (${summary.trigger})`;
  const c = summary.counts;
  const counts = [
    `  Atlassian users ${c.atlassianUsers} · matched ${c.matched} · unmatched ${c.unmatchedAtlassian}`,
    `  ${summary.mode === 'preview' ? 'would create' : 'created'} ${c.creates} · ${summary.mode === 'preview' ? 'would update' : 'updated'} ${c.updates} · ${summary.mode === 'preview' ? 'would inactivate' : 'inactivated'} ${c.inactivations} · unchanged ${c.unchanged}`,
    `  missing manager links ${c.missingManagerLinks} · warnings ${c.warnings} · write failures ${c.writeFailures}`,
  ];
  switch (summary.status) {
    case 'succeeded':
      return [`${head} succeeded.`, ...counts];
    case 'awaiting-confirmation': {
      const safety = run.safety;
      const figures = safety
        ? ` It would inactivate ${safety.inactivations} of ${safety.activeBefore} active Employee objects, more than the safety threshold allows.`
        : '';
      return [
        `${head} is waiting for confirmation; nothing has been written to Assets yet.${figures}`,
        '  Confirm or cancel it on the Sync tab of the admin page.',
        ...counts,
      ];
    }
    default:
      return [`${head} ${summary.status}.`, ...counts];
  }
}

export function describeSchema(result: { created: readonly string[]; repaired: readonly string[] }): string[] {
  if (result.created.length === 0 && result.repaired.length === 0)
    return ['The Entra Directory (ENTRA) schema is already complete: nothing to create or repair.'];
  return [
    ...(result.created.length > 0 ? ['Created in Assets:', ...result.created.map((item) => `  + ${item}`)] : []),
    ...(result.repaired.length > 0 ? ['Repaired in Assets:', ...result.repaired.map((item) => `  ~ ${item}`)] : []),
  ];
}

export function describeStatus(status: StatusView): string[] {
  const lines: string[] = [];
  const active = status.activeRun;
  lines.push(
    active === null
      ? 'No run is in progress.'
      : `Run #${active.number} (${active.mode}, ${active.trigger}) is ${active.status}${active.stage ? ` in the ${active.stage} stage` : ''}${active.progress.label ? `: ${active.progress.label}` : ''}.`,
  );
  const last = (label: string, value: StatusView['lastManual']) =>
    value === null
      ? `${label}: none yet.`
      : `${label}: run #${value.entry.number}, ${value.entry.status}, started ${value.entry.startedAt}.`;
  lines.push(last('Last manual sync', status.lastManual), last('Last scheduled sync', status.lastScheduled));
  const s = status.settings;
  lines.push(
    s === null
      ? 'Microsoft connection: not set up.'
      : `Microsoft connection: tenant ${s.tenantId}, client ${s.clientId}, cloud ${s.cloud}, scheduled sync every ${s.intervalDays} day(s).`,
  );
  return lines;
}

const historyEntrySchema = z.object({
  runId: z.string(),
  number: z.number(),
  mode: z.string(),
  trigger: z.string(),
  status: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nullable(),
  counts: z.object({ creates: z.number(), updates: z.number(), inactivations: z.number() }).passthrough().nullable(),
  error: z.object({ code: z.string() }).passthrough().nullable(),
});

export function describeHistory(data: unknown): string[] {
  const entries = z.array(historyEntrySchema).safeParse(data);
  if (!entries.success) return ['The run history could not be read.'];
  if (entries.data.length === 0) return ['No runs yet.'];
  return entries.data.map((e) => {
    const duration = e.durationMs === null ? '' : ` ${(e.durationMs / 1000).toFixed(1)} s`;
    const counts = e.counts === null ? '' : ` · +${e.counts.creates} ~${e.counts.updates} -${e.counts.inactivations}`;
    return `#${e.number} ${e.startedAt} ${e.trigger} ${e.mode} ${e.status}${duration}${counts}${e.error ? ` · ${e.error.code}` : ''} · run ${e.runId}`;
  });
}

const reportAnswerSchema = z.object({ report: runReportSchema.nullable() }).passthrough().nullable();

export function parseReport(data: unknown): RunReport | null {
  const parsed = reportAnswerSchema.safeParse(data);
  return parsed.success ? (parsed.data?.report ?? null) : null;
}

/** A few rows of each category of a preview report, with the exact totals. */
export function describeReportExamples(report: RunReport, perCategory = 3): string[] {
  const lines: string[] = [];
  const section = <T>(title: string, total: number, items: readonly T[], row: (item: T) => string) => {
    if (total === 0) return;
    lines.push(`  ${title} (${total}):`);
    for (const item of items.slice(0, perCategory)) lines.push(`    - ${row(item)}`);
    if (total > perCategory) lines.push(`    ... and ${total - perCategory} more`);
  };
  const text = (value: string | null) => value ?? '—';
  section('To create', report.counts.creates, report.creates.items, (c) =>
    [text(c.fullName), ...c.attributes.filter((a) => a.attribute !== 'Email').map((a) => text(a.value))].join(' · '),
  );
  section(
    'To update',
    report.counts.updates,
    report.updates.items,
    (u) =>
      `${text(u.fullName)} (${u.objectKey}): ${u.changes.map((ch) => `${ch.attribute} ${text(ch.from)} -> ${text(ch.to)}`).join('; ')}`,
  );
  section(
    'To inactivate',
    report.counts.inactivations,
    report.inactivations.items,
    (i) => `${text(i.fullName)} (${i.objectKey}): ${i.reasonText}`,
  );
  section(
    'Atlassian accounts not matched',
    report.counts.unmatchedAtlassian,
    report.unmatchedAtlassian.items,
    (u) => `${u.accountId}: ${u.reasonText}`,
  );
  section(
    'Missing manager links',
    report.counts.missingManagerLinks,
    report.missingManagerLinks.items,
    (m) => `${text(m.fullName)}: ${m.reasonText}`,
  );
  section('Warnings', report.counts.warnings, report.warnings.items, (w) => `${w.code}: ${w.message}`);
  return lines;
}
