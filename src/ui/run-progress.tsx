/**
 * The run in progress: what it is, which of the seven stages it is in, and a progress bar. The bar advances by
 * stage and, within a stage that knows its total (the Assets writes), by the share done.
 */
import { Inline, Lozenge, ProgressBar, Stack, Text, User } from '@forge/react';
import React from 'react';

import { AUTOMATION_STARTED_BY } from '../domain/run-starter';
import { formatCount, formatDateTime, MODE_LABELS, STAGES, STATUS_LABELS, TRIGGER_LABELS } from './format';
import type { RunView } from './views';

export function progressOf(run: RunView): { value: number; stepText: string } {
  const index = STAGES.findIndex((stage) => stage.name === run.stage);
  if (run.status === 'queued' || index < 0) return { value: 0, stepText: 'Waiting to start' };
  const { processed, total } = run.progress;
  const within = total !== null && total > 0 ? Math.min(1, processed / total) : 0;
  const stage = STAGES[index]!;
  return { value: (index + within) / STAGES.length, stepText: `Step ${index + 1} of ${STAGES.length}: ${stage.label}` };
}

function detailOf(run: RunView): string {
  const { processed, total, label } = run.progress;
  const figures =
    total !== null ? `${formatCount(processed)} of ${formatCount(total)}` : processed > 0 ? `${formatCount(processed)} so far` : '';
  return [label, figures].filter((part) => part !== '').join(': ');
}

export function RunProgress({ run }: { run: RunView }) {
  const { value, stepText } = progressOf(run);
  const status = STATUS_LABELS[run.status];
  const detail = run.status === 'running' ? detailOf(run) : '';
  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="center">
        <Text weight="bold">{`Run #${run.number}: ${MODE_LABELS[run.mode]} (${TRIGGER_LABELS[run.trigger].toLowerCase()})`}</Text>
        <Lozenge appearance={status.appearance}>{status.text}</Lozenge>
      </Inline>
      {run.status === 'awaiting-confirmation' ? null : (
        <ProgressBar ariaLabel={`Run #${run.number} progress`} value={value} isIndeterminate={run.status === 'queued'} />
      )}
      <Text>
        {run.status === 'awaiting-confirmation' ? 'Planned; nothing written yet. Waiting for an admin to confirm or cancel.' : stepText}
      </Text>
      {detail !== '' && !stepText.endsWith(detail) ? <Text>{detail}</Text> : null}
      <Inline space="space.050" alignBlock="center">
        <Text>{`Started ${formatDateTime(run.startedAt)} by`}</Text>
        {run.startedBy === null ? (
          <Text>the schedule</Text>
        ) : run.startedBy === AUTOMATION_STARTED_BY ? (
          <Text>an Automation rule</Text>
        ) : (
          <User accountId={run.startedBy} />
        )}
      </Inline>
    </Stack>
  );
}
