/** Starts a sync run (writes to Assets), started by the calling admin. */
import type { PipelineDeps } from '../pipeline/deps';
import { startRun } from '../pipeline/run-control';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const startSyncUseCase = defineUseCase({
  name: 'startSync',
  input: noInput,
  access: 'jira-admin',
  run: (deps: PipelineDeps, _input, caller) => startRun(deps, { mode: 'sync', trigger: 'manual', startedBy: caller.accountId }),
});
