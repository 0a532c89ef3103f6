import { AppError } from '../../src/domain/errors';
import {
  parseSettingsInput,
  type SettingsFormInput,
  settingsInputSchema,
  storedSettingsSchema,
  validationIssues,
} from '../../src/domain/settings';
import { WRITE_BACK_OFF } from '../../src/domain/write-back';

const GUID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'Abc8Q~s3cr3t-value.With~chars';

function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { tenantId: 'contoso.onmicrosoft.com', clientId: GUID, clientSecret: SECRET, cloud: 'global', intervalDays: 7, ...overrides };
}

function issuesOf(input: unknown): { field: string; message: string }[] {
  const result = settingsInputSchema.safeParse(input);
  if (result.success) throw new Error('expected the input to be rejected');
  return validationIssues(result.error);
}

function messageFor(field: string, overrides: Record<string, unknown>): string {
  const issues = issuesOf(form(overrides)).filter((issue) => issue.field === field);
  expect(issues).toHaveLength(1);
  return (issues[0] as { message: string }).message;
}

describe('settingsInputSchema', () => {
  it('accepts a complete form and trims the text fields', () => {
    const parsed = settingsInputSchema.parse(
      form({ tenantId: '  Contoso.com ', clientId: ` ${GUID.toUpperCase()} `, clientSecret: ` ${SECRET} ` }),
    );
    expect(parsed).toEqual({
      tenantId: 'Contoso.com',
      clientId: GUID.toUpperCase(),
      clientSecret: SECRET,
      cloud: 'global',
      intervalDays: 7,
    });
  });

  it.each([GUID, 'contoso.onmicrosoft.com', 'contoso.com', 'eu.contoso.co.uk', 'xn--bcher-kva.example'])(
    'accepts the tenant %s',
    (tenantId) => {
      expect(settingsInputSchema.parse(form({ tenantId })).tenantId).toBe(tenantId);
    },
  );

  it.each(['contoso', 'https://contoso.com', 'user@contoso.com', '-contoso.com', 'contoso..com', 'conto so.com', '6f1b2c3d-4e5f'])(
    'rejects the tenant %s naming the field and what is allowed',
    (tenantId) => {
      const message = messageFor('tenantId', { tenantId });
      expect(message).toContain('Tenant ID');
      expect(message).toMatch(/GUID/);
      expect(message).toMatch(/domain/);
    },
  );

  it('rejects a tenant longer than 253 characters with one message', () => {
    const tenantId = `${'a'.repeat(60)}.`.repeat(5) + 'com';
    expect(tenantId.length).toBeGreaterThan(253);
    expect(messageFor('tenantId', { tenantId })).toBe('Tenant ID must be at most 253 characters.');
  });

  it('says a missing or blank tenant is required', () => {
    expect(messageFor('tenantId', { tenantId: undefined })).toBe('Tenant ID is required.');
    expect(messageFor('tenantId', { tenantId: '   ' })).toMatch(/^Tenant ID is required/);
    expect(messageFor('tenantId', { tenantId: 42 })).toBe('Tenant ID must be text.');
  });

  it.each(['not-a-guid', `${GUID}0`, 'contoso.com', '{6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}'])('rejects the client id %s', (clientId) => {
    expect(messageFor('clientId', { clientId })).toMatch(/^Client ID must be the Application \(client\) ID, a GUID/);
  });

  it('treats an absent or empty secret as "keep the stored one"', () => {
    expect(settingsInputSchema.parse(form({ clientSecret: undefined })).clientSecret).toBeUndefined();
    expect(settingsInputSchema.parse(form({ clientSecret: '' })).clientSecret).toBeUndefined();
    const { clientSecret: _omitted, ...withoutSecret } = form();
    expect(settingsInputSchema.parse(withoutSecret).clientSecret).toBeUndefined();
  });

  it('rejects a secret of only spaces or over 1024 characters without echoing it', () => {
    const spaces = messageFor('clientSecret', { clientSecret: '    ' });
    expect(spaces).toMatch(/^Client secret cannot be only spaces/);
    const long = `${SECRET}${'x'.repeat(1024)}`;
    const tooLong = messageFor('clientSecret', { clientSecret: long });
    expect(tooLong).toBe('Client secret must be at most 1024 characters.');
    expect(JSON.stringify(issuesOf(form({ clientSecret: long, tenantId: 'bad' })))).not.toContain(SECRET);
    expect(settingsInputSchema.parse(form({ clientSecret: 'x'.repeat(1024) })).clientSecret).toHaveLength(1024);
  });

  it('defaults the cloud to global and rejects unknown clouds listing the allowed ones', () => {
    const { cloud: _omitted, ...withoutCloud } = form();
    expect(settingsInputSchema.parse(withoutCloud).cloud).toBe('global');
    expect(settingsInputSchema.parse(form({ cloud: 'china' })).cloud).toBe('china');
    expect(messageFor('cloud', { cloud: 'mars' })).toBe('Microsoft cloud must be one of: global, usgov, usgovdod, china.');
  });

  it.each([1, 7, 100, '1', ' 30 ', '100'])('accepts the interval %p', (intervalDays) => {
    expect(settingsInputSchema.parse(form({ intervalDays })).intervalDays).toBe(Number(String(intervalDays).trim()));
  });

  it.each([0, 101, 1.5, -3, Number.NaN, 'abc', '1.5', '7 days', '', '0', '101', '1e1', null, undefined, true])(
    'rejects the interval %p with a clear message',
    (intervalDays) => {
      expect(messageFor('intervalDays', { intervalDays })).toBe('Scheduled sync interval must be a whole number of days from 1 to 100.');
    },
  );

  it('rejects extra fields naming them', () => {
    const issues = issuesOf(form({ admin: true, token: 'x' }));
    expect(issues.map((issue) => issue.field).sort()).toEqual(['admin', 'token']);
    expect(issues[0]?.message).toMatch(/^Unknown settings field: (admin|token)\. The settings accept only Tenant ID, Client ID/);
  });

  it('gives one message per wrong field, and a form-level message for a non-object', () => {
    const issues = issuesOf({ tenantId: 'x', clientId: 'y', clientSecret: '  ', cloud: 'moon', intervalDays: 0 });
    expect(issues.map((issue) => issue.field)).toEqual(['tenantId', 'clientId', 'clientSecret', 'cloud', 'intervalDays']);
    expect(issuesOf(null)).toEqual([{ field: '', message: 'Settings must be an object with the fields of the settings form.' }]);
  });

  it('types the form input loosely enough for a form (interval as text)', () => {
    const input: SettingsFormInput = { tenantId: GUID, clientId: GUID, intervalDays: '14' };
    expect(settingsInputSchema.parse(input).intervalDays).toBe(14);
  });
});

