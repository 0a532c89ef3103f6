/**
 * The Preview tab: "Generate Preview" starts a preview run (reads everything, writes nothing), shows its progress,
 * then the latest preview's counts and one table per category.
 */
import { EmptyState, Heading, Inline, LoadingButton, Stack, Text } from '@forge/react';
import React, { useState } from 'react';

import { activeRunReason, formatDateTime } from './format';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { ReportView } from './report-view';
import { useRunAction } from './run-actions';
import { RunOutcome } from './run-outcome';
import { RunProgress } from './run-progress';
import { useLoad } from './use-load';
import type { StatusHandle } from './use-status';

export function PreviewTab({ handle }: { handle: StatusHandle }) {
  const { loaded } = useLoad(() => api.getReport({ mode: 'preview' }), handle.runKey);
  const [startedRunId, setStartedRunId] = useState<string | null>(null);
  const start = useRunAction(handle, api.startPreview);
  const active = handle.status?.activeRun ?? null;

  const generate = async () => {
    const run = await start.perform();
    if (run !== null) setStartedRunId(run.runId);
  };

  const latest = loaded.state === 'ready' ? loaded.data : null;
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Text>
          A preview reads Jira, Entra ID and Assets and shows what a sync would change right now: employees to create, update and
          inactivate, accounts that match no Entra user, manager links that cannot be set, and warnings. It writes nothing.
        </Text>
        <Inline>
          <LoadingButton
            appearance="primary"
            isLoading={start.working}
            isDisabled={active !== null || handle.status === null}
            onClick={() => void generate()}
          >
            Generate Preview
          </LoadingButton>
        </Inline>
        {active !== null ? <Text>{activeRunReason(active)}</Text> : null}
        {start.failure !== null ? <ErrorNotice code={start.failure.code} message={start.failure.message} /> : null}
        {active !== null && active.mode === 'preview' ? <RunProgress run={active} /> : null}
        {startedRunId !== null && active?.runId !== startedRunId ? <RunOutcome runId={startedRunId} runKey={handle.runKey} /> : null}
      </Stack>
      {loaded.state === 'loading' ? <Loading label="Loading the latest preview" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {loaded.state === 'ready' && latest === null ? (
        <EmptyState header="No preview yet" description="Generate a preview to see what a sync would change before anything is written." />
      ) : null}
      {latest !== null && latest.report !== null ? (
        <Stack space="space.200">
          <Heading as="h3">Latest preview</Heading>
          {latest.run !== null ? (
            <Text>{`Run #${latest.run.number}, started ${formatDateTime(latest.run.startedAt)}, finished ${formatDateTime(latest.run.finishedAt)}.`}</Text>
          ) : null}
          <ReportView report={latest.report} mode="preview" />
        </Stack>
      ) : null}
    </Stack>
  );
}
