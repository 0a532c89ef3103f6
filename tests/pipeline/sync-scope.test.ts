/**
 * Issue 12, scope points 3 and 4 through the real pipeline (step runner, stages, Graph client against the fake
 * tenant over HTTP): the Graph read selects the properties the scope uses and the cached directory keeps them; a
 * change of the scope's properties reads the whole directory; full and delta reads agree because the planner
 * evaluates the scope over the cached directory; a user who leaves the scope is inactivated (out-of-scope), and a
 * rule change that would inactivate many stops a sync for confirmation.
 */
import { readDirectory, readDirectoryMeta } from '../../src/pipeline/directory-cache';
import { readReport } from '../../src/pipeline/report-store';
import { type Harness, harnessPerTest } from '../support/pipeline-harness';

const DAY = 24 * 60 * 60 * 1000;
const { harness } = harnessPerTest({ users: 80, seed: 12 });

const deltaRequests = (hh: Harness, from: number) => hh.sim.entra.requests.slice(from).filter((r) => r.path === '/v1.0/users/delta');

async function cached(hh: Harness) {
  const meta = await readDirectoryMeta(hh.store);
  if (meta === null) throw new Error('no cached directory');
  return { meta, users: new Map((await readDirectory(hh.store, meta.generation, meta.chunks)).map((u) => [u.id, u])) };
}

describe('the scope on the real pipeline', () => {
  it('selects the scope properties, keeps them in the cache, and a full and a delta read agree on who is out of scope', async () => {
    const hh = await harness();
    await hh.run('sync');
    const synced = hh.sim.jira.employees().filter((o) => o.values.active === true);
    expect(synced.length).toBeGreaterThan(10);

    // A scope that needs userType and officeLocation: the cached directory lacks them, so the run reads it all.
    await hh.configure({ scope: "userType eq 'Member' and officeLocation ne 'Atlantis'" });
    let mark = hh.sim.entra.requests.length;
    const guests = hh.world.entra.users.filter((u) => u.userType !== 'Member').length;
    const first = await hh.run('sync');
    expect(first.run.scope).not.toBeNull();
    expect(first.run.status).toBe('succeeded');
    const fullRead = deltaRequests(hh, mark);
    expect(fullRead[0]!.query['$deltatoken']).toBeUndefined();
    expect(fullRead[0]!.query['$select']?.split(',')).toEqual(expect.arrayContaining(['userType', 'officeLocation']));
    expect(hh.logs.some((l) => l.event === 'stage.entra-directory.full-read' && l.fields['reason'] === 'scope-properties-changed')).toBe(
      true,
    );
    let directory = await cached(hh);
    expect(directory.meta.profile).toEqual(['officeLocation', 'userType']);
    const target = synced.find((o) => {
      const user = hh.world.entra.users.find((u) => u.id === o.values.entraUserId);
      return user?.userType === 'Member' && user.accountEnabled && user.officeLocation !== null;
    })!;
    const user = hh.world.entra.users.find((u) => u.id === target.values.entraUserId)!;
    expect(directory.users.get(user.id)?.profile).toEqual({ userType: 'Member', officeLocation: user.officeLocation });
    expect(first.run.counts?.outOfScope).toBe(guests);

    // The user moves to the Atlantis office: a delta read carries the change, the planner takes the user out of scope.
    hh.sim.entra.upsertUser({ ...user, officeLocation: 'Atlantis' });
    hh.clock.advance(DAY);
    mark = hh.sim.entra.requests.length;
    const delta = await hh.run('sync');
    expect(delta.run.status).toBe('succeeded');
    expect(deltaRequests(hh, mark)[0]!.query['$deltatoken']).toBeDefined();
    directory = await cached(hh);
    expect(directory.users.get(user.id)?.profile).toEqual({ userType: 'Member', officeLocation: 'Atlantis' });
    expect(delta.run.counts?.outOfScope).toBe(guests + 1);
    const after = hh.sim.jira.employees().find((o) => o.objectId === target.objectId)!;
    expect(after.values.active).toBe(false);
    const report = await readReport(hh, delta.run.runId);
    expect(report?.inactivations.items.filter((i) => i.reason === 'out-of-scope').map((i) => i.objectId)).toEqual([target.objectId]);
    expect(report?.scopeLeaving.items.map((i) => i.objectId)).toEqual([target.objectId]);
    expect(report?.scope.rules).toEqual([
      { rule: "userType eq 'Member'", excluded: guests },
      { rule: "officeLocation ne 'Atlantis'", excluded: 1 },
    ]);

    // A full reconciliation read later finds the same: nothing to write, the same count out of scope.
    hh.clock.advance(8 * DAY);
    const writes = hh.assetsWrites();
    mark = hh.sim.entra.requests.length;
    const full = await hh.run('sync');
    expect(deltaRequests(hh, mark)[0]!.query['$deltatoken']).toBeUndefined();
    expect(full.run.counts).toMatchObject({ outOfScope: guests + 1, creates: 0, updates: 0, inactivations: 0 });
    expect(hh.assetsWrites()).toBe(writes);

    // Clearing the scope brings the user back (made active again) and drops the extra properties from the read.
    await hh.configure({ scope: '' });
    mark = hh.sim.entra.requests.length;
    const cleared = await hh.run('sync');
    expect(deltaRequests(hh, mark)[0]!.query['$select']?.split(',')).not.toContain('officeLocation');
    expect(cleared.run.counts?.outOfScope).toBe(0);
    expect(hh.sim.jira.employees().find((o) => o.objectId === target.objectId)!.values.active).toBe(true);
    expect((await readReport(hh, cleared.run.runId))?.scopeEntering.items.map((i) => i.entraUserId)).toContain(user.id);
  });

  it('a rule change that would inactivate many stops the sync for confirmation and writes nothing', async () => {
    const hh = await harness();
    await hh.run('sync');
    const active = hh.sim.jira.employees().filter((o) => o.values.active === true).length;
    await hh.configure({ scope: "officeLocation eq 'Nowhere'" });
    const writes = hh.assetsWrites();
    const { run } = await hh.run('sync');
    expect(run.status).toBe('awaiting-confirmation');
    expect(run.safety).toMatchObject({ inactivations: active, activeBefore: active });
    expect(hh.assetsWrites()).toBe(writes);
    expect(hh.sim.jira.employees().filter((o) => o.values.active === true)).toHaveLength(active);
  });

  it('an unreadable scope is INPUT_INVALID and stores nothing', async () => {
    const hh = await harness();
    await hh.configure({ scope: "department eq 'Sales'" });
    await expect(hh.configure({ scope: "departmnt eq 'Sales'", intervalDays: 7 })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/unknown property "departmnt"/),
    });
    const { run } = await hh.run('preview');
    expect(run.scope).toEqual({
      v: 1,
      membersOnly: false,
      enabledOnly: false,
      clauses: [{ property: 'department', op: 'eq', values: ['Sales'] }],
    });
  });
});
