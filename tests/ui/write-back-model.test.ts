/**
 * Issue 17, the page's write-back model without React: the audit trail as CSV (RFC 4180 quoting, only the entry's
 * own fields even when an answer carries more), the permission line when the last test could not read the token's
 * roles, and answers of backends older than write-back still parsing.
 */
import { auditEntryView, connectionTestView, publicSettingsView } from '../../src/ui/views';
import {
  auditCsv,
  capabilityPermissionLine,
  csvField,
  describeWriteBack,
  writeBackInitialValues,
  writeBackPayload,
  writeBackRateMessage,
} from '../../src/ui/write-back-model';

const ENTRY = {
  seq: 7,
  at: '2026-12-04T02:00:00.000Z',
  rule: 'Offboarding',
  actor: '5b10ac8d82e05b22cc7d4ef5',
  action: 'update',
  capability: 'updateAttributes',
  target: { accountId: '5b10a', entraUserId: 'e1', objectKey: 'EMP-1' },
  before: 'jobTitle: Lead, "Ops"',
  after: 'jobTitle: Head\nof Ops',
  result: 'changed',
  code: null,
  graphRequestId: 'req-1',
};

describe('audit CSV', () => {
  it('quotes fields with commas, quotes or line breaks and leaves the others as they are', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(3)).toBe('3');
  });

  it('writes a header and one line per entry, in order, with only the fields of the entry', () => {
    // An answer carrying more than an audit entry (a newer backend, or a mistake) exports only the entry's fields.
    const entry = auditEntryView.parse({
      ...ENTRY,
      token: 'eyJ-not-for-export',
      target: { ...ENTRY.target, email: 'someone@example.com' },
    });
    const csv = auditCsv([entry, { ...entry, seq: 6, result: 'refused', code: 'WRITE_BACK_TARGET_REFUSED', before: null, after: null }]);
    expect(csv.split('\r\n')).toEqual([
      'seq,at,rule,actor,action,capability,accountId,entraUserId,objectKey,before,after,result,code,graphRequestId',
      '7,2026-12-04T02:00:00.000Z,Offboarding,5b10ac8d82e05b22cc7d4ef5,update,updateAttributes,5b10a,e1,EMP-1,"jobTitle: Lead, ""Ops""","jobTitle: Head\nof Ops",changed,,req-1',
      '6,2026-12-04T02:00:00.000Z,Offboarding,5b10ac8d82e05b22cc7d4ef5,update,updateAttributes,5b10a,e1,EMP-1,,,refused,WRITE_BACK_TARGET_REFUSED,req-1',
    ]);
    expect(csv).not.toContain('eyJ');
    expect(csv).not.toContain('@example.com');
    expect(auditCsv([])).toBe(
      'seq,at,rule,actor,action,capability,accountId,entraUserId,objectKey,before,after,result,code,graphRequestId',
    );
  });
});

describe('write-back on the Setup tab', () => {
  it('says unknown when the last test could not read the token roles', () => {
    const line = capabilityPermissionLine('groupMembership', {
      at: '2026-12-04T02:00:00.000Z',
      ok: true,
      userCount: 3,
      error: null,
      roles: null,
      groupsGranted: null,
    });
    expect(line).toEqual({
      state: 'unknown',
      text: "Permission GroupMember.ReadWrite.All unknown: the last Test connection could not read the token's permissions. Run Test connection to check.",
    });
  });

  it('counts a broader permission as granted (Directory.ReadWrite.All allows every capability)', () => {
    const check = {
      at: '2026-12-04T02:00:00.000Z',
      ok: true,
      userCount: 3,
      error: null,
      roles: ['Directory.ReadWrite.All'],
      groupsGranted: true,
    };
    expect(capabilityPermissionLine('revokeSessions', check).state).toBe('granted');
    expect(capabilityPermissionLine('groupMembership', { ...check, roles: ['Group.Read.All', 'User.Read.All'] }).state).toBe('missing');
  });

  it('reads answers of backends older than write-back: settings off, no permission lines', () => {
    const settings = publicSettingsView.parse({
      tenantId: 't',
      clientId: 'c',
      cloud: 'global',
      intervalDays: 1,
      secretStored: true,
      secretSetAt: null,
      updatedAt: '2026-12-04T02:00:00.000Z',
    });
    expect(describeWriteBack(settings)).toBe('Write-back is off: Automation rules cannot change anything in Entra ID.');
    expect(writeBackPayload(settings, writeBackInitialValues(settings))?.writeBack).toEqual({
      capabilities: [],
      attributes: [],
      groupIds: [],
      allowGuests: false,
      exceptions: [],
      ratePerMinute: 10,
    });
    expect(connectionTestView.parse({ userCount: 1, checkedAt: '2026-12-04T02:00:00.000Z' }).writeBack).toEqual([]);
  });

  it('sends nothing while the rate is not a whole number, and says so', () => {
    const settings = publicSettingsView.parse({
      tenantId: 't',
      clientId: 'c',
      cloud: 'global',
      intervalDays: 1,
      secretStored: true,
      secretSetAt: null,
      updatedAt: '2026-12-04T02:00:00.000Z',
    });
    const values = { ...writeBackInitialValues(settings), ratePerMinute: 'ten', groupIds: 'a, b\nc' };
    expect(writeBackRateMessage(values)).toBe('Actions per minute must be a whole number from 1 to 30.');
    expect(writeBackPayload(settings, values)).toBeNull();
    expect(writeBackPayload(settings, { ...values, ratePerMinute: ' 12 ' })?.writeBack).toMatchObject({
      ratePerMinute: 12,
      groupIds: ['a', 'b', 'c'],
    });
  });
});
