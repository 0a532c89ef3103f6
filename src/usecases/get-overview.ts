/** The Overview tab's picture of the installation in one answer (src/services/overview-service.ts). */
import type { PipelineDeps } from '../pipeline/deps';
import type { SecretStore } from '../pipeline/ports';
import { readLastRun } from '../pipeline/run-store';
import { type ConnectionDeps, createAssets } from '../services/connections';
import { readOverview } from '../services/overview-service';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export interface GetOverviewDeps extends Pick<PipelineDeps, 'store' | 'clock'> {
  readonly secrets: SecretStore;
  readonly connectionDeps: ConnectionDeps;
}

export const getOverviewUseCase = defineUseCase({
  name: 'getOverview',
  input: noInput,
  access: 'jira-admin',
  run: (deps: GetOverviewDeps) =>
    readOverview({ ...deps, assets: createAssets(deps.connectionDeps), lastScheduled: () => readLastRun(deps, 'scheduled') }),
});
