/**
 * Setup: "Actions" (issue 17), the write-back capabilities Jira Automation may use, each off by default: a switch per
 * capability with what it lets rules do and the least Microsoft Graph application permission it needs, and next to a
 * switched-on one whether the last Test connection found that permission (no Graph call of its own); the attributes
 * "Update Entra user" may write; the groups the group actions may change; guests; privileged exceptions; the rate.
 * Saving sends the stored connection values with the choice (write-back-model.ts); the backend's schema judges it
 * and its refusal is shown above the Save button. Text fields are uncontrolled (defaultValue), as in the group sync
 * section, and Save reads the values as last changed.
 */
import {
  Checkbox,
  ErrorMessage,
  Heading,
  HelperMessage,
  Inline,
  Label,
  LoadingButton,
  Lozenge,
  SectionMessage,
  Stack,
  Text,
  TextArea,
  Textfield,
} from '@forge/react';
import React, { useRef, useState } from 'react';

import {
  CAPABILITY_LABELS,
  leastPermission,
  RATE_PER_MINUTE_MAX,
  RATE_PER_MINUTE_MIN,
  UPDATABLE_ATTRIBUTES,
  WRITE_BACK_CAPABILITIES,
  type WriteBackCapability,
} from '../domain/write-back';
import { textOfChange } from './field-events';
import { SaveRefusalNotice, useSectionSave } from './section-save';
import type { ConnectionCheckView, PublicSettingsView } from './views';
import {
  ATTRIBUTE_LABELS,
  CAPABILITY_ACTIONS,
  capabilityPermissionLine,
  type CapabilityPermissionState,
  describeWriteBack,
  writeBackInitialValues,
  writeBackPayload,
  writeBackRateMessage,
  type WriteBackValues,
} from './write-back-model';

const STATE_LOZENGE: Readonly<Record<CapabilityPermissionState, { appearance: 'success' | 'removed' | 'default'; text: string }>> = {
  granted: { appearance: 'success', text: 'Granted' },
  missing: { appearance: 'removed', text: 'Missing' },
  unknown: { appearance: 'default', text: 'Not checked' },
};

function PermissionLine({ capability, lastCheck }: { capability: WriteBackCapability; lastCheck: ConnectionCheckView | null }) {
  const line = capabilityPermissionLine(capability, lastCheck);
  const lozenge = STATE_LOZENGE[line.state];
  return (
    <Inline space="space.100" alignBlock="center">
      <Lozenge appearance={lozenge.appearance}>{lozenge.text}</Lozenge>
      <Text>{line.text}</Text>
    </Inline>
  );
}

