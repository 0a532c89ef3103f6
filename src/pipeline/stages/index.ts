/** The stage handlers by stage name: the one table the consumers and the test runner share. */
import type { StageName } from '../messages';
import type { StageHandler } from '../step-runner';
import { createAssetsSnapshotStage } from './assets-snapshot-stage';
import { createAtlassianUsersStage } from './atlassian-users-stage';
import { createEntraDirectoryStage } from './entra-directory-stage';
import { createFinishStage } from './finish-stage';
import { createPlanStage } from './plan-stage';
import { createWriteAssetsStage } from './write-assets-stage';

export function createStages(): Readonly<Record<StageName, StageHandler>> {
  return {
    atlassianUsers: createAtlassianUsersStage(),
    entraDirectory: createEntraDirectoryStage(),
    assetsSnapshot: createAssetsSnapshotStage(),
    plan: createPlanStage(),
    writeAssets: createWriteAssetsStage(),
    finish: createFinishStage(),
  };
}
