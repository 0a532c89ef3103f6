/**
 * Stages take the narrow dependencies they declare (issue 18, point 4). The harness builds every stage, once per
 * invocation, from an object that holds exactly its `XStageDeps` (the object literals below are type-checked for
 * excess properties) and throws on a read of anything else; the step runner gets only `StepRunnerDeps` (no
 * connections). Each stage gets its own logger and its own `connect`, which hands back only the system it declares.
 * A full sync and a preview still complete, so no stage reaches for anything it did not declare, and each stage's
 * log events and connections go through what its factory was given, not through the runner's dependencies.
 */
import type { Connections, PipelineDeps } from '../../src/pipeline/deps';
import type { StageName } from '../../src/pipeline/messages';
import { STAGE_ORDER } from '../../src/pipeline/messages';
import type { LogFields, Logger } from '../../src/pipeline/ports';
import { type AssetsSnapshotStageDeps, createAssetsSnapshotStage } from '../../src/pipeline/stages/assets-snapshot-stage';
import { type AtlassianUsersStageDeps, createAtlassianUsersStage } from '../../src/pipeline/stages/atlassian-users-stage';
import { createEntraDirectoryStage, type EntraDirectoryStageDeps } from '../../src/pipeline/stages/entra-directory-stage';
import { createEntraGroupsStage, type EntraGroupsStageDeps } from '../../src/pipeline/stages/entra-groups-stage';
import { createFinishStage, type FinishStageDeps } from '../../src/pipeline/stages/finish-stage';
import { createPlanStage, type PlanStageDeps } from '../../src/pipeline/stages/plan-stage';
import { createWriteAssetsStage, type WriteAssetsStageDeps } from '../../src/pipeline/stages/write-assets-stage';
import type { StageHandler } from '../../src/pipeline/step-runner';
import { type Harness, startHarness } from '../support/pipeline-harness';

interface Recorder {
  /** Reads of a dependency the stage did not declare ("stage: path"). */
  readonly violations: string[];
  /** Log events each stage wrote through its own logger. */
  readonly events: Record<StageName, string[]>;
  /** Connections each stage opened through its own connect. */
  readonly connects: Record<StageName, number>;
  /** Stages built, in order (one per invocation). */
  readonly built: StageName[];
}

function newRecorder(): Recorder {
  const perStage = <T>(make: () => T) => Object.fromEntries(STAGE_ORDER.map((s) => [s, make()])) as Record<StageName, T>;
  return { violations: [], events: perStage(() => []), connects: perStage(() => 0), built: [] };
}