export function WriteBackSection(props: {
  settings: PublicSettingsView | null;
  lastCheck: ConnectionCheckView | null;
  onSaved: (saved: PublicSettingsView) => void;
}) {
  const { settings, onSaved } = props;
  const [values, setValues] = useState<WriteBackValues>(writeBackInitialValues(settings));
  const latest = useRef(values);
  const { saving, failure, saved, edited, save } = useSectionSave(settings, onSaved);
  const rateMessage = writeBackRateMessage(values);

  const change = (next: Partial<WriteBackValues>) => {
    edited();
    latest.current = { ...latest.current, ...next };
    setValues(latest.current);
  };
  const toggleCapability = (capability: WriteBackCapability) => {
    const on = latest.current.capabilities.includes(capability);
    change({
      capabilities: WRITE_BACK_CAPABILITIES.filter((c) => (c === capability ? !on : latest.current.capabilities.includes(c))),
    });
  };
  const toggleAttribute = (attribute: string) => {
    const on = latest.current.attributes.includes(attribute);
    change({ attributes: on ? latest.current.attributes.filter((a) => a !== attribute) : [...latest.current.attributes, attribute] });
  };

  return (
    <Stack space="space.150">
      <Heading as="h3">Actions</Heading>
      <Text>
        Write-back lets Jira Automation rules act on Microsoft Entra ID with the app’s actions (for onboarding, offboarding and transfer
        requests). Every capability is off until you switch it on here; an action of a capability that is off is refused. Each needs its own
        Microsoft Graph application permission, granted to the app registration with admin consent.
      </Text>
      <SectionMessage appearance="warning" title="Write-back changes Microsoft Entra ID">
        <Text>
          A switched-on capability lets any Automation rule of this site change real accounts in Entra ID: switch on only what your rules
          need. Every attempt is recorded on the History tab (Actions). Password resets and user creation are deliberately not offered: both
          would need a secret (a password) to travel through Automation.
        </Text>
      </SectionMessage>
      {settings === null ? (
        <SectionMessage appearance="information" title="Connect Microsoft Entra ID first">
          <Text>Save the connection settings above, then choose the actions.</Text>
        </SectionMessage>
      ) : (
        <Stack space="space.100">
          {saved ? (
            <SectionMessage appearance="success" title="Actions saved">
              <Text>{`${describeWriteBack(settings)} Automation rules use it from their next run.`}</Text>
            </SectionMessage>
          ) : (
            <Text>{`Saved: ${describeWriteBack(settings)}`}</Text>
          )}
          {WRITE_BACK_CAPABILITIES.map((capability) => (
            <Stack key={capability} space="space.050">
              <Checkbox
                id={`write-back-${capability}`}
                name="writeBackCapability"
                value={capability}
                label={CAPABILITY_LABELS[capability]}
                isChecked={values.capabilities.includes(capability)}
                onChange={() => toggleCapability(capability)}
              />
              <HelperMessage>{`${CAPABILITY_ACTIONS[capability]} Needs the permission ${leastPermission(capability)}.`}</HelperMessage>
              {values.capabilities.includes(capability) ? <PermissionLine capability={capability} lastCheck={props.lastCheck} /> : null}
            </Stack>
          ))}
          {values.capabilities.includes('updateAttributes') ? (
            <>
              <Label labelFor="write-back-attributes">Attributes "Update Entra user" may write</Label>
              {UPDATABLE_ATTRIBUTES.map((attribute) => (
                <Checkbox
                  key={attribute}
                  id={`write-back-attribute-${attribute}`}
                  name="writeBackAttribute"
                  value={attribute}
                  label={ATTRIBUTE_LABELS[attribute]}
                  isChecked={values.attributes.includes(attribute)}
                  onChange={() => toggleAttribute(attribute)}
                />
              ))}
            </>
          ) : null}
          {values.capabilities.includes('groupMembership') ? (
            <>
              <Label labelFor="write-back-groups">Groups the group actions may change</Label>
              <TextArea
                id="write-back-groups"
                name="writeBackGroupIds"
                defaultValue={values.groupIds}
                placeholder="00000000-0000-0000-0000-000000000000"
                onChange={(event) => change({ groupIds: textOfChange(event) })}
              />
              <HelperMessage>
                One group Object ID per line or separated by commas (at most 100). "Add to Entra group" and "Remove from Entra group" refuse
                any other group.
              </HelperMessage>
            </>
          ) : null}
          <Checkbox
            id="write-back-guests"
            name="writeBackAllowGuests"
            value="allowGuests"
            label="Allow actions on guest users"
            isChecked={values.allowGuests}
            onChange={() => change({ allowGuests: !latest.current.allowGuests })}
          />
          <HelperMessage>Off: an action whose target is a guest (user type Guest) is refused.</HelperMessage>
          <Label labelFor="write-back-exceptions">Privileged exceptions</Label>
          <TextArea
            id="write-back-exceptions"
            name="writeBackExceptions"
            defaultValue={values.exceptions}
            placeholder="00000000-0000-0000-0000-000000000000"
            onChange={(event) => change({ exceptions: textOfChange(event) })}
          />
          <HelperMessage>
            Actions refuse members of any privileged directory role (administrators). Entra user Object IDs listed here (one per line or
            comma-separated) may still be targeted; Entra ID itself may still refuse changing an administrator.
          </HelperMessage>
          <Label labelFor="write-back-rate">Actions per minute</Label>
          <Textfield
            id="write-back-rate"
            name="writeBackRate"
            defaultValue={values.ratePerMinute}
            onChange={(event) => change({ ratePerMinute: textOfChange(event) })}
          />
          {rateMessage === null ? (
            <HelperMessage>
              {`At most this many write-back actions a minute on this site (${RATE_PER_MINUTE_MIN}-${RATE_PER_MINUTE_MAX}); more are refused, so a rule run away cannot change the whole directory.`}
            </HelperMessage>
          ) : (
            <ErrorMessage>{rateMessage}</ErrorMessage>
          )}
          <SaveRefusalNotice failure={failure} invalidTitle="Actions not saved" />
          <LoadingButton
            appearance="primary"
            isLoading={saving}
            isDisabled={rateMessage !== null}
            onClick={() => save((stored) => writeBackPayload(stored, latest.current))}
          >
            Save actions
          </LoadingButton>
        </Stack>
      )}
    </Stack>
  );
}
