/**
 * How a stage reads what an earlier stage of the same run produced: the earlier stage's checkpoint (which holds
 * its chunk counts) and its chunks. Only completed stages are read.
 */
import { z } from 'zod';

import { AppError } from '../domain/errors';
import type { PipelineDeps } from './deps';
import { keys } from './keys';
import type { StageName } from './messages';

const completedEnvelopeSchema = z.object({ complete: z.literal(true), state: z.unknown() });

export async function readStageOutput<S extends z.ZodType>(
  deps: Pick<PipelineDeps, 'store'>,
  runId: string,
  stage: StageName,
  schema: S,
): Promise<z.infer<S>> {
  const envelope = completedEnvelopeSchema.safeParse(await deps.store.get(keys.checkpoint(runId, stage)));
  const state = envelope.success ? schema.safeParse(envelope.data.state) : null;
  if (state === null || !state.success) {
    throw new AppError('RUN_INVALID_STATE', `The run's ${stage} stage has not completed or its data expired; start a new run.`, {
      context: { runId, stage },
    });
  }
  return state.data;
}
