/**
 * Issue 17, "Add to / Remove from Entra group" through the emulator against the built-in tenant, and the permission
 * each capability needs: switched on without its Graph application permission, every capability's action is refused
 * naming that capability's least permission (and nothing is written); an allowed group works and is "no change" the
 * second time; a group not allowed is refused with no request; removing a non-member is "no change".
 */
import { rmSync } from 'node:fs';

import type { Emulator } from '../../sandbox/emulator';
import { leastPermission, WRITE_BACK_CAPABILITIES, type WriteBackCapability } from '../../src/domain/write-back';
import { audit, errorsOf, grant, lastSeq, people, type Person, saveWriteBack, syncedWorld, writesSince } from './write-back-support';

jest.setTimeout(240_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const ALLOWED = '5b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c4';
const OTHER = '6c8d0e2f-3a4b-4c5d-9e7f-8091a2b3c4d5';

const group = (id: string, displayName: string) => ({
  id,
  displayName,
  mail: null,
  description: null,
  groupTypes: [],
  mailEnabled: false,
  securityEnabled: true,
  membershipRule: null,
  members: [],
});

describe('write-back: group membership and permissions', () => {
  let em: Emulator;
  let next: ReturnType<typeof people>;
  let person: Person;
  beforeAll(async () => {
    em = await syncedWorld('write-back-groups', dirs);
    em.simulation!.entra.createGroup(group(ALLOWED, 'Access: VPN'));
    em.simulation!.entra.createGroup(group(OTHER, 'Finance approvers'));
    next = people(em);
    person = next.take();
  });
  afterAll(async () => em.close());

  const members = (groupId: string) =>
    em
      .simulation!.entra.exportState()
      .groups!.records.find((r) => r.group.id === groupId)!
      .members.map(([id]) => id);

  it("refuses each capability switched on without its permission, naming that capability's least permission", async () => {
    const actions: Record<WriteBackCapability, [string, Record<string, unknown>]> = {
      accountStatus: ['disable-entra-account', {}],
      revokeSessions: ['revoke-entra-sessions', {}],
      updateAttributes: ['update-entra-user', { jobTitle: 'Lead' }],
      groupMembership: ['add-to-entra-group', { groupId: ALLOWED }],
    };
    await saveWriteBack(em, { capabilities: [...WRITE_BACK_CAPABILITIES], attributes: ['jobTitle'], groupIds: [ALLOWED] });
    const from = lastSeq(em);
    for (const capability of WRITE_BACK_CAPABILITIES) {
      const [key, input] = actions[capability];
      const message = errorsOf(await em.action(key, { accountId: person.accountId, ...input }));
      expect(message).toContain('[WRITE_BACK_PERMISSION_MISSING]');
      expect(message).toContain(`permission ${leastPermission(capability)}:`);
    }
    expect(em.simulation!.entra.requests.filter((r) => r.seq > from && r.method !== 'GET' && !r.path.includes('/token'))).toEqual([]);
    expect(members(ALLOWED)).toEqual([]);
    const entries = await audit(em);
    expect(entries.slice(0, 4).map((e) => [e['capability'], e['result'], e['code']])).toEqual(
      [...WRITE_BACK_CAPABILITIES].reverse().map((capability) => [capability, 'refused', 'WRITE_BACK_PERMISSION_MISSING']),
    );
  });

  it('adds to an allowed group, then no change; removes, then removing a non-member is no change', async () => {
    grant(em, 'GroupMember.ReadWrite.All');
    await saveWriteBack(em, { capabilities: ['groupMembership'], groupIds: [ALLOWED] });
    const from = lastSeq(em);
    const added = (await em.action('add-to-entra-group', { accountId: person.accountId, groupId: ALLOWED })) as Record<string, unknown>;
    expect(added).toMatchObject({ changed: true, result: 'changed' });
    expect(members(ALLOWED)).toEqual([person.entraId]);
    // The rule's id in another letter case: GUIDs compare without case, and the id the admin allowed is what is sent.
    expect(await em.action('add-to-entra-group', { email: person.email, groupId: ALLOWED.toUpperCase() })).toMatchObject({
      changed: false,
      result: 'no change',
    });
    expect(members(ALLOWED)).toEqual([person.entraId]);

    expect(await em.action('remove-from-entra-group', { accountId: person.accountId, groupId: ALLOWED })).toMatchObject({
      changed: true,
    });
    expect(members(ALLOWED)).toEqual([]);
    expect(await em.action('remove-from-entra-group', { accountId: person.accountId, groupId: ALLOWED })).toMatchObject({
      changed: false,
      result: 'no change',
    });
    // Graph answers whether it was in place: 400 "already exist" to the second add, 404 to the second removal.
    expect(writesSince(em, from, 'POST', '/members/$ref')).toBe(2);
    expect(writesSince(em, from, 'DELETE')).toBe(2);
    em.simulation!.entra.expectNoUnexpected();
  });

  it('refuses a group the admin did not allow, with no request', async () => {
    const from = lastSeq(em);
    for (const key of ['add-to-entra-group', 'remove-from-entra-group'])
      expect(errorsOf(await em.action(key, { accountId: person.accountId, groupId: OTHER }))).toMatch(
        /not one the group actions may change.*\[WRITE_BACK_TARGET_REFUSED\]/,
      );
    expect(writesSince(em, from, 'POST', '/members/$ref') + writesSince(em, from, 'DELETE')).toBe(0);
    expect(members(OTHER)).toEqual([]);
  });
});
