/**
 * What the sync benchmark measures for one scenario, and how it reads it from the simulation: requests as the
 * fakes recorded them (per API and endpoint, 429s, Graph resource units), invocations and pushes as the queue
 * driver delivered them, and storage as the in-memory KVS counted it. A `Mark` taken before a scenario lets the
 * figures cover that scenario only.
 */
import { requestCost } from '../../fakes/entra/throttle';
import type { Harness, InvocationRecord } from '../../tests/support/pipeline-harness';
import type { HeapFigures } from './heap-meter';
import type { AqlUpdatedFilter, ModelCost } from './platform-model';

export type Strategy = 'pipeline' | 'baseline';
/**
 * 'first-resync' is the pipeline's first run after its first sync: it reads back every object the first sync wrote
 * (they were all updated since the last read, ADR 0008), so the no-change targets are checked on the run after it.
 */
export type Scenario = 'first-sync' | 'first-resync' | 'no-change' | 'churn-1pct';
/** The scenarios both strategies run (the baseline reads everything every run: no first-resync of its own). */
export const SCENARIOS: readonly Scenario[] = ['first-sync', 'no-change', 'churn-1pct'];
export const PIPELINE_SCENARIOS: readonly Scenario[] = ['first-sync', 'first-resync', 'no-change', 'churn-1pct'];

/** The platform model a pipeline scenario ran under (bench/sync/platform-model.ts) and what it added. */
export interface ScenarioModel {
  readonly assetsWritesPerMinute: number;
  /** null: Forge's per-invocation request limit not modelled; else whether requestJira counts towards it. */
  readonly fetchLimitCountsJira: boolean | null;
  readonly aqlUpdatedFilter: AqlUpdatedFilter;
  readonly cost: ModelCost;
}

export interface GraphFigures {
  /** HTTP requests, token requests included; a $batch envelope is one request. */
  readonly requests: number;
  readonly tokenRequests: number;
  /** $batch envelopes among the requests. */
  readonly batches: number;
  /** Requests inside $batch envelopes (each one counts against throttling). */
  readonly batchItems: number;
  readonly resourceUnits: number;
  readonly throttled: number;
}

export interface SiteFigures {
  readonly requests: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly throttled: number;
}

export interface InvocationFigures {
  readonly count: number;
  readonly byStage: Readonly<Record<string, number>>;
  /** Virtual time spent in each stage's invocations (what the wall time goes to). */
  readonly msByStage: Readonly<Record<string, number>>;
  readonly retriesLater: number;
  readonly pushes: number;
  /** Pushes of each chain (a chain is re-seeded when it parks near Forge's limit). */
  readonly pushesPerChain: readonly number[];
  /** The invocation that used the largest share of its time limit. */
  readonly longest: { readonly stage: string; readonly durationMs: number; readonly limitMs: number; readonly fraction: number } | null;
}

export interface ScenarioFigures {
  readonly strategy: Strategy;
  readonly scenario: Scenario;
  /** Which site the figures come from: 'main' (the sizes' own runs) or a what-if site (a write limit, a reading). */
  readonly variant: string;
  /** The platform model (pipeline only; null for the baseline, which runs as one loop). */
  readonly model: ScenarioModel | null;
  readonly size: number;
  readonly entraUsers: number;
  readonly atlassianAccounts: number;
  /** Clock scale the scenario ran at; null when it ran on an exact virtual clock (the sequential baseline). */
  readonly k: number | null;
  readonly status: string;
  readonly plan: { readonly creates: number; readonly updates: number; readonly inactivations: number };
  readonly graph: GraphFigures;
  readonly jira: SiteFigures;
  readonly assets: SiteFigures & {
    readonly writes: number;
    readonly writeRequests: number;
    /** Redirects the fake sent on the write endpoints (each one a request against the write limit). */
    readonly writeRedirects: number;
    /** Write requests answered 429. */
    readonly writeThrottled: number;
    /**
     * When the first and the last write request reached the site, in ms from the run's start (null: no write): the
     * time before the first write is the fixed cost of the reads, which the floor does not count.
     */
    readonly writeSpan: { readonly firstMs: number; readonly lastMs: number } | null;
  };
  readonly throttled: number;
  readonly invocations: InvocationFigures;
  readonly kvs: { readonly bytesWritten: number; readonly largestValueBytes: number; readonly operations: number };
  readonly heap: HeapFigures;
  readonly wallMs: number;
  /**
   * First sync: the create requests (creates plus the redirect hops the fake sent on them) at the site's write limit
   * (pipeline) or at Assets' documented 1,000 a minute (baseline), plus one write round trip.
   */
  readonly floorMs: number | null;
  /** 1% churn: Employee objects whose values changed (or that are new), read from the site before and after. */
  readonly changedObjects: number | null;
}

