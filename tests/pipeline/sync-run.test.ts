/**
 * The pipeline end to end against the simulated tenant and site: first sync, no-change resync, preview, and a
 * resync after edits. Real step runner, stages and clients; in-memory storage and queue; fake clock.
 */
import { type Harness, startHarness } from '../support/pipeline-harness';

describe('a sync run', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ users: 150, seed: 11 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates an Employee object for every matched user, with managers linked', async () => {
    const { run, stats } = await h.run('sync');
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(stats.crashes).toBe(0);
    const counts = run.counts!;
    expect(counts.creates).toBeGreaterThan(100);
    expect(counts.updates).toBe(0);
    expect(counts.writeFailures).toBe(0);
    const objects = h.sim.jira.employees();
    expect(objects).toHaveLength(counts.creates);
    expect(h.duplicateEntraIds()).toEqual([]);
    const withManager = objects.filter((o) => o.values.manager !== null);
    expect(withManager.length).toBeGreaterThan(50);
    const ids = new Set(objects.map((o) => o.objectId));
    for (const o of withManager) expect(ids.has(o.values.manager as string)).toBe(true);
    h.sim.entra.expectNoUnexpected();
    h.sim.jira.expectNoUnexpected();
  });

  it('plans nothing and writes nothing on a resync with no change, reading Graph through one delta call', async () => {
    await h.run('sync');
    const writesBefore = h.assetsWrites();
    const graphBefore = h.sim.entra.requests.length;
    const { run } = await h.run('sync');
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0, writeFailures: 0 });
    expect(h.assetsWrites()).toBe(writesBefore);
    const graphCalls = h.sim.entra.requests.slice(graphBefore).filter((r) => r.path.startsWith('/v1.0'));
    expect(graphCalls.map((r) => r.path)).toEqual(['/v1.0/users/delta']);
  });

  it('previews without writing to Assets', async () => {
    const before = h.sim.jira.requests.length;
    const { run } = await h.run('preview');
    expect(run.status).toBe('succeeded');
    expect(run.counts!.creates).toBeGreaterThan(100);
    const writes = h.sim.jira.requests.slice(before).filter((r) => r.method !== 'GET' && !/\/object\/aql$/.test(r.path));
    expect(writes).toEqual([]);
    expect(h.sim.jira.employees()).toHaveLength(0);
  });

  it('writes exactly the changes after edits in Entra and by hand in Assets', async () => {
    await h.run('sync');
    const users = h.world.entra.users.filter((u) => u.accountEnabled);
    const target = h.sim.jira.employees()[3]!;
    const user = users.find((u) => u.id === target.values.entraUserId)!;
    h.sim.entra.upsertUser({ ...user, jobTitle: 'Chief Coffee Officer' });
    const handEdited = h.sim.jira.employees()[5]!;
    h.sim.jira.editObject(handEdited.objectId, 'Department', 'Edited by hand');
    const writesBefore = h.assetsWrites();
    const { run } = await h.run('sync');
    expect(run.counts).toMatchObject({ creates: 0, updates: 2, inactivations: 0 });
    expect(h.assetsWrites() - writesBefore).toBe(2);
    const after = new Map(h.sim.jira.employees().map((o) => [o.objectId, o]));
    expect(after.get(target.objectId)!.values.jobTitle).toBe('Chief Coffee Officer');
    expect(after.get(handEdited.objectId)!.values.department).toBe(handEdited.values.department);
  });

  it('keeps the client secret out of app storage and logs, and logs no email or name', async () => {
    await h.run('sync');
    await h.run('sync');
    const secret = h.sim.tenant.clientSecret;
    expect(h.store.memory.dump().filter((entry) => entry.includes(secret))).toEqual([]);
    const logText = h.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(logText).not.toContain(secret);
    expect(logText).not.toContain('@');
    const names = h.world.entra.users.map((u) => u.displayName).filter((n): n is string => n !== null && n.length > 3);
    expect(names.filter((name) => logText.includes(name))).toEqual([]);
    // The secret lives in the secret store only.
    expect([...h.secrets.data.values()].some((v) => v.includes(secret))).toBe(true);
  });

  it('ends where the planner says: planning again against the final state plans nothing', async () => {
    await h.run('sync');
    const { run } = await h.run('preview');
    expect(run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
  });
});
