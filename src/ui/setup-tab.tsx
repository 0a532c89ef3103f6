/**
 * The Setup tab, in the order of the setup guide: 1. the schema, 2. the Microsoft connection (settings, then a
 * connection test), then who is synced (the scope), the attributes to sync, group sync and the write-back actions. It loads the saved settings once; saving remounts the form so the secret field is empty again.
 * The last connection test (from getOverview, reloaded after each test) tells the group sync section whether the
 * groups permission is granted, and so does the scope section for its group membership rules, and the Actions
 * section whether each switched-on capability's permission is.
 */
import { Heading, SectionMessage, Stack, Text } from '@forge/react';
import React, { useState } from 'react';

import { AttributesSection } from './attributes-section';
import { ConnectionForm } from './connection-form';
import { ConnectionTest } from './connection-test';
import { DiagnosticsCard } from './diagnostics-card';
import { GroupSyncSection } from './group-sync-section';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { SchemaCard } from './schema-card';
import { ScopeSection } from './scope-section';
import { useLoad } from './use-load';
import type { PublicSettingsView } from './views';
import { WriteBackSection } from './write-back-section';

export function SetupTab({ onChanged }: { onChanged: () => void }) {
  const { loaded } = useLoad(api.getSettings);
  const [saved, setSaved] = useState<PublicSettingsView | null>(null);
  const settings = saved ?? (loaded.state === 'ready' ? loaded.data : null);
  const [tests, setTests] = useState(0);
  const { loaded: overview } = useLoad(api.getOverview, `tests:${tests}`);
  const lastCheck = overview.state === 'ready' ? overview.data.connection.lastCheck : null;

  const onSaved = (next: PublicSettingsView) => {
    setSaved(next);
    onChanged();
  };

  return (
    <Stack space="space.400">
      <SchemaCard onChanged={onChanged} />
      <Stack space="space.150">
        <Heading as="h3">2. Connect Microsoft Entra ID</Heading>
        <SectionMessage appearance="information" title="The sync runs as the app registration">
          <Text>
            The app signs in to Microsoft with the app registration below (client credentials), never as you or any other person. What it
            can read is exactly what that registration is granted: the Microsoft Graph application permission User.Read.All, with admin
            consent.
          </Text>
        </SectionMessage>
        {loaded.state === 'loading' ? <Loading label="Loading the settings" /> : null}
        {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
        {loaded.state === 'ready' ? (
          <ConnectionForm key={`form:${settings?.updatedAt ?? 'new'}`} settings={settings} justSaved={saved !== null} onSaved={onSaved} />
        ) : null}
        <Heading as="h4">Test connection</Heading>
        {/* A result belongs to the settings it tested: saving others clears it. */}
        <ConnectionTest
          key={`test:${settings?.updatedAt ?? 'new'}`}
          settings={settings}
          onTested={() => {
            setTests((n) => n + 1);
            onChanged();
          }}
        />
      </Stack>
      {loaded.state === 'ready' ? (
        <ScopeSection key={`scope:${settings === null ? 'none' : 'set'}`} settings={settings} lastCheck={lastCheck} onSaved={onSaved} />
      ) : null}
      {loaded.state === 'ready' ? (
        <AttributesSection key={`attributes:${settings === null ? 'none' : 'set'}`} settings={settings} onSaved={onSaved} />
      ) : null}
      {loaded.state === 'ready' ? (
        <GroupSyncSection
          key={`groups:${settings === null ? 'none' : 'set'}`}
          settings={settings}
          lastCheck={lastCheck}
          onSaved={onSaved}
        />
      ) : null}
      {loaded.state === 'ready' ? (
        <WriteBackSection
          key={`actions:${settings === null ? 'none' : 'set'}`}
          settings={settings}
          lastCheck={lastCheck}
          onSaved={onSaved}
        />
      ) : null}
      <DiagnosticsCard />
    </Stack>
  );
}
