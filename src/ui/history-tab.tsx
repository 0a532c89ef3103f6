/**
 * The History tab: one row per run (newest first; the last 50 are kept), each opening the run's details, errors
 * and report; below, the "Actions" panel: the write-back audit trail (write-back-audit-panel.tsx).
 */
import { Button, DynamicTable, EmptyState, Lozenge, Stack, Text, User } from '@forge/react';
import React, { useState } from 'react';

import { AUTOMATION_STARTED_BY } from '../domain/run-starter';
import { formatCount, formatDateTime, formatDuration, MODE_LABELS, STATUS_LABELS, TRIGGER_LABELS } from './format';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { ROWS_PER_PAGE } from './page-config';
import { RunDetails } from './run-details';
import { useLoad } from './use-load';
import type { StatusHandle } from './use-status';
import type { HistoryEntryView } from './views';
import { WriteBackAuditPanel } from './write-back-audit-panel';

const COLUMNS = [
  'Run',
  'Started',
  'Trigger',
  'Started by',
  'Mode',
  'Status',
  'Duration',
  'Created',
  'Updated',
  'Inactivated',
  'Failures',
  '',
];

function count(entry: HistoryEntryView, key: 'creates' | 'updates' | 'inactivations' | 'writeFailures'): string {
  return entry.counts === null ? '-' : formatCount(entry.counts[key]);
}

export function HistoryTab({ handle }: { handle: StatusHandle }) {
  return (
    <Stack space="space.400">
      <RunHistory handle={handle} />
      <WriteBackAuditPanel refreshKey={handle.runKey} />
    </Stack>
  );
}

function RunHistory({ handle }: { handle: StatusHandle }) {
  const { loaded } = useLoad(api.getHistory, handle.runKey);
  const [open, setOpen] = useState<HistoryEntryView | null>(null);

  if (loaded.state === 'loading') return <Loading label="Loading the run history" />;
  if (loaded.state === 'error') return <ErrorNotice message={loaded.message} />;
  const entries = loaded.data;
  if (entries.length === 0)
    return <EmptyState header="No runs yet" description="Every preview and sync, manual or scheduled, appears here with its result." />;

  const rows = entries.map((entry) => {
    const status = STATUS_LABELS[entry.status];
    const cells: React.ReactNode[] = [
      `#${entry.number}`,
      formatDateTime(entry.startedAt),
      TRIGGER_LABELS[entry.trigger],
      entry.startedBy === null ? (
        'Schedule'
      ) : entry.startedBy === AUTOMATION_STARTED_BY ? (
        'Automation rule'
      ) : (
        <User accountId={entry.startedBy} />
      ),
      MODE_LABELS[entry.mode],
      <Lozenge appearance={status.appearance}>{status.text}</Lozenge>,
      entry.finishedAt === null ? 'In progress' : formatDuration(entry.durationMs),
      count(entry, 'creates'),
      count(entry, 'updates'),
      count(entry, 'inactivations'),
      count(entry, 'writeFailures'),
      <Button appearance="subtle" onClick={() => setOpen(entry)}>
        Details
      </Button>,
    ];
    return { key: entry.runId, cells: cells.map((content, index) => ({ key: `${entry.runId}-${index}`, content })) };
  });

  return (
    <Stack space="space.200">
      <Text>{`${entries.length === 1 ? 'The last run' : `The last ${formatCount(entries.length)} runs, newest first`}. Counts for a preview are what a sync would have done.`}</Text>
      <DynamicTable
        label="Run history"
        head={{ cells: COLUMNS.map((label, index) => ({ key: `h${index}`, content: label })) }}
        rows={rows}
        rowsPerPage={ROWS_PER_PAGE}
      />
      <RunDetails entry={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
