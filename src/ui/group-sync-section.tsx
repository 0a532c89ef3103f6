/**
 * Setup: group sync. Which Entra groups become Entra Group objects (off, all, chosen group object ids, or groups whose
 * name starts with a prefix) and whether an Employee's Groups lists direct or transitive memberships. Before the admin
 * turns it on, the section says it needs the Microsoft Graph application permission GroupMember.Read.All and, from
 * the last Test connection (the token's roles it recorded; no Graph call of its own), whether it is granted.
 * Messages come from the backend's own schema (settings-form-model.ts); saving sends the stored connection values
 * with the choice, so the connection and the attribute choice are never changed here. A refusal (a chosen id Entra
 * ID does not know, or no permission to read groups) is shown above the Save button with the backend's message.
 * The text fields are uncontrolled (defaultValue): a controlled value makes a round trip through the bridge per key,
 * and keys typed meanwhile are lost when the older value comes back.
 */
import {
  ErrorMessage,
  Heading,
  HelperMessage,
  Label,
  LoadingButton,
  SectionMessage,
  Select,
  Stack,
  Text,
  TextArea,
  Textfield,
} from '@forge/react';
import React, { useRef, useState } from 'react';

import {
  GROUP_IDS_MAX,
  GROUP_MEMBERSHIP_FIELD_LABEL,
  GROUP_READ_PERMISSION,
  GROUP_READ_ROLES,
  GROUPS_FIELD_LABEL,
} from '../domain/group-sync';
import { chosenValue, textOfChange } from './field-events';
import { formatDateTime } from './format';
import { SaveRefusalNotice, useSectionSave } from './section-save';
import {
  describeGroupSync,
  GROUP_MEMBERSHIP_OPTIONS,
  GROUP_MODE_OPTIONS,
  type GroupPermission,
  groupPermission,
  groupSyncInitialValues,
  groupSyncMessages,
  groupSyncPayload,
  type GroupSyncValues,
} from './settings-form-model';
import type { ConnectionCheckView, PublicSettingsView } from './views';

export const GROUP_IDS_FIELD_LABEL = 'Group object IDs';
export const GROUP_PREFIX_FIELD_LABEL = 'Group name starts with';

const GRANT_STEPS =
  `In the Microsoft Entra admin center open the app registration > API permissions > Add a permission > Microsoft Graph > ` +
  `Application permissions > ${GROUP_READ_PERMISSION}, then Grant admin consent, and use Test connection again.`;

function PermissionNotice({ permission, on }: { permission: GroupPermission; on: boolean }) {
  if (permission.state === 'unknown') {
    return (
      <SectionMessage appearance={on ? 'warning' : 'information'} title={`Group sync needs the permission ${GROUP_READ_PERMISSION}`}>
        <Text>
          {`Group sync reads groups and their members as the app registration, with the Microsoft Graph application permission ${GROUP_READ_PERMISSION} ` +
            `(${GROUP_READ_ROLES.slice(1).join(' or ')} also work), with admin consent. Use Test connection above to see whether it is granted.`}
        </Text>
      </SectionMessage>
    );
  }
  if (permission.state === 'granted') {
    const role = GROUP_READ_ROLES.find((r) => permission.roles.includes(r)) ?? GROUP_READ_PERMISSION;
    return (
      <SectionMessage appearance="success" title={`${GROUP_READ_PERMISSION} is granted`}>
        <Text>{`The last connection test (${formatDateTime(permission.at)}) found the permission ${role}: the app registration can read groups and their members.`}</Text>
      </SectionMessage>
    );
  }
  return (
    <SectionMessage appearance={on ? 'error' : 'warning'} title={`${GROUP_READ_PERMISSION} is not granted`}>
      <Text>
        {`The last connection test (${formatDateTime(permission.at)}) found no permission that reads groups: a sync with group sync on would fail. ` +
          GRANT_STEPS}
      </Text>
    </SectionMessage>
  );
}

function modeHelp(values: GroupSyncValues): string {
  switch (values.mode) {
    case 'off':
      return 'No groups are read or written. Turning group sync off leaves the Entra Group objects and every Employee’s Groups as they are.';
    case 'all':
      return 'Every group of the tenant: security, Microsoft 365, mail-enabled security, distribution and dynamic groups.';
    case 'ids':
      return 'Only the groups listed below.';
    case 'prefix':
      return 'Only the groups whose display name starts with the text below.';
  }
}

