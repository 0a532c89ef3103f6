/**
 * The Sync tab: "Run Manual Sync" (disabled, with the reason, while any run holds the one-run lock), the running
 * run's progress with a way to cancel it, the confirmation step of a run stopped by the safety threshold, and the
 * last manual sync with its report.
 */
import { Heading, Inline, LoadingButton, SectionMessage, Stack, Text } from '@forge/react';
import React, { useState } from 'react';

import { ConfirmationPanel } from './confirmation-panel';
import { activeRunReason, formatDateTime, isMoving } from './format';
import { api } from './invoke';
import { LastRunSummary } from './last-run-summary';
import { ErrorNotice, Loading } from './notices';
import { ReportView } from './report-view';
import { useRunAction } from './run-actions';
import { RunOutcome } from './run-outcome';
import { RunProgress } from './run-progress';
import { SyncUserCard } from './sync-user-card';
import { useLoad } from './use-load';
import type { StatusHandle } from './use-status';

export function SyncTab({ handle }: { handle: StatusHandle }) {
  const active = handle.status?.activeRun ?? null;
  const activeId = active?.runId ?? '';
  const { loaded } = useLoad(() => api.getReport({ mode: 'sync' }), handle.runKey);
  const [startedRunId, setStartedRunId] = useState<string | null>(null);
  const [cancelRequested, setCancelRequested] = useState<string | null>(null);
  const start = useRunAction(handle, api.startSync);
  const confirm = useRunAction(handle, () => api.confirmRun({ runId: activeId }));
  const cancel = useRunAction(handle, () => api.cancelRun({ runId: activeId }));

  const run = async () => {
    const started = await start.perform();
    if (started !== null) setStartedRunId(started.runId);
  };
  const requestCancel = async () => {
    const answer = await cancel.perform();
    if (answer !== null) setCancelRequested(answer.runId);
  };

  const latest = loaded.state === 'ready' ? loaded.data : null;
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Text>
          A sync applies the changes to the Entra Directory schema in Assets: it creates and updates Employee objects and marks leavers
          inactive. It never deletes anything. Run a preview first to see what it will do.
        </Text>
        <Inline>
          <LoadingButton
            appearance="primary"
            isLoading={start.working}
            isDisabled={active !== null || handle.status === null}
            onClick={() => void run()}
          >
            Run Manual Sync
          </LoadingButton>
        </Inline>
        {active !== null ? <Text>{activeRunReason(active)}</Text> : null}
        {start.failure !== null ? <ErrorNotice code={start.failure.code} message={start.failure.message} /> : null}
      </Stack>

      {active !== null && isMoving(active.status) ? (
        <Stack space="space.100">
          <Heading as="h3">Run in progress</Heading>
          <RunProgress run={active} />
          <Inline>
            <LoadingButton isLoading={cancel.working} isDisabled={cancelRequested === active.runId} onClick={() => void requestCancel()}>
              Cancel run
            </LoadingButton>
          </Inline>
          {cancelRequested === active.runId ? (
            <SectionMessage appearance="information" title="Cancellation requested">
              <Text>The run stops at its next safe point; what was already written to Assets stays.</Text>
            </SectionMessage>
          ) : null}
          {cancel.failure !== null ? <ErrorNotice code={cancel.failure.code} message={cancel.failure.message} /> : null}
        </Stack>
      ) : null}

      {active !== null && active.status === 'awaiting-confirmation' ? (
        <ConfirmationPanel run={active} confirm={confirm} cancel={cancel} />
      ) : null}
      {startedRunId !== null && active?.runId !== startedRunId ? <RunOutcome runId={startedRunId} runKey={handle.runKey} /> : null}

      <SyncUserCard disabledReason={active !== null ? activeRunReason(active) : null} onDone={() => void handle.refresh()} />

      <LastRunSummary title="Last manual sync" last={handle.status?.lastManual ?? null} emptyText="No manual sync yet." />
      {loaded.state === 'loading' ? <Loading label="Loading the latest sync report" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {latest !== null && latest.report !== null ? (
        <Stack space="space.200">
          <Heading as="h3">Latest sync report</Heading>
          {latest.run !== null ? (
            <Text>{`Run #${latest.run.number} (${latest.run.trigger}), started ${formatDateTime(latest.run.startedAt)}, finished ${formatDateTime(latest.run.finishedAt)}.`}</Text>
          ) : null}
          <ReportView report={latest.report} mode="sync" />
        </Stack>
      ) : null}
    </Stack>
  );
}
