/**
 * Issue 17, "an action never targets a user outside the sync scope": the scope as saved now is evaluated on the target
 * as Entra ID has it now, not on its Employee object (which may be a run old). Through the emulator against the
 * built-in tenant: a person whose object is still active but whom the saved scope leaves out is refused with no write;
 * "Enable Entra account" reads a scope of enabled users only without that rule (enabling is how they come back).
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { type Emulator, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from './cli-harness';
import { data, saveBuiltInSettings } from './emulator-calls';

jest.setTimeout(180_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const errorsOf = (answer: unknown) => (answer as { errors?: { message: string }[] }).errors?.map((e) => e.message).join(' ') ?? '';

describe('write-back: the sync scope', () => {
  let em: Emulator;
  beforeAll(async () => {
    const stateDir = tempStateDir('write-back-scope');
    dirs.push(stateDir);
    em = await startEmulator({ users: 30, seed: 7, notice: () => undefined, stateDir });
    await saveBuiltInSettings(em);
    await data(em, 'createSchema');
    await em.drain();
    await data(em, 'startSync');
    await em.drain();
    em.simulation!.entra.setConsent(true, ['User.Read.All', 'User.EnableDisableAccount.All']);
  });
  afterAll(async () => em.close());

  const save = (scope: string) =>
    data(em, 'saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      intervalDays: 1,
      scope,
      writeBack: { capabilities: ['accountStatus'], attributes: [], groupIds: [], allowGuests: false, exceptions: [], ratePerMinute: 30 },
    });

  /** An Employee with a linked account and a department, and a department someone else has. */
  function pick() {
    const employees = em
      .simulation!.jira.employees()
      .filter((o) => o.values['active'] === true && typeof o.values['atlassianAccountId'] === 'string');
    const users = new Map(em.simulation!.world.entra.users.map((u) => [u.id, u]));
    const person = employees.find((o) => typeof users.get(String(o.values['entraUserId']))?.department === 'string')!;
    const department = users.get(String(person.values['entraUserId']))!.department!;
    const other = em.simulation!.world.entra.users.map((u) => u.department).find((d) => typeof d === 'string' && d !== department)!;
    return { accountId: String(person.values['atlassianAccountId']), entraId: String(person.values['entraUserId']), department, other };
  }

  it('refuses a person the saved scope leaves out although their Employee object is still active; nothing is written', async () => {
    const { accountId, other } = pick();
    await save(`department eq '${other}'`);
    const patches = () => em.simulation!.entra.requests.filter((r) => r.method === 'PATCH').length;
    const before = patches();
    const message = errorsOf(await em.action('disable-entra-account', { accountId }));
    expect(message).toContain('outside the sync scope');
    expect(message).toContain('[WRITE_BACK_TARGET_REFUSED]');
    expect(patches()).toBe(before);
    const [latest] = (await data(em, 'getWriteBackAudit')) as unknown as Record<string, unknown>[];
    expect(latest).toMatchObject({ action: 'disable', result: 'refused', code: 'WRITE_BACK_TARGET_REFUSED' });
    em.simulation!.entra.expectNoUnexpected();
  });

  it('acts on the same person once the scope includes them, and enables them again under "enabled users only"', async () => {
    const { accountId, department } = pick();
    await save(`accountEnabled eq true and department eq '${department}'`);
    expect(await em.action('disable-entra-account', { accountId })).toMatchObject({ changed: true });
    // Disabled now: out of an enabled-only scope for every action but "Enable Entra account".
    expect(errorsOf(await em.action('disable-entra-account', { accountId }))).toContain('outside the sync scope');
    expect(await em.action('enable-entra-account', { accountId })).toMatchObject({ changed: true, result: 'changed' });
    em.simulation!.entra.expectNoUnexpected();
  });
});
