/**
 * Stage 4: the plan. Loads the three inputs the earlier stages stored (Atlassian population, cached Entra
 * directory, Assets snapshot), runs the pure planner, and stores the write operations (in write order) and the
 * report. A preview ends here; a sync whose plan would inactivate too many objects stops for confirmation.
 */
import { z } from 'zod';

import { assetsObjectSchema } from '../../domain/assets-object';
import { atlassianAccountSchema } from '../../domain/atlassian-account';
import { entraIdKey } from '../../domain/entra-id';
import { AppError } from '../../domain/errors';
import type { GroupDirectory } from '../../domain/group-directory';
import { computeMemberships, scopeMembershipLookup } from '../../domain/group-membership';
import type { GroupPlanInput } from '../../domain/plan-groups';
import { planSync } from '../../domain/plan-sync';
import { addWarning, makeWarning, type RunReport } from '../../domain/report';
import { scopeGroupIds } from '../../domain/scope';
import type { SyncOperation } from '../../domain/sync-operations';
import { readChunks, writeChunks } from '../chunked-store';
import type { PipelineDeps, RunDataDeps } from '../deps';
import { readDirectory, readDirectoryMeta } from '../directory-cache';
import { readGroupDirectory, readGroupDirectoryMeta } from '../group-cache';
import { keys } from '../keys';
import { saveReport } from '../report-store';
import { runDefinition, type RunState } from '../run-state';
import { readStageOutput } from '../stage-outputs';
import type { StageHandler } from '../step-runner';
import { type SnapshotCheckpoint, snapshotCheckpointSchema } from './assets-snapshot-stage';
import { atlassianCheckpointSchema } from './atlassian-users-stage';

const safetySchema = z.object({ inactivations: z.number().int(), activeBefore: z.number().int(), threshold: z.number() });

export const planCheckpointSchema = z.object({
  opChunks: z.number().int().min(0),
  operations: z.number().int().min(0),
  creates: z.number().int().min(0),
  tripped: z.boolean(),
  safety: safetySchema,
});
export type PlanCheckpoint = z.infer<typeof planCheckpointSchema>;

/** Everything this stage can touch besides its step context: stored data only, no external system. */
export type PlanStageDeps = RunDataDeps & Pick<PipelineDeps, 'logger'>;

