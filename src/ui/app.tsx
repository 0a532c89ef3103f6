/**
 * The admin page: five tabs sharing one run status (polled only while a run moves, reloaded when a tab is opened).
 * Only the selected tab's content is rendered, so a tab loads its data when opened, not all at once.
 */
import { Heading, Stack, Tab, TabList, TabPanel, Tabs, Text } from '@forge/react';
import React, { useState } from 'react';

import { HistoryTab } from './history-tab';
import { ErrorNotice } from './notices';
import { OverviewTab } from './overview-tab';
import { PreviewTab } from './preview-tab';
import { SetupTab } from './setup-tab';
import { SyncTab } from './sync-tab';
import { TAB_NAMES, type TabName } from './tabs';
import { useStatus } from './use-status';

export function App() {
  const [selected, setSelected] = useState(0);
  const handle = useStatus();
  const refresh = () => void handle.refresh();
  // Opening a tab is a moment the admin expects fresh news (a scheduled run may have happened): one status load.
  const open = (index: number) => {
    setSelected(index);
    refresh();
  };
  const goTo = (tab: TabName) => open(TAB_NAMES.indexOf(tab));
  const current = TAB_NAMES[selected] ?? 'Overview';

  return (
    <Stack space="space.200">
      <Heading as="h1">Entra ID Sync</Heading>
      <Text>
        Keeps the Entra Directory (ENTRA) schema in Assets in step with Microsoft Entra ID: one Employee object per matched Jira user.
      </Text>
      {handle.error !== null ? <ErrorNotice code={handle.error.code} message={handle.error.message} /> : null}
      <Tabs id="entra-sync-tabs" selected={selected} onChange={open}>
        <TabList>
          {TAB_NAMES.map((name) => (
            <Tab key={name}>{name}</Tab>
          ))}
        </TabList>
        <TabPanel>{current === 'Overview' ? <OverviewTab handle={handle} goTo={goTo} /> : null}</TabPanel>
        <TabPanel>{current === 'Setup' ? <SetupTab onChanged={refresh} /> : null}</TabPanel>
        <TabPanel>{current === 'Preview' ? <PreviewTab handle={handle} /> : null}</TabPanel>
        <TabPanel>{current === 'Sync' ? <SyncTab handle={handle} /> : null}</TabPanel>
        <TabPanel>{current === 'History' ? <HistoryTab handle={handle} /> : null}</TabPanel>
      </Tabs>
    </Stack>
  );
}
