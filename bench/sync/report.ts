/**
 * Formats the sync benchmark's figures as Markdown tables (printed, and pasted into docs/performance.md): one row
 * per world size, strategy and scenario; the ratios ours/baseline; the targets with PASS/MISS.
 */
import type { ScenarioFigures } from './figures';
import type { GroupScenarioFigures } from './groups-bench';
import { USERS_100_A_PAGE } from './pipeline-runner';
import type { TargetCheck } from './targets';
import { seconds } from './targets';

/** A figure of ours next to the baseline's, and ours / baseline. */
export interface Compared {
  readonly ours: number;
  readonly baseline: number;
  readonly ratio: number;
}

export interface Ratio {
  readonly size: number;
  readonly scenario: string;
  /** HTTP requests to Microsoft (a $batch envelope counts once). */
  readonly graphRequests: Compared;
  /** Graph requests as Graph meters them: each $batch item counts. */
  readonly graphLookups: Compared;
  readonly wallMs: Compared;
}

const compared = (ours: number, baseline: number): Compared => ({ ours, baseline, ratio: ours / Math.max(1, baseline) });

const n = (value: number) => value.toLocaleString('en');

export function ratios(results: readonly ScenarioFigures[]): Ratio[] {
  const out: Ratio[] = [];
  for (const ours of results.filter((r) => r.strategy === 'pipeline')) {
    const base = results.find((r) => r.strategy === 'baseline' && r.size === ours.size && r.scenario === ours.scenario);
    if (base === undefined) continue;
    out.push({
      size: ours.size,
      scenario: ours.scenario,
      graphRequests: compared(ours.graph.requests, base.graph.requests),
      graphLookups: compared(metered(ours), metered(base)),
      wallMs: compared(ours.wallMs, base.wallMs),
    });
  }
  return out;
}

