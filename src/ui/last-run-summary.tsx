/** One line-up of the last manual or scheduled sync: when, result, counts, and the error when it failed. */
import { Heading, Inline, Lozenge, Stack, Text } from '@forge/react';
import React from 'react';

import { formatCount, formatDateTime, formatDuration, plural, STATUS_LABELS } from './format';
import type { LastRunView } from './views';

export function countsLine(counts: {
  creates: number;
  updates: number;
  inactivations: number;
  unchanged: number;
  writeFailures: number;
}): string {
  const parts = [
    `${formatCount(counts.creates)} created`,
    `${formatCount(counts.updates)} updated`,
    `${formatCount(counts.inactivations)} inactivated`,
    `${formatCount(counts.unchanged)} unchanged`,
  ];
  if (counts.writeFailures > 0) parts.push(plural(counts.writeFailures, 'write failure'));
  return parts.join(', ');
}

export function LastRunSummary({ title, last, emptyText }: { title: string; last: LastRunView | null; emptyText: string }) {
  if (last === null) {
    return (
      <Stack space="space.050">
        <Heading as="h4">{title}</Heading>
        <Text>{emptyText}</Text>
      </Stack>
    );
  }
  const { entry } = last;
  const status = STATUS_LABELS[entry.status];
  return (
    <Stack space="space.050">
      <Heading as="h4">{title}</Heading>
      <Inline space="space.100" alignBlock="center">
        <Lozenge appearance={status.appearance}>{status.text}</Lozenge>
        <Text>{`Run #${entry.number}, started ${formatDateTime(entry.startedAt)}, took ${formatDuration(entry.durationMs)}`}</Text>
      </Inline>
      {entry.counts === null ? null : <Text>{countsLine(entry.counts)}</Text>}
      {entry.error === null ? null : <Text>{entry.error.message}</Text>}
    </Stack>
  );
}
