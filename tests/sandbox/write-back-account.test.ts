/**
 * Issue 17, "Disable / Enable Entra account" and "Revoke Entra sessions" through the emulator against the built-in
 * tenant, with Forge naming the rule's actor (automationPrincipal 'actor', R1's friendly reading: the self rule can
 * only apply then): enable of a disabled account (its Employee inactive) and "no change" the second time; the next
 * sync reflects a disable in Assets; revoke twice is two calls (Graph reports no session state); the actor's own
 * account refused; a guest refused unless allowed; a person not synced, or out of the sync scope, refused; an audit
 * entry per attempt with before -> after and never the client secret or a bearer token in app storage.
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { Emulator } from '../../sandbox/emulator';
import { data } from './emulator-calls';
import {
  appStorageText,
  audit,
  employeeOf,
  errorsOf,
  grant,
  graphUser,
  lastSeq,
  people,
  saveWriteBack,
  sync,
  syncedWorld,
  writesSince,
} from './write-back-support';

jest.setTimeout(240_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('write-back: account status and sessions', () => {
  let em: Emulator;
  let next: ReturnType<typeof people>;
  beforeAll(async () => {
    em = await syncedWorld('write-back-account', dirs, { automationPrincipal: 'actor' });
    next = people(em);
    grant(em, 'User.EnableDisableAccount.All', 'User.RevokeSessions.All');
    await saveWriteBack(em, { capabilities: ['accountStatus', 'revokeSessions'] });
  });
  afterAll(async () => em.close());

  it('disables, and the next sync makes the Employee inactive; enable of that inactive Employee works, then is no change', async () => {
    const person = next.take();
    const from = lastSeq(em);
    expect(await em.action('disable-entra-account', { accountId: person.accountId, rule: 'Offboarding' })).toMatchObject({
      changed: true,
    });
    expect(graphUser(em, person.entraId).accountEnabled).toBe(false);
    expect(employeeOf(em, person.entraId).values['active']).toBe(true);
    await sync(em);
    expect(employeeOf(em, person.entraId).values['active']).toBe(false);

    // Acting on an inactive Employee: only enable does (disable would be refused, nothing to revoke).
    expect(errorsOf(await em.action('revoke-entra-sessions', { accountId: person.accountId }))).toContain('is inactive');
    const enabled = (await em.action('enable-entra-account', { accountId: person.accountId })) as Record<string, unknown>;
    expect(enabled).toMatchObject({ changed: true, result: 'changed', detail: 'accountEnabled: false -> accountEnabled: true' });
    expect(graphUser(em, person.entraId).accountEnabled).toBe(true);
    const again = (await em.action('enable-entra-account', { accountId: person.accountId })) as Record<string, unknown>;
    expect(again).toMatchObject({ changed: false, result: 'no change' });
    expect(writesSince(em, from, 'PATCH')).toBe(2);
    await sync(em);
    expect(employeeOf(em, person.entraId).values['active']).toBe(true);
    em.simulation!.entra.expectNoUnexpected();
  });

  it('revokes sessions twice with two calls: Graph reports no session state to compare', async () => {
    const person = next.take();
    const from = lastSeq(em);
    for (let i = 0; i < 2; i++)
      expect(await em.action('revoke-entra-sessions', { email: person.email })).toMatchObject({
        changed: true,
        detail: 'sessions: active -> sessions: revoked',
      });
    expect(writesSince(em, from, 'POST', '/revokeSignInSessions')).toBe(2);
  });

  it("refuses the actor's own account for enable and disable (not for revoke)", async () => {
    const person = next.take();
    const from = lastSeq(em);
    for (const key of ['disable-entra-account', 'enable-entra-account'])
      expect(errorsOf(await em.action(key, { accountId: person.accountId }, { accountId: person.accountId }))).toMatch(
        /its own actor's account.*\[WRITE_BACK_TARGET_REFUSED\]/,
      );
    expect(writesSince(em, from, 'PATCH')).toBe(0);
    expect(graphUser(em, person.entraId).accountEnabled).toBe(true);
    // Another actor may disable the same person.
    expect(await em.action('disable-entra-account', { accountId: person.accountId })).toMatchObject({ changed: true });
    expect(await em.action('revoke-entra-sessions', { accountId: person.accountId }, { accountId: person.accountId })).toMatchObject({
      changed: true,
    });
  });

  it('refuses a guest unless guests are allowed', async () => {
    const person = next.take();
    em.simulation!.entra.upsertUser({ ...graphUser(em, person.entraId), userType: 'Guest' });
    const from = lastSeq(em);
    expect(errorsOf(await em.action('revoke-entra-sessions', { accountId: person.accountId }))).toMatch(
      /is a guest.*\[WRITE_BACK_TARGET_REFUSED\]/,
    );
    expect(writesSince(em, from, 'POST', '/revokeSignInSessions')).toBe(0);
    await saveWriteBack(em, { capabilities: ['accountStatus', 'revokeSessions'], allowGuests: true });
    expect(await em.action('revoke-entra-sessions', { accountId: person.accountId })).toMatchObject({ changed: true });
    expect(writesSince(em, from, 'POST', '/revokeSignInSessions')).toBe(1);
    await saveWriteBack(em, { capabilities: ['accountStatus', 'revokeSessions'] });
  });

  it('refuses a person the app does not sync: an unknown email, and one out of the sync scope', async () => {
    const from = lastSeq(em);
    expect(errorsOf(await em.action('disable-entra-account', { email: 'nobody.at.all@example.org' }))).toMatch(
      /not in the synced Entra Directory.*\[WRITE_BACK_TARGET_REFUSED\]/,
    );
    const person = next.take();
    const department = `Out of scope ${Date.now()}`;
    em.simulation!.entra.upsertUser({ ...graphUser(em, person.entraId), department });
    await data(em, 'saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      intervalDays: 1,
      scope: `department ne '${department}'`,
    });
    await sync(em);
    expect(employeeOf(em, person.entraId).values['active']).toBe(false);
    expect(errorsOf(await em.action('disable-entra-account', { accountId: person.accountId }))).toMatch(
      /inactive in the Entra Directory \(disabled, or outside the sync scope\).*\[WRITE_BACK_TARGET_REFUSED\]/,
    );
    expect(writesSince(em, from, 'PATCH')).toBe(0);
    expect(graphUser(em, person.entraId).accountEnabled).toBe(true);
    await data(em, 'saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      intervalDays: 1,
      scope: '',
    });
  });

  it('records every attempt with before -> after; no client secret or bearer token in app storage', async () => {
    const entries = await audit(em);
    const results = entries.map((entry) => entry['result']);
    // Every action call of this file so far: 4, 2, 4, 2 and 2 attempts.
    expect(entries).toHaveLength(14);
    expect(results.filter((r) => r === 'refused')).toHaveLength(6);
    const disable = entries.find((entry) => entry['rule'] === 'Offboarding');
    expect(disable).toMatchObject({
      action: 'disable',
      capability: 'accountStatus',
      actor: em.callerAccountId,
      before: 'accountEnabled: true',
      after: 'accountEnabled: false',
      result: 'changed',
      graphRequestId: expect.any(String),
    });
    const tokens = em.simulation!.entra.exportState().accessTokens.map(([token]) => token);
    expect(tokens.length).toBeGreaterThan(0);
    const stored = appStorageText(em);
    expect(stored).toContain('"accountEnabled: false"');
    expect(stored).not.toContain(SIMULATED_TENANT.clientSecret);
    for (const token of tokens) expect(stored).not.toContain(token);
  });
});
