import {
  applyDeltaChanges,
  type DeltaChange,
  deltaChangeSchema,
  FULL_READ_MAX_AGE_DAYS,
  fullReadDueAt,
  isFullReadDue,
} from '../../src/domain/directory-delta';
import type { EntraUser } from '../../src/domain/entra-user';

function entraUser(overrides: Partial<EntraUser> = {}): EntraUser {
  return {
    id: 'u-1',
    displayName: 'Ada Lovelace',
    mail: 'ada@contoso.com',
    userPrincipalName: 'ada@contoso.onmicrosoft.com',
    proxyAddresses: ['SMTP:ada@contoso.com'],
    otherMails: [],
    jobTitle: 'Engineer',
    department: 'R&D',
    accountEnabled: true,
    managerId: null,
    ...overrides,
  };
}

function directoryOf(...users: EntraUser[]): Map<string, EntraUser> {
  return new Map(users.map((u) => [u.id, u]));
}

describe('applyDeltaChanges', () => {
  it('merges a partial upsert into the known user, keeping what the change does not carry', () => {
    const directory = directoryOf(entraUser());
    const result = applyDeltaChanges(directory, [{ kind: 'upsert', id: 'u-1', fields: { jobTitle: 'Lead', managerId: 'm-1' } }]);
    expect(result).toEqual({ added: 0, updated: 1, removed: 0, incomplete: [] });
    expect(directory.get('u-1')).toEqual(entraUser({ jobTitle: 'Lead', managerId: 'm-1' }));
  });

  it('does not count an upsert that changes nothing as an update', () => {
    const directory = directoryOf(entraUser());
    expect(
      applyDeltaChanges(directory, [
        { kind: 'upsert', id: 'u-1', fields: { jobTitle: 'Engineer', proxyAddresses: ['SMTP:ada@contoso.com'] } },
      ]),
    ).toEqual({
      added: 0,
      updated: 0,
      removed: 0,
      incomplete: [],
    });
  });

  it('adds a user from a complete upsert', () => {
    const directory = directoryOf();
    const { id, ...fields } = entraUser({ id: 'u-2' });
    const result = applyDeltaChanges(directory, [{ kind: 'upsert', id, fields }]);
    expect(result).toEqual({ added: 1, updated: 0, removed: 0, incomplete: [] });
    expect(directory.get('u-2')).toEqual(entraUser({ id: 'u-2' }));
  });

  it('keeps a partial upsert of an unknown user with defaults and reports it as incomplete', () => {
    const directory = directoryOf();
    const result = applyDeltaChanges(directory, [{ kind: 'upsert', id: 'u-3', fields: { department: 'Ops' } }]);
    expect(result).toEqual({ added: 1, updated: 0, removed: 0, incomplete: ['u-3'] });
    expect(directory.get('u-3')).toEqual({
      id: 'u-3',
      displayName: null,
      mail: null,
      userPrincipalName: null,
      proxyAddresses: [],
      otherMails: [],
      jobTitle: null,
      department: 'Ops',
      accountEnabled: false,
      managerId: null,
    });
  });

  it('a new user whose change carries every selected property but no manager is complete (no manager@delta = no manager): no re-read that replication lag could answer 404', () => {
    const { id, managerId: _none, ...fields } = entraUser({ id: 'u-5' });
    const directory = directoryOf();
    const result = applyDeltaChanges(directory, [{ kind: 'upsert', id, fields }]);
    expect(result).toEqual({ added: 1, updated: 0, removed: 0, incomplete: [] });
    expect(directory.get('u-5')).toEqual(entraUser({ id: 'u-5', managerId: null }));
  });

  it('a new user whose change lacks one selected property (here: accountEnabled) is incomplete', () => {
    const { id, managerId: _none, accountEnabled: _missing, ...fields } = entraUser({ id: 'u-6' });
    const result = applyDeltaChanges(directoryOf(), [{ kind: 'upsert', id, fields }]);
    expect(result.incomplete).toEqual(['u-6']);
  });

  it('a full read is due when the last one is 7 days old or older, and says from when', () => {
    const last = '2026-03-02T09:00:00.000Z';
    expect(fullReadDueAt(last)).toBe('2026-03-09T09:00:00.000Z');
    expect(isFullReadDue(last, Date.parse('2026-03-09T08:59:59.999Z'))).toBe(false);
    expect(isFullReadDue(last, Date.parse('2026-03-09T09:00:00.000Z'))).toBe(true);
    expect(isFullReadDue('not a date', Date.parse(last))).toBe(true);
    expect(FULL_READ_MAX_AGE_DAYS).toBe(7);
  });

  it('an unknown user whose partial upserts together carry every property is complete', () => {
    const { id, ...fields } = entraUser({ id: 'u-4' });
    const { displayName, mail, ...rest } = fields;
    const directory = directoryOf();
    const result = applyDeltaChanges(directory, [
      { kind: 'upsert', id, fields: { displayName, mail } },
      { kind: 'upsert', id, fields: rest },
    ]);
    expect(result).toEqual({ added: 1, updated: 0, removed: 0, incomplete: [] });
  });

  it.each(['changed', 'deleted'] as const)('removes the user for reason %s (it has left /users either way)', (reason) => {
    const directory = directoryOf(entraUser(), entraUser({ id: 'u-2' }));
    const result = applyDeltaChanges(directory, [{ kind: 'removed', id: 'u-1', reason }]);
    expect(result).toEqual({ added: 0, updated: 0, removed: 1, incomplete: [] });
    expect([...directory.keys()]).toEqual(['u-2']);
  });

  it('a removal of a user the directory never had changes nothing', () => {
    const directory = directoryOf(entraUser());
    expect(applyDeltaChanges(directory, [{ kind: 'removed', id: 'ghost', reason: 'deleted' }])).toEqual({
      added: 0,
      updated: 0,
      removed: 0,
      incomplete: [],
    });
    expect(directory.size).toBe(1);
  });

  it('the same user several times: applied in order, last wins', () => {
    const directory = directoryOf(entraUser());
    const changes: DeltaChange[] = [
      { kind: 'upsert', id: 'u-1', fields: { jobTitle: 'First' } },
      { kind: 'upsert', id: 'u-1', fields: { jobTitle: 'Second', department: 'Ops' } },
    ];
    expect(applyDeltaChanges(directory, changes)).toEqual({ added: 0, updated: 1, removed: 0, incomplete: [] });
    expect(directory.get('u-1')).toMatchObject({ jobTitle: 'Second', department: 'Ops' });
  });

  it('removed then restored in one round: the user stays, counted as updated only if it differs', () => {
    const directory = directoryOf(entraUser());
    const { id, ...fields } = entraUser();
    const result = applyDeltaChanges(directory, [
      { kind: 'removed', id, reason: 'changed' },
      { kind: 'upsert', id, fields },
    ]);
    expect(result).toEqual({ added: 0, updated: 0, removed: 0, incomplete: [] });
    expect(directory.get(id)).toEqual(entraUser());
  });

  it('a restore of a known user that arrives partially is incomplete (its old record was dropped)', () => {
    const directory = directoryOf(entraUser());
    const result = applyDeltaChanges(directory, [
      { kind: 'removed', id: 'u-1', reason: 'changed' },
      { kind: 'upsert', id: 'u-1', fields: { jobTitle: 'Back' } },
    ]);
    expect(result.incomplete).toEqual(['u-1']);
    expect(result.updated).toBe(1);
  });

  it('upserted then removed in one round: never added', () => {
    const directory = directoryOf();
    const result = applyDeltaChanges(directory, [
      { kind: 'upsert', id: 'u-9', fields: { jobTitle: 'Brief' } },
      { kind: 'removed', id: 'u-9', reason: 'deleted' },
    ]);
    expect(result).toEqual({ added: 0, updated: 0, removed: 0, incomplete: [] });
    expect(directory.size).toBe(0);
  });

  it('does not share arrays or records with the changes it was given', () => {
    const directory = directoryOf(entraUser());
    const before = directory.get('u-1');
    applyDeltaChanges(directory, [{ kind: 'upsert', id: 'u-1', fields: { jobTitle: 'Lead' } }]);
    expect(before?.jobTitle).toBe('Engineer');
  });
});

describe('deltaChangeSchema', () => {
  it('round-trips changes through JSON (they may wait in storage)', () => {
    const changes: DeltaChange[] = [
      { kind: 'upsert', id: 'u-1', fields: { managerId: null, accountEnabled: false } },
      { kind: 'removed', id: 'u-2', reason: 'deleted' },
    ];
    expect(changes.map((c) => deltaChangeSchema.parse(JSON.parse(JSON.stringify(c))))).toEqual(changes);
  });

  it('rejects an unknown kind or reason', () => {
    expect(deltaChangeSchema.safeParse({ kind: 'patched', id: 'u-1', fields: {} }).success).toBe(false);
    expect(deltaChangeSchema.safeParse({ kind: 'removed', id: 'u-1', reason: 'gone' }).success).toBe(false);
  });
});
