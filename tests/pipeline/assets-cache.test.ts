/**
 * Issue 16, reads proportional to change: the Assets objects are cached between runs (src/pipeline/assets-cache.ts,
 * ADR 0008); a resync reads from Assets only the objects updated since the last read plus one count, and falls back
 * to a full read when the cache is missing or expired, the count disagrees, or Assets refuses the Updated query.
 */
import type { RecordedRequest } from '../../fakes/jira/types';
import { generateWorld } from '../../fakes/world/generate-world';
import { readObservations } from '../../src/pipeline/platform-observations';
import { FakeClock, type HarnessOptions, startHarness } from '../support/pipeline-harness';

const DAY = 24 * 60 * 60 * 1000;
const world = generateWorld({ users: 40, seed: 16 });

function harness(filter: 'supported' | 'refused', extra: Partial<HarnessOptions> = {}) {
  return startHarness({
    world,
    seed: 16,
    clock: new FakeClock(),
    config: { aqlPageSize: 25 },
    simulation: { jira: { assetsAqlUpdatedFilter: filter, assetsRedirects: 'off' } },
    ...extra,
  });
}

type Harness = Awaited<ReturnType<typeof harness>>;

/** The Assets reads since `from`: AQL searches by query, and totalcount calls. */
function assetsReads(h: Harness, from: number): { aql: string[]; counts: number } {
  const requests: readonly RecordedRequest[] = h.sim.jira.requests.slice(from);
  const query = (r: RecordedRequest) => String((r.body as { qlQuery?: unknown } | undefined)?.qlQuery ?? '');
  return {
    aql: requests.filter((r) => r.path.endsWith('/object/aql')).map((r) => `${r.status} ${query(r)}`),
    counts: requests.filter((r) => r.path.endsWith('/object/aql/totalcount')).length,
  };
}

/** A first sync, and a day later the resync that folds the objects it created into the cache; then a day passes. */
async function steadyState(h: Harness): Promise<void> {
  expect((await h.run('sync')).run.status).toBe('succeeded');
  h.clock.advance(DAY);
  expect((await h.run('sync')).run.status).toBe('succeeded');
  h.clock.advance(DAY);
}

