/**
 * Forge queue consumers, one per stage and one for the Create Schema job (manifest.yml: consumer -> function ->
 * this file's exports). Each is an entry behind the one queue boundary (./boundary/queue-boundary.ts), which builds
 * the invocation's dependencies, parses the message, drops an old or unknown one, and turns "retry later" into
 * Forge's InvocationError. A stage entry builds its stage from that invocation's dependencies and runs a step, and
 * while time allows the steps of the stages it completes into (runChain).
 */
import type { PipelineDeps } from '../pipeline/deps';
import { type StageMessage, stageMessageSchema, type StageName } from '../pipeline/messages';
import { type SchemaJobMessage, schemaJobMessageSchema } from '../pipeline/schema-job-queue';
import { createStage } from '../pipeline/stages';
import { runChain } from '../pipeline/step-runner';
import { createAssets } from '../services/connections';
import { runSchemaJob } from '../services/schema-job';
import { readSchemaDefinition } from '../services/settings-service';
import { queueConsumer, type QueueEntry } from './boundary/queue-boundary';
import { STAGE_TIMEOUT_SECONDS, YIELD_FRACTION } from './stage-limits';
import { type AppDeps, createPipelineDeps } from './wiring';

/** A stage's consumer: a message for this stage runs one step of it; a message for another stage is invalid. */
export function stageEntry(stage: StageName): QueueEntry<PipelineDeps, StageMessage> {
  return {
    name: stage,
    schema: stageMessageSchema,
    accepts: (message) => message.stage === stage,
    onInvalid: 'fail-named-run',
    run: (message, deps, delivery) =>
      runChain(message, deps, (next) => createStage(next, deps), {
        budget: { remainingMs: delivery.remainingMs },
        yieldAfterMs: STAGE_TIMEOUT_SECONDS[stage] * 1000 * YIELD_FRACTION,
        retryCount: delivery.retryCount,
      }),
  };
}

/** The Create Schema job (src/services/schema-job.ts): one delivery works on the job until it ends or must wait. */
export const schemaJobEntry: QueueEntry<AppDeps, SchemaJobMessage> = {
  name: 'schemaJob',
  schema: schemaJobMessageSchema,
  onInvalid: 'drop',
  run: async (message, deps, delivery) => {
    const assets = createAssets(deps.connectionDeps);
    const definition = await readSchemaDefinition(deps.connectionDeps);
    return runSchemaJob(
      deps,
      message,
      (onStep, beforeChange) => assets.ensureSchema(definition, { onStep, beforeChange }),
      delivery.retryCount,
    );
  },
};

export const atlassianUsers = queueConsumer(stageEntry('atlassianUsers'), createPipelineDeps);
export const entraDirectory = queueConsumer(stageEntry('entraDirectory'), createPipelineDeps);
export const entraGroups = queueConsumer(stageEntry('entraGroups'), createPipelineDeps);
export const assetsSnapshot = queueConsumer(stageEntry('assetsSnapshot'), createPipelineDeps);
export const plan = queueConsumer(stageEntry('plan'), createPipelineDeps);
export const writeAssets = queueConsumer(stageEntry('writeAssets'), createPipelineDeps);
export const finish = queueConsumer(stageEntry('finish'), createPipelineDeps);
export const schemaJob = queueConsumer(schemaJobEntry, createPipelineDeps);
