/**
 * `npm run bench` (`tsx --expose-gc bench/bench-sync.ts [--sizes 1000,10000] [--k 5] [--check-k 2.5|off]
 * [--no-baseline] [--config writeBatchSize=96,...] [--out file] [--only groups] [--no-groups] [--sweep-sizes 10000]
 * [--sites main,600,2000,counts] [--size 100k]`): the whole sync, on the real pipeline against the simulated tenant and site with latency and rate
 * limits on and the Forge platform modelled (bench/sync/platform-model.ts: KVS round trips, queue delays, the
 * per-invocation request limit), for worlds of 1,000, 10,000 and 50,000 users, in the scenarios first sync, first
 * resync, no-change resync and resync after 1% churn, next to the per-user baseline; at the sweep sizes (default
 * 10,000 and up) the first sync again against sites that allow 600 and 2,000 writes a minute and under the
 * "requestJira counts" reading, and the resyncs under the refused Updated query; `--size 100k` runs only the
 * pipeline's first sync at that size (recorded once, not in CI); then the group sync scenario (bench/sync/groups-bench.ts:
 * 10,000 users, 2,000 groups, 15 memberships a user on average; `--only groups` runs just that, writing
 * bench/results/sync-groups.json; `--no-groups` skips it). Prints the figures, the ratios and the targets,
 * writes them to bench/results/sync.json, and exits non-zero when a target is missed. Method: docs/performance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { defaultPipelineConfig, type PipelineConfig } from '../src/pipeline/deps';
import { DEFAULT_GROUP_BENCH } from './sync/groups-bench';
import { figuresTable, groupsTable, ratiosTable, targetsTable } from './sync/report';
import { DEFAULT_K, DEFAULT_SIZES, runSyncBench, type Site, SITES, type SyncBenchOptions } from './sync/run-bench';

interface CliOptions {
  readonly sizes: number[];
  readonly k: number;
  readonly checkK: number | null;
  readonly baseline: boolean;
  readonly config: Partial<PipelineConfig>;
  readonly out: string;
  /** Run the group sync scenario (default yes). */
  readonly groups: boolean;
  /** undefined: the default (sizes of 10,000 and more). */
  readonly sweepSizes: number[] | undefined;
  readonly firstSyncOnly: boolean;
  readonly sites: readonly Site[] | undefined;
}

function parseArgs(argv: readonly string[]): CliOptions {
  let sizes = [...DEFAULT_SIZES];
  let k = DEFAULT_K;
  let checkK: number | null | undefined;
  let baseline = true;
  let config: Partial<PipelineConfig> = {};
  let out: string | null = null;
  let groups = true;
  let only = false;
  let sweepSizes: number[] | undefined;
  let firstSyncOnly = false;
  let sites: Site[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--sizes')
      sizes = value()
        .split(',')
        .map((s) => positive(s, '--sizes'));
    else if (arg === '--k') k = positive(value(), '--k');
    else if (arg === '--check-k') {
      const v = value();
      checkK = v === 'off' ? null : positive(v, '--check-k');
    } else if (arg === '--no-baseline') baseline = false;
    else if (arg === '--out') out = path.resolve(value());
    else if (arg === '--config') config = parseConfig(value());
    else if (arg === '--no-groups') groups = false;
    else if (arg === '--sweep-sizes') {
      const v = value();
      sweepSizes = v === 'none' ? [] : v.split(',').map((s) => size(s, '--sweep-sizes'));
    } else if (arg === '--size') {
      sizes = [size(value(), '--size')];
      firstSyncOnly = true;
      baseline = false;
      groups = false;
      checkK = null;
    } else if (arg === '--sites') {
      sites = value()
        .split(',')
        .map((s) => {
          const site = SITES.find((known) => known === s.trim());
          if (site === undefined) throw new Error(`--sites: '${s}' is not a site (${SITES.join(', ')})`);
          return site;
        });
    } else if (arg === '--only') {
      const v = value();
      if (v !== 'groups') throw new Error(`--only: '${v}' is not a scenario that runs alone (groups)`);
      only = true;
    } else
      throw new Error(
        `unknown option ${arg} (options: --sizes 1000,10000 --k 5 --check-k 2.5|off --no-baseline --config key=value,... --out file --only groups --no-groups --sweep-sizes 10000|none --sites main,600,2000,counts --size 100k)`,
      );
  }
  if (only) {
    if (!groups) throw new Error('--only groups and --no-groups contradict each other');
    sizes = [];
  }
  out ??= path.resolve(__dirname, 'results', only ? 'sync-groups.json' : firstSyncOnly ? `sync-first-${sizes[0]}.json` : 'sync.json');
  return {
    sizes,
    k,
    checkK: checkK === undefined ? Math.max(1, k / 2) : checkK,
    baseline,
    config,
    out,
    groups,
    sweepSizes,
    firstSyncOnly,
    sites,
  };
}

