/**
 * Issue 15, the Automation action "Sync this user now" through the emulator (sandbox/emulator.ts `action`: the
 * payload and context Forge sends to an action offered by the automation:actionProvider): it runs the single-user
 * sync's use case against the built-in tenant and site and answers the rule: outputs when it wrote or had nothing to
 * write, the failed step's code and message (`{errors: [{message}]}`, the audit log) otherwise. History records a
 * single-user run started by the rule's actor (automationPrincipal 'actor') or by "automation" (the default 'none').
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { FakeGraphUser, FakeJiraUser } from '../../fakes/world/types';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from './cli-harness';
import { call, data, saveBuiltInSettings } from './emulator-calls';

jest.setTimeout(120_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const stateDir = tempStateDir('sync-user-action');
  dirs.push(stateDir);
  const em = await startEmulator({ users: 40, seed: 9, notice: () => undefined, ...options, stateDir });
  await saveBuiltInSettings(em);
  await data(em, 'createSchema');
  await em.drain();
  return em;
}

type Errors = { errors: { message: string }[] };
const errorsOf = (answer: unknown) => (answer as Errors).errors?.map((e) => e.message) ?? [];

/** Active, visible-email Atlassian accounts whose email is exactly one enabled Entra user's mail. */
function pairs(em: Emulator): [FakeJiraUser, FakeGraphUser][] {
  const world = em.simulation!.world;
  return world.jira.users.flatMap((account): [FakeJiraUser, FakeGraphUser][] => {
    if (account.accountType !== 'atlassian' || !account.active || account.email === null || account.emailHidden) return [];
    const users = world.entra.users.filter((u) => u.mail?.toLowerCase() === account.email!.toLowerCase());
    return users.length === 1 && users[0]!.accountEnabled ? [[account, users[0]!]] : [];
  });
}

const writes = (em: Emulator) =>
  em.simulation!.jira.requests.filter((r) => r.endpoint === 'object/create' || r.endpoint === 'object/update').length;

interface HistoryEntry {
  mode: string;
  status: string;
  startedBy: string | null;
  counts: { creates: number; unchanged: number } | null;
}
async function singleUserRuns(em: Emulator): Promise<HistoryEntry[]> {
  return ((await data(em, 'getHistory')) as unknown as HistoryEntry[]).filter((e) => e.mode === 'single-user');
}

