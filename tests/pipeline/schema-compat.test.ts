/**
 * Issue 11 point 9, end to end: a site whose ENTRA schema already has "Email" as an attribute of the Assets Email
 * type, holding data, is used as it is: the schema check accepts it (no retype, no "delete that attribute") and a
 * sync writes every Employee through it. Real clients, stages and step runner against the fake site.
 */
import { jiraFetchTo } from '../../fakes/jira/fake-jira-fetch';
import { type Harness, startHarness } from '../support/pipeline-harness';

describe('a sync into an existing schema whose Email attribute has the Email type', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('accepts the attribute, keeps its type and data, and syncs every email through it', async () => {
    h = await startHarness({ users: 60, seed: 5, setUp: false });
    await h.configure();
    const first = await h.createSchema();
    h.sim.jira.deleteAttribute('Employee', 'Email');
    const made = await jiraFetchTo(h.sim.jira.url)({
      method: 'POST',
      // An admin's edit in the Assets UI (the marker keeps the fake from redirecting it).
      url: `/jsm/assets/workspace/${h.sim.jira.workspaceId}/v1/objecttypeattribute/${first.layout.objectTypes.employee!.objectTypeId}?redirected=1`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Email', type: 0, defaultTypeId: 8 }),
    });
    expect(made.status).toBe(201);
    h.sim.jira.addObject({ attributes: { 'Full Name': 'Kept by hand', 'Entra User ID': 'not-in-entra', Email: 'kept@example.com' } });

    const again = await h.createSchema();
    expect(again).toMatchObject({ created: [], repaired: [] });

    const { run } = await h.run('sync');
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.counts!.creates).toBeGreaterThan(30);
    // An Email attribute rejects what is not an address (the world has an Entra mail with spaces around it, written
    // as Entra has it): that object alone fails, reported like any rejected value, and the run goes on.
    const rejected = h.sim.jira.requests.filter((r) => r.status === 400);
    expect(rejected.length).toBeGreaterThan(0);
    expect(run.counts!.writeFailures).toBe(rejected.length);
    const emailAttributeId = again.layout.objectTypes.employee!.attributeIds.email;
    for (const r of rejected) {
      const sent = (r.body as { attributes: { objectTypeAttributeId: string; objectAttributeValues: { value: string }[] }[] }).attributes;
      const email = sent.find((a) => a.objectTypeAttributeId === emailAttributeId)?.objectAttributeValues[0]?.value ?? '';
      expect(email).not.toMatch(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
    }
    const objects = h.sim.jira.employees();
    const synced = objects.filter((o) => o.values.entraUserId !== 'not-in-entra');
    expect(synced).toHaveLength(run.counts!.creates - run.counts!.writeFailures);
    expect(synced.every((o) => typeof o.values.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(o.values.email))).toBe(true);
    expect(objects.find((o) => o.values.entraUserId === 'not-in-entra')?.values.email).toBe('kept@example.com');
    h.sim.jira.expectNoUnexpected();

    // The second run reads the Email values back and rewrites none of them; the rejected creates are retried (and
    // refused again). (Reports of a manager whose create failed get their manager fields settled: domain rules.)
    const before = h.sim.jira.requests.length;
    const { run: second } = await h.run('sync');
    expect(second.counts).toMatchObject({ creates: rejected.length, writeFailures: rejected.length });
    const updates = h.sim.jira.requests.slice(before).filter((r) => r.method === 'PUT' && r.status === 200);
    for (const u of updates) {
      const attributes = (u.body as { attributes: { objectTypeAttributeId: string }[] }).attributes;
      expect(attributes.map((a) => a.objectTypeAttributeId)).not.toContain(emailAttributeId);
    }
  });
});
