/**
 * One run opened from the history: what it was, how it ended (with its error), and its report. Run details and
 * reports expire after 14 days; the history row keeps the counts after that.
 */
import {
  Button,
  Inline,
  Lozenge,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  ModalTitle,
  ModalTransition,
  Stack,
  Text,
  User,
} from '@forge/react';
import React from 'react';

import { AUTOMATION_STARTED_BY } from '../domain/run-starter';
import { formatDateTime, formatDuration, MODE_LABELS, STATUS_LABELS, TRIGGER_LABELS } from './format';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { ReportView } from './report-view';
import { useLoad } from './use-load';
import type { HistoryEntryView } from './views';

function Details({ entry }: { entry: HistoryEntryView }) {
  const { loaded } = useLoad(() => api.getReport({ runId: entry.runId }), entry.runId);
  const status = STATUS_LABELS[entry.status];
  return (
    <Stack space="space.200">
      <Inline space="space.100" alignBlock="center">
        <Lozenge appearance={status.appearance}>{status.text}</Lozenge>
        <Text>{`${MODE_LABELS[entry.mode]}, ${TRIGGER_LABELS[entry.trigger].toLowerCase()}`}</Text>
      </Inline>
      <Inline space="space.050" alignBlock="center">
        <Text>{`Started ${formatDateTime(entry.startedAt)} by`}</Text>
        {entry.startedBy === null ? (
          <Text>the schedule</Text>
        ) : entry.startedBy === AUTOMATION_STARTED_BY ? (
          <Text>an Automation rule</Text>
        ) : (
          <User accountId={entry.startedBy} />
        )}
      </Inline>
      <Text>{`Finished ${formatDateTime(entry.finishedAt)}; took ${formatDuration(entry.durationMs)}.`}</Text>
      {entry.error !== null ? <ErrorNotice code={entry.error.code} message={entry.error.message} /> : null}
      {loaded.state === 'loading' ? <Loading label="Loading the run's report" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {loaded.state === 'ready' && (loaded.data === null || loaded.data.report === null) ? (
        <Text>No report is available for this run: it ended before planning, or its details expired (they are kept for 14 days).</Text>
      ) : null}
      {loaded.state === 'ready' && loaded.data !== null && loaded.data.report !== null ? (
        <ReportView report={loaded.data.report} mode={entry.mode === 'preview' ? 'preview' : 'sync'} />
      ) : null}
    </Stack>
  );
}

export function RunDetails({ entry, onClose }: { entry: HistoryEntryView | null; onClose: () => void }) {
  return (
    <ModalTransition>
      {entry === null ? null : (
        <Modal onClose={onClose} width="x-large">
          <ModalHeader>
            <ModalTitle>{`Run #${entry.number}`}</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Details entry={entry} />
          </ModalBody>
          <ModalFooter>
            <Button appearance="primary" onClick={onClose}>
              Close
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </ModalTransition>
  );
}
