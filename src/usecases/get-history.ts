/** The History tab: the last runs, newest first. */
import type { PipelineDeps } from '../pipeline/deps';
import { readHistory } from '../pipeline/run-store';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const getHistoryUseCase = defineUseCase({
  name: 'getHistory',
  input: noInput,
  access: 'jira-admin',
  run: (deps: Pick<PipelineDeps, 'store'>) => readHistory(deps),
});
