/**
 * The landing tab: the run in progress, the last manual and scheduled syncs, when the next scheduled sync is due,
 * and whether the connection and the schema are in order, each with the way to fix it. A fresh install gets an
 * empty state that points to Setup.
 */
import { Button, EmptyState, Heading, Inline, Lozenge, SectionMessage, Stack, Text } from '@forge/react';
import React from 'react';

import { formatDateTime, formatDay, plural } from './format';
import { api } from './invoke';
import { LastRunSummary } from './last-run-summary';
import { ErrorNotice, Loading } from './notices';
import { RunProgress } from './run-progress';
import type { TabName } from './tabs';
import { useLoad } from './use-load';
import type { StatusHandle } from './use-status';
import type { OverviewView } from './views';

type Appearance = 'success' | 'removed' | 'moved' | 'default';

const CONNECTION_LOZENGE: Readonly<Record<OverviewView['connection']['state'], { text: string; appearance: Appearance }>> = {
  'not-configured': { text: 'Not set up', appearance: 'default' },
  'secret-missing': { text: 'Secret missing', appearance: 'removed' },
  untested: { text: 'Not tested', appearance: 'moved' },
  working: { text: 'Working', appearance: 'success' },
  failing: { text: 'Failing', appearance: 'removed' },
};

const SCHEMA_LOZENGE: Readonly<Record<OverviewView['schema']['state'], { text: string; appearance: Appearance }>> = {
  ready: { text: 'Ready', appearance: 'success' },
  missing: { text: 'Not created', appearance: 'default' },
  'needs-repair': { text: 'Needs repair', appearance: 'moved' },
  conflict: { text: 'Conflict', appearance: 'removed' },
  unavailable: { text: 'Unavailable', appearance: 'removed' },
};

function StateLine(props: {
  testId: string;
  title: string;
  lozenge: { text: string; appearance: Appearance };
  message: string;
  fix: (() => void) | null;
  fixLabel: string;
}) {
  return (
    <Stack space="space.050" testId={props.testId}>
      <Inline space="space.100" alignBlock="center">
        <Heading as="h4">{props.title}</Heading>
        <Lozenge appearance={props.lozenge.appearance}>{props.lozenge.text}</Lozenge>
      </Inline>
      <Text>{props.message}</Text>
      {props.fix === null ? null : (
        <Inline>
          <Button appearance="subtle" onClick={props.fix}>
            {props.fixLabel}
          </Button>
        </Inline>
      )}
    </Stack>
  );
}

/** "Last full directory read" and when the next one is due (delta is not lossless; see docs/sync-rules.md). */
export function fullReadText(directory: NonNullable<OverviewView['directory']>): string {
  const every = `The app reads only what changed in Entra ID, and the whole directory every ${plural(directory.fullReadEveryDays, 'day')} to catch changes Microsoft Graph did not report.`;
  if (directory.lastFullReadAt === null || directory.nextFullReadDueAt === null)
    return `${every} The first sync reads the whole directory.`;
  const last = `Last full directory read: ${formatDateTime(directory.lastFullReadAt)}.`;
  const next = directory.fullReadDue
    ? 'The next sync reads the whole directory.'
    : `The next full read is due from ${formatDateTime(directory.nextFullReadDueAt)}.`;
  return `${last} ${next} ${every}`;
}

function nextSyncText(schedule: OverviewView['schedule']): string {
  if (schedule === null) return 'Scheduled syncs start once the Microsoft connection is set up.';
  const every = `Every ${plural(schedule.intervalDays, 'day')}.`;
  if (schedule.due) return `${every} The next scheduled sync starts at the next daily check (within 24 hours).`;
  return `${every} The next scheduled sync starts at the first daily check on ${formatDay(schedule.nextDueAt)} (UTC).`;
}

export function OverviewTab({ handle, goTo }: { handle: StatusHandle; goTo: (tab: TabName) => void }) {
  const { loaded } = useLoad(api.getOverview, handle.runKey);
  const status = handle.status;
  // Without a status the page-wide error notice (above the tabs) says why.
  if (status === null) return handle.error === null ? <Loading label="Loading the status" /> : null;

  const active = status.activeRun;
  const overview = loaded.state === 'ready' ? loaded.data : null;
  const fresh = status.settings === null && status.lastManual === null && status.lastScheduled === null && active === null;
  // A schema in the way (another schema holds ENTRA) or Assets missing is news even on a fresh install: full view.
  if (fresh && (overview === null || overview.schema.state === 'missing')) {
    return (
      <Stack space="space.200">
        <EmptyState
          header="Entra ID Sync is not set up yet"
          description="Create the Entra Directory schema in Assets and connect your Microsoft Entra ID tenant on the Setup tab. After that, preview what a sync would change, then run it."
        />
        <Inline alignInline="center">
          <Button appearance="primary" onClick={() => goTo('Setup')}>
            Go to Setup
          </Button>
        </Inline>
      </Stack>
    );
  }

  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Heading as="h3">Current run</Heading>
        {active === null ? <Text>No run in progress.</Text> : <RunProgress run={active} />}
        {active?.status === 'awaiting-confirmation' ? (
          <SectionMessage appearance="warning" title="Waiting for confirmation">
            <Text>{`Run #${active.number} would inactivate ${active.safety?.inactivations ?? 0} employees, more than the safety limit. Review and confirm or cancel it on the Sync tab.`}</Text>
          </SectionMessage>
        ) : null}
        {active?.status === 'awaiting-confirmation' ? (
          <Inline>
            <Button onClick={() => goTo('Sync')}>Open the Sync tab</Button>
          </Inline>
        ) : null}
      </Stack>
      <Inline space="space.400" shouldWrap>
        <LastRunSummary title="Last manual sync" last={status.lastManual} emptyText="No manual sync yet." />
        <LastRunSummary title="Last scheduled sync" last={status.lastScheduled} emptyText="No scheduled sync yet." />
      </Inline>
      <Stack space="space.050">
        <Heading as="h4">Next scheduled sync</Heading>
        {overview === null ? <Text>-</Text> : <Text>{nextSyncText(overview.schedule)}</Text>}
      </Stack>
      {overview?.directory ? (
        <Stack space="space.050" testId="overview-directory">
          <Heading as="h4">Entra directory</Heading>
          <Text>{fullReadText(overview.directory)}</Text>
        </Stack>
      ) : null}
      {loaded.state === 'loading' ? <Loading label="Checking the connection and the schema" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {overview === null ? null : (
        <StateLine
          testId="overview-connection"
          title="Microsoft connection"
          lozenge={CONNECTION_LOZENGE[overview.connection.state]}
          message={
            overview.connection.lastCheck !== null && overview.connection.state !== 'not-configured'
              ? `${overview.connection.message} (last tested ${formatDateTime(overview.connection.lastCheck.at)})`
              : overview.connection.message
          }
          fix={overview.connection.state === 'working' ? null : () => goTo('Setup')}
          fixLabel="Fix on the Setup tab"
        />
      )}
      {overview === null ? null : (
        <StateLine
          testId="overview-schema"
          title={`Assets schema "${overview.schema.schemaName}" (${overview.schema.schemaKey})`}
          lozenge={SCHEMA_LOZENGE[overview.schema.state]}
          message={overview.schema.message}
          fix={overview.schema.state === 'ready' ? null : () => goTo('Setup')}
          fixLabel="Fix on the Setup tab"
        />
      )}
    </Stack>
  );
}
