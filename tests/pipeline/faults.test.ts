/**
 * Faults the platform and the APIs produce, injected into real runs: storage errors on random calls, Assets 5xx,
 * per-object validation errors (reported, the rest of the run completes, the next run retries them), Graph 503/504
 * storms, and a directory where every user was disabled (nothing inactivated without confirmation).
 */
import { generateWorld } from '../../fakes/world/generate-world';
import { AppError } from '../../src/domain/errors';
import { type Harness, type HarnessOptions, startHarness } from '../support/pipeline-harness';
import { mulberry32 } from '../support/queue-driver';

const world = generateWorld({ users: 80, seed: 31 });
const options: HarnessOptions = { world, seed: 31, config: { writeBatchSize: 10 } };

async function reference() {
  const h = await startHarness(options);
  try {
    await h.run('sync');
    return h.assetsState();
  } finally {
    await h.close();
  }
}

describe('faults', () => {
  let expected: Awaited<ReturnType<typeof reference>>;
  let h: Harness;
  beforeAll(async () => {
    expected = await reference();
  });
  afterEach(async () => {
    await h.close();
  });

  it('reaches the same end state when storage fails on random calls (Forge KVS 429 and 5xx)', async () => {
    // 3%: absorbed by the in-process storage retries; 12%: some reach the step runner and cost a redelivery.
    const scenarios = [
      { seed: 1, rate: 0.03 },
      { seed: 2, rate: 0.03 },
      { seed: 3, rate: 0.12 },
      { seed: 4, rate: 0.12 },
    ];
    let redeliveries = 0;
    for (const { seed, rate } of scenarios) {
      h = await startHarness(options);
      const random = mulberry32(seed);
      let injected = 0;
      const { run, stats } = await h.run('sync', {
        storageFault: () => {
          if (random() >= rate) return null;
          injected++;
          const later = random() < 0.5;
          return new AppError('STORAGE_FAILED', 'Forge storage could not complete a write; the app will retry.', {
            retry: later ? 'later' : 'now',
            retryAfterSeconds: later ? 10 : undefined,
          });
        },
      });
      expect(injected).toBeGreaterThan(3);
      redeliveries += stats.retriesLater + stats.thrown;
      expect({ seed, status: run.status, error: run.error }).toEqual({ seed, status: 'succeeded', error: null });
      expect(h.duplicateEntraIds()).toEqual([]);
      expect(h.assetsState()).toEqual(expected);
      await h.close();
    }
    expect(redeliveries).toBeGreaterThan(0);
    h = await startHarness(options);
  }, 120_000);

  it('retries Assets 5xx answers and ends with the same state', async () => {
    h = await startHarness(options);
    h.sim.jira.failNext({ method: 'POST', path: /object\/create$/, status: 500, times: 6 });
    h.sim.jira.failNext({ method: 'POST', path: /object\/aql$/, status: 503, times: 2 });
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(h.assetsState()).toEqual(expected);
    expect(h.duplicateEntraIds()).toEqual([]);
  });

  it('reports per-object validation errors, completes the rest, and retries them on the next run', async () => {
    h = await startHarness(options);
    const layoutAttr = async (name: string) => {
      const raw = (await h.store.get('assets:layout')) as {
        layout: { objectTypes: { employee: { attributeIds: Record<string, string> } } };
      };
      return raw.layout.objectTypes.employee.attributeIds[name]!;
    };
    const jobTitleId = await layoutAttr('jobTitle');
    h.sim.jira.failNext({
      method: 'POST',
      path: /object\/create$/,
      status: 400,
      body: { errorMessages: [], errors: { [jobTitleId]: 'Job Title must be less than 255 characters' } },
      times: 3,
    });
    const first = await h.run('sync');
    expect(first.run.status).toBe('succeeded');
    expect(first.run.counts!.writeFailures).toBe(3);
    const created = h.sim.jira.employees().length;
    expect(created).toBe(first.run.counts!.creates - 3);

    const second = await h.run('sync');
    expect(second.run.status).toBe('succeeded');
    expect(second.run.counts).toMatchObject({ creates: 3, writeFailures: 0 });
    expect(h.assetsState()).toEqual(expected);
  });

  it('waits out Graph 503 and 504 storms (storms inside $batch: tests/clients/graph)', async () => {
    h = await startHarness(options);
    h.sim.entra.failNext({ path: '/v1.0/users', status: 503, headers: { 'Retry-After': '30' }, times: 2 });
    h.sim.entra.failNext({ path: '/v1.0/users/delta', status: 504, times: 2 });
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(h.assetsState()).toEqual(expected);
  });

  it('is unaffected when every queue event is delivered twice, reordered and delayed', async () => {
    h = await startHarness({ ...options, delivery: { duplicateRate: 1, reorder: true, maxJitterMs: 60_000, seed: 5 } });
    const { run } = await h.run('sync', { budgetCalls: 2 });
    expect(run.status).toBe('succeeded');
    expect(h.duplicateEntraIds()).toEqual([]);
    expect(h.assetsState()).toEqual(expected);
  });

  it('corrects hand-edited values and leaves attributes the app does not own alone', async () => {
    h = await startHarness(options);
    await h.run('sync');
    const { layout } = (await h.store.get('assets:layout')) as {
      layout: { workspaceId: string; objectTypes: { employee: { objectTypeId: string } } };
    };
    const created = await h.sim.jiraFetch({
      method: 'POST',
      url: `/jsm/assets/workspace/${layout.workspaceId}/v1/objecttypeattribute/${layout.objectTypes.employee.objectTypeId}?redirected=1`, // an admin's edit: not redirected
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Desk', type: 0, defaultTypeId: 0 }),
    });
    expect(created.status).toBe(201);
    const [first, second] = h.sim.jira.employees();
    h.sim.jira.editObject(first!.objectId, 'Desk', 'B-204');
    h.sim.jira.editObject(second!.objectId, 'Job Title', 'Changed by hand');
    const { run } = await h.run('sync');
    expect(run.counts).toMatchObject({ updates: 1, creates: 0, inactivations: 0 });
    expect(h.assetsState()).toEqual(expected);
    const desk = await h.sim.jiraFetch({
      method: 'GET',
      url: `/jsm/assets/workspace/${layout.workspaceId}/v1/object/${first!.objectId}?redirected=1`,
    }); // a direct read
    expect(await desk.text()).toContain('B-204');
  });

  it('inactivates nothing without confirmation when every user is disabled in Entra', async () => {
    h = await startHarness(options);
    await h.run('sync');
    for (const user of world.entra.users) h.sim.entra.upsertUser({ ...user, accountEnabled: false });
    const writes = h.assetsWrites();
    const { run } = await h.run('sync');
    expect(run.status).toBe('awaiting-confirmation');
    expect(h.assetsWrites()).toBe(writes);
  });
});
