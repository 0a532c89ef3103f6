/** Asks a run to stop at its next chunk boundary (src/pipeline/run-control.ts). */
import type { PipelineDeps } from '../pipeline/deps';
import { cancelRun } from '../pipeline/run-control';
import { runRef } from './inputs';
import { defineUseCase } from './use-case';

export const cancelRunUseCase = defineUseCase({
  name: 'cancelRun',
  input: runRef,
  access: 'jira-admin',
  run: (deps: PipelineDeps, input) => cancelRun(deps, input.runId),
});
