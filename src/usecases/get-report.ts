/** A run's report (or the latest of a mode) with the run it belongs to, so the page can say when and how it ended. */
import { z } from 'zod';

import type { PipelineDeps } from '../pipeline/deps';
import { runIdSchema } from '../pipeline/messages';
import { readLatestReport, readReport } from '../pipeline/report-store';
import { loadRun } from '../pipeline/run-store';
import { defineUseCase } from './use-case';

const reportRef = z.object({ runId: runIdSchema.optional(), mode: z.enum(['preview', 'sync']).optional() }).strict();

export const getReportUseCase = defineUseCase({
  name: 'getReport',
  input: reportRef,
  access: 'jira-admin',
  run: async (deps: Pick<PipelineDeps, 'store'>, input) => {
    const found =
      input.runId !== undefined
        ? { runId: input.runId, report: await readReport(deps, input.runId) }
        : await readLatestReport(deps, input.mode ?? 'preview');
    if (found === null) return null;
    return { runId: found.runId, report: found.report, run: await loadRun(deps, found.runId) };
  },
});
