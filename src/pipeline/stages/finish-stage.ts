/**
 * Stage 6: the end of a run. Folds the write failures into the report, keeps it as the latest preview or sync
 * report for the admin page, and finalizes the run (status, history, last manual/scheduled sync, lock released).
 */
import { z } from 'zod';

import { AppError } from '../../domain/errors';
import { attributeName } from '../../domain/plan-report';
import { recordWriteFailures, type RunReport } from '../../domain/report';
import { attributeOf, type ObjectTypeDefinition, objectTypeOf } from '../../domain/schema-definition';
import type { PipelineDeps, RunDataDeps } from '../deps';
import { keys } from '../keys';
import { readReport, saveLatestReport, saveReport } from '../report-store';
import { runDefinition } from '../run-state';
import { finalizeRun, loadRun } from '../run-store';
import type { StageHandler } from '../step-runner';
import { writeCheckpointSchema } from './write-assets-stage';

const completedWriteSchema = z.object({ complete: z.literal(true), state: writeCheckpointSchema });

/** Everything this stage can touch besides its step context: stored data and the run's end, no external system. */
export type FinishStageDeps = RunDataDeps & Pick<PipelineDeps, 'clock' | 'logger'>;

export const createFinishStage =
  (deps: FinishStageDeps): StageHandler =>
  async (ctx) => {
    const { runId } = ctx;
    const run = (await loadRun(deps, runId)) ?? ctx.run;
    let report: RunReport | null = await readReport(deps, runId);
    if (report === null) {
      // Retrying cannot bring the report back (it expired or was never written): the run ends with what to do.
      throw new AppError('RUN_INVALID_STATE', "The run's plan stage left no report (its data expired); start a new run.", {
        context: { runId, stage: 'finish' },
      });
    }

    const write = completedWriteSchema.safeParse(await deps.store.get(keys.checkpoint(runId, 'writeAssets')));
    if (run.mode === 'sync' && write.success) {
      const cp = write.data.state;
      report = recordWriteFailures(
        report,
        cp.failureDetails.map((f) => ({ ...f, attribute: attributeLabel(objectTypeOf(runDefinition(run), 'employee'), f.attribute) })),
      );
      report = {
        ...report,
        counts: { ...report.counts, writeFailures: cp.failures },
        writeFailures: { ...report.writeFailures, truncated: cp.failures > report.writeFailures.items.length },
      };
      await saveReport(deps, runId, report);
    }
    // A single-user run never reaches a stage (startSingleUserRun); the guard keeps the type narrow.
    if (run.mode !== 'single-user') await saveLatestReport(deps, run.mode, runId, report);
    await finalizeRun(deps, run, 'succeeded', { counts: report.counts, error: null });
    return { kind: 'complete', next: null };
  };

/** The admin label of a failed attribute's key; null for a key the definition does not have. */
function attributeLabel(type: ObjectTypeDefinition, key: string | null): string | null {
  return key !== null && attributeOf(type, key) !== undefined ? attributeName(type, key) : null;
}
