/**
 * "Test connection": signs in to Microsoft with the saved settings and counts the users the app may read, or shows
 * the failure's title and the backend's message (which names the setting to fix: tenant, client ID, secret value
 * versus ID, expired secret, wrong Microsoft cloud, missing User.Read.All consent, Microsoft unreachable), and on
 * success the Microsoft Graph application permissions the token carries and, on a line of its own, whether
 * GroupMember.Read.All is granted (needed only for group sync and group membership rules in the scope), and for each
 * switched-on write-back capability whether its permission is.
 */
import { LoadingButton, SectionMessage, Stack, Text } from '@forge/react';
import React, { useState } from 'react';

import { GROUP_READ_PERMISSION } from '../domain/group-sync';
import { CAPABILITY_LABELS } from '../domain/write-back';
import { formatDateTime, plural } from './format';
import { api } from './invoke';
import { ErrorNotice } from './notices';
import type { ConnectionTestView, PublicSettingsView } from './views';

type GroupsPermission = { granted: boolean | null; required: boolean } | null;
type WriteBackPermission = ConnectionTestView['writeBack'][number];
type Outcome =
  | {
      ok: true;
      userCount: number;
      checkedAt: string;
      roles: string[] | null;
      groupsPermission: GroupsPermission;
      writeBack: WriteBackPermission[];
    }
  | { ok: false; code: string; message: string };

/** The groups permission on a line of its own: whether it is granted, and what needs it (only two features do). */
export function groupsPermissionLine(permission: { granted: boolean | null }): string {
  const needs = 'It is needed only for group sync and for group membership rules in the sync scope';
  if (permission.granted === true) return `${GROUP_READ_PERMISSION} (read groups and their members): granted. ${needs}.`;
  if (permission.granted === false)
    return `${GROUP_READ_PERMISSION} (read groups and their members): not granted. ${needs}; grant it (API permissions > Add a permission > Microsoft Graph > Application permissions, then Grant admin consent) before using either.`;
  return `${GROUP_READ_PERMISSION} (read groups and their members): unknown, the access token's permissions could not be read. ${needs}.`;
}

/** A switched-on write-back capability's permission (issue 17): the actions are refused while it is missing. */
export function writeBackPermissionLine(entry: WriteBackPermission): string {
  const what = `Write-back "${CAPABILITY_LABELS[entry.capability]}" needs ${entry.permission}`;
  if (entry.granted === true) return `${what}: granted.`;
  if (entry.granted === false)
    return `${what}: missing. Its actions will be refused until it is granted (API permissions > Grant admin consent).`;
  return `${what}: unknown, the access token's permissions could not be read.`;
}

export function ConnectionTest({ settings, onTested }: { settings: PublicSettingsView | null; onTested: () => void }) {
  const [testing, setTesting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const test = async () => {
    setTesting(true);
    setOutcome(null);
    const answer = await api.testConnection();
    setOutcome(answer.ok ? { ok: true, ...answer.data } : { ok: false, ...answer.error });
    setTesting(false);
    onTested();
  };

  const ready = settings !== null && settings.secretStored;
  return (
    <Stack space="space.100">
      <Text>Test connection signs in with the saved settings and counts the users the app registration can read. It changes nothing.</Text>
      <LoadingButton isLoading={testing} isDisabled={!ready} onClick={() => void test()}>
        Test connection
      </LoadingButton>
      {!ready ? <Text>Save the settings (with a client secret) first.</Text> : null}
      {outcome?.ok === true ? (
        <SectionMessage appearance="success" title="Connected to Microsoft Entra ID">
          <Text>{`The app signed in as its app registration and can read ${plural(outcome.userCount, 'user')} (tested ${formatDateTime(outcome.checkedAt)}).`}</Text>
          {outcome.roles !== null ? (
            <Text>{`Microsoft Graph application permissions granted: ${outcome.roles.length === 0 ? 'none' : outcome.roles.join(', ')}.`}</Text>
          ) : null}
          {outcome.groupsPermission !== null ? <Text>{groupsPermissionLine(outcome.groupsPermission)}</Text> : null}
          {outcome.writeBack
            .filter((entry) => entry.switchedOn)
            .map((entry) => (
              <Text key={entry.capability}>{writeBackPermissionLine(entry)}</Text>
            ))}
        </SectionMessage>
      ) : null}
      {outcome?.ok === false ? <ErrorNotice code={outcome.code} message={outcome.message} /> : null}
    </Stack>
  );
}
