/**
 * Forge queue consumers, one per stage (manifest.yml: consumer -> function -> this file's exports). Thin: parse
 * the message, run the stage step, and turn "retry later" into Forge's InvocationError. Nothing is thrown for a
 * permanent error (Forge would retry it for 24 hours): the step runner records it on the run instead.
 */
import { getAppContext } from '@forge/api';
import { InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';
import { stageMessageSchema, type StageName } from '../pipeline/messages';
import { finalizeRun, loadRun } from '../pipeline/run-store';
import { isTerminal } from '../pipeline/run-state';
import { createStage } from '../pipeline/stages';
import { runStep } from '../pipeline/step-runner';
import { STAGE_TIMEOUT_SECONDS, YIELD_FRACTION } from './stage-limits';
import { createPipelineDeps } from './wiring';
import { ENTRA_SCHEMA } from '../domain/schema-definition';
import { schemaJobMessageSchema } from '../pipeline/schema-job-queue';
import { createAssets } from '../services/connections';
import { runSchemaJob } from '../services/schema-job';

function remainingMs(): number {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function consumer(stage: StageName) {
  return async (event: AsyncEvent): Promise<InvocationError | void> => {
    const deps = createPipelineDeps();
    const parsed = stageMessageSchema.safeParse(event.body);
    if (!parsed.success || parsed.data.stage !== stage) {
      await rejectMessage(event.body, stage, deps);
      return;
    }
    const result = await runStep(parsed.data, deps, createStage(stage, deps), {
      budget: { remainingMs },
      yieldAfterMs: STAGE_TIMEOUT_SECONDS[stage] * 1000 * YIELD_FRACTION,
      retryCount: event.retryContext?.retryCount ?? 0,
    });
    if (result.kind === 'retry-later') {
      return new InvocationError({ retryAfter: result.seconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
  };
}

/** A message of an old or unknown shape is dropped; if it names a run, that run ends failed with a reason. */
async function rejectMessage(body: unknown, stage: StageName, deps: ReturnType<typeof createPipelineDeps>): Promise<void> {
  const runId = typeof body === 'object' && body !== null && typeof (body as { runId?: unknown }).runId === 'string' ? (body as { runId: string }).runId : null;
  const version = typeof body === 'object' && body !== null ? (body as { v?: unknown }).v : undefined;
  deps.logger.error('queue.message-rejected', { stage, version: typeof version === 'number' ? version : null, hasRunId: runId !== null });
  if (runId === null || !/^[A-Za-z0-9-]{8,64}$/.test(runId)) return;
  const run = await loadRun(deps, runId);
  if (run === null || isTerminal(run.status)) return;
  await finalizeRun(deps, run, 'failed', {
    error: { code: 'QUEUE_MESSAGE_INVALID', message: 'The app was updated while this run was in progress and could not continue it. Start the run again.' },
  });
}

export const atlassianUsers = consumer('atlassianUsers');
export const entraDirectory = consumer('entraDirectory');
export const assetsSnapshot = consumer('assetsSnapshot');
export const plan = consumer('plan');
export const writeAssets = consumer('writeAssets');
export const finish = consumer('finish');

/** The Create Schema job (src/services/schema-job.ts): one delivery works on the job until it ends or must wait. */
export const schemaJob = async (event: AsyncEvent): Promise<InvocationError | void> => {
  const deps = createPipelineDeps();
  const parsed = schemaJobMessageSchema.safeParse(event.body);
  if (!parsed.success) {
    deps.logger.error('queue.message-rejected', { stage: 'schemaJob', hasRunId: false });
    return;
  }
  const assets = createAssets(deps.connectionDeps);
  const outcome = await runSchemaJob(deps, parsed.data, (onStep) => assets.ensureSchema(ENTRA_SCHEMA, { onStep }), event.retryContext?.retryCount ?? 0);
  if (outcome.kind === 'retry-later') {
    return new InvocationError({ retryAfter: outcome.seconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
};
