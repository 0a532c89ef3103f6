/**
 * Issue 15, "Sync one user now": the syncUser resolver on the emulator (the app's real code, the built-in fake
 * tenant and site over HTTP): create, update old -> new, no change (no write), the manager present and missing,
 * each bad input (unknown person, account without an email, ambiguous email, out of scope), refused while a full run
 * holds the lock, History, the Graph email lookup under both readings of the lambda filters, and Jira's user search
 * under both readings of hidden emails. Only the one object is ever written.
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { FakeGraphUser, FakeJiraUser } from '../../fakes/world/types';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../sandbox/emulator';
import { changeWorld, jsonOf, runCli, tempStateDir } from './cli-harness';
import { call, data, saveBuiltInSettings } from './emulator-calls';

jest.setTimeout(120_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
let current: Emulator | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const stateDir = tempStateDir('sync-user');
  dirs.push(stateDir);
  const em = await startEmulator({ users: 60, seed: 9, notice: () => undefined, ...options, stateDir });
  current = em;
  await saveBuiltInSettings(em);
  await data(em, 'createSchema');
  await em.drain();
  return em;
}

interface Step {
  step: string;
  status: string;
  detail: string;
}
interface SyncUserAnswer {
  written: boolean;
  outcome: string;
  objectKey: string | null;
  matchLevel: string | null;
  changes: { attribute: string; from: string | null; to: string | null }[];
  steps: Step[];
  error: { code: string; message: string } | null;
  runId: string;
}

async function syncUser(em: Emulator, who: Record<string, string>): Promise<SyncUserAnswer> {
  return (await data(em, 'syncUser', who)) as unknown as SyncUserAnswer;
}

const stepOf = (answer: SyncUserAnswer, name: string): Step => answer.steps.find((s) => s.step === name)!;

/** Assets writes answered (creates and updates). */
const writes = (em: Emulator) =>
  em.simulation!.jira.requests.filter(
    (r) => (r.endpoint === 'object/create' || r.endpoint === 'object/update') && (r.status < 300 || r.status >= 400),
  ).length;

/** Active, visible-email Atlassian accounts whose email is an Entra user's mail: [account, entra user]. */
function pairs(em: Emulator): [FakeJiraUser, FakeGraphUser][] {
  const world = em.simulation!.world;
  return world.jira.users.flatMap((account): [FakeJiraUser, FakeGraphUser][] => {
    if (account.accountType !== 'atlassian' || !account.active || account.email === null || account.emailHidden) return [];
    const users = world.entra.users.filter((u) => u.mail?.toLowerCase() === account.email!.toLowerCase());
    return users.length === 1 && users[0]!.accountEnabled ? [[account, users[0]!]] : [];
  });
}

/** A matched person whose manager is matched too: [person, manager]. */
function withManager(em: Emulator): [[FakeJiraUser, FakeGraphUser], [FakeJiraUser, FakeGraphUser]] {
  const all = pairs(em);
  for (const pair of all) {
    const manager = all.find(([, user]) => user.id === pair[1].managerId);
    if (manager !== undefined) return [pair, manager];
  }
  throw new Error('the world has no matched person with a matched manager');
}

