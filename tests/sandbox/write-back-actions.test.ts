/**
 * Issue 17, write-back actions through the emulator against the built-in tenant: off by default, the permission read
 * from the token's roles, a change then "no change", a privileged target refused, the rate limit and the audit trail.
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { type Emulator, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from './cli-harness';
import { data, saveBuiltInSettings } from './emulator-calls';

jest.setTimeout(180_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Errors = { errors: { message: string }[] };
const errorsOf = (answer: unknown) => (answer as Errors).errors?.map((e) => e.message).join(' ') ?? '';

async function saveWriteBack(em: Emulator, writeBack: Record<string, unknown>): Promise<void> {
  await data(em, 'saveSettings', {
    tenantId: SIMULATED_TENANT.tenantId,
    clientId: SIMULATED_TENANT.clientId,
    intervalDays: 1,
    writeBack: { capabilities: [], attributes: [], groupIds: [], allowGuests: false, exceptions: [], ratePerMinute: 10, ...writeBack },
  });
}

describe('write-back actions', () => {
  let em: Emulator;
  beforeAll(async () => {
    const stateDir = tempStateDir('write-back');
    dirs.push(stateDir);
    em = await startEmulator({ users: 30, seed: 5, notice: () => undefined, stateDir });
    await saveBuiltInSettings(em);
    await data(em, 'createSchema');
    await em.drain();
    await data(em, 'startSync');
    await em.drain();
  });
  afterAll(async () => em.close());

  const activeEmployees = () =>
    em.simulation!.jira.employees().filter((o) => o.values['active'] === true && typeof o.values['atlassianAccountId'] === 'string');

  it('refuses while off, then without the permission, then disables once and reports no change the second time; audit records each', async () => {
    const [first] = activeEmployees();
    const accountId = String(first!.values['atlassianAccountId']);
    const entraId = String(first!.values['entraUserId']);

    expect(errorsOf(await em.action('disable-entra-account', { accountId }))).toContain('[WRITE_BACK_DISABLED]');

    await saveWriteBack(em, { capabilities: ['accountStatus'] });
    expect(errorsOf(await em.action('disable-entra-account', { accountId }))).toMatch(
      /User\.EnableDisableAccount\.All.*\[WRITE_BACK_PERMISSION_MISSING\]/,
    );

    em.simulation!.entra.setConsent(true, ['User.Read.All', 'User.EnableDisableAccount.All']);
    await saveWriteBack(em, { capabilities: ['accountStatus'] }); // a save drops the cached token (new roles)
    const done = (await em.action('disable-entra-account', { accountId, rule: 'Offboarding' })) as Record<string, unknown>;
    em.simulation!.entra.expectNoUnexpected();
    expect(done).toMatchObject({ changed: true, result: 'changed', entraUserId: entraId });
    const patched = em.simulation!.entra.requests.filter((r) => r.method === 'PATCH');
    expect(patched).toHaveLength(1);

    // The directory still shows the person active until the next sync: the second call reads Entra and changes nothing.
    const again = (await em.action('disable-entra-account', { accountId })) as Record<string, unknown>;
    expect(again).toMatchObject({ changed: false, result: 'no change' });
    expect(em.simulation!.entra.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);

    const audit = (await data(em, 'getWriteBackAudit')) as unknown as Record<string, unknown>[];
    expect(audit.map((e) => e['result'])).toEqual(['no change', 'changed', 'refused']);
    expect(audit[1]).toMatchObject({
      rule: 'Offboarding',
      action: 'disable',
      before: 'accountEnabled: true',
      after: 'accountEnabled: false',
      graphRequestId: expect.any(String),
    });
    expect(JSON.stringify(audit)).not.toContain(SIMULATED_TENANT.clientSecret);
    em.simulation!.entra.expectNoUnexpected();
  });

  it('refuses a member of a directory role unless listed as an exception; for an exception, the 403 Entra answers (fake default) is reported', async () => {
    const [, second] = activeEmployees();
    const accountId = String(second!.values['atlassianAccountId']);
    const entraId = String(second!.values['entraUserId']);
    em.simulation!.entra.assignDirectoryRole(entraId);
    em.simulation!.entra.setConsent(true, ['User.Read.All', 'User.RevokeSessions.All']);
    await saveWriteBack(em, { capabilities: ['revokeSessions'] });
    expect(errorsOf(await em.action('revoke-entra-sessions', { accountId }))).toContain('[WRITE_BACK_TARGET_REFUSED]');
    expect(em.simulation!.entra.requests.filter((r) => r.path.endsWith('/revokeSignInSessions'))).toHaveLength(0);
    await saveWriteBack(em, { capabilities: ['revokeSessions'], exceptions: [entraId] });
    // The fake's default reading: Entra itself refuses an app changing an administrator (403).
    expect(errorsOf(await em.action('revoke-entra-sessions', { accountId }))).toContain('[WRITE_BACK_PERMISSION_MISSING]');
  });

  it('refuses beyond the per-minute rate', async () => {
    const [, , third] = activeEmployees();
    const accountId = String(third!.values['atlassianAccountId']);
    em.simulation!.entra.setConsent(true, ['User.Read.All', 'User.RevokeSessions.All']);
    await saveWriteBack(em, { capabilities: ['revokeSessions'], ratePerMinute: 1 });
    const answers = [await em.action('revoke-entra-sessions', { accountId }), await em.action('revoke-entra-sessions', { accountId })];
    const messages = answers.map(errorsOf).join(' ');
    expect(messages).toContain('[WRITE_BACK_RATE_LIMITED]');
  });
});
