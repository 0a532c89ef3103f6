/**
 * How a run this page started ended, when it did not succeed: its error (failed) or that it was cancelled. A
 * successful run speaks through its report instead.
 */
import { SectionMessage, Text } from '@forge/react';
import React from 'react';

import { api } from './invoke';
import { ErrorNotice } from './notices';
import { useLoad } from './use-load';

export function RunOutcome({ runId, runKey }: { runId: string; runKey: string }) {
  const { loaded } = useLoad(() => api.getRun({ runId }), runKey);
  if (loaded.state !== 'ready' || loaded.data === null) return null;
  const run = loaded.data;
  if (run.status === 'failed') {
    return <ErrorNotice title={`Run #${run.number} failed`} message={run.error?.message ?? 'The run failed without an error message.'} />;
  }
  if (run.status === 'cancelled') {
    return (
      <SectionMessage appearance="information" title={`Run #${run.number} was cancelled`}>
        <Text>{run.error?.message ?? 'The run stopped at an admin request; nothing more was written after that point.'}</Text>
      </SectionMessage>
    );
  }
  return null;
}
