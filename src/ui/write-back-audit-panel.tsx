/**
 * History: "Actions" (issue 17), the write-back audit trail (getWriteBackAudit, newest first): every attempt of an
 * Automation write-back action with its time, rule, actor, action, target (Employee object key and Entra object id),
 * before -> after, result, error code and Graph request id. The table shows the latest 100; Export asks for every
 * attempt kept (the latest 1,000) and shows them as CSV (auditCsv) in a code block to copy: UI Kit offers no file download.
 */
import { Button, CodeBlock, DynamicTable, EmptyState, Heading, Inline, Lozenge, Stack, Text, User } from '@forge/react';
import React, { useState } from 'react';

import { formatCount, formatDateTime } from './format';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { ROWS_PER_PAGE } from './page-config';
import { useLoad } from './use-load';
import type { AuditEntryView } from './views';
import { auditCsv } from './write-back-model';

/** What the app keeps (src/services/write-back.ts AUDIT_KEEP); the page may not import the backend. */
const AUDIT_EXPORT_LIMIT = 1000;

const COLUMNS = ['Time', 'Rule', 'Actor', 'Action', 'Target', 'Before -> after', 'Result', 'Code', 'Graph request id'];

const RESULT_LOZENGE: Readonly<Record<AuditEntryView['result'], 'success' | 'default' | 'moved' | 'removed'>> = {
  changed: 'success',
  'no change': 'default',
  refused: 'moved',
  failed: 'removed',
};

/** Forge names the rule's actor by account id; 'automation' when it names none. */
function actorCell(actor: string): React.ReactNode {
  return /^[0-9a-f:-]{10,}$/i.test(actor) ? <User accountId={actor} /> : actor;
}

function targetText(entry: AuditEntryView): string {
  const { objectKey, entraUserId, accountId } = entry.target;
  const parts = [objectKey, entraUserId].filter((p): p is string => p !== null);
  if (parts.length > 0) return parts.join(' / ');
  return accountId ?? '-';
}

function change(entry: AuditEntryView): string {
  if (entry.before === null && entry.after === null) return '-';
  return `${entry.before ?? '-'} -> ${entry.after ?? '-'}`;
}

export function WriteBackAuditPanel({ refreshKey }: { refreshKey: string }) {
  const { loaded, reload } = useLoad(api.getWriteBackAudit, refreshKey);
  /** null: no export shown; else the CSV of every attempt kept, or why it could not be read. */
  const [exported, setExported] = useState<{ csv: string; count: number } | { error: string } | 'loading' | null>(null);
  const exportAll = async () => {
    setExported('loading');
    const answer = await api.getWriteBackAudit({ limit: AUDIT_EXPORT_LIMIT });
    setExported(answer.ok ? { csv: auditCsv(answer.data), count: answer.data.length } : { error: answer.error.message });
  };

  const body = (() => {
    if (loaded.state === 'loading') return <Loading label="Loading the write-back actions" />;
    if (loaded.state === 'error') return <ErrorNotice message={loaded.message} />;
    const entries = loaded.data;
    if (entries.length === 0)
      return (
        <EmptyState
          header="No write-back actions"
          description="Write-back is off (Setup tab, Actions) or no Automation rule has attempted an action yet. Every attempt, refused ones included, appears here."
        />
      );
    const rows = entries.map((entry) => {
      const cells: React.ReactNode[] = [
        formatDateTime(entry.at),
        entry.rule ?? '-',
        actorCell(entry.actor),
        entry.action,
        targetText(entry),
        change(entry),
        <Lozenge appearance={RESULT_LOZENGE[entry.result]}>{entry.result}</Lozenge>,
        entry.code ?? '-',
        entry.graphRequestId ?? '-',
      ];
      return { key: `audit-${entry.seq}`, cells: cells.map((content, index) => ({ key: `audit-${entry.seq}-${index}`, content })) };
    });
    return (
      <Stack space="space.100">
        <Text>{`${entries.length === 1 ? 'One attempt' : `The latest ${formatCount(entries.length)} attempts, newest first`} (the page shows at most 100; Export reads every attempt kept). No secret, password or token is ever recorded.`}</Text>
        <DynamicTable
          label="Write-back actions"
          head={{ cells: COLUMNS.map((label, index) => ({ key: `ah${index}`, content: label })) }}
          rows={rows}
          rowsPerPage={ROWS_PER_PAGE}
        />
        <Inline space="space.100">
          <Button onClick={() => void exportAll()}>Export as CSV</Button>
          {exported !== null ? (
            <Button appearance="subtle" onClick={() => setExported(null)}>
              Hide CSV
            </Button>
          ) : null}
        </Inline>
        {exported === 'loading' ? <Loading label="Reading every attempt kept" /> : null}
        {exported !== null && exported !== 'loading' && 'error' in exported ? <ErrorNotice message={exported.error} /> : null}
        {exported !== null && exported !== 'loading' && 'csv' in exported ? (
          <Stack space="space.050">
            <Text>{`Every attempt kept (${formatCount(exported.count)}, the latest ${formatCount(AUDIT_EXPORT_LIMIT)} at most), as CSV to copy (the page cannot download files):`}</Text>
            <CodeBlock language="text" text={exported.csv} shouldWrapLongLines showLineNumbers={false} />
          </Stack>
        ) : null}
      </Stack>
    );
  })();

  return (
    <Stack space="space.150">
      <Inline space="space.100" alignBlock="center">
        <Heading as="h3">Actions</Heading>
        <Button appearance="subtle" onClick={() => void reload()}>
          Refresh actions
        </Button>
      </Inline>
      <Text>What Automation rules asked the app to change in Microsoft Entra ID, and what happened.</Text>
      {body}
    </Stack>
  );
}
