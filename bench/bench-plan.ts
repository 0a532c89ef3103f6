/**
 * Planning benchmark (`npm run bench:plan`, i.e. `tsx --expose-gc bench/bench-plan.ts [sizes...]`): how long
 * matching and planning take, and how much heap they need, for 1k, 10k and 100k users. The directories come from the
 * seeded world generator (fakes/world), round-tripped through JSON so strings look like parsed API data. The Assets
 * state is what a previous sync wrote, minus ~10% of the objects (so they are created again), after the directory
 * drifted (~2% of users changed: titles, departments, managers, leavers, joiners). Each size runs a few times and
 * the best time is reported, because other processes on a shared machine add noise; memory is the worst seen:
 * heapUsed right after planning (inputs + plan + uncollected garbage), and an upper bound of the peak during
 * planning (old space after the call + the young generation's whole capacity, valid when no full GC ran in between;
 * a full GC during the call is reported as NaN).
 * The Assets state is built with the same pure plan applier the property tests use.
 */
import { cpus, loadavg } from 'node:os';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

import { generateWorld, mutateWorld } from '../fakes/world/generate-world';
import type { World } from '../fakes/world/types';
import type { AssetsObject } from '../src/domain/assets-object';
import type { AtlassianAccount } from '../src/domain/atlassian-account';
import { matchAccounts } from '../src/domain/email-match';
import type { EntraUser } from '../src/domain/entra-user';
import { planSync, type SyncInput } from '../src/domain/plan-sync';
import { applyPlan } from '../tests/domain/apply-plan';

const DEFAULT_SIZES = [1_000, 10_000, 100_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SEED = 20_240_601;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('Run with --expose-gc (npm run bench:plan) so heap figures are measured after a collection.');
  process.exit(1);
}

function toEntraUsers(world: World): EntraUser[] {
  return world.entra.users.map((user) => ({
    id: user.id,
    displayName: user.displayName,
    mail: user.mail,
    userPrincipalName: user.userPrincipalName,
    proxyAddresses: user.proxyAddresses,
    otherMails: user.otherMails,
    jobTitle: user.jobTitle,
    department: user.department,
    accountEnabled: user.accountEnabled,
    managerId: user.managerId,
  }));
}

/** Hidden emails included: the pipeline fetches them through the email API before planning. */
function toAccounts(world: World): AtlassianAccount[] {
  return world.jira.users.map((user) => ({
    accountId: user.accountId,
    accountType: user.accountType,
    active: user.active,
    email: user.email,
  }));
}

/** Seeded choice of ~share of the items, without Math.random (reproducible figures). */
function keepShare<T>(items: readonly T[], share: number, seed: number): T[] {
  let state = seed >>> 0;
  return items.filter(() => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32 < share;
  });
}

/** Fresh copies with flat strings, as if just parsed from an API response or a KVS read. */
function parsed<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function buildScenario(users: number): SyncInput {
  const before = generateWorld({ users, seed: SEED });
  const firstSync = planSync({ accounts: toAccounts(before), entraUsers: toEntraUsers(before), employees: [] });
  const written: AssetsObject[] = applyPlan([], firstSync, 1).objects;
  const existing = keepShare(written, 0.9, SEED);
  const after = mutateWorld(before, { seed: SEED, fraction: 0.02 }).world;
  return parsed({ accounts: toAccounts(after), entraUsers: toEntraUsers(after), employees: existing });
}

interface Measure {
  readonly ms: number;
  /** heapUsed right after the call, before any explicit collection (inputs + result + uncollected garbage). */
  readonly heapUsedMb: number;
  /**
   * Upper bound of the heap used at any moment of the call: with no full collection during it, old space only grows,
   * so its size after the call plus the whole young generation's capacity bounds the peak. NaN if a full GC ran.
   */
  readonly peakBoundMb: number;
}

const majorGcStarts: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const detail = (entry as { detail?: { kind?: number } }).detail;
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcStarts.push(entry.startTime);
  }
}).observe({ entryTypes: ['gc'] });

async function measure(run: () => unknown): Promise<Measure> {
  gc?.();
  const started = performance.now();
  const result = run();
  const ended = performance.now();
  const { heapUsed } = process.memoryUsage();
  let bound = 0;
  for (const space of getHeapSpaceStatistics()) {
    bound += space.space_name === 'new_space' ? space.space_size : space.space_used_size;
  }
  if (result === undefined) throw new Error('nothing planned');
  await new Promise((resolve) => setImmediate(resolve));
  const fullGcDuringRun = majorGcStarts.some((start) => start >= started && start <= ended);
  return { ms: ended - started, heapUsedMb: heapUsed / MB, peakBoundMb: fullGcDuringRun ? Number.NaN : bound / MB };
}

function fmt(value: number, digits = 0): string {
  return value.toFixed(digits);
}

async function main(): Promise<void> {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const rows: string[] = [];
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${load}; ${RUNS} runs per size (best time, worst heap)`);
  for (const size of sizes.length > 0 ? sizes : DEFAULT_SIZES) {
    const input = buildScenario(size);
    gc?.();
    const inputHeapMb = process.memoryUsage().heapUsed / MB;
    let matchBest = Number.POSITIVE_INFINITY;
    let planBest = Number.POSITIVE_INFINITY;
    let usedWorst = 0;
    let peakWorst = 0;
    let summary = '';
    for (let run = 0; run < RUNS; run++) {
      matchBest = Math.min(matchBest, (await measure(() => matchAccounts(input.accounts, input.entraUsers))).ms);
      let plan: ReturnType<typeof planSync> | undefined;
      const planned = await measure(() => (plan = planSync(input)));
      planBest = Math.min(planBest, planned.ms);
      usedWorst = Math.max(usedWorst, planned.heapUsedMb);
      peakWorst = Number.isNaN(planned.peakBoundMb) || Number.isNaN(peakWorst) ? Number.NaN : Math.max(peakWorst, planned.peakBoundMb);
      if (plan !== undefined) {
        const c = plan.report.counts;
        summary =
          `matched ${c.matched}/${c.atlassianUsers}, creates ${c.creates}, updates ${c.updates}, ` +
          `inactivations ${c.inactivations}, unchanged ${c.unchanged}, warnings ${c.warnings}`;
      }
      plan = undefined;
    }
    console.log(
      `${String(size).padStart(7)} users: match ${fmt(matchBest)} ms, plan (incl. match) ${fmt(planBest)} ms; ` +
        `heap: inputs ${fmt(inputHeapMb, 1)} MB, after plan ${fmt(usedWorst, 1)} MB, peak during plan <= ${fmt(peakWorst, 1)} MB`,
    );
    console.log(`          ${summary}`);
    rows.push(
      `| ${size.toLocaleString('en-US')} | ${fmt(matchBest)} | ${fmt(planBest)} | ${fmt(inputHeapMb, 1)} | ${fmt(usedWorst, 1)} | ${fmt(peakWorst, 1)} |`,
    );
  }
  console.log(`process peak RSS ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB (includes generating the worlds)`);
  console.log(
    '\n| users | match (ms) | plan incl. match (ms) | heap: inputs (MB) | heap used after plan (MB) | peak heap during plan, upper bound (MB) |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