export const createPlanStage =
  (deps: PlanStageDeps): StageHandler =>
  async (ctx) => {
    const { runId, run } = ctx;
    const saved = await ctx.readCheckpoint(planCheckpointSchema);
    if (saved !== undefined) return outcomeFor(saved.tripped, saved.safety);

    const atlassian = await readStageOutput(deps, runId, 'atlassianUsers', atlassianCheckpointSchema);
    const snapshot = await readStageOutput(deps, runId, 'assetsSnapshot', snapshotCheckpointSchema);
    const meta = await readDirectoryMeta(deps.store);
    if (meta === null) {
      throw new AppError('RUN_INVALID_STATE', "The run's Entra directory stage left no directory (its data expired); start a new run.", {
        context: { runId, stage: 'plan' },
      });
    }

    const accounts = await readChunks(deps.store, (i) => keys.chunk(runId, 'accounts', i), atlassian.chunks, atlassianAccountSchema);
    const entraUsers = await readDirectory(deps.store, meta.generation, meta.chunks);
    const employees = await readChunks(deps.store, (i) => keys.chunk(runId, 'assets', i), snapshot.chunks, assetsObjectSchema);
    await ctx.progress(0, null, 'Planning changes');

    const definition = runDefinition(run);
    // Group sync and the scope's membership rules both plan from the group directory the entraGroups stage read.
    const groupSync = definition.objectTypes.some((type) => type.key === 'group');
    const scopeGroups = scopeGroupIds(run.scope);
    const groupDirectory = groupSync || scopeGroups.length > 0 ? await readGroupDirectoryOfRun(deps, run) : null;
    const groups = groupSync && groupDirectory !== null ? await groupInput(deps, run, snapshot, groupDirectory) : null;
    const scopeMemberships = scopeGroups.length > 0 && groupDirectory !== null ? scopeMembershipLookup(groupDirectory, scopeGroups) : null;
    const plan = planSync({ accounts, entraUsers, employees, groups }, { definition, scope: run.scope, scopeMemberships });
    let report: RunReport = plan.report;
    if (atlassian.emailWarning !== null) {
      report = addWarning(report, makeWarning('hidden-emails-unavailable', atlassian.emailWarning));
    }
    if (!snapshot.schemaPresent) {
      report = addWarning(
        report,
        makeWarning(
          'schema-not-created',
          'The Entra Directory schema does not exist yet: this preview shows what the first sync would create. Create the schema on the Setup tab before syncing.',
        ),
      );
    }

    const operations: SyncOperation[] = [...plan.creates, ...plan.updates, ...plan.inactivations, ...plan.managerLinks];
    const opChunks = await writeChunks(deps.store, (i) => keys.chunk(runId, 'plan', i), operations, {
      ttlSeconds: deps.config.runDataTtlSeconds,
    });
    await saveReport(deps, runId, report);

    const tripped = run.mode === 'sync' && plan.safety.tripped;
    const safety = { inactivations: plan.safety.inactivations, activeBefore: plan.safety.activeObjects, threshold: plan.safety.limit };
    await ctx.updateRun({ counts: report.counts, safety: tripped ? safety : null });
    const cp: PlanCheckpoint = { opChunks, operations: operations.length, creates: plan.creates.length, tripped, safety };
    await ctx.saveCheckpoint(cp);
    deps.logger.info('stage.plan', {
      runId,
      mode: run.mode,
      atlassianUsers: report.counts.atlassianUsers,
      matched: report.counts.matched,
      creates: report.counts.creates,
      updates: report.counts.updates,
      inactivations: report.counts.inactivations,
      unchanged: report.counts.unchanged,
      outOfScope: report.counts.outOfScope,
      groupCreates: report.counts.groupCreates,
      groupUpdates: report.counts.groupUpdates,
      groupInactivations: report.counts.groupInactivations,
      membershipChanges: report.counts.membershipChanges,
      warnings: report.counts.warnings,
      safetyTripped: tripped,
    });
    return outcomeFor(tripped, safety);

    function outcomeFor(isTripped: boolean, figures: z.infer<typeof safetySchema>) {
      if (run.mode === 'preview') return { kind: 'complete', next: 'finish' } as const;
      if (isTripped) return { kind: 'await-confirmation', safety: figures } as const;
      return { kind: 'complete' } as const;
    }
  };

/** The cached group directory the run's entraGroups stage left. */
async function readGroupDirectoryOfRun(deps: PlanStageDeps, run: RunState): Promise<GroupDirectory> {
  const meta = await readGroupDirectoryMeta(deps.store);
  if (meta === null) {
    throw new AppError('RUN_INVALID_STATE', "The run's Entra groups stage left no group directory (its data expired); start a new run.", {
      context: { runId: run.runId, stage: 'plan' },
    });
  }
  return readGroupDirectory(deps.store, meta);
}

/**
 * Group sync's planner input: the memberships the run's selection and membership setting give over the group
 * directory, and the Entra Group objects the snapshot read.
 */
async function groupInput(
  deps: PlanStageDeps,
  run: RunState,
  snapshot: SnapshotCheckpoint,
  directory: GroupDirectory,
): Promise<GroupPlanInput> {
  const objects = await readChunks(deps.store, (i) => keys.chunk(run.runId, 'assetsGroups', i), snapshot.groups.chunks, assetsObjectSchema);
  return {
    memberships: computeMemberships(directory, run.groups, run.groupMembership),
    groupIds: new Set([...directory.groups.keys()].map(entraIdKey)),
    objects,
  };
}