/** The object as given, except that reading a property it does not have is recorded and throws. */
function exactly<T extends object>(recorder: Recorder, where: string, value: T): T {
  return new Proxy(value, {
    get(target, prop, receiver) {
      // `then`: a promise resolved with the object asks whether it is itself a promise.
      if (typeof prop === 'string' && prop !== 'then' && !(prop in target)) {
        recorder.violations.push(`${where}.${prop}`);
        throw new Error(`${where} read ${prop}, which it does not declare`);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

function stageLogger(recorder: Recorder, stage: StageName, runnerLogger: Logger): Logger {
  const record = (level: keyof Logger) => (event: string, fields?: LogFields) => {
    recorder.events[stage].push(event);
    runnerLogger[level](event, fields);
  };
  return { info: record('info'), warn: record('warn'), error: record('error') };
}

/** A connect that counts, and hands back only the systems named (the others are absent at run time too). */
function connectTo<K extends keyof Connections>(
  recorder: Recorder,
  stage: StageName,
  deps: PipelineDeps,
  ...systems: K[]
): () => Promise<Pick<Connections, K>> {
  return async () => {
    recorder.connects[stage]++;
    const all = await deps.connect();
    return exactly(recorder, `${stage}.connections`, Object.fromEntries(systems.map((s) => [s, all[s]])) as Pick<Connections, K>);
  };
}

/** Builds one stage from exactly its declared dependencies, taken from the harness's full set. */
function narrowStage(recorder: Recorder, stage: StageName, deps: PipelineDeps): StageHandler {
  recorder.built.push(stage);
  const { store, clock, sleep, config } = deps;
  const logger = stageLogger(recorder, stage, deps.logger);
  const strict = <T extends object>(value: T) => exactly(recorder, stage, value);
  const strictConfig = <T extends object>(value: T) => exactly(recorder, `${stage}.config`, value);
  switch (stage) {
    case 'atlassianUsers': {
      const own: AtlassianUsersStageDeps = {
        store,
        clock,
        logger,
        connect: connectTo(recorder, stage, deps, 'atlassian'),
        config: strictConfig({ runDataTtlSeconds: config.runDataTtlSeconds }),
      };
      return createAtlassianUsersStage(strict(own));
    }
    case 'entraDirectory': {
      const own: EntraDirectoryStageDeps = {
        store,
        clock,
        logger,
        connect: connectTo(recorder, stage, deps, 'entra'),
        config: strictConfig({ runDataTtlSeconds: config.runDataTtlSeconds }),
      };
      return createEntraDirectoryStage(strict(own));
    }
    case 'entraGroups': {
      const own: EntraGroupsStageDeps = {
        store,
        clock,
        logger,
        connect: connectTo(recorder, stage, deps, 'entra'),
        config: strictConfig({ runDataTtlSeconds: config.runDataTtlSeconds }),
      };
      return createEntraGroupsStage(strict(own));
    }
    case 'assetsSnapshot': {
      const own: AssetsSnapshotStageDeps = {
        store,
        clock,
        logger,
        connect: connectTo(recorder, stage, deps, 'assets'),
        config: strictConfig({ runDataTtlSeconds: config.runDataTtlSeconds, aqlPageSize: config.aqlPageSize }),
      };
      return createAssetsSnapshotStage(strict(own));
    }
    case 'plan': {
      const own: PlanStageDeps = { store, logger, config: strictConfig({ runDataTtlSeconds: config.runDataTtlSeconds }) };
      return createPlanStage(strict(own));
    }
    case 'writeAssets': {
      const own: WriteAssetsStageDeps = {
        store,
        clock,
        logger,
        sleep,
        connect: connectTo(recorder, stage, deps, 'assets'),
        config: strictConfig({
          runDataTtlSeconds: config.runDataTtlSeconds,
          writeBatchSize: config.writeBatchSize,
          writeConcurrency: config.writeConcurrency,
          assetsWritesPerMinuteStart: config.assetsWritesPerMinuteStart,
          assetsWritesPerMinuteMin: config.assetsWritesPerMinuteMin,
          assetsWritesPerMinuteMax: config.assetsWritesPerMinuteMax,
          assetsWriteRateStep: config.assetsWriteRateStep,
          assetsWriteRateStepEvery: config.assetsWriteRateStepEvery,
          assetsWriteRateDecrease: config.assetsWriteRateDecrease,
        }),
      };
      return createWriteAssetsStage(strict(own));
    }
    case 'finish': {
      const own: FinishStageDeps = { store, clock, logger, config: strictConfig({ runDataTtlSeconds: config.runDataTtlSeconds }) };
      return createFinishStage(strict(own));
    }
  }
}

describe('stages built from exactly the dependencies they declare', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('run a first sync, a resync after edits and a preview to the end, each stage logging and connecting through its own dependencies', async () => {
    const recorder = newRecorder();
    h = await startHarness({
      users: 60,
      seed: 18,
      // One step per invocation (no inline steps): each invocation builds its one stage.
      config: { writeBatchSize: 10, inlineNextStage: false },
      buildStage: (stage, deps) => narrowStage(recorder, stage, deps),
    });

    // budgetCalls: continuations, so stages are rebuilt mid-stage from a new invocation's dependencies.
    const first = await h.run('sync', { budgetCalls: 3 });
    expect({ status: first.run.status, error: first.run.error }).toEqual({ status: 'succeeded', error: null });
    expect(first.run.counts!.creates).toBeGreaterThan(0);
    expect(h.duplicateEntraIds()).toEqual([]);

    const target = h.sim.jira.employees()[3]!;
    const user = h.world.entra.users.find((u) => u.id === target.values.entraUserId)!;
    h.sim.entra.upsertUser({ ...user, jobTitle: 'Narrow Dependencies Lead' });
    const second = await h.run('sync');
    expect(second.run.status).toBe('succeeded');
    expect(second.run.counts!.updates).toBe(1);

    const preview = await h.run('preview');
    expect(preview.run.status).toBe('succeeded');

    expect(recorder.violations).toEqual([]);
    // One build per invocation, for every stage of the chain.
    expect(recorder.built.length).toBe(first.stats.invocations + second.stats.invocations + preview.stats.invocations);
    expect(new Set(recorder.built)).toEqual(new Set(STAGE_ORDER));

    // Each stage's summary event went through the logger its factory got.
    expect(recorder.events.atlassianUsers).toContain('stage.atlassian-users');
    expect(recorder.events.entraDirectory).toContain('stage.entra-directory');
    // Group sync is off by default: the groups stage completes at once without a connection.
    expect(recorder.events.entraGroups).toContain('stage.entra-groups.skipped');
    expect(recorder.connects.entraGroups).toBe(0);
    expect(recorder.events.assetsSnapshot).toContain('stage.assets-snapshot');
    expect(recorder.events.plan).toContain('stage.plan');
    expect(recorder.events.writeAssets).toContain('stage.write-assets');
    // The finish stage's run.finished comes from finalizeRun with the finish stage's dependencies.
    expect(recorder.events.finish).toContain('run.finished');
    // Stages that talk to an external system opened it through their own connect; plan and finish have none.
    for (const stage of ['atlassianUsers', 'entraDirectory', 'assetsSnapshot', 'writeAssets'] as const)
      expect(recorder.connects[stage]).toBeGreaterThan(0);
    expect(recorder.connects.plan + recorder.connects.finish).toBe(0);
  }, 120_000);
});