describe('sync one user now (syncUser on the emulator)', () => {
  it('creates the one object, links the manager once it exists, then updates old -> new, and writes nothing when nothing changed', async () => {
    const em = await start();
    const [[account, user], [managerAccount]] = withManager(em);

    const created = await syncUser(em, { accountId: account.accountId });
    expect(created).toMatchObject({ written: true, outcome: 'created', matchLevel: 'mail', error: null });
    expect(stepOf(created, 'manager').status).toBe('warning');
    expect(stepOf(created, 'manager').detail).toMatch(/has no Employee object yet/);
    // Only that one object: no manager, no one else.
    expect(em.simulation!.jira.employees().map((o) => o.values.entraUserId)).toEqual([user.id]);
    expect(writes(em)).toBe(1);

    const manager = await syncUser(em, { accountId: managerAccount.accountId });
    expect(manager).toMatchObject({ written: true, outcome: 'created' });
    expect(em.simulation!.jira.employees()).toHaveLength(2);

    const linked = await syncUser(em, { accountId: account.accountId });
    expect(linked).toMatchObject({ written: true, outcome: 'updated', objectKey: created.objectKey });
    expect(linked.changes).toContainEqual({ attribute: 'Manager', from: null, to: manager.objectKey });
    expect(stepOf(linked, 'manager')).toMatchObject({ status: 'ok', detail: `Manager: ${manager.objectKey}.` });
    const object = em.simulation!.jira.employees().find((o) => o.values.entraUserId === user.id)!;
    const managerObject = em.simulation!.jira.employees().find((o) => o.objectKey === manager.objectKey)!;
    expect(object.values.manager).toBe(managerObject.objectId);

    // A change in Entra ID: exactly that attribute, old -> new.
    em.simulation!.entra.upsertUser({ ...user, jobTitle: 'Chief Example Officer' });
    const updated = await syncUser(em, { entraId: user.id });
    expect(updated).toMatchObject({ written: true, outcome: 'updated' });
    expect(updated.changes).toEqual([{ attribute: 'Job Title', from: user.jobTitle, to: 'Chief Example Officer' }]);

    const before = writes(em);
    const again = await syncUser(em, { email: account.email! });
    expect(again).toMatchObject({ written: false, outcome: 'unchanged', objectKey: created.objectKey, error: null });
    expect(stepOf(again, 'write').detail).toBe('Nothing to write.');
    expect(writes(em)).toBe(before);

    // History lists every single-user run, as a run of its own mode.
    const history = (await call(em, 'getHistory')) as { ok: true; data: unknown };
    const entries = history.data as { mode: string; status: string; counts: { creates: number; updates: number; unchanged: number } }[];
    const mine = entries.filter((e) => e.mode === 'single-user');
    expect(mine).toHaveLength(5);
    expect(mine.map((e) => e.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(mine.reduce((n, e) => n + e.counts.creates, 0)).toBe(2);
    expect(mine.reduce((n, e) => n + e.counts.unchanged, 0)).toBe(1);
  });

  it('answers each bad input at its step and writes nothing', async () => {
    const em = await start();
    const world = em.simulation!.world;

    const unknown = await syncUser(em, { accountId: 'no-such-account' });
    expect(unknown.error?.code).toBe('SYNC_USER_NOT_FOUND');
    expect(stepOf(unknown, 'account').status).toBe('failed');

    const nobody = await syncUser(em, { email: 'nobody-here@example.invalid' });
    expect(nobody.error?.code).toBe('SYNC_USER_NOT_FOUND');
    expect(stepOf(nobody, 'entra').status).toBe('failed');

    const noEmail = world.jira.users.find((u) => u.accountType === 'atlassian' && u.active && u.email === null)!;
    const withoutEmail = await syncUser(em, { accountId: noEmail.accountId });
    expect(withoutEmail.error?.code).toBe('SYNC_USER_NO_EMAIL');
    expect(stepOf(withoutEmail, 'account').status).toBe('failed');

    // Ambiguous: a second Entra user takes the same mail.
    const [[account], [, other]] = [pairs(em)[0]!, pairs(em)[1]!];
    em.simulation!.entra.upsertUser({ ...other, mail: account.email });
    const ambiguous = await syncUser(em, { accountId: account.accountId });
    expect(ambiguous.error?.code).toBe('SYNC_USER_NOT_MATCHED');
    expect(stepOf(ambiguous, 'match')).toMatchObject({ status: 'failed' });
    expect(stepOf(ambiguous, 'match').detail).toMatch(/ambiguous/);

    const history = (await call(em, 'getHistory')) as unknown as { ok: true; data: { mode: string; status: string }[] };
    expect(history.data.filter((e) => e.mode === 'single-user').map((e) => e.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(writes(em)).toBe(0);
    expect(em.simulation!.jira.employees()).toHaveLength(0);
  });

  it('refuses a person outside the sync scope', async () => {
    const em = await start();
    const [[account, user]] = [pairs(em)[0]!];
    await data(em, 'saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SIMULATED_TENANT.clientSecret,
      intervalDays: 1,
      scope: `department eq 'Not ${user.department ?? ''} at all'`,
    });
    const answer = await syncUser(em, { accountId: account.accountId });
    expect(answer.error?.code).toBe('SYNC_USER_OUT_OF_SCOPE');
    expect(stepOf(answer, 'scope').status).toBe('failed');
    expect(stepOf(answer, 'scope').detail).toContain('department eq');
    expect(writes(em)).toBe(0);
  });

  it('is refused with RUN_ALREADY_ACTIVE while a full run holds the run lock', async () => {
    const em = await start();
    const [[account]] = [pairs(em)[0]!];
    await data(em, 'startSync');
    const refused = await call(em, 'syncUser', { accountId: account.accountId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RUN_ALREADY_ACTIVE' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/manual sync .* is already in progress/);
    await em.drain();
    expect((await syncUser(em, { accountId: account.accountId })).outcome).toBe('unchanged');
  });

  it.each(['advanced-only', 'basic'] as const)('finds a person by a proxy address (lambda filters %s)', async (lambdaFilters) => {
    const em = await start({ simulation: { entra: { behaviour: { lambdaFilters } } } });
    const [[account, user]] = [pairs(em)[0]!];
    // The Atlassian email becomes a secondary proxy address of the Entra user only.
    const alias = `alias.${account.email!}`;
    em.simulation!.jira.setUser({ ...account, email: alias });
    em.simulation!.entra.upsertUser({ ...user, proxyAddresses: [...user.proxyAddresses, `smtp:${alias}`] });
    const answer = await syncUser(em, { accountId: account.accountId });
    expect(answer).toMatchObject({ written: true, outcome: 'created', matchLevel: 'proxyAddresses', error: null });
    expect(stepOf(answer, 'match').detail).toBe('Matched by proxy address.');
  });

  it.each([
    ['unmatched', false],
    ['matched', true],
  ] as const)('finds an account whose email is hidden by email only when the search matches hidden emails (%s)', async (reading, found) => {
    const em = await start({ simulation: { jira: { userSearchHiddenEmails: reading } } });
    const world = em.simulation!.world;
    const hidden = world.jira.users.find(
      (u) =>
        u.accountType === 'atlassian' &&
        u.active &&
        u.emailHidden &&
        u.email !== null &&
        world.entra.users.filter((e) => e.mail?.toLowerCase() === u.email!.toLowerCase() && e.accountEnabled).length === 1,
    )!;
    const byEmail = await syncUser(em, { email: hidden.email! });
    if (found) {
      expect(byEmail).toMatchObject({ written: true, outcome: 'created' });
      expect(stepOf(byEmail, 'account').detail).toMatch(/hidden by profile visibility/);
    } else {
      expect(byEmail.error?.code).toBe('SYNC_USER_NOT_FOUND');
      expect(stepOf(byEmail, 'account').detail).toMatch(/sync the person by Atlassian account id instead/);
      // By account id the hidden email is read through the email API.
      expect(await syncUser(em, { accountId: hidden.accountId })).toMatchObject({ written: true, outcome: 'created' });
    }
  });
});

describe('sandbox CLI: sync-user', () => {
  it('exits 2 without exactly one way to name the person, 1 on a failed step, 0 when written, with the documented JSON', async () => {
    const dir = tempStateDir('sync-user-cli');
    dirs.push(dir);
    const cli = (...args: string[]) => runCli([...args, '--state-dir', dir, '--users', '40', '--seed', '12', '--json']);
    expect((await cli('sync-user')).code).toBe(2);
    expect((await cli('sync-user', '--account-id', 'a', '--email', 'b@example.com')).code).toBe(2);
    expect((await cli('status', '--email', 'b@example.com')).code).toBe(2);
    expect((await cli('configure')).code).toBe(0);
    expect((await cli('schema')).code).toBe(0);
    const failed = await cli('sync-user', '--account-id', 'no-such-account');
    expect(failed.code).toBe(1);
    const answer = jsonOf(failed);
    expect(Object.keys(answer).sort()).toEqual(
      ['changes', 'error', 'matchLevel', 'objectKey', 'outcome', 'runId', 'runNumber', 'steps', 'written'].sort(),
    );
    expect((answer['steps'] as Step[]).map((s) => s.step)).toEqual([
      'entra',
      'scope',
      'match',
      'account',
      'employee',
      'attributes',
      'manager',
      'groups',
      'write',
    ]);
    expect(answer['error']).toMatchObject({ code: 'SYNC_USER_NOT_FOUND' });
    let accountId = '';
    await changeWorld(dir, (em) => {
      accountId = pairs(em)[0]![0].accountId;
    });
    const written = await cli('sync-user', '--account-id', accountId);
    expect(written.code).toBe(0);
    expect(jsonOf(written)).toMatchObject({ written: true, outcome: 'created', error: null });
  });
});
