/**
 * The sync benchmark as a function (the CLI in bench/bench-sync.ts and the smoke test call it): for each world
 * size, the pipeline and the baseline through the three scenarios, the scaled-clock check at a second k, the
 * ratios and the target checks.
 */
import { cpus, loadavg } from 'node:os';

import { generateWorld } from '../../fakes/world/generate-world';
import type { PipelineConfig } from '../../src/pipeline/deps';
import { runBaselineScenarios } from './baseline-runner';
import { PIPELINE_SCENARIOS, type Scenario, type ScenarioFigures, SCENARIOS } from './figures';
import { type GroupBenchOptions, type GroupScenarioFigures, runGroupBench } from './groups-bench';
import { DEFAULT_APIS, runPipelineScenarios, type SimulatedApis, type WorldUnderTest } from './pipeline-runner';
import { DEFAULT_PLATFORM, type PlatformModel } from './platform-model';
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
  /** The Forge platform model of the main runs (default DEFAULT_PLATFORM: Assets 1,000 writes a minute, Updated accepted). */
  readonly platform?: PlatformModel;
  /**
   * Sizes at which the first sync is also run against the other sites (platform-model.ts): Assets writes at 600 and
   * 2,000 a minute (the latter then also runs the resyncs under the refused Updated query), and requestJira counting
   * towards the per-invocation request limit. Default: the sizes of 10,000 users and more.
   */
  readonly sweepSizes?: readonly number[];
  /** Only the pipeline's first sync at each size (the once-recorded 100k run: `--size 100k`). */
  readonly firstSyncOnly?: boolean;
  /**
   * The sites to run (`--sites`, default all): `main` (the main site's scenarios, the clock check and the baseline)
   * and the sweep's `600`, `2000`, `counts` at the sweep sizes. Lets one size's sites run in separate processes.
   */
  readonly sites?: readonly Site[];
}

export const SITES = ['main', '600', '2000', 'counts'] as const;
export type Site = (typeof SITES)[number];

/** The what-if sites of the sweep, each a fresh site of the same world, and the scenarios run on it. */
export function sweepVariants(
  platform: PlatformModel,
): { site: Exclude<Site, 'main'>; variant: string; platform: PlatformModel; scenarios: Scenario[] }[] {
  return [
    { site: '600', variant: 'assets 600/min', platform: { ...platform, assetsWritesPerMinute: 600 }, scenarios: ['first-sync'] },
    {
      site: '2000',
      variant: 'assets 2,000/min; Updated refused',
      platform: { ...platform, assetsWritesPerMinute: 2_000, aqlUpdatedFilter: 'refused' },
      scenarios: ['first-sync', 'first-resync', 'no-change'],
    },
    {
      site: 'counts',
      variant: 'requestJira counts',
      platform: { ...platform, assetsWritesPerMinute: 1_000, fetchLimit: { countsJira: true } },
      scenarios: ['first-sync'],
    },
  ];
}

export interface SyncBenchResult {
  readonly meta: {
    readonly date: string;
    readonly node: string;
    readonly cpus: number;
    readonly loadAverage: readonly number[];
    readonly k: number;
    readonly apis: SimulatedApis;
    readonly platform: PlatformModel;
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
  const platform = options.platform ?? DEFAULT_PLATFORM;
  const sweepSizes = options.sweepSizes ?? options.sizes.filter((size) => size >= 10_000);
  const firstSyncOnly = options.firstSyncOnly ?? false;
  const sites = new Set<Site>(options.sites ?? SITES);
  const log = options.log ?? (() => undefined);
  const realStart = performance.now();
  const results: ScenarioFigures[] = [];
  const onScenario = (f: ScenarioFigures) => {
    results.push(f);
    log(
      `  ${f.strategy}${f.variant === 'main' ? '' : ` [${f.variant}]`} ${f.scenario}: ${f.status}, wall ${(f.wallMs / 1000).toFixed(1)} s virtual, Graph ${f.graph.requests}, Assets ${f.assets.requests} (${((performance.now() - realStart) / 1000).toFixed(0)} s real so far)`,
    );
  };
  let kCheck: KCheck | null = null;

  for (const size of options.sizes) {
    const subject: WorldUnderTest = { size, world: generateWorld({ users: size, seed: WORLD_SEED }), churnSeed: 1 };
    log(
      `${size.toLocaleString('en')} users: ${subject.world.entra.users.length} Entra users, ${subject.world.jira.users.length} Jira accounts`,
    );
    const config = options.config ?? {};
    const scenarios = firstSyncOnly ? ['first-sync' as const] : PIPELINE_SCENARIOS;
    const ours = sites.has('main')
      ? await runPipelineScenarios(subject, { k: options.k, apis, gc: options.gc, scenarios, config, platform, onScenario })
      : [];
    if (!firstSyncOnly && sweepSizes.includes(size))
      for (const { site, ...v } of sweepVariants(platform))
        if (sites.has(site)) await runPipelineScenarios(subject, { k: options.k, apis, gc: options.gc, config, onScenario, ...v });
    if (options.checkK !== null && size === FLOOR_CHECKED_AT && !firstSyncOnly && sites.has('main')) {
      const [again] = await runPipelineScenarios(subject, {
        k: options.checkK,
        apis,
        gc: options.gc,
        scenarios: ['first-sync'],
        config,
        platform,
      });
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
    if (options.baseline && !firstSyncOnly && sites.has('main'))
      await runBaselineScenarios(subject, { apis, gc: options.gc, scenarios: SCENARIOS, onScenario });
  }

  const groups =
    options.groups === undefined || options.groups === null
      ? null
      : await runGroupBench(options.groups, { k: options.k, apis, gc: options.gc, config: options.config ?? {}, log });

  const ordered = [...results].sort(
    (a, b) =>
      a.size - b.size ||
      Number(a.variant !== 'main') - Number(b.variant !== 'main') ||
      a.variant.localeCompare(b.variant) ||
      PIPELINE_SCENARIOS.indexOf(a.scenario) - PIPELINE_SCENARIOS.indexOf(b.scenario) ||
      b.strategy.localeCompare(a.strategy),
  );
  return {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
      k: options.k,
      apis,
      platform,
      config: options.config ?? {},
      sizes: options.sizes,
      realMs: Math.round(performance.now() - realStart),
    },
    results: ordered,
    kCheck,
    ratios: ratios(ordered.filter((f) => f.variant === 'main')),
    targets: [
      ...checkTargets(ordered, kCheck, firstSyncOnly ? options.sizes : sweepSizes),
      ...(groups === null ? [] : checkGroupTargets(groups)),
    ],
    groups,
  };
}