export function figuresTable(results: readonly ScenarioFigures[]): string {
  const header =
    '| users (Entra / Atlassian) | strategy | site: writes/min; requestJira counted; Updated query | scenario | plan: create / update / inactivate | Graph requests (batch items; RU) | Jira requests | Assets requests: create / update / aql / other | 429s | invocations (retry later) | pushes per chain | longest invocation (of limit) | KVS written; largest value | heap: invocation / process (MB) | platform model: KVS ops (round trips asked / waited); queue hops; fetch-limit refusals external / jira | wall time (virtual) |';
  const rows = results.map((f) => {
    const a = f.assets.byEndpoint;
    const other = f.assets.requests - (a['object/create'] ?? 0) - (a['object/update'] ?? 0) - (a['object/aql'] ?? 0);
    const longest = f.invocations.longest;
    const wall =
      f.floorMs === null ? seconds(f.wallMs) : `${seconds(f.wallMs)} (${(f.wallMs / f.floorMs).toFixed(2)} x floor ${seconds(f.floorMs)})`;
    return [
      `${n(f.entraUsers)} / ${n(f.atlassianAccounts)}`,
      f.strategy === 'pipeline' ? `ours${f.k === null ? '' : ` (k=${f.k})`}` : 'baseline',
      f.model === null
        ? 'no model'
        : `${n(f.model.assetsWritesPerMinute)}; ${f.model.fetchLimitCountsJira === null ? 'no limit' : f.model.fetchLimitCountsJira ? 'yes' : 'no'}; ${f.model.aqlUpdatedFilter === 'supported' ? 'accepted' : 'refused'}`,
      f.variant === USERS_100_A_PAGE ? `${f.scenario} [${f.variant}]` : f.scenario,
      `${n(f.plan.creates)} / ${n(f.plan.updates)} / ${n(f.plan.inactivations)}`,
      `${n(f.graph.requests)} (${n(f.graph.batchItems)}; ${n(f.graph.resourceUnits)})`,
      n(f.jira.requests),
      `${n(a['object/create'] ?? 0)} / ${n(a['object/update'] ?? 0)} / ${n(a['object/aql'] ?? 0)} / ${n(other)}`,
      n(f.throttled),
      `${n(f.invocations.count)} (${n(f.invocations.retriesLater)})`,
      f.invocations.pushesPerChain.length === 0 ? 'n/a' : f.invocations.pushesPerChain.join(', '),
      longest === null
        ? 'n/a'
        : `${longest.stage} ${seconds(longest.durationMs)} (${(longest.fraction * 100).toFixed(1)}% of ${seconds(longest.limitMs)})`,
      `${mb(f.kvs.bytesWritten)}; ${(f.kvs.largestValueBytes / 1024).toFixed(0)} KiB`,
      `${f.heap.invocationPeakMb}${f.heap.invocationPeakStage === null || f.strategy === 'baseline' ? '' : ` (${f.heap.invocationPeakStage})`} / ${f.heap.processPeakMb}`,
      f.model === null
        ? 'n/a'
        : `${n(f.model.cost.kvsOperations)} (${seconds(f.model.cost.kvsAskedMs)} / ${seconds(f.model.cost.kvsWaitedMs)}); ${n(f.model.cost.queueDeliveries)}; ${n(f.model.cost.fetchLimitRefused.external)} / ${n(f.model.cost.fetchLimitRefused.jira)}`,
      wall,
    ];
  });
  return [header, `|${'---|'.repeat(16)}`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function ratiosTable(list: readonly Ratio[]): string {
  const cell = (c: Compared, format: (v: number) => string) => `${format(c.ours)} / ${format(c.baseline)} = ${c.ratio.toPrecision(2)}`;
  const rows = list.map(
    (r) => `| ${n(r.size)} | ${r.scenario} | ${cell(r.graphRequests, n)} | ${cell(r.graphLookups, n)} | ${cell(r.wallMs, seconds)} |`,
  );
  return [
    '| users | scenario | Graph HTTP requests, ours / baseline | Graph requests as metered ($batch items each count), ours / baseline | wall time, ours / baseline |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Requests Graph meters: every plain request and every $batch item, not the envelope (token requests excluded). */
function metered(f: ScenarioFigures): number {
  return f.graph.requests - f.graph.tokenRequests - f.graph.batches + f.graph.batchItems;
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  const rows = checks.map(
    (c) => `| ${c.pass ? 'PASS' : 'MISS'} | ${c.size === null ? '' : n(c.size)} | ${c.scenario} | ${c.target} | ${c.actual} |`,
  );
  return ['| result | users | scenario | target | measured |', '|---|---|---|---|---|', ...rows].join('\n');
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

/** The group sync scenario: each figure next to its floor. */
export function groupsTable(results: readonly GroupScenarioFigures[]): string {
  const rows = results.map((f) => {
    const c = f.counts;
    const wall =
      f.floorMs === null ? seconds(f.wallMs) : `${seconds(f.wallMs)} (${(f.wallMs / f.floorMs).toFixed(2)} x floor ${seconds(f.floorMs)})`;
    return [
      `${n(f.users)} / ${n(f.groups)} / ${n(f.memberEdges)}`,
      f.scenario,
      `${n(c.groupCreates)} / ${n(c.groupUpdates)} / ${n(c.groupInactivations)}`,
      `${n(c.creates)} / ${n(c.updates)} / ${n(c.membershipChanges)}`,
      n(f.graphRequests),
      `${n(f.groupsDeltaCalls)} (floor ${n(f.groupsDeltaFloor)})`,
      `${n(f.assetsWrites)} (floor ${n(f.assetsWritesFloor)})`,
      f.churnedUsers === null
        ? 'n/a'
        : `${n(f.churnedUsers)} users churned, ${n(f.employeesWithChangedGroups ?? 0)} Employees' Groups changed`,
      f.scope === null
        ? 'n/a'
        : `${n(f.scope.usersInScope)} / ${n(f.scope.outOfScope)} (floor ${n(f.scope.usersInScopeFloor)} in, ${n(f.scope.nestedGroups)} nested groups)`,
      n(f.figures.throttled),
      wall,
    ];
  });
  return [
    '| users / groups / direct member edges | scenario | groups: create / update / inactivate | Employees: create / update / Groups changed | Graph requests | groups delta calls (floor) | Assets writes (floor) | churn | scope: users in / out (floor) | 429s | wall time (virtual) |',
    `|${'---|'.repeat(11)}`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
