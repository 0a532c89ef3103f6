/**
 * The baseline strategy in the same harness: the product this app replaces, as it describes itself. Per run it
 * reads the Jira users (as the pipeline does), looks every Atlassian email up in Graph and then each found user's
 * manager (baseline-graph.ts), reads the Employee objects, plans with the app's own planner (so both strategies
 * write the same values), and writes to Assets one object after another. It is generous to the baseline: it
 * writes only what changed and reuses the app's clients, retry policy and Forge's egress pacer.
 *
 * The baseline is strictly sequential (one request in flight at any time), so it needs no scaled clock: each
 * request's simulated latency is added to a virtual clock, which is exact, and its figures carry no event-loop
 * error. It runs as one long loop, so its "longest invocation" is the whole run, against Forge's 900 s maximum.
 */
import { FORGE_EGRESS_PER_MINUTE, paceEgress } from '../../src/clients/egress-pacer';
import { createGraphCall } from '../../src/clients/graph/graph-transport';
import type { ExternalFetch, JiraFetch } from '../../src/clients/http';
import type { AssetsObject } from '../../src/domain/assets-object';
import type { AtlassianAccount } from '../../src/domain/atlassian-account';
import { buildSchemaDefinition } from '../../src/domain/attribute-catalogue';
import { isInPopulation } from '../../src/domain/email-match';
import { MICROSOFT_CLOUDS } from '../../src/domain/microsoft-cloud';
import { planSync } from '../../src/domain/plan-sync';
import { objectTypeOf } from '../../src/domain/schema-definition';
import type { SyncOperation } from '../../src/domain/sync-operations';
import { defaultPipelineConfig } from '../../src/pipeline/deps';
import { readLayout } from '../../src/pipeline/layout-store';
import { toWriteRequest } from '../../src/pipeline/write-request';
import { type ConnectionDeps, createConnector, createMicrosoftClients } from '../../src/services/connections';
import { requireSettings } from '../../src/services/settings-service';
import type { FakeClock, Harness } from '../../tests/support/pipeline-harness';
import { startHarness } from '../../tests/support/pipeline-harness';
import { lookUpUsers } from './baseline-graph';
import { changedObjects, employeeState, graphFigures, kvsFigures, mark, type Scenario, type ScenarioFigures, siteFigures } from './figures';
import { HeapMeter } from './heap-meter';
import { churned, floorMs, type SimulatedApis, worldCounts, type WorldUnderTest } from './pipeline-runner';
import { applyWorldChange } from './world-change';

/** Forge's longest invocation (timeoutSeconds 900): the baseline's single loop is measured against it. */
export const FORGE_MAX_INVOCATION_MS = 900_000;

export interface BaselineRunOptions {
  readonly apis: SimulatedApis;
  readonly gc: () => void;
  readonly scenarios: readonly Scenario[];
  readonly onScenario?: (figures: ScenarioFigures) => void;
}

export async function runBaselineScenarios(subject: WorldUnderTest, options: BaselineRunOptions): Promise<ScenarioFigures[]> {
  const { apis } = options;
  const heap = new HeapMeter(options.gc, null);
  const h = await startHarness({
    world: subject.world,
    simulation: {
      entra: { throttling: { resourceUnitsPer10s: apis.graphResourceUnitsPer10s }, indexes: true },
      jira: { rateLimits: { enabled: true }, indexes: true, recordBodies: false },
    },
  });
  const results: ScenarioFigures[] = [];
  try {
    for (const scenario of options.scenarios) {
      if (scenario === 'churn-1pct') applyWorldChange(h.sim, subject.world, churned(subject));
      const before = scenario === 'churn-1pct' ? employeeState(h) : null;
      const from = mark(h);
      heap.start();
      heap.beforeInvocation('one loop');
      const started = h.clock.now();
      const plan = await runBaseline(h, apis, heap.observe);
      const wallMs = h.clock.now() - started;
      heap.afterInvocation();
      const memory = heap.stop();
      const { jira, assets } = siteFigures(h, from, started);
      const graph = graphFigures(h, from);
      const figures: ScenarioFigures = {
        strategy: 'baseline',
        scenario,
        variant: 'main',
        model: null,
        size: subject.size,
        ...worldCounts(subject.world),
        k: null,
        status: 'succeeded',
        plan,
        graph,
        jira,
        assets,
        throttled: graph.throttled + jira.throttled + assets.throttled,
        invocations: {
          count: 1,
          byStage: { 'one loop': 1 },
          msByStage: { 'one loop': Math.round(wallMs) },
          retriesLater: 0,
          pushes: 0,
          pushesPerChain: [],
          longest: { stage: 'one loop', durationMs: wallMs, limitMs: FORGE_MAX_INVOCATION_MS, fraction: wallMs / FORGE_MAX_INVOCATION_MS },
        },
        kvs: kvsFigures(h, from),
        heap: memory,
        wallMs: Math.round(wallMs),
        floorMs: scenario === 'first-sync' ? floorMs(plan.creates, apis) : null,
        changedObjects: before === null ? null : changedObjects(before, employeeState(h)),
      };
      results.push(figures);
      options.onScenario?.(figures);
    }
    h.sim.entra.expectNoUnexpected();
    h.sim.jira.expectNoUnexpected();
  } finally {
    await h.close();
  }
  return results;
}

