/** One run's record, by id (null when it is unknown or expired). */
import type { PipelineDeps } from '../pipeline/deps';
import { loadRun } from '../pipeline/run-store';
import { runRef } from './inputs';
import { defineUseCase } from './use-case';

export const getRunUseCase = defineUseCase({
  name: 'getRun',
  input: runRef,
  access: 'jira-admin',
  run: (deps: Pick<PipelineDeps, 'store'>, input) => loadRun(deps, input.runId),
});