describe('parseSettingsInput', () => {
  it('returns the parsed input', () => {
    expect(parseSettingsInput(form()).tenantId).toBe('contoso.onmicrosoft.com');
  });

  it('throws SETTINGS_INVALID with every message and the fields in the context, never the secret', () => {
    const error = (() => {
      try {
        parseSettingsInput(form({ tenantId: 'nope', intervalDays: 0, clientSecret: `${'y'.repeat(1030)}` }));
      } catch (caught) {
        return caught;
      }
      throw new Error('expected a throw');
    })();
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('SETTINGS_INVALID');
    expect(appError.message).toContain('Tenant ID must be');
    expect(appError.message).toContain('Scheduled sync interval must be');
    expect(appError.message).toContain('Client secret must be at most 1024 characters.');
    expect(appError.message).not.toContain('yyyy');
    expect(appError.context).toEqual({ fields: 'tenantId,clientSecret,intervalDays' });
  });
});

describe('storedSettingsSchema', () => {
  const stored = {
    tenantId: GUID,
    clientId: GUID,
    cloud: 'usgov',
    intervalDays: 3,
    secretSetAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-01-02T03:04:05.000Z',
  };

  it('round-trips stored settings and allows a secret never set', () => {
    // Settings saved before attributes (and extension properties) could be chosen read as "none chosen".
    expect(storedSettingsSchema.parse(stored)).toEqual({
      ...stored,
      attributes: [],
      extensions: [],
      scope: null,
      groups: { mode: 'off' },
      groupMembership: 'direct',
      // Write-back (issue 17): off in settings saved before it existed.
      writeBack: WRITE_BACK_OFF,
    });
    expect(storedSettingsSchema.parse({ ...stored, attributes: ['employeeId'] }).attributes).toEqual(['employeeId']);
    expect(storedSettingsSchema.parse({ ...stored, secretSetAt: null }).secretSetAt).toBeNull();
  });

  it('never holds the secret itself', () => {
    const result = storedSettingsSchema.safeParse({ ...stored, clientSecret: SECRET });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain(SECRET);
  });

  it('rejects a stored interval given as text and timestamps that are not ISO', () => {
    expect(storedSettingsSchema.safeParse({ ...stored, intervalDays: '3' }).success).toBe(false);
    expect(storedSettingsSchema.safeParse({ ...stored, updatedAt: 'yesterday' }).success).toBe(false);
    expect(storedSettingsSchema.safeParse({ ...stored, cloud: undefined }).success).toBe(false);
  });
});
