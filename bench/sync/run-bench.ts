/**
 * The sync benchmark as a function (the CLI in bench/bench-sync.ts and the smoke test call it): for each world
 * size, the pipeline and the baseline through the three scenarios, the scaled-clock check at a second k, the
 * ratios and the target checks.
 */
import { cpus, loadavg } from 'node:os';

import { generateWorld } from '../../fakes/world/generate-world';
import type { PipelineConfig } from '../../src/pipeline/deps';
import { runBaselineScenarios } from './baseline-runner';
import { type ScenarioFigures, SCENARIOS } from './figures';
import { type GroupBenchOptions, type GroupScenarioFigures, runGroupBench } from './groups-bench';
import { DEFAULT_APIS, runPipelineScenarios, type SimulatedApis, type WorldUnderTest } from './pipeline-runner';
import { type Ratio, ratios } from './report';
import { checkGroupTargets, checkTargets, FLOOR_CHECKED_AT, type KCheck, type TargetCheck } from './targets';

export const DEFAULT_SIZES: readonly number[] = [1_000, 10_000, 50_000];
export const DEFAULT_K = 5;
export const WORLD_SEED = 20_260_302;

export interface SyncBenchOptions {
  readonly sizes: readonly number[];
  readonly k: number;
  /** A second k to run the first sync at, for the size the floor is checked at; null skips the check. */
  readonly checkK: number | null;
  readonly baseline: boolean;
  readonly apis?: SimulatedApis;
  /** Overrides of the shipped pipeline config (a what-if; the figures in the docs use none). */
  readonly config?: Partial<PipelineConfig>;
  /** A full collection (global.gc under --expose-gc); heap figures are taken after it. */
  readonly gc: () => void;
  readonly log?: (line: string) => void;
  /** The group sync scenario (groups-bench.ts), run after the sizes; absent or null skips it. */
  readonly groups?: GroupBenchOptions | null;
}

export interface SyncBenchResult {
  readonly meta: {
    readonly date: string;
    readonly node: string;
    readonly cpus: number;
    readonly loadAverage: readonly number[];
    readonly k: number;
    readonly apis: SimulatedApis;
    readonly config: Partial<PipelineConfig>;
    readonly sizes: readonly number[];
    readonly realMs: number;
  };
  readonly results: readonly ScenarioFigures[];
  readonly kCheck: KCheck | null;
  readonly ratios: readonly Ratio[];
  readonly targets: readonly TargetCheck[];
  /** The group sync scenario's figures; null when it was not run. */
  readonly groups: readonly GroupScenarioFigures[] | null;
}

export async function runSyncBench(options: SyncBenchOptions): Promise<SyncBenchResult> {
  const apis = options.apis ?? DEFAULT_APIS;
  const log = options.log ?? (() => undefined);
  const realStart = performance.now();
  const results: ScenarioFigures[] = [];
  const onScenario = (f: ScenarioFigures) => {
    results.push(f);
    log(
      `  ${f.strategy} ${f.scenario}: ${f.status}, wall ${(f.wallMs / 1000).toFixed(1)} s virtual, Graph ${f.graph.requests}, Assets ${f.assets.requests} (${((performance.now() - realStart) / 1000).toFixed(0)} s real so far)`,
    );
  };
  let kCheck: KCheck | null = null;

  for (const size of options.sizes) {
    const subject: WorldUnderTest = { size, world: generateWorld({ users: size, seed: WORLD_SEED }), churnSeed: 1 };
    log(
      `${size.toLocaleString('en')} users: ${subject.world.entra.users.length} Entra users, ${subject.world.jira.users.length} Jira accounts`,
    );
    const config = options.config ?? {};
    const ours = await runPipelineScenarios(subject, { k: options.k, apis, gc: options.gc, scenarios: SCENARIOS, config, onScenario });
    if (options.checkK !== null && size === FLOOR_CHECKED_AT) {
      const [again] = await runPipelineScenarios(subject, { k: options.checkK, apis, gc: options.gc, scenarios: ['first-sync'], config });
      const first = ours.find((f) => f.scenario === 'first-sync');
      if (again !== undefined && first !== undefined) {
        kCheck = {
          size,
          k: [options.k, options.checkK],
          wallMs: [first.wallMs, again.wallMs],
          difference: Math.abs(first.wallMs - again.wallMs) / Math.max(1, Math.min(first.wallMs, again.wallMs)),
        };
        log(
          `  scaled-clock check: first sync ${(first.wallMs / 1000).toFixed(1)} s at k=${options.k}, ${(again.wallMs / 1000).toFixed(1)} s at k=${options.checkK}`,
        );
      }
    }
    if (options.baseline) await runBaselineScenarios(subject, { apis, gc: options.gc, scenarios: SCENARIOS, onScenario });
  }

  const groups =
    options.groups === undefined || options.groups === null
      ? null
      : await runGroupBench(options.groups, { k: options.k, apis, gc: options.gc, config: options.config ?? {}, log });

  const ordered = [...results].sort(
    (a, b) => a.size - b.size || SCENARIOS.indexOf(a.scenario) - SCENARIOS.indexOf(b.scenario) || b.strategy.localeCompare(a.strategy),
  );
  return {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
      k: options.k,
      apis,
      config: options.config ?? {},
      sizes: options.sizes,
      realMs: Math.round(performance.now() - realStart),
    },
    results: ordered,
    kCheck,
    ratios: ratios(ordered),
    targets: [...checkTargets(ordered, kCheck), ...(groups === null ? [] : checkGroupTargets(groups))],
    groups,
  };
}
