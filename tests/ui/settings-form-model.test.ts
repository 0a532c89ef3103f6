/**
 * The settings form sends what the backend parses and shows the backend schema's own messages: the page and the
 * resolver can never disagree about what is valid.
 */
import { AppError } from '../../src/domain/errors';
import { parseSettingsInput } from '../../src/domain/settings';
import { CLOUD_OPTIONS, fieldMessages, initialValues, type SettingsFormValues, toPayload } from '../../src/ui/settings-form-model';

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
