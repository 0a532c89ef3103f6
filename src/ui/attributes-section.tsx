/**
 * Setup: which attributes besides the core ones the sync keeps on each Employee object. One checkbox per
 * catalogue attribute, with what the admin must know next to it (its note: permission, how changes arrive), and the
 * directory extension properties, one per line. Messages come from the backend's own checks (settings-form-model.ts);
 * saving sends the stored connection values with the choice, so the connection is never changed here.
 */
import { Checkbox, ErrorMessage, Heading, HelperMessage, Label, LoadingButton, SectionMessage, Stack, Text, TextArea } from '@forge/react';
import React, { useState } from 'react';

import { ATTRIBUTE_CHOICES, ATTRIBUTES_FIELD_LABEL, EXTENSIONS_FIELD_LABEL, MAX_EXTENSIONS } from '../domain/attribute-catalogue';
import { textOfChange } from './field-events';
import { SaveRefusalNotice, useSectionSave } from './section-save';
import { attributeMessages, attributesPayload, extensionsText } from './settings-form-model';
import type { PublicSettingsView } from './views';

export function AttributesSection(props: { settings: PublicSettingsView | null; onSaved: (saved: PublicSettingsView) => void }) {
  const { settings, onSaved } = props;
  const [chosen, setChosen] = useState<string[]>(settings?.attributes ?? []);
  const [extensions, setExtensions] = useState(extensionsText(settings?.extensions ?? []));
  const { saving, failure, saved, edited, save } = useSectionSave(settings, onSaved);
  const messages = attributeMessages(chosen, extensions);

  const toggle = (key: string) => {
    edited();
    setChosen((current) => (current.includes(key) ? current.filter((k) => k !== key) : [...current, key]));
  };

  return (
    <Stack space="space.150">
      <Heading as="h3">Choose attributes</Heading>
      <Text>
        Besides the core attributes (name, email, job title, department, Atlassian account, manager, active), the sync can keep these on
        each Employee object. The next sync's schema check adds the chosen ones. Turning one off stops updating it; the attribute and its
        values stay in Assets.
      </Text>
      {settings === null ? (
        <SectionMessage appearance="information" title="Connect Microsoft Entra ID first">
          <Text>Save the connection settings above, then choose the attributes.</Text>
        </SectionMessage>
      ) : (
        <Stack space="space.100">
          {saved ? (
            <SectionMessage appearance="success" title="Attributes saved">
              <Text>The next preview or sync uses them.</Text>
            </SectionMessage>
          ) : null}
          <SaveRefusalNotice failure={failure} />
          <Label labelFor="attributes">{ATTRIBUTES_FIELD_LABEL}</Label>
          {ATTRIBUTE_CHOICES.map((choice) => (
            <Stack key={choice.key} space="space.050">
              <Checkbox
                id={`attribute-${choice.key}`}
                value={choice.key}
                label={`${choice.name} (${choice.assetsType}): ${choice.description}`}
                isChecked={chosen.includes(choice.key)}
                onChange={() => toggle(choice.key)}
              />
              <HelperMessage>{choice.note}</HelperMessage>
            </Stack>
          ))}
          {messages.attributes === undefined ? null : <ErrorMessage>{messages.attributes}</ErrorMessage>}
          <Label labelFor="extensions">{EXTENSIONS_FIELD_LABEL}</Label>
          <TextArea
            id="extensions"
            name="extensions"
            value={extensions}
            placeholder="extension_0123456789abcdef0123456789abcdef_costCentre = HR Cost Centre"
            onChange={(event) => {
              edited();
              setExtensions(textOfChange(event));
            }}
          />
          {messages.extensions === undefined ? (
            <HelperMessage>
              {`One per line: the directory extension property, "=", and the name of the Text attribute to create in Assets (at most ${MAX_EXTENSIONS}). ` +
                'Graph returns a directory extension only when the app asks for it by name; a name the tenant does not have makes the read fail.'}
            </HelperMessage>
          ) : (
            <ErrorMessage>{messages.extensions}</ErrorMessage>
          )}
          <LoadingButton
            appearance="primary"
            isLoading={saving}
            isDisabled={messages.attributes !== undefined || messages.extensions !== undefined}
            onClick={() => save((stored) => attributesPayload(stored, chosen, extensions))}
          >
            Save attributes
          </LoadingButton>
        </Stack>
      )}
    </Stack>
  );
}
