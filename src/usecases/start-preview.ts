/** Starts a preview run (reads and plans, writes nothing), started by the calling admin. */
import type { PipelineDeps } from '../pipeline/deps';
import { startRun } from '../pipeline/run-control';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const startPreviewUseCase = defineUseCase({
  name: 'startPreview',
  input: noInput,
  access: 'jira-admin',
  run: (deps: PipelineDeps, _input, caller) => startRun(deps, { mode: 'preview', trigger: 'manual', startedBy: caller.accountId }),
});
