/**
 * Issue 17, "Update Entra user" through the emulator against the built-in tenant: the allowed attributes written and
 * read back from the fake tenant (and in Assets after the next sync), an attribute not allowed refused, a bad value
 * WRITE_BACK_VALUE_INVALID with no PATCH sent, the manager set by managerAccountId, an inactive manager refused,
 * "no change" when the values are already in place, '-' clears.
 */
import { rmSync } from 'node:fs';

import type { Emulator } from '../../sandbox/emulator';
import {
  audit,
  employeeOf,
  errorsOf,
  grant,
  graphUser,
  lastSeq,
  people,
  type Person,
  saveWriteBack,
  sync,
  syncedWorld,
  writesSince,
} from './write-back-support';

jest.setTimeout(240_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('write-back: Update Entra user', () => {
  let em: Emulator;
  let next: ReturnType<typeof people>;
  let person: Person;
  beforeAll(async () => {
    em = await syncedWorld('write-back-update', dirs);
    next = people(em);
    person = next.take();
    grant(em, 'User.ReadWrite.All');
    await saveWriteBack(em, {
      capabilities: ['updateAttributes'],
      attributes: ['jobTitle', 'department', 'businessPhone', 'mobilePhone', 'manager'],
    });
  });
  afterAll(async () => em.close());

  const patches = (from: number) => writesSince(em, from, 'PATCH');

  it('writes the allowed attributes, reads them back from Entra ID, and the next sync shows them in Assets', async () => {
    const from = lastSeq(em);
    const answer = (await em.action('update-entra-user', {
      accountId: person.accountId,
      rule: 'Transfer',
      jobTitle: ' Head of Testing ',
      department: 'Quality',
      businessPhone: '+49 30 1234-56',
    })) as Record<string, unknown>;
    expect(answer).toMatchObject({ changed: true, result: 'changed', graphRequestId: expect.any(String) });
    expect(answer['detail']).toContain('jobTitle: Head of Testing');
    expect(patches(from)).toBe(1);
    expect(graphUser(em, person.entraId)).toMatchObject({
      jobTitle: 'Head of Testing',
      department: 'Quality',
      businessPhones: ['+49 30 1234-56'],
    });
    await sync(em);
    expect(employeeOf(em, person.entraId).values).toMatchObject({ jobTitle: 'Head of Testing', department: 'Quality' });
    const [entry] = await audit(em);
    expect(entry).toMatchObject({ rule: 'Transfer', action: 'update', result: 'changed' });
    expect(entry!['after']).toContain('department: Quality');
  });

  it('reports no change when the values are already in place, and sends nothing', async () => {
    const from = lastSeq(em);
    const answer = await em.action('update-entra-user', {
      accountId: person.accountId,
      jobTitle: 'Head of Testing',
      department: 'Quality',
    });
    expect(answer).toMatchObject({ changed: false, result: 'no change' });
    expect(patches(from)).toBe(0);
  });

  it("clears an attribute with '-'", async () => {
    const from = lastSeq(em);
    expect(await em.action('update-entra-user', { accountId: person.accountId, department: '-' })).toMatchObject({ changed: true });
    expect(patches(from)).toBe(1);
    expect(graphUser(em, person.entraId).department).toBeNull();
  });

  it('refuses an attribute the admin did not allow, with no request', async () => {
    const from = lastSeq(em);
    expect(
      errorsOf(await em.action('update-entra-user', { accountId: person.accountId, jobTitle: 'CTO', officeLocation: 'Berlin' })),
    ).toMatch(/Not allowed to write officeLocation.*\[WRITE_BACK_TARGET_REFUSED\]/);
    expect(patches(from)).toBe(0);
    expect(graphUser(em, person.entraId).jobTitle).toBe('Head of Testing');
  });

  it('refuses a bad value with WRITE_BACK_VALUE_INVALID and sends no PATCH', async () => {
    const from = lastSeq(em);
    for (const values of [{ jobTitle: 'x'.repeat(129) }, { mobilePhone: 'call me' }, { jobTitle: '<b>Boss</b>' }])
      expect(errorsOf(await em.action('update-entra-user', { accountId: person.accountId, ...values }))).toContain(
        '[WRITE_BACK_VALUE_INVALID]',
      );
    expect(patches(from)).toBe(0);
    expect(graphUser(em, person.entraId).jobTitle).toBe('Head of Testing');
  });

  it('sets the manager named by managerAccountId, then no change; refuses an inactive manager', async () => {
    const manager = next.take();
    const from = lastSeq(em);
    expect(await em.action('update-entra-user', { accountId: person.accountId, managerAccountId: manager.accountId })).toMatchObject({
      changed: true,
    });
    expect(writesSince(em, from, 'PUT', '/manager/$ref')).toBe(1);
    expect(graphUser(em, person.entraId).managerId).toBe(manager.entraId);
    expect(await em.action('update-entra-user', { accountId: person.accountId, managerAccountId: manager.accountId })).toMatchObject({
      changed: false,
    });
    expect(writesSince(em, from, 'PUT', '/manager/$ref')).toBe(1);

    const gone = next.take();
    em.simulation!.entra.upsertUser({ ...graphUser(em, gone.entraId), accountEnabled: false });
    await sync(em);
    expect(employeeOf(em, gone.entraId).values['active']).toBe(false);
    expect(errorsOf(await em.action('update-entra-user', { accountId: person.accountId, managerAccountId: gone.accountId }))).toMatch(
      /new manager is inactive.*\[WRITE_BACK_TARGET_REFUSED\]/,
    );
    expect(writesSince(em, from, 'PUT', '/manager/$ref')).toBe(1);
    expect(graphUser(em, person.entraId).managerId).toBe(manager.entraId);
    em.simulation!.entra.expectNoUnexpected();
  });
});
