/**
 * Where run reports live: each run's report (expires with the run's data) and the latest preview and sync
 * reports, which the admin page shows and which are kept until the next run of the same mode replaces them.
 */
import { z } from 'zod';

import { fitReport, type RunReport, runReportSchema } from '../domain/report';
import type { PipelineDeps, RunDataDeps } from './deps';
import { keys } from './keys';
import { RETENTION_SECONDS } from './retention';

export async function saveReport(deps: RunDataDeps, runId: string, report: RunReport): Promise<void> {
  await deps.store.set(keys.chunk(runId, 'report', 0), fitReport(report), { ttlSeconds: deps.config.runDataTtlSeconds });
}

export async function readReport(deps: Pick<PipelineDeps, 'store'>, runId: string): Promise<RunReport | null> {
  const parsed = runReportSchema.safeParse(await deps.store.get(keys.chunk(runId, 'report', 0)));
  return parsed.success ? parsed.data : null;
}

const latestReportSchema = z.object({ v: z.literal(1), runId: z.string(), report: runReportSchema });

export async function saveLatestReport(
  deps: Pick<PipelineDeps, 'store'>,
  mode: 'preview' | 'sync',
  runId: string,
  report: RunReport,
): Promise<void> {
  await deps.store.set(keys.latestReport(mode), { v: 1, runId, report: fitReport(report) }, { ttlSeconds: RETENTION_SECONDS.latestReport });
}

export async function readLatestReport(
  deps: Pick<PipelineDeps, 'store'>,
  mode: 'preview' | 'sync',
): Promise<{ runId: string; report: RunReport } | null> {
  const parsed = latestReportSchema.safeParse(await deps.store.get(keys.latestReport(mode)));
  return parsed.success ? { runId: parsed.data.runId, report: parsed.data.report } : null;
}