/** `writeBatchSize=96,assetsWritesPerMinuteStart=900`: numeric PipelineConfig fields only. */
function parseConfig(text: string): Partial<PipelineConfig> {
  const config: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [key = '', raw = ''] = pair.split('=');
    if (!(key in defaultPipelineConfig))
      throw new Error(`--config: ${key} is not a pipeline setting (${Object.keys(defaultPipelineConfig).join(', ')})`);
    config[key] = positive(raw, `--config ${key}`);
  }
  return config as Partial<PipelineConfig>;
}

/** A number of users: 100000, 100k or 100,000. */
function size(text: string, option: string): number {
  const match = /^(\d[\d,]*)(k?)$/i.exec(text.trim());
  const value = match === null ? Number.NaN : Number(match[1]!.replaceAll(',', '')) * (match[2] === '' ? 1 : 1_000);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${option}: '${text}' is not a number of users (e.g. 100000 or 100k)`);
  return value;
}

function positive(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option}: '${text}' is not a positive number`);
  return value;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('Run with --expose-gc (npm run bench) so heap figures are taken after a collection.');
  const cli = parseArgs(process.argv.slice(2));
  const options: SyncBenchOptions = {
    sizes: cli.sizes,
    k: cli.k,
    checkK: cli.checkK,
    baseline: cli.baseline,
    config: cli.config,
    gc,
    log: (line) => console.log(line),
    groups: cli.groups ? DEFAULT_GROUP_BENCH : null,
    firstSyncOnly: cli.firstSyncOnly,
    ...(cli.sweepSizes === undefined ? {} : { sweepSizes: cli.sweepSizes }),
    ...(cli.sites === undefined ? {} : { sites: cli.sites }),
  };
  const result = await runSyncBench(options);

  const overrides = Object.keys(cli.config).length === 0 ? '' : `, config overrides ${JSON.stringify(cli.config)}`;
  console.log(
    `\nSync benchmark: clock scale k=${result.meta.k}${overrides}, ${result.meta.cpus} CPUs, load ${result.meta.loadAverage.join(' ')}, ${(result.meta.realMs / 1000).toFixed(0)} s real\n`,
  );
  const m = result.meta.platform;
  console.log(
    `Platform model (bench/sync/platform-model.ts): KVS round trips ${m.kvsRoundTripMs.join('-')} ms, queue delivery ${m.queueDelayMs.map((x) => x / 1000).join('-')} s, Assets writes ${m.assetsWritesPerMinute}/min (sweep: 600 and 2,000), per-invocation request limit ${m.fetchLimit === null ? 'off' : `on (requestJira ${m.fetchLimit.countsJira ? '' : 'not '}counted; sweep: counted)`}, Updated query ${m.aqlUpdatedFilter === 'supported' ? 'accepted' : 'refused'} (sweep: refused), ${m.betweenRunsMs / 3_600_000} h between runs\n`,
  );
  if (result.results.length > 0) console.log(figuresTable(result.results));
  if (result.groups !== null)
    console.log(`\nGroup sync (${result.groups.length} runs, figures next to their floor):\n\n${groupsTable(result.groups)}`);
  if (result.ratios.length > 0) console.log(`\n${ratiosTable(result.ratios)}`);
  console.log(`\n${targetsTable(result.targets)}`);

  mkdirSync(path.dirname(cli.out), { recursive: true });
  writeFileSync(cli.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nWritten to ${path.relative(process.cwd(), cli.out)}`);

  const missed = result.targets.filter((t) => !t.pass);
  if (missed.length > 0) {
    console.error(`\n${missed.length} target(s) missed:`);
    for (const t of missed)
      console.error(
        `  ${t.size === null ? '' : `${t.size.toLocaleString('en')} users, `}${t.scenario}: ${t.target} (measured ${t.actual})`,
      );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
