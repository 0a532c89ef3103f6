/**
 * The stage handlers by stage name, built from the pipeline's dependencies per invocation (the consumers and the
 * test runner share this; there is no module-level stage table). Each factory gets only the part of the
 * dependencies its stage declares (`XStageDeps` next to it): no stage gets the queue or lease ids (the step runner
 * keeps those), and only the stages that read or write an external system get `connect`, narrowed to that system.
 */
import type { PipelineDeps } from '../deps';
import type { StageName } from '../messages';
import type { StageHandler } from '../step-runner';
import { createAssetsSnapshotStage } from './assets-snapshot-stage';
import { createAtlassianUsersStage } from './atlassian-users-stage';
import { createEntraDirectoryStage } from './entra-directory-stage';
import { createEntraGroupsStage } from './entra-groups-stage';
import { createFinishStage } from './finish-stage';
import { createPlanStage } from './plan-stage';
import { createWriteAssetsStage } from './write-assets-stage';

/** The part of PipelineDeps the stages take between them (the runner's queue and id source stay out). */
export type StagesDeps = Pick<PipelineDeps, 'store' | 'clock' | 'logger' | 'connect' | 'sleep' | 'config'>;

const builders: { readonly [S in StageName]: (deps: StagesDeps) => StageHandler } = {
  atlassianUsers: ({ store, clock, logger, connect, config }) => createAtlassianUsersStage({ store, clock, logger, connect, config }),
  entraDirectory: ({ store, clock, logger, connect, config }) => createEntraDirectoryStage({ store, clock, logger, connect, config }),
  entraGroups: ({ store, clock, logger, connect, config }) => createEntraGroupsStage({ store, clock, logger, connect, config }),
  assetsSnapshot: ({ store, clock, logger, connect, config }) => createAssetsSnapshotStage({ store, clock, logger, connect, config }),
  plan: ({ store, logger, config }) => createPlanStage({ store, logger, config }),
  writeAssets: ({ store, clock, logger, sleep, connect, config }) =>
    createWriteAssetsStage({ store, clock, logger, sleep, connect, config }),
  finish: ({ store, clock, logger, config }) => createFinishStage({ store, clock, logger, config }),
};

/** The one stage an invocation runs, built from that invocation's dependencies. */
export function createStage(stage: StageName, deps: StagesDeps): StageHandler {
  return builders[stage](deps);
}

export function createStages(deps: StagesDeps): Readonly<Record<StageName, StageHandler>> {
  return {
    atlassianUsers: createStage('atlassianUsers', deps),
    entraDirectory: createStage('entraDirectory', deps),
    entraGroups: createStage('entraGroups', deps),
    assetsSnapshot: createStage('assetsSnapshot', deps),
    plan: createStage('plan', deps),
    writeAssets: createStage('writeAssets', deps),
    finish: createStage('finish', deps),
  };
}
