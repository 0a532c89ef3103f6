/**
 * A sync stopped by the safety threshold: it would inactivate more employees than the limit, so nothing is written
 * until an admin looks at who would be inactivated and confirms, or cancels.
 */
import { Inline, LoadingButton, SectionMessage, Stack, Text } from '@forge/react';
import React from 'react';

import { formatCount } from './format';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { InactivationsTable } from './report-tables';
import type { RunAction } from './run-actions';
import { useLoad } from './use-load';
import type { RunView } from './views';

export function ConfirmationPanel({ run, confirm, cancel }: { run: RunView; confirm: RunAction; cancel: RunAction }) {
  const { loaded } = useLoad(() => api.getReport({ runId: run.runId }), run.runId);
  const safety = run.safety;
  const busy = confirm.working || cancel.working;
  return (
    <Stack space="space.200">
      <SectionMessage appearance="warning" title={`Run #${run.number} is waiting for your confirmation`}>
        <Text>
          {safety === null
            ? 'This sync stopped before writing anything and waits for confirmation.'
            : `This sync would inactivate ${formatCount(safety.inactivations)} of ${formatCount(safety.activeBefore)} active employees, more than the safety limit of ${formatCount(safety.threshold)}. ` +
              'Nothing has been written yet.'}
        </Text>
        <Text>
          Check who would be inactivated. If Entra ID lost users by mistake (a permission or consent change, users moved out of reach),
          cancel and fix that first. Confirm applies the plan exactly as listed, creates and updates included.
        </Text>
      </SectionMessage>
      {loaded.state === 'loading' ? <Loading label="Loading the planned inactivations" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {loaded.state === 'ready' && loaded.data?.report != null ? <InactivationsTable report={loaded.data.report} /> : null}
      <Inline space="space.100">
        <LoadingButton appearance="warning" isLoading={confirm.working} isDisabled={busy} onClick={() => void confirm.perform()}>
          Confirm and apply
        </LoadingButton>
        <LoadingButton isLoading={cancel.working} isDisabled={busy} onClick={() => void cancel.perform()}>
          Cancel run
        </LoadingButton>
      </Inline>
      {confirm.failure !== null ? <ErrorNotice code={confirm.failure.code} message={confirm.failure.message} /> : null}
      {cancel.failure !== null ? <ErrorNotice code={cancel.failure.code} message={cancel.failure.message} /> : null}
    </Stack>
  );
}
