/**
 * The benchmark runs the fakes with `indexes` on (sorted users and a mail index in the tenant, per-type object
 * lists and a unique-value index in Assets) so large worlds cost no scan per request. The indexes must not change
 * an answer: the same sync, hand edits and resync give the same Assets state and the same requests either way,
 * and a duplicate unique value is still refused.
 */
import { applyWorldChange } from '../../bench/sync/world-change';
import { generateWorld, mutateWorld } from '../../fakes/world/generate-world';
import { CORE_SCHEMA } from '../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../src/domain/schema-definition';
import { type Harness, startHarness } from '../support/pipeline-harness';

async function syncTwiceWithEdits(indexes: boolean) {
  const world = generateWorld({ users: 150, seed: 5 });
  const h: Harness = await startHarness({ world, simulation: { entra: { indexes }, jira: { indexes } } });
  try {
    const first = await h.run('sync');
    const [a, b] = h.sim.jira.employees();
    h.sim.jira.editObject(a!.objectId, 'Department', 'Edited by hand');
    expect(h.sim.jira.employees().some((o) => o.objectId === b!.objectId)).toBe(true);
    h.sim.jira.deleteObject(b!.objectId);
    applyWorldChange(h.sim, world, mutateWorld(world, { seed: 3, fraction: 0.05 }).world);
    const second = await h.run('sync');
    const [, , x, y, z] = h.sim.jira.employees();
    const layout = (await h.createSchema()).layout;
    const { assets } = await h.deps.connect();
    const employee = objectTypeOf(CORE_SCHEMA, 'employee');
    // A value set by an update (not a create) must be seen as taken, as must one set at create.
    const moved = await assets.updateObject(layout, employee, x!.objectId, { entraUserId: 'moved-entra-id' });
    const refused = await assets.updateObject(layout, employee, y!.objectId, { entraUserId: 'moved-entra-id' });
    const refusedToo = await assets.updateObject(layout, employee, z!.objectId, { entraUserId: y!.values.entraUserId ?? null });
    return {
      counts: [first.run.counts, second.run.counts],
      state: [...h.assetsState()].sort(([x], [y]) => x.localeCompare(y)),
      requests: h.sim.jira.requests.map((r) => `${r.method} ${r.url} ${r.status}`),
      graph: h.sim.entra.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      writes: [moved, refused, refusedToo].map((r) => (r.ok ? 'accepted' : r.failure.code)),
    };
  } finally {
    await h.close();
  }
}

it('indexed fakes answer exactly as the plain ones', async () => {
  const plain = await syncTwiceWithEdits(false);
  const indexed = await syncTwiceWithEdits(true);
  expect(plain.writes[0]).toBe('accepted');
  expect(plain.writes.slice(1)).not.toContain('accepted');
  expect(indexed).toEqual(plain);
}, 60_000);
