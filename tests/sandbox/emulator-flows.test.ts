/**
 * The app's real handlers on the emulator (in process) against the built-in world: an incremental resync after a
 * restart (one delta call, nothing written), hidden Atlassian emails, Graph throttling, the safety threshold with
 * confirm, schema conflict and repair, and missing consent. Each test has its own state directory.
 */
import { rmSync } from 'node:fs';

import { type Emulator, type EmulatorOptions, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from './cli-harness';
import { call, data, saveBuiltInSettings } from './emulator-calls';

jest.setTimeout(90_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function start(options: Partial<EmulatorOptions> & { stateDir?: string } = {}): Promise<Emulator> {
  const stateDir = options.stateDir ?? tempStateDir('flows');
  dirs.push(stateDir);
  return startEmulator({ users: 60, seed: 9, notice: () => undefined, ...options, stateDir });
}

async function setUp(em: Emulator): Promise<void> {
  await saveBuiltInSettings(em);
  await data(em, 'createSchema');
  // Create Schema is a queued job: it ends through queue delivery.
  await em.drain();
}

async function schemaJob(em: Emulator): Promise<Record<string, unknown>> {
  await data(em, 'createSchema');
  await em.drain();
  return data(em, 'getSchemaJob');
}

async function runToEnd(em: Emulator, key: 'startSync' | 'startPreview') {
  const started = await data(em, key);
  await em.drain();
  return data(em, 'getRun', { runId: started['runId'] });
}

function byEntraId(em: Emulator): Record<string, unknown> {
  const objects = em.simulation!.jira.employees();
  const entraIdOf = new Map(objects.map((o) => [o.objectId, o.values.entraUserId as string]));
  return Object.fromEntries(
    objects.map((o) => [
      o.values.entraUserId,
      { ...o.values, manager: o.values.manager === null ? null : entraIdOf.get(o.values.manager as string) },
    ]),
  );
}

/** Writes Assets answered (a redirect the fake sent first is not a write: the request the app re-issued is). */
const writes = (em: Emulator) =>
  em.simulation!.jira.requests.filter(
    (r) => (r.endpoint === 'object/create' || r.endpoint === 'object/update') && (r.status < 300 || r.status >= 400),
  ).length;

describe('the emulator running the real app', () => {
  it('resumes from the state directory: a second sync after a restart reads one delta page and writes nothing', async () => {
    const first = await start();
    await setUp(first);
    const run = await runToEnd(first, 'startSync');
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    const created = (run['counts'] as { creates: number }).creates;
    expect(first.simulation!.jira.employees()).toHaveLength(created);
    await first.close();

    const second = await start({ stateDir: first.stateDir });
    const again = await runToEnd(second, 'startSync');
    expect(again).toMatchObject({ status: 'succeeded', counts: { creates: 0, updates: 0, inactivations: 0, unchanged: created } });
    // One call in all: the delta link and the cached access token both survived the restart.
    expect(second.simulation!.entra.requests.map((r) => r.path)).toEqual(['/v1.0/users/delta']);
    expect(writes(second)).toBe(0);
    expect(second.simulation!.jira.employees()).toHaveLength(created);

    // A change made in Entra while no sandbox runs is picked up by the next one, and only that change is written.
    const user = second.simulation!.world.entra.users.find((u) =>
      second.simulation!.jira.employees().some((e) => e.values.entraUserId === u.id),
    )!;
    second.simulation!.entra.upsertUser({ ...user, jobTitle: 'Chief Sandbox Officer' });
    await second.close();
    const third = await start({ stateDir: first.stateDir });
    const changed = await runToEnd(third, 'startSync');
    expect(changed).toMatchObject({ status: 'succeeded', counts: { creates: 0, updates: 1, inactivations: 0 } });
    expect(writes(third)).toBe(1);
    expect(third.simulation!.jira.employees().find((e) => e.values.entraUserId === user.id)?.values.jobTitle).toBe('Chief Sandbox Officer');
    await third.close();
  });

  it('matches Atlassian accounts whose email is hidden through the email API, and says so when that API is off', async () => {
    const em = await start();
    try {
      await setUp(em);
      const run = await runToEnd(em, 'startSync');
      expect(run['status']).toBe('succeeded');
      const hidden = em
        .simulation!.world.jira.users.filter((u) => u.emailHidden && u.active && u.accountType === 'atlassian')
        .map((u) => u.accountId);
      expect(hidden.length).toBeGreaterThan(0);
      const inAssets = new Set(em.simulation!.jira.employees().map((e) => e.values.atlassianAccountId));
      expect(hidden.filter((id) => inAssets.has(id)).length).toBeGreaterThan(0);
      expect(em.simulation!.jira.requestsTo('user/email/bulk').length).toBeGreaterThan(0);
    } finally {
      await em.close();
    }

    const off = await start({ simulation: { jira: { emailApi: 'disabled' } } });
    try {
      await setUp(off);
      const preview = await runToEnd(off, 'startPreview');
      expect(preview['status']).toBe('succeeded');
      const report = await data(off, 'getReport', { runId: preview['runId'] });
      const warnings = (report['report'] as { warnings: { items: { code: string }[] } }).warnings.items.map((w) => w.code);
      expect(warnings).toContain('hidden-emails-unavailable');
    } finally {
      await off.close();
    }
  });

  it('finishes a sync while Graph throttles, waiting out Retry-After on the emulated clock', async () => {
    const em = await start({
      users: 40,
      simulation: { entra: { throttling: { resourceUnitsPer10s: 2 }, behaviour: { deltaPageSize: 5 } } },
    });
    try {
      await setUp(em);
      const started = await data(em, 'startSync');
      const stats = await em.drain();
      const run = await data(em, 'getRun', { runId: started['runId'] });
      expect(run).toMatchObject({ status: 'succeeded', error: null });
      expect(em.simulation!.entra.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(stats.retriesRequested + stats.fastForwardedMs).toBeGreaterThan(0);
      expect(em.simulation!.jira.employees().length).toBe((run['counts'] as { creates: number }).creates);
    } finally {
      await em.close();
    }
  });

  it('stops for confirmation when a sync would inactivate too many objects, and applies the plan once confirmed', async () => {
    const em = await start();
    try {
      await setUp(em);
      await runToEnd(em, 'startSync');
      const synced = em.simulation!.jira.employees();
      const active = new Set(synced.filter((e) => e.values.active === true).map((e) => e.values.entraUserId));
      const inactiveBefore = synced.length - active.size;
      const leavers = em.simulation!.world.entra.users.filter((u) => u.accountEnabled && active.has(u.id)).slice(0, 20);
      expect(leavers).toHaveLength(20);
      for (const u of leavers) em.simulation!.entra.upsertUser({ ...u, accountEnabled: false });
      const run = await runToEnd(em, 'startSync');
      expect(run).toMatchObject({ status: 'awaiting-confirmation', safety: { inactivations: 20 } });
      expect(writes(em)).toBe(synced.length);

      await data(em, 'confirmRun', { runId: run['runId'] });
      await em.drain();
      const confirmed = await data(em, 'getRun', { runId: run['runId'] });
      expect(confirmed).toMatchObject({ status: 'succeeded', counts: { inactivations: 20 } });
      expect(em.simulation!.jira.employees().filter((e) => e.values.active === false)).toHaveLength(inactiveBefore + 20);
    } finally {
      await em.close();
    }
  });

  it('names the schema that already uses the key ENTRA, and repairs a damaged Entra Directory schema', async () => {
    const conflict = await start({ simulation: { jira: { preexistingSchemas: [{ name: 'HR Directory', key: 'ENTRA' }] } } });
    try {
      const job = await schemaJob(conflict);
      expect(job).toMatchObject({
        status: 'failed',
        error: { code: 'ASSETS_SCHEMA_CONFLICT', message: expect.stringContaining('HR Directory') },
      });
    } finally {
      await conflict.close();
    }

    const em = await start();
    try {
      await setUp(em);
      em.simulation!.jira.deleteAttribute('Employee', 'Department');
      em.simulation!.jira.renameAttribute('Employee', 'Job Title', 'Role');
      const repaired = (await schemaJob(em))['result'] as Record<string, unknown>;
      expect((repaired['repaired'] as string[]).length + (repaired['created'] as string[]).length).toBeGreaterThan(0);
      const again = await schemaJob(em);
      expect(again).toMatchObject({ status: 'succeeded', result: { created: [], repaired: [] } });
      expect(await runToEnd(em, 'startSync')).toMatchObject({ status: 'succeeded' });
    } finally {
      await em.close();
    }
  });

  it('reaches the same Assets state with duplicated, reordered and delayed events and short time limits', async () => {
    const plain = await start({ users: 50, seed: 14 });
    let expected: unknown;
    try {
      await setUp(plain);
      expect(await runToEnd(plain, 'startSync')).toMatchObject({ status: 'succeeded' });
      expected = byEntraId(plain);
    } finally {
      await plain.close();
    }
    // 300 s x 0.02 = 6 s per consumer invocation: the app yields after every checkpoint and chains continuations.
    const rough = await start({
      users: 50,
      seed: 14,
      timeFactor: 0.02,
      delivery: { duplicateRate: 0.5, reorder: true, maxDelayMs: 20_000, seed: 3 },
    });
    try {
      await setUp(rough);
      const started = await data(rough, 'startSync');
      const stats = await rough.drain();
      expect(await data(rough, 'getRun', { runId: started['runId'] })).toMatchObject({ status: 'succeeded', error: null });
      expect(stats.invocations).toBeGreaterThan(8);
      expect(byEntraId(rough)).toEqual(expected);
    } finally {
      await rough.close();
    }
  });

  it('tells the admin to grant User.Read.All when consent is missing', async () => {
    const em = await start({ simulation: { tenant: { consentGranted: false } } });
    try {
      await saveBuiltInSettings(em);
      expect(await call(em, 'testConnection')).toMatchObject({
        ok: false,
        error: { code: 'GRAPH_CONSENT_MISSING', message: expect.stringContaining('User.Read.All') },
      });
      // A caller who is not a Jira administrator is refused before anything else.
      expect(await em.invoke('getStatus', undefined, { accountId: 'not-an-admin' })).toMatchObject({
        ok: false,
        error: { code: 'PERMISSION_DENIED' },
      });
    } finally {
      await em.close();
    }
  });
});
