/**
 * Setup step 2: the Microsoft connection settings. Field messages come from the backend's zod schema (see
 * settings-form-model.ts). The client secret is write-only: the field is always empty, the page only says that a
 * secret is stored and when it was set, and saving with the field empty keeps the stored secret.
 */
import {
  ErrorMessage,
  Form,
  FormFooter,
  FormSection,
  HelperMessage,
  Label,
  LoadingButton,
  RequiredAsterisk,
  SectionMessage,
  Select,
  Stack,
  Text,
  Textfield,
  useForm,
} from '@forge/react';
import React, { useState } from 'react';

import { INTERVAL_DAYS_MAX, INTERVAL_DAYS_MIN, SETTINGS_FIELD_LABELS, type SettingsField } from '../domain/settings';
import { formatDateTime } from './format';
import { api } from './invoke';
import { ErrorNotice } from './notices';
import { CLOUD_OPTIONS, fieldMessages, initialValues, type SettingsFormValues, toPayload } from './settings-form-model';
import type { PublicSettingsView } from './views';

type Failure = { code: string; message: string };

export function ConnectionForm(props: {
  settings: PublicSettingsView | null;
  justSaved: boolean;
  onSaved: (saved: PublicSettingsView) => void;
}) {
  const { settings, onSaved } = props;
  const { register, handleSubmit, formState, getFieldId } = useForm<SettingsFormValues>({ defaultValues: initialValues(settings) });
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  // Saving remounts the form with the saved values; the notice stays until the next save attempt.
  const [showSaved, setShowSaved] = useState(props.justSaved);

  const field = (name: SettingsField) =>
    register(name, { validate: (_value: unknown, values: SettingsFormValues) => fieldMessages(values)[name] ?? true });

  const save = async (values: SettingsFormValues) => {
    setSaving(true);
    setFailure(null);
    setShowSaved(false);
    const answer = await api.saveSettings(toPayload(values));
    setSaving(false);
    if (answer.ok) onSaved(answer.data);
    else setFailure(answer.error);
  };

  const messageFor = (name: SettingsField): string | null => {
    if (name === 'clientSecret' && failure?.code === 'SECRET_MISSING') return failure.message;
    const message = formState.errors[name]?.message;
    return typeof message === 'string' && message !== '' ? message : null;
  };

  const below = (name: SettingsField, help: string) => {
    const message = messageFor(name);
    return message === null ? <HelperMessage>{help}</HelperMessage> : <ErrorMessage>{message}</ErrorMessage>;
  };

  const secretHelp =
    settings?.secretStored === true
      ? `A secret is stored (set ${formatDateTime(settings.secretSetAt)}). Leave this empty to keep it, or paste a new secret Value to replace it.`
      : "Paste the secret's Value from Certificates & secrets (not its Secret ID). It is stored in Forge's secret store and never shown again.";

  return (
    <Form onSubmit={handleSubmit(save)}>
      <Stack space="space.100">
        {showSaved ? (
          <SectionMessage appearance="success" title="Settings saved">
            <Text>Now test the connection to check them.</Text>
          </SectionMessage>
        ) : null}
        {failure !== null && failure.code !== 'SECRET_MISSING' ? <ErrorNotice code={failure.code} message={failure.message} /> : null}
        <FormSection>
          <Label labelFor={getFieldId('tenantId')}>
            {SETTINGS_FIELD_LABELS.tenantId}
            <RequiredAsterisk />
          </Label>
          <Textfield {...field('tenantId')} placeholder="00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com" />
          {below('tenantId', "The Directory (tenant) ID from the app registration's Overview page, or a verified domain of the tenant.")}

          <Label labelFor={getFieldId('clientId')}>
            {SETTINGS_FIELD_LABELS.clientId}
            <RequiredAsterisk />
          </Label>
          <Textfield {...field('clientId')} placeholder="00000000-0000-0000-0000-000000000000" />
          {below('clientId', "The Application (client) ID from the app registration's Overview page.")}

          <Label labelFor={getFieldId('clientSecret')}>
            {SETTINGS_FIELD_LABELS.clientSecret}
            {settings?.secretStored === true ? null : <RequiredAsterisk />}
          </Label>
          <Textfield {...field('clientSecret')} type="password" placeholder={settings?.secretStored === true ? 'Stored (hidden)' : ''} />
          {below('clientSecret', secretHelp)}

          <Label labelFor={getFieldId('cloud')}>{SETTINGS_FIELD_LABELS.cloud}</Label>
          <Select {...field('cloud')} options={[...CLOUD_OPTIONS]} />
          {below('cloud', 'Where the tenant lives. Almost every tenant is in the global cloud.')}

          <Label labelFor={getFieldId('intervalDays')}>
            {SETTINGS_FIELD_LABELS.intervalDays}
            <RequiredAsterisk />
          </Label>
          <Textfield {...field('intervalDays')} type="number" min={INTERVAL_DAYS_MIN} max={INTERVAL_DAYS_MAX} />
          {below(
            'intervalDays',
            `Days between scheduled syncs, from ${INTERVAL_DAYS_MIN} to ${INTERVAL_DAYS_MAX}. The schedule is checked once a day.`,
          )}
        </FormSection>
        <FormFooter align="start">
          <LoadingButton type="submit" appearance="primary" isLoading={saving}>
            Save settings
          </LoadingButton>
        </FormFooter>
      </Stack>
    </Form>
  );
}
