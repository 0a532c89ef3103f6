/** Applies a plan that tripped the safety threshold, exactly as planned (src/pipeline/run-control.ts). */
import type { PipelineDeps } from '../pipeline/deps';
import { confirmRun } from '../pipeline/run-control';
import { runRef } from './inputs';
import { defineUseCase } from './use-case';

export const confirmRunUseCase = defineUseCase({
  name: 'confirmRun',
  input: runRef,
  access: 'jira-admin',
  run: (deps: PipelineDeps, input) => confirmRun(deps, input.runId),
});
