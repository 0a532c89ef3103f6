/** What the admin page polls: the active run, the last manual and scheduled runs, and the settings. */
import type { PipelineDeps } from '../pipeline/deps';
import { activeRun } from '../pipeline/run-control';
import { readLastRun } from '../pipeline/run-store';
import { getPublicSettings, type SettingsDeps } from '../services/settings-service';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const getStatusUseCase = defineUseCase({
  name: 'getStatus',
  input: noInput,
  access: 'jira-admin',
  run: async (deps: PipelineDeps & SettingsDeps) => ({
    activeRun: await activeRun(deps),
    lastManual: await readLastRun(deps, 'manual'),
    lastScheduled: await readLastRun(deps, 'scheduled'),
    settings: await getPublicSettings(deps),
  }),
});