describe('Sync this user now, default reading (Forge names no rule actor)', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await start();
  });
  afterAll(async () => em.close());

  it('creates the one Employee object, then answers nothing to write; History shows single-user runs started by "automation"', async () => {
    const [account, user] = pairs(em)[0]!;
    const created = (await em.action('sync-user-now', { accountId: account.accountId, email: '' })) as Record<string, unknown>;
    expect(created).toMatchObject({ written: true, outcome: 'created', runNumber: expect.any(Number) });
    const object = em.simulation!.jira.employees().find((o) => o.values['entraUserId'] === user.id)!;
    expect(created['objectKey']).toBe(object.objectKey);
    expect(created['detail']).toContain(`Created ${object.objectKey}.`);
    expect(created['changedAttributes']).toContain('Entra User ID');
    expect(created['changeCount']).toBeGreaterThan(3);
    expect(
      String(created['steps'])
        .split(', ')
        .map((s) => s.split(' ')[0]),
    ).toEqual(['entra', 'scope', 'match', 'account', 'employee', 'attributes', 'manager', 'groups', 'write']);
    // Only that one object; the outputs carry no attribute values (names, emails).
    expect(em.simulation!.jira.employees()).toHaveLength(1);
    expect(JSON.stringify(created)).not.toContain(account.email!);

    const before = writes(em);
    const again = await em.action('sync-user-now', { email: account.email! });
    expect(again).toMatchObject({
      written: false,
      outcome: 'unchanged',
      objectKey: object.objectKey,
      changedAttributes: '',
      changeCount: 0,
    });
    expect((again as { detail: string }).detail).toContain('Nothing to write.');
    expect(writes(em)).toBe(before);

    const runs = await singleUserRuns(em);
    expect(runs.map((r) => [r.status, r.startedBy])).toEqual([
      ['succeeded', 'automation'],
      ['succeeded', 'automation'],
    ]);
  });

  it.each([
    [{}, 'exactly one of accountId or email'],
    [{ accountId: '', email: '' }, 'exactly one of accountId or email'],
    [{ accountId: '557058:abc', email: 'x@example.com' }, 'exactly one of accountId or email'],
    [{ accountId: 'not an id!' }, 'accountId is not an Atlassian account id'],
    [{ email: 'nobody' }, 'email is not an email address'],
    [{ accountId: '557058:abc', dryRun: true }, 'unknown input "dryRun"'],
  ])('refuses the input %j for the audit log, nothing run or written', async (input, expected) => {
    const runsBefore = (await singleUserRuns(em)).length;
    const messages = errorsOf(await em.action('sync-user-now', input));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
    expect(messages[0]).toContain('[INPUT_INVALID]');
    expect(await singleUserRuns(em)).toHaveLength(runsBefore);
  });

  it('an unknown person: the failed step and its message, recorded as a failed single-user run', async () => {
    const before = writes(em);
    const messages = errorsOf(await em.action('sync-user-now', { accountId: '557058:ffffffff-ffff-4fff-8fff-ffffffffffff' }));
    expect(messages[0]).toMatch(/^Sync this user now stopped at the account step, nothing written: Jira knows no Atlassian account/);
    expect(messages[0]).toMatch(/\(History: run #\d+\.\) \[SYNC_USER_NOT_FOUND\]$/);
    expect(writes(em)).toBe(before);
    expect((await singleUserRuns(em))[0]).toMatchObject({ status: 'failed', startedBy: 'automation' });
  });

  it('is refused while a full run holds the run lock, and runs once it is over', async () => {
    const [, [account]] = [pairs(em)[0]!, pairs(em)[1]!];
    await data(em, 'startSync');
    const messages = errorsOf(await em.action('sync-user-now', { accountId: account.accountId }));
    expect(messages[0]).toMatch(/manual sync .* is already in progress/);
    expect(messages[0]).toContain('[RUN_ALREADY_ACTIVE]');
    await em.drain();
    expect(await em.action('sync-user-now', { accountId: account.accountId })).toMatchObject({ outcome: 'unchanged', written: false });
  });

  it('a person outside the sync scope: the scope step fails and nothing is written', async () => {
    const [account, user] = pairs(em)[2]!;
    const before = writes(em);
    await data(em, 'saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SIMULATED_TENANT.clientSecret,
      intervalDays: 1,
      scope: `department eq 'Not ${user.department ?? ''} at all'`,
    });
    const messages = errorsOf(await em.action('sync-user-now', { accountId: account.accountId }));
    expect(messages[0]).toContain('stopped at the scope step');
    expect(messages[0]).toContain('[SYNC_USER_OUT_OF_SCOPE]');
    expect(writes(em)).toBe(before);
  });
});

describe('Sync this user now, reading R1 actor (Forge names the rule actor as principal)', () => {
  it('records the actor as who started the single-user run', async () => {
    const em = await start({ automationPrincipal: 'actor' });
    try {
      const [account] = pairs(em)[0]!;
      const actor = '557058:0000aaaa-1111-4222-8333-444455556666';
      expect(await em.action('sync-user-now', { accountId: account.accountId }, { accountId: actor })).toMatchObject({
        written: true,
        outcome: 'created',
      });
      expect((await singleUserRuns(em)).map((r) => r.startedBy)).toEqual([actor]);
      // The History answer is what the page reads.
      expect(await call(em, 'getHistory')).toMatchObject({ ok: true });
    } finally {
      await em.close();
    }
  });
});