export function GroupSyncSection(props: {
  settings: PublicSettingsView | null;
  lastCheck: ConnectionCheckView | null;
  onSaved: (saved: PublicSettingsView) => void;
}) {
  const { settings, onSaved } = props;
  const [values, setValues] = useState<GroupSyncValues>(groupSyncInitialValues(settings));
  // Save reads the values as last changed, not the last render's copy: a click can reach the page before the render
  // that follows the last key typed (the scope section met this in the browser walk).
  const latest = useRef(values);
  const { saving, failure, saved, edited, save } = useSectionSave(settings, onSaved);
  const messages = groupSyncMessages(values);
  const permission = groupPermission(props.lastCheck);
  const invalid = messages.ids !== undefined || messages.prefix !== undefined;

  const change = (next: Partial<GroupSyncValues>) => {
    edited();
    latest.current = { ...latest.current, ...next };
    setValues(latest.current);
  };

  return (
    <Stack space="space.150">
      <Heading as="h3">Group sync</Heading>
      <Text>
        Group sync keeps Entra ID groups as Entra Group objects in the Entra Directory schema (name, Entra Group ID, email, description,
        group type, active) and each Employee’s Groups attribute as its memberships among the synced groups. A group that leaves Entra ID or
        the selection is made inactive, never deleted, and leaves every member’s Groups. The next sync’s schema check adds the object type
        and the attribute.
      </Text>
      <PermissionNotice permission={permission} on={values.mode !== 'off'} />
      {settings === null ? (
        <SectionMessage appearance="information" title="Connect Microsoft Entra ID first">
          <Text>Save the connection settings above, then choose the groups.</Text>
        </SectionMessage>
      ) : (
        <Stack space="space.100">
          {saved ? (
            <SectionMessage appearance="success" title="Group sync saved">
              <Text>{`${describeGroupSync(settings)} The next preview or sync uses it.`}</Text>
            </SectionMessage>
          ) : (
            <Text>{`Saved: ${describeGroupSync(settings)}`}</Text>
          )}
          <Label labelFor="group-sync-mode">{GROUPS_FIELD_LABEL}</Label>
          <Select
            id="group-sync-mode"
            name="groupMode"
            options={[...GROUP_MODE_OPTIONS]}
            value={GROUP_MODE_OPTIONS.find((option) => option.value === values.mode)}
            onChange={(option: unknown) => {
              const mode = GROUP_MODE_OPTIONS.find((o) => o.value === chosenValue(option))?.value;
              if (mode !== undefined) change({ mode });
            }}
          />
          <HelperMessage>{modeHelp(values)}</HelperMessage>
          {values.mode === 'ids' ? (
            <>
              <Label labelFor="group-ids">{GROUP_IDS_FIELD_LABEL}</Label>
              <TextArea
                id="group-ids"
                name="groupIds"
                defaultValue={values.ids}
                placeholder="00000000-0000-0000-0000-000000000000"
                onChange={(event) => change({ ids: textOfChange(event) })}
              />
              {messages.ids === undefined ? (
                <HelperMessage>
                  {`One per line or separated by commas (at most ${GROUP_IDS_MAX}): the Object ID from the group’s Overview page in the ` +
                    'Microsoft Entra admin center. Saving checks that Entra ID has each of them.'}
                </HelperMessage>
              ) : (
                <ErrorMessage>{messages.ids}</ErrorMessage>
              )}
            </>
          ) : null}
          {values.mode === 'prefix' ? (
            <>
              <Label labelFor="group-prefix">{GROUP_PREFIX_FIELD_LABEL}</Label>
              <Textfield
                id="group-prefix"
                name="groupPrefix"
                defaultValue={values.prefix}
                placeholder="Team-"
                onChange={(event) => change({ prefix: textOfChange(event) })}
              />
              {messages.prefix === undefined ? (
                <HelperMessage>
                  Compared with the group’s display name, ignoring case. A group renamed so that it no longer starts with it is made
                  inactive at the next sync.
                </HelperMessage>
              ) : (
                <ErrorMessage>{messages.prefix}</ErrorMessage>
              )}
            </>
          ) : null}
          {values.mode === 'off' ? null : (
            <>
              <Label labelFor="group-membership">{GROUP_MEMBERSHIP_FIELD_LABEL}</Label>
              <Select
                id="group-membership"
                name="groupMembership"
                options={[...GROUP_MEMBERSHIP_OPTIONS]}
                value={GROUP_MEMBERSHIP_OPTIONS.find((option) => option.value === values.membership)}
                onChange={(option: unknown) => {
                  const membership = GROUP_MEMBERSHIP_OPTIONS.find((o) => o.value === chosenValue(option))?.value;
                  if (membership !== undefined) change({ membership });
                }}
              />
              <HelperMessage>
                Direct: the synced groups the user is a member of. Transitive: also the synced groups that hold one of those groups, at any
                depth (nested groups flattened; a cycle of nested groups is fine).
              </HelperMessage>
            </>
          )}
          <SaveRefusalNotice failure={failure} invalidTitle="Group sync not saved" />
          <LoadingButton
            appearance="primary"
            isLoading={saving}
            isDisabled={invalid}
            onClick={() => save((stored) => groupSyncPayload(stored, latest.current))}
          >
            Save group sync
          </LoadingButton>
        </Stack>
      )}
    </Stack>
  );
}