export interface Mark {
  readonly entra: number;
  readonly jira: number;
  readonly kvsBytes: number;
  readonly kvsOps: number;
  readonly pushes: number;
}

export function mark(h: Harness): Mark {
  h.store.memory.largestValueBytes = 0;
  return {
    entra: h.sim.entra.requests.length,
    jira: h.sim.jira.requests.length,
    kvsBytes: h.store.memory.bytesWritten,
    kvsOps: h.store.memory.operations,
    pushes: h.driver.pushes,
  };
}

const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;

export function graphFigures(h: Harness, from: Mark): GraphFigures {
  const recorded = h.sim.entra.requests.slice(from.entra);
  let requests = 0;
  let tokenRequests = 0;
  let batches = 0;
  let batchItems = 0;
  let resourceUnits = 0;
  let throttled = 0;
  for (const r of recorded) {
    if (r.status === 429) throttled++;
    if (r.batchOf === null) requests++;
    else batchItems++;
    if (r.path === '/v1.0/$batch') batches++;
    if (TOKEN_PATH.test(r.path)) tokenRequests++;
    else if (r.method === 'GET') resourceUnits += requestCost(r.path, new URLSearchParams(r.query));
  }
  return { requests, tokenRequests, batches, batchItems, resourceUnits, throttled };
}

const JIRA_ENDPOINTS = new Set(['users/search', 'user/email/bulk', 'user/email']);
const WRITE = /^object\/(create|update)$/;

/** `origin`: the run's start on the fake's clock (write times are given from it). */
export function siteFigures(h: Harness, from: Mark, origin: number): { jira: SiteFigures; assets: ScenarioFigures['assets'] } {
  const jira = { requests: 0, byEndpoint: {} as Record<string, number>, throttled: 0 };
  const assets = {
    requests: 0,
    byEndpoint: {} as Record<string, number>,
    throttled: 0,
    writes: 0,
    writeRequests: 0,
    writeRedirects: 0,
    writeThrottled: 0,
  };
  let span: { firstMs: number; lastMs: number } | null = null;
  for (const r of h.sim.jira.requests.slice(from.jira)) {
    const endpoint = r.endpoint ?? 'other';
    const side = JIRA_ENDPOINTS.has(endpoint) || r.endpoint === null ? jira : assets;
    side.requests++;
    side.byEndpoint[endpoint] = (side.byEndpoint[endpoint] ?? 0) + 1;
    if (r.status === 429) side.throttled++;
    if (!WRITE.test(endpoint)) continue;
    const at = r.time - origin;
    span = span === null ? { firstMs: at, lastMs: at } : { firstMs: Math.min(span.firstMs, at), lastMs: Math.max(span.lastMs, at) };
    // A redirect the fake sent first (Assets redirects, docs/clients/jira-and-assets.md) is not a write request: the
    // followed request is. It still counts in the endpoint's requests (and against the rate limit).
    if (r.status >= 300 && r.status < 400) assets.writeRedirects++;
    else {
      assets.writeRequests++;
      if (r.status >= 200 && r.status < 300) assets.writes++;
      if (r.status === 429) assets.writeThrottled++;
    }
  }
  return { jira, assets: { ...assets, writeSpan: span } };
}

export function invocationFigures(
  log: readonly InvocationRecord[],
  retriesLater: number,
  pushes: number,
  pushesPerChain: readonly number[],
): InvocationFigures {
  const byStage: Record<string, number> = {};
  const msByStage: Record<string, number> = {};
  let longest: InvocationFigures['longest'] = null;
  for (const record of log) {
    byStage[record.stage] = (byStage[record.stage] ?? 0) + 1;
    msByStage[record.stage] = Math.round((msByStage[record.stage] ?? 0) + record.durationMs);
    if (record.timeoutMs === null) continue;
    const fraction = record.durationMs / record.timeoutMs;
    if (longest === null || fraction > longest.fraction)
      longest = { stage: record.stage, durationMs: record.durationMs, limitMs: record.timeoutMs, fraction };
  }
  return { count: log.length, byStage, msByStage, retriesLater, pushes, pushesPerChain, longest };
}

export function kvsFigures(h: Harness, from: Mark): ScenarioFigures['kvs'] {
  const memory = h.store.memory;
  return {
    bytesWritten: memory.bytesWritten - from.kvsBytes,
    largestValueBytes: memory.largestValueBytes,
    operations: memory.operations - from.kvsOps,
  };
}

/** Employee objects on the site by object id, as comparable text. */
export function employeeState(h: Harness): Map<string, string> {
  return new Map(h.sim.jira.employees().map((o) => [o.objectId, JSON.stringify(o.values)]));
}

export function changedObjects(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): number {
  let changed = 0;
  for (const [id, values] of after) if (before.get(id) !== values) changed++;
  return changed;
}