/** Each request's latency passes on the virtual clock once its answer is in (nothing else is in flight). */
function withLatency(fetch: ExternalFetch | JiraFetch, latencyMs: number, clock: FakeClock): ExternalFetch & JiraFetch {
  return async (request) => {
    const response = await fetch(request);
    clock.advance(latencyMs);
    return response;
  };
}

/** `observe` is called between phases and every few hundred writes, with nothing in flight (heap readings). */
async function runBaseline(h: Harness, apis: SimulatedApis, observe: () => void): Promise<ScenarioFigures['plan']> {
  const clock = h.clock;
  const sleep = async (ms: number) => clock.advance(ms);
  const deps: ConnectionDeps = {
    ...h.connectionDeps,
    externalFetch: paceEgress(withLatency(h.sim.externalFetch, apis.graphLatencyMs, clock), {
      maxPerMinute: FORGE_EGRESS_PER_MINUTE - 10,
      maxInlineWaitMs: 60_000,
      now: clock.now,
      sleep,
    }),
    jiraFetch: withLatency(h.connectionDeps.jiraFetch, apis.jiraLatencyMs, clock),
  };
  const { atlassian, assets } = await createConnector(deps)();

  const accounts: AtlassianAccount[] = [];
  for (let startAt = 0, last = false; !last; ) {
    const page = await atlassian.listUsersPage(startAt);
    startAt += page.accounts.length;
    last = page.isLast;
    const population = page.accounts.filter(isInPopulation);
    const hidden = population.filter((a) => a.email === null).map((a) => a.accountId);
    const { emails } = hidden.length > 0 ? await atlassian.getEmails(hidden) : { emails: new Map<string, string>() };
    for (const a of population)
      accounts.push(a.email === null && emails.has(a.accountId) ? { ...a, email: emails.get(a.accountId) ?? null } : a);
  }
  observe();

  const settings = await requireSettings(deps);
  const { tokens } = createMicrosoftClients(deps, settings);
  const endpoints = MICROSOFT_CLOUDS[settings.cloud];
  const call = createGraphCall({ fetch: deps.externalFetch, endpoints, tokens, policy: deps.policy, newRequestId: deps.newRequestId });
  const entraUsers = await lookUpUsers(
    { call, graphOrigin: endpoints.graph, now: clock.now, sleep },
    accounts.flatMap((a) => (a.email === null ? [] : [a.email])),
  );
  observe();

  const layout = await readLayout(h.store);
  if (layout === null) throw new Error('baseline: the harness created no schema');
  // The definition the pipeline's run would use (the core attributes plus the chosen ones), so both write the same.
  const definition = buildSchemaDefinition(settings.attributes);
  const employeeType = objectTypeOf(definition, 'employee');
  const employees: AssetsObject[] = [];
  for (let startAt = 0, last = false; !last; ) {
    const page = await assets.searchObjects(layout, employeeType, startAt, defaultPipelineConfig.aqlPageSize);
    employees.push(...page.objects);
    startAt += page.objects.length;
    last = page.isLast;
  }
  observe();

  const plan = planSync({ accounts, entraUsers, employees }, { definition });
  observe();
  const created = new Map<string, string>();
  const operations: SyncOperation[] = [...plan.creates, ...plan.updates, ...plan.inactivations, ...plan.managerLinks];
  for (const [index, op] of operations.entries()) {
    if (index % 500 === 499) observe();
    const request = toWriteRequest(employeeType, op, created);
    if (request === null) continue;
    const result =
      request.objectId === null
        ? await assets.createObject(layout, employeeType, request.values)
        : await assets.updateObject(layout, employeeType, request.objectId, request.values);
    if (result.ok && op.kind === 'create') created.set(op.entraUserId, result.objectId);
  }
  return { creates: plan.creates.length, updates: plan.updates.length, inactivations: plan.inactivations.length };
}
