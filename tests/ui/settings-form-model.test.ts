/**
 * The settings form sends what the backend parses and shows the backend schema's own messages: the page and the
 * resolver can never disagree about what is valid.
 */
import { AppError } from '../../src/domain/errors';
import { parseSettingsInput } from '../../src/domain/settings';
import {
  CLOUD_OPTIONS,
  describeGroupSync,
  fieldMessages,
  groupPermission,
  groupSyncInitialValues,
  groupSyncMessages,
  groupSyncPayload,
  type GroupSyncValues,
  initialValues,
  type SettingsFormValues,
  toPayload,
} from '../../src/ui/settings-form-model';
import type { PublicSettingsView } from '../../src/ui/views';

function formValues(overrides: Partial<SettingsFormValues> = {}): SettingsFormValues {
  return {
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31',
    clientSecret: 'Qx8~kP2.vN5rT7wY9zA1bC3dE5fG7hJ9kL1mN3pR',
    cloud: CLOUD_OPTIONS.find((o) => o.value === 'usgov')!,
    intervalDays: '14',
    ...overrides,
  };
}

function backendMessage(values: SettingsFormValues): string | null {
  try {
    parseSettingsInput(toPayload(values));
    return null;
  } catch (error) {
    if (error instanceof AppError && error.code === 'SETTINGS_INVALID') return error.message;
    throw error;
  }
}

describe('settings form model', () => {
  it('sends the cloud id, the interval as typed, and the secret only when one was typed', () => {
    expect(toPayload(formValues())).toEqual({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31',
      clientSecret: 'Qx8~kP2.vN5rT7wY9zA1bC3dE5fG7hJ9kL1mN3pR',
      cloud: 'usgov',
      intervalDays: '14',
    });
    expect(toPayload(formValues({ clientSecret: '' }))).not.toHaveProperty('clientSecret');
    const parsed = parseSettingsInput(toPayload(formValues({ clientSecret: '' })));
    expect(parsed.clientSecret).toBeUndefined();
    expect(parsed).toMatchObject({ cloud: 'usgov', intervalDays: 14 });
  });

  it('starts from the saved settings with an empty secret field, or from defaults on a fresh install', () => {
    const saved = {
      tenantId: 't.example.com',
      clientId: 'c',
      cloud: 'china' as const,
      intervalDays: 30,
      secretStored: true,
      secretSetAt: null,
      updatedAt: '2026-03-02T09:00:00Z',
    };
    expect(initialValues(saved)).toEqual({
      tenantId: 't.example.com',
      clientId: 'c',
      clientSecret: '',
      cloud: { label: 'China (operated by 21Vianet)', value: 'china' },
      intervalDays: '30',
    });
    expect(initialValues(null)).toEqual({
      tenantId: '',
      clientId: '',
      clientSecret: '',
      cloud: { label: 'Global (microsoft.com)', value: 'global' },
      intervalDays: '1',
    });
  });

  it.each([
    ['an empty form', { tenantId: '', clientId: '', clientSecret: '', intervalDays: '' }],
    ['a tenant that is neither a GUID nor a domain', { tenantId: 'contoso' }],
    ['a client id that is not a GUID', { clientId: '12345' }],
    ['a secret of spaces', { clientSecret: '    ' }],
    ['a cleared cloud', { cloud: null }],
    ['an interval out of range', { intervalDays: '101' }],
    ['an interval with a fraction', { intervalDays: '1.5' }],
  ])('shows, for %s, exactly the messages the backend gives', (_what, overrides) => {
    const values = formValues(overrides);
    const messages = fieldMessages(values);
    expect(Object.keys(messages).length).toBeGreaterThan(0);
    expect(backendMessage(values)).toBe(Object.values(messages).join(' '));
  });

  it('shows nothing for valid settings, which the backend accepts', () => {
    expect(fieldMessages(formValues())).toEqual({});
    expect(backendMessage(formValues())).toBeNull();
  });
});

describe('group sync section model (issue 13)', () => {
  const settings: PublicSettingsView = {
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31',
    cloud: 'global',
    intervalDays: 1,
    secretStored: true,
    secretSetAt: null,
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  const a = '6F1C3A52-0B7E-4C1D-9A55-3F2E8D7B1C90';
  const b = '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31';
  const values = (overrides: Partial<GroupSyncValues>): GroupSyncValues => ({
    mode: 'off',
    ids: '',
    prefix: '',
    membership: 'direct',
    ...overrides,
  });

  it('sends ids typed one per line or comma-separated as the backend parses them (lower case, once each)', () => {
    const payload = groupSyncPayload(
      settings,
      values({ mode: 'ids', ids: `${a},\n ${b}\n\n${a.toLowerCase()}`, membership: 'transitive' }),
    );
    expect(payload).toMatchObject({ groups: { mode: 'ids', ids: [a.toLowerCase(), b] }, groupMembership: 'transitive' });
    expect(payload).not.toHaveProperty('clientSecret');
    expect(parseSettingsInput(payload).groups).toEqual({ mode: 'ids', ids: [a.toLowerCase(), b] });
  });

  it('shows the schema messages under the field the mode shows, and sends nothing while one stands', () => {
    expect(groupSyncMessages(values({ mode: 'prefix', prefix: '  ' }))).toEqual({ prefix: 'Group sync: the name prefix cannot be empty.' });
    expect(groupSyncMessages(values({ mode: 'ids', ids: 'x' }))).toEqual({
      ids: 'Group sync: "x" is not an Entra group object id (a GUID).',
    });
    expect(groupSyncPayload(settings, values({ mode: 'ids', ids: '' }))).toBeNull();
    expect(groupSyncMessages(values({ mode: 'all' }))).toEqual({});
  });

  it('reads the saved text form back into the form, and describes it', () => {
    const saved = { ...settings, groups: `ids:${a.toLowerCase()},${b}`, groupMembership: 'transitive' as const };
    expect(groupSyncInitialValues(saved)).toEqual({ mode: 'ids', ids: `${a.toLowerCase()}\n${b}`, prefix: '', membership: 'transitive' });
    expect(describeGroupSync(saved)).toBe(
      `Group sync is on for 2 chosen groups (${a.toLowerCase()}, ${b}), with transitive memberships (nested groups flattened).`,
    );
    // A backend older than group sync (no groups field) or a text the page cannot read: off.
    expect(groupSyncInitialValues(settings).mode).toBe('off');
    expect(groupSyncInitialValues({ ...settings, groups: 'someday' }).mode).toBe('off');
  });

  it('tells the permission from the last connection test: its groupsGranted field, else its roles, else unknown', () => {
    const check = { at: '2025-01-01T00:00:00.000Z', ok: true, userCount: 3, error: null };
    expect(groupPermission(null)).toEqual({ state: 'unknown' });
    expect(groupPermission({ ...check, roles: null, groupsGranted: null })).toEqual({ state: 'unknown' });
    expect(groupPermission({ ...check, roles: ['User.Read.All', 'Group.Read.All'], groupsGranted: null }).state).toBe('granted');
    expect(groupPermission({ ...check, roles: ['User.Read.All'], groupsGranted: null }).state).toBe('missing');
    expect(groupPermission({ ...check, roles: ['User.Read.All'], groupsGranted: true }).state).toBe('granted');
  });
});