describe('the Assets object cache (Updated filter supported)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness('supported');
  });
  afterEach(async () => {
    await h.close();
  });

  it('reads one empty AQL page and one count on a resync with no change', async () => {
    await steadyState(h);
    const before = h.sim.jira.requests.length;
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
    const reads = assetsReads(h, before);
    expect(reads.aql).toEqual([expect.stringMatching(/^200 objectTypeId = \d+ AND Updated > now\(-\d+m\)$/)]);
    expect(reads.counts).toBe(1);
    // 24 h since the last read plus the 10 minute overlap.
    expect(reads.aql[0]).toContain(`now(-${24 * 60 + 10}m)`);
    expect((await readObservations(h.store)).assetsUpdatedQuery).toMatchObject({ refused: false });
  });

  it('corrects a hand edit in Assets on the next run, reading only the edited object', async () => {
    await steadyState(h);
    const edited = h.sim.jira.employees()[4]!;
    h.sim.jira.editObject(edited.objectId, 'Department', 'Edited by hand');
    const before = h.sim.jira.requests.length;
    const { run } = await h.run('sync');
    expect(run.counts).toMatchObject({ creates: 0, updates: 1, inactivations: 0 });
    expect(assetsReads(h, before).aql).toHaveLength(1);
    const after = h.sim.jira.employees().find((o) => o.objectId === edited.objectId)!;
    expect(after.values.department).toBe(edited.values.department);
    // The corrected object is read again (updated by the write) and the cache plans nothing more.
    h.clock.advance(DAY);
    expect((await h.run('preview')).run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
  });

  it('catches an object deleted in Assets by the count, reads everything and recreates it', async () => {
    await steadyState(h);
    const deleted = h.sim.jira.employees()[2]!;
    h.sim.jira.deleteObject(deleted.objectId);
    const before = h.sim.jira.requests.length;
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ creates: 1, updates: 0 });
    const reads = assetsReads(h, before);
    expect(reads.counts).toBe(1);
    expect(reads.aql.some((q) => /^200 objectTypeId = \d+$/.test(q))).toBe(true);
    expect(h.sim.jira.employees().filter((o) => o.values.entraUserId === deleted.values.entraUserId)).toHaveLength(1);
  });

  it('reads everything again when the cache is older than 7 days', async () => {
    await steadyState(h);
    h.clock.advance(7 * DAY);
    const before = h.sim.jira.requests.length;
    const { run } = await h.run('sync');
    expect(run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
    const reads = assetsReads(h, before);
    expect(reads.aql.length).toBeGreaterThan(1);
    expect(reads.aql.every((q) => /^200 objectTypeId = \d+$/.test(q))).toBe(true);
    expect(reads.counts).toBe(0);
  });

  it('ends in the same state whatever storage operation of the incremental run is killed', async () => {
    const reference = await (async () => {
      await steadyState(h);
      const edited = h.sim.jira.employees()[4]!;
      h.sim.jira.editObject(edited.objectId, 'Department', 'Edited by hand');
      const { run, stats } = await h.run('sync', { budgetCalls: 1 });
      expect(run.status).toBe('succeeded');
      return { state: h.assetsState(), ops: stats.opsPerInvocation };
    })();
    let points = 0;
    for (const [index, ops] of reference.ops.entries()) {
      for (const op of new Set([1, Math.ceil(ops / 2), ops])) {
        const k = await harness('supported');
        try {
          await steadyState(k);
          const edited = k.sim.jira.employees()[4]!;
          k.sim.jira.editObject(edited.objectId, 'Department', 'Edited by hand');
          const { run } = await k.run('sync', { budgetCalls: 1, crashAt: (n) => (n === index + 1 ? op : null) });
          const label = `kill invocation ${index + 1} at op ${op}`;
          expect({ label, status: run.status }).toEqual({ label, status: 'succeeded' });
          expect(k.assetsState()).toEqual(reference.state);
          expect(k.duplicateEntraIds()).toEqual([]);
          k.clock.advance(DAY);
          expect({ label, counts: (await k.run('preview')).run.counts }).toMatchObject({
            label,
            counts: { creates: 0, updates: 0, inactivations: 0 },
          });
          points++;
        } finally {
          await k.close();
        }
      }
    }
    expect(points).toBeGreaterThan(10);
  }, 240_000);
});

describe('the Assets object cache when Assets refuses the Updated query (the fake default)', () => {
  it('reads everything, notes the refusal for Diagnostics, does not ask again on the next run, and plans nothing', async () => {
    const h = await harness('refused');
    try {
      expect((await h.run('sync')).run.status).toBe('succeeded');
      h.clock.advance(DAY);
      let before = h.sim.jira.requests.length;
      const { run } = await h.run('sync');
      expect(run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
      let reads = assetsReads(h, before);
      expect(reads.aql[0]).toMatch(/^400 objectTypeId = \d+ AND Updated > now\(-\d+m\)$/);
      expect(reads.aql.slice(1).every((q) => /^200 objectTypeId = \d+$/.test(q))).toBe(true);
      expect(reads.aql.length).toBeGreaterThan(2);
      expect((await readObservations(h.store)).assetsUpdatedQuery).toMatchObject({ refused: true });
      // The next runs read in full without asking again (one refused call a week, not one a run).
      h.clock.advance(DAY);
      before = h.sim.jira.requests.length;
      expect((await h.run('sync')).run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
      reads = assetsReads(h, before);
      expect(reads.aql.length).toBeGreaterThan(1);
      expect(reads.aql.every((q) => /^200 objectTypeId = \d+$/.test(q))).toBe(true);
      // A hand edit is corrected by the full read too.
      const edited = h.sim.jira.employees()[1]!;
      h.sim.jira.editObject(edited.objectId, 'Department', 'Edited by hand');
      expect((await h.run('sync')).run.counts).toMatchObject({ updates: 1 });
    } finally {
      await h.close();
    }
  });
});
