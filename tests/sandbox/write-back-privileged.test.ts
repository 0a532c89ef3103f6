/**
 * Issue 17, privileged targets through the emulator, under both readings of the fake tenant's `privilegedTargets`
 * (fakes/entra/write-routes.ts): a member of a directory role is refused by the app itself, with no write request,
 * unless a Jira administrator lists them as an exception; for an exception, Entra's answer decides: the default
 * reading ('refused': Entra refuses an app changing an administrator, 403) fails the action and nothing changes, the
 * friendlier reading ('allowed') lets the change go through.
 */
import { rmSync } from 'node:fs';

import type { Emulator } from '../../sandbox/emulator';
import { audit, errorsOf, grant, graphUser, lastSeq, people, saveWriteBack, syncedWorld, writesSince } from './write-back-support';

jest.setTimeout(240_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

for (const reading of ['refused', 'allowed'] as const) {
  describe(`write-back: a privileged target (fake privilegedTargets '${reading}')`, () => {
    let em: Emulator;
    beforeAll(async () => {
      em = await syncedWorld(`write-back-privileged-${reading}`, dirs, {
        simulation: reading === 'allowed' ? { entra: { writes: { privilegedTargets: 'allowed' } } } : {},
      });
      grant(em, 'User.EnableDisableAccount.All');
    });
    afterAll(async () => em.close());

    it('refuses a directory-role member unless an exception; for an exception Entra decides', async () => {
      const admin = people(em).take();
      em.simulation!.entra.assignDirectoryRole(admin.entraId, 'User Administrator');
      await saveWriteBack(em, { capabilities: ['accountStatus'] });
      const from = lastSeq(em);
      expect(errorsOf(await em.action('disable-entra-account', { accountId: admin.accountId }))).toMatch(
        /holds 1 Entra administrator role\(s\).*\[WRITE_BACK_TARGET_REFUSED\]/,
      );
      expect(writesSince(em, from, 'PATCH')).toBe(0);
      expect(graphUser(em, admin.entraId).accountEnabled).toBe(true);

      await saveWriteBack(em, { capabilities: ['accountStatus'], exceptions: [admin.entraId] });
      const answer = await em.action('disable-entra-account', { accountId: admin.accountId });
      // A 403 is asked once more with a fresh token (graph-transport.ts: consent may postdate the token).
      expect(writesSince(em, from, 'PATCH')).toBe(reading === 'refused' ? 2 : 1);
      const [entry] = await audit(em);
      if (reading === 'refused') {
        expect(errorsOf(answer)).toMatch(/refused the change \(403\).*an administrator role.*\[WRITE_BACK_/);
        expect(graphUser(em, admin.entraId).accountEnabled).toBe(true);
        expect(entry).toMatchObject({ action: 'disable', result: expect.stringMatching(/^(refused|failed)$/) });
      } else {
        expect(answer).toMatchObject({ changed: true, result: 'changed' });
        expect(graphUser(em, admin.entraId).accountEnabled).toBe(false);
        expect(entry).toMatchObject({
          action: 'disable',
          result: 'changed',
          before: 'accountEnabled: true',
          after: 'accountEnabled: false',
        });
      }
      em.simulation!.entra.expectNoUnexpected();
    });
  });
}
