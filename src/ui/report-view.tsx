/**
 * A run's report as the admin reads it: the counts first (exact, never capped), the safety check when it tripped,
 * then one table per category.
 */
import { Badge, Inline, SectionMessage, Stack, Text } from '@forge/react';
import React from 'react';

import { REPORT_LIST_NAMES, type ReportListName, type RunReport } from '../domain/report';
import { formatCount } from './format';
import { ReportTables } from './report-tables';

const COUNT_LABELS: readonly { readonly key: keyof RunReport['counts']; readonly label: string }[] = [
  { key: 'atlassianUsers', label: 'Atlassian accounts' },
  { key: 'matched', label: 'Matched' },
  { key: 'creates', label: 'Creates' },
  { key: 'updates', label: 'Updates' },
  { key: 'inactivations', label: 'Inactivations' },
  { key: 'unchanged', label: 'Unchanged' },
  { key: 'unmatchedAtlassian', label: 'Unmatched accounts' },
  { key: 'missingManagerLinks', label: 'Missing manager links' },
  { key: 'warnings', label: 'Warnings' },
  { key: 'writeFailures', label: 'Write failures' },
  { key: 'outOfScope', label: 'Outside the sync scope' },
];

/** A preview writes nothing, so it has no write failures; a sync report has every list. */
/** Shown only for runs that synced groups. */
const GROUP_LISTS: readonly ReportListName[] = ['groupChanges', 'membershipChanges'];
export const SYNC_LISTS: readonly ReportListName[] = REPORT_LIST_NAMES;
export const PREVIEW_LISTS: readonly ReportListName[] = REPORT_LIST_NAMES.filter((name) => name !== 'writeFailures');

export function ReportCounts({ report, withFailures }: { report: RunReport; withFailures: boolean }) {
  return (
    <Inline space="space.200" shouldWrap>
      {COUNT_LABELS.filter((c) => withFailures || c.key !== 'writeFailures').map((c) => (
        <Inline key={c.key} space="space.050" alignBlock="center">
          <Text>{c.label}</Text>
          <Badge max={false} appearance={c.key === 'writeFailures' && report.counts.writeFailures > 0 ? 'important' : 'default'}>
            {report.counts[c.key]}
          </Badge>
        </Inline>
      ))}
    </Inline>
  );
}

export function ReportView({ report, mode }: { report: RunReport; mode: 'preview' | 'sync' }) {
  const { safety } = report;
  return (
    <Stack space="space.200">
      <ReportCounts report={report} withFailures={mode === 'sync'} />
      {safety.tripped ? (
        <SectionMessage appearance="warning" title="Above the safety threshold">
          <Text>
            {`This plan inactivates ${formatCount(safety.inactivations)} of ${formatCount(safety.activeObjects)} active employees, more than the limit of ${formatCount(safety.limit)} ` +
              '(10% of active employees, at least 5). A sync with this plan waits for an admin to confirm on the Sync tab before writing anything.'}
          </Text>
        </SectionMessage>
      ) : null}
      {report.scope.text === '' ? null : (
        <SectionMessage appearance="information" title="Sync scope">
          <Text>{`Scope: ${report.scope.text}. ${formatCount(report.counts.outOfScope)} Entra ID users read are outside it.`}</Text>
          {report.scope.rules.map((rule, i) => (
            <Text key={i}>{`${rule.rule}: excluded ${formatCount(rule.excluded)}`}</Text>
          ))}
        </SectionMessage>
      )}
      <ReportTables
        report={report}
        lists={(mode === 'sync' ? SYNC_LISTS : PREVIEW_LISTS).filter((list) => report.groupSync || !GROUP_LISTS.includes(list))}
      />
    </Stack>
  );
}
