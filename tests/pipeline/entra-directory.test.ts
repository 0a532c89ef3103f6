/**
 * The Entra directory stage through the real pipeline (step runner, stages, Graph client) against the fake tenant
 * in its default, less friendly behaviour: replication lag on GET by id, $expand pages capped at 100, delta that
 * can lose a change, paging links that expire. Issue 11 points 10 (replication lag), 11 (full reconciliation,
 * expired page tokens) and 12 (the full read as the first delta round).
 */
import type { FakeGraphUser } from '../../fakes/world/types';
import { FULL_READ_MAX_AGE_DAYS } from '../../src/domain/directory-delta';
import { readDirectory, readDirectoryMeta } from '../../src/pipeline/directory-cache';
import { keys } from '../../src/pipeline/keys';
import { readObservations } from '../../src/pipeline/platform-observations';
import { startRun } from '../../src/pipeline/run-control';
import { loadRun } from '../../src/pipeline/run-store';
import { FULL_READ_ENDPOINT } from '../../src/pipeline/stages/entra-directory-stage';
import { type Harness, harnessPerTest } from '../support/pipeline-harness';

const DAY = 24 * 60 * 60 * 1000;
const { harness, current } = harnessPerTest({ users: 120, seed: 5 });

/** A new Entra user and an Atlassian account with the same email, so the sync creates an Employee for it. */
function newHire(harnessed: Harness, n: number, overrides: Partial<FakeGraphUser> = {}): FakeGraphUser {
  const id = `0f000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const mail = `new.hire${n}@contoso.com`;
  harnessed.sim.jira.setUser({
    accountId: `712020:newhire${n}`,
    accountType: 'atlassian',
    active: true,
    displayName: `New Hire ${n}`,
    email: mail,
    emailHidden: false,
  });
  const user: FakeGraphUser = {
    id,
    displayName: `New Hire ${n}`,
    givenName: 'New',
    surname: `Hire ${n}`,
    mail,
    userPrincipalName: `new.hire${n}@contoso.onmicrosoft.com`,
    proxyAddresses: [`SMTP:${mail}`],
    otherMails: [],
    jobTitle: 'Analyst',
    department: 'Finance',
    officeLocation: null,
    accountEnabled: true,
    userType: 'Member',
    employeeId: null,
    managerId: null,
    ...overrides,
  };
  harnessed.sim.entra.upsertUser(user);
  return user;
}

const graphCalls = (harnessed: Harness, from: number) =>
  harnessed.sim.entra.requests.slice(from).filter((r) => r.path.startsWith('/v1.0/'));

async function cachedDirectory(harnessed: Harness) {
  const meta = await readDirectoryMeta(harnessed.store);
  if (meta === null) throw new Error('no cached directory');
  return { meta, users: new Map((await readDirectory(harnessed.store, meta.generation, meta.chunks)).map((u) => [u.id, u])) };
}

describe('point 10: a user created just before a delta round is never lost to replication lag', () => {
  it.each([
    ['replication lag (default)', {}],
    ['no replication lag', { replicationLagSeconds: 0 }],
  ])('%s: the new user is in the cached directory and synced, built from its delta item without a GET by id', async (_name, behaviour) => {
    const hh = await harness({ simulation: { entra: { behaviour } } });
    await hh.run('sync');
    const user = newHire(hh, 1);
    const before = hh.sim.entra.requests.length;
    const { run } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    const { users } = await cachedDirectory(hh);
    expect(users.get(user.id)).toMatchObject({ id: user.id, mail: user.mail, jobTitle: 'Analyst', accountEnabled: true, managerId: null });
    expect(hh.sim.jira.employees().filter((o) => o.values.entraUserId === user.id)).toHaveLength(1);
    // Its delta item carried every selected property: no re-read by id that replication lag could answer 404.
    expect(graphCalls(hh, before).map((r) => r.path)).toEqual(['/v1.0/users/delta']);
  });

  it('a new user whose delta item lacks a property is re-read; a 404 keeps the partial record and the next run completes it', async () => {
    const hh = await harness({ simulation: { entra: { behaviour: { deltaOmitsNulls: true } } } });
    await hh.run('sync');
    const user = newHire(hh, 2, { department: null });
    const before = hh.sim.entra.requests.length;
    const first = await hh.run('sync');
    expect(first.run.status).toBe('succeeded');
    const batchItems = graphCalls(hh, before).filter((r) => r.batchOf !== null);
    expect(batchItems.map((r) => [r.path, r.status])).toEqual([[`/v1.0/users/${user.id}`, 404]]);
    let cached = await cachedDirectory(hh);
    expect(cached.users.get(user.id)).toMatchObject({ id: user.id, mail: user.mail, department: null });
    expect(cached.meta.pendingReads).toEqual([{ id: user.id, attempts: 1 }]);
    expect(hh.sim.jira.employees().filter((o) => o.values.entraUserId === user.id)).toHaveLength(1);

    // Once replicated, the next run's re-read answers 200 and the pending re-read is settled.
    hh.clock.advance(10 * 60_000);
    const mark = hh.sim.entra.requests.length;
    await hh.run('sync');
    expect(
      graphCalls(hh, mark)
        .filter((r) => r.batchOf !== null)
        .map((r) => r.status),
    ).toEqual([200]);
    cached = await cachedDirectory(hh);
    expect(cached.meta.pendingReads).toEqual([]);
    expect(cached.users.get(user.id)).toMatchObject({ mail: user.mail, jobTitle: 'Analyst', department: null });
  });

  it('the re-read is bounded: after 3 runs of 404 the app stops asking and keeps the record', async () => {
    const hh = await harness({ simulation: { entra: { behaviour: { deltaOmitsNulls: true, replicationLagSeconds: 365 * 24 * 3600 } } } });
    await hh.run('sync');
    const user = newHire(hh, 3, { jobTitle: null });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const mark = hh.sim.entra.requests.length;
      await hh.run('sync');
      statuses.push(
        ...graphCalls(hh, mark)
          .filter((r) => r.batchOf !== null)
          .map((r) => r.status),
      );
    }
    expect(statuses).toEqual([404, 404, 404]);
    const cached = await cachedDirectory(hh);
    expect(cached.meta.pendingReads).toEqual([]);
    expect(cached.users.has(user.id)).toBe(true);
  });
});

describe('point 11: a full reconciliation read when the last one is older than 7 days', () => {
  it('a run 8 days after the last full read reads the whole directory and fixes a change delta never reported', async () => {
    const hh = await harness();
    await hh.run('sync');
    const firstFull = (await cachedDirectory(hh)).meta.fullReadAt;
    const target = hh.sim.jira.employees().find((o) => o.values.entraUserId !== null)!;
    const user = hh.world.entra.users.find((u) => u.id === target.values.entraUserId)!;
    hh.sim.entra.upsertUser({ ...user, jobTitle: 'Lost In Delta' });
    hh.sim.entra.loseDeltaChanges([user.id]);

    hh.clock.advance(1 * DAY);
    await hh.run('sync');
    expect(hh.sim.jira.employees().find((o) => o.objectId === target.objectId)!.values.jobTitle).not.toBe('Lost In Delta');
    expect((await cachedDirectory(hh)).meta.fullReadAt).toBe(firstFull);

    hh.clock.advance((FULL_READ_MAX_AGE_DAYS + 1) * DAY - 1 * DAY);
    const mark = hh.sim.entra.requests.length;
    const { run } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    const delta = graphCalls(hh, mark).filter((r) => r.path === '/v1.0/users/delta');
    expect(delta[0]!.query['$deltatoken']).toBeUndefined();
    expect(hh.sim.jira.employees().find((o) => o.objectId === target.objectId)!.values.jobTitle).toBe('Lost In Delta');
    const meta = (await cachedDirectory(hh)).meta;
    expect(meta.fullReadAt).toBe(new Date(hh.clock.now()).toISOString());
    expect(hh.logs.some((l) => l.event === 'stage.entra-directory.full-read' && l.fields['reason'] === 'reconciliation-due')).toBe(true);
  });

  it('an expired page token in the middle of the full read restarts the read and the run succeeds', async () => {
    let expireAfterFirstPage = true;
    const hh = await harness({
      users: 450,
      wrapExternalFetch: (fetch) => async (request) => {
        const response = await fetch(request);
        // The first page of a full read (old design: /users?$select...; new: /users/delta?$select...).
        const firstPage = /\/v1\.0\/users(\/delta)?\?\$select=/.test(request.url) && !request.url.includes('$deltatoken');
        if (expireAfterFirstPage && firstPage && response.status === 200) {
          expireAfterFirstPage = false;
          current().sim.entra.expirePageTokens();
        }
        return response;
      },
    });
    const { run } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    const statuses = hh.sim.entra.requests.filter((r) => r.path === '/v1.0/users/delta').map((r) => r.status);
    expect(statuses[1]).toBe(400);
    expect(
      hh.logs.some((l) => l.event === 'stage.entra-directory.full-read-restart' && l.fields['code'] === 'GRAPH_PAGE_TOKEN_EXPIRED'),
    ).toBe(true);
    const { users } = await cachedDirectory(hh);
    expect(users.size).toBe(hh.world.entra.users.length);
    expect(hh.duplicateEntraIds()).toEqual([]);
  });

  it('a page token that keeps expiring ends the attempt with "retry later" and a fresh start, never a failed run', async () => {
    const hh = await harness({
      users: 450,
      wrapExternalFetch: (fetch) => async (request) => {
        const response = await fetch(request);
        // Every full read is cut off after its first page, for the first 5 reads.
        if (reads < 5 && /\/v1\.0\/users\/delta\?\$select/.test(request.url) && response.status === 200) {
          reads++;
          current().sim.entra.expirePageTokens();
        }
        return response;
      },
    });
    let reads = 0;
    const { run, stats } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    expect(stats.retriesLater).toBeGreaterThanOrEqual(1);
    expect((await cachedDirectory(hh)).users.size).toBe(hh.world.entra.users.length);
  });
});

describe('point 12: the full read is the first delta round, not /users with $expand', () => {
  it('450 users: 3 delta pages of up to 200, no $expand and no separate $deltatoken=latest; the page size served is recorded', async () => {
    const hh = await harness({ users: 450 });
    const mark = hh.sim.entra.requests.length;
    const { run } = await hh.run('sync');
    expect(run.status).toBe('succeeded');
    const calls = graphCalls(hh, mark);
    expect(calls.map((r) => r.path)).toEqual(['/v1.0/users/delta', '/v1.0/users/delta', '/v1.0/users/delta']);
    expect(calls.some((r) => r.query['$expand'] !== undefined || r.query['$deltatoken'] === 'latest')).toBe(false);
    expect(calls[0]!.query['$select']).toMatch(/,manager$/);
    const observed = await readObservations(hh.store);
    expect(observed.graphPageSize).toMatchObject({ endpoint: FULL_READ_ENDPOINT, requested: 0, served: 200 });
    const { users } = await cachedDirectory(hh);
    expect(users.size).toBe(hh.world.entra.users.length);
    const withManager = hh.world.entra.users.filter((u) => u.managerId !== null);
    for (const u of withManager) expect(users.get(u.id)!.managerId).toBe(u.managerId);
  });

  it('a checkpoint in the old "full" shape (list with $expand) restarts cleanly as a delta full read', async () => {
    // The directory read is the first stage: its event is queued and nothing has run when the checkpoint is planted.
    const hh = await harness();
    const started = await startRun(hh.deps, { mode: 'sync', trigger: 'manual', startedBy: 'a1' });
    await hh.pump({ stopAfter: 0 });
    const queued = hh.driver.pending.find((e) => e.message.stage === 'entraDirectory');
    expect(queued).toBeDefined();
    const oldChunk = [
      {
        id: 'stale',
        displayName: null,
        mail: null,
        userPrincipalName: null,
        proxyAddresses: [],
        otherMails: [],
        jobTitle: null,
        department: null,
        accountEnabled: true,
        managerId: null,
      },
    ];
    await hh.store.set(keys.directoryChunk(started.runId, 0), oldChunk);
    await hh.store.set(keys.checkpoint(started.runId, 'entraDirectory'), {
      v: 1,
      seq: queued!.message.seq,
      complete: false,
      nextPushed: false,
      next: null,
      state: {
        phase: 'full',
        deltaLink: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=old',
        nextLink: null,
        started: true,
        chunks: 1,
        users: 1,
      },
    });
    await hh.pump();
    const run = await loadRun(hh.deps, started.runId);
    expect(run!.status).toBe('succeeded');
    const { users } = await cachedDirectory(hh);
    expect(users.has('stale')).toBe(false);
    expect(users.size).toBe(hh.world.entra.users.length);
  });
});
