/**
 * One paginated table per report category. Each heading carries the exact total from the report's counts; when the
 * stored list was capped, the table says how many of them it can list, so nobody mistakes a page of 100 for all.
 */
import { DynamicTable, Heading, Stack, Text, User } from '@forge/react';
import React from 'react';

import type { ReportCreate, ReportListName, RunReport, WarningCode } from '../domain/report';
import { formatCount } from './format';
import { ROWS_PER_PAGE } from './page-config';

type Cell = { key: string; content: React.ReactNode };
type Row = { key: string; cells: Cell[] };

const WARNING_LABELS: Readonly<Record<WarningCode, string>> = {
  'atlassian-email-missing': 'Email missing',
  'ambiguous-email-match': 'Ambiguous email',
  'duplicate-match': 'Duplicate match',
  'manager-cycle': 'Manager cycle',
  'duplicate-entra-user-id': 'Duplicate Entra User ID',
  'missing-entra-user-id': 'Missing Entra User ID',
  'value-truncated': 'Value shortened',
  'safety-threshold-exceeded': 'Safety threshold',
  'hidden-emails-unavailable': 'Hidden emails unavailable',
  'schema-not-created': 'Schema not created',
};

const text = (value: string | null): string => (value === null || value === '' ? '-' : value);

function head(...labels: string[]) {
  return { cells: labels.map((label) => ({ key: label, content: label })) };
}

function row(key: string, ...cells: React.ReactNode[]): Row {
  return { key, cells: cells.map((content, index) => ({ key: `${key}-${index}`, content })) };
}

function Section(props: { title: string; total: number; listed: number; emptyText: string; children: React.ReactNode }) {
  const { title, total, listed, emptyText, children } = props;
  return (
    <Stack space="space.100">
      <Heading as="h4">{`${title} (${formatCount(total)})`}</Heading>
      {listed < total ? (
        <Text>{`Listing the first ${formatCount(listed)} of ${formatCount(total)}. The totals are exact; the report keeps a limited number of entries per category.`}</Text>
      ) : null}
      {listed === 0 ? <Text>{emptyText}</Text> : children}
    </Stack>
  );
}

function Table({ label, columns, rows }: { label: string; columns: string[]; rows: Row[] }) {
  return <DynamicTable label={label} head={head(...columns)} rows={rows} rowsPerPage={ROWS_PER_PAGE} />;
}

const account = (accountId: string) => <User accountId={accountId} />;

/** A create's value for one column of the run's definition (columns are attribute names). */
const shownValue = (create: ReportCreate, column: string): string | null =>
  create.attributes.find((a) => a.attribute === column)?.value ?? null;

export const REPORT_TABLES: readonly {
  readonly list: ReportListName;
  readonly title: string;
  readonly render: (report: RunReport) => React.ReactNode;
}[] = [
  {
    list: 'creates',
    title: 'Employees to create',
    render: (r) => (
      <Table
        label="Employees to create"
        columns={['Name', ...r.createColumns, 'Manager', 'Atlassian account']}
        rows={r.creates.items.map((c, i) =>
          row(
            `create-${i}`,
            text(c.fullName),
            ...r.createColumns.map((column) => text(shownValue(c, column))),
            text(c.managerName),
            account(c.accountId),
          ),
        )}
      />
    ),
  },
  {
    list: 'updates',
    title: 'Employees to update',
    render: (r) => (
      <Table
        label="Employees to update"
        columns={['Object', 'Name', 'Changes (old → new)']}
        rows={r.updates.items.map((u, i) =>
          row(
            `update-${i}`,
            u.objectKey,
            text(u.fullName),
            <Stack space="space.0">
              {u.changes.map((change, j) => (
                <Text key={j}>{`${change.attribute}: ${text(change.from)} → ${text(change.to)}`}</Text>
              ))}
            </Stack>,
          ),
        )}
      />
    ),
  },
  {
    list: 'inactivations',
    title: 'Employees to inactivate',
    render: (r) => (
      <Table
        label="Employees to inactivate"
        columns={['Object', 'Name', 'Reason']}
        rows={r.inactivations.items.map((x, i) => row(`inactivation-${i}`, x.objectKey, text(x.fullName), x.reasonText))}
      />
    ),
  },
  {
    list: 'unmatchedAtlassian',
    title: 'Atlassian accounts not matched',
    render: (r) => (
      <Table
        label="Atlassian accounts not matched"
        columns={['Atlassian account', 'Email', 'Reason']}
        rows={r.unmatchedAtlassian.items.map((u, i) => row(`unmatched-${i}`, account(u.accountId), text(u.email), u.reasonText))}
      />
    ),
  },
  {
    list: 'missingManagerLinks',
    title: 'Manager links that cannot be set',
    render: (r) => (
      <Table
        label="Manager links that cannot be set"
        columns={['Employee', 'Entra user ID', 'Manager Entra user ID', 'Reason']}
        rows={r.missingManagerLinks.items.map((m, i) =>
          row(`manager-${i}`, text(m.fullName), m.entraUserId, m.managerEntraUserId, m.reasonText),
        )}
      />
    ),
  },
  {
    list: 'warnings',
    title: 'Warnings',
    render: (r) => (
      <Table
        label="Warnings"
        columns={['Warning', 'Details']}
        rows={r.warnings.items.map((w, i) => row(`warning-${i}`, WARNING_LABELS[w.code], w.message))}
      />
    ),
  },
  {
    list: 'writeFailures',
    title: 'Write failures',
    render: (r) => (
      <Table
        label="Write failures"
        columns={['Object', 'Entra user ID', 'Attribute', 'Error']}
        rows={r.writeFailures.items.map((f, i) => row(`failure-${i}`, text(f.objectKey), f.entraUserId, text(f.attribute), f.message))}
      />
    ),
  },
  {
    list: 'scopeLeaving',
    title: 'Employees leaving the sync scope',
    render: (r) => (
      <Table
        label="Employees leaving the sync scope"
        columns={['Object', 'Name', 'Entra user ID']}
        rows={r.scopeLeaving.items.map((x, i) => row(`leaving-${i}`, x.objectKey, text(x.fullName), text(x.entraUserId)))}
      />
    ),
  },
  {
    list: 'scopeEntering',
    title: 'Employees entering the sync',
    render: (r) => (
      <Table
        label="Employees entering the sync"
        columns={['Name', 'Entra user ID', 'How', 'Atlassian account']}
        rows={r.scopeEntering.items.map((x, i) =>
          row(
            `entering-${i}`,
            text(x.fullName),
            x.entraUserId,
            x.action === 'create' ? 'Created' : 'Made active again',
            account(x.accountId),
          ),
        )}
      />
    ),
  },
  {
    list: 'groupChanges',
    title: 'Entra groups',
    render: (r) => (
      <Table
        label="Entra groups"
        columns={['Group', 'Change', 'Object', 'Details']}
        rows={r.groupChanges.items.map((x, i) =>
          row(`group-${i}`, x.name, GROUP_ACTION_LABELS[x.action], text(x.objectKey), text(x.detail)),
        )}
      />
    ),
  },
  {
    list: 'membershipChanges',
    title: 'Group membership changes',
    render: (r) => (
      <Table
        label="Group membership changes"
        columns={['Name', 'Object', 'Gains', 'Loses']}
        rows={r.membershipChanges.items.map((x, i) =>
          row(
            `membership-${i}`,
            text(x.fullName),
            text(x.objectKey),
            text(x.gained.join(', ')),
            text(x.more > 0 ? `${x.lost.join(', ')} (and ${formatCount(x.more)} more)` : x.lost.join(', ')),
          ),
        )}
      />
    ),
  },
];

const GROUP_ACTION_LABELS: Readonly<Record<RunReport['groupChanges']['items'][number]['action'], string>> = {
  create: 'Create',
  update: 'Update',
  reactivate: 'Make active again',
  inactivate: 'Inactivate',
};

const EMPTY_TEXT: Readonly<Record<ReportListName, string>> = {
  creates: 'No employees to create.',
  updates: 'No employees to update.',
  inactivations: 'No employees to inactivate.',
  unmatchedAtlassian: 'Every active Atlassian account was matched.',
  missingManagerLinks: 'Every manager link can be set.',
  warnings: 'No warnings.',
  writeFailures: 'No write failures.',
  scopeLeaving: 'Nobody leaves the sync scope.',
  scopeEntering: 'Nobody enters the synced employees.',
  groupChanges: 'No Entra groups to create, update or inactivate.',
  membershipChanges: "No employee's groups change.",
};

/** The tables of a report; `lists` picks and orders the categories (write failures only matter after a sync). */
export function ReportTables({ report, lists }: { report: RunReport; lists: readonly ReportListName[] }) {
  return (
    <Stack space="space.300">
      {lists.map((list) => {
        const table = REPORT_TABLES.find((t) => t.list === list)!;
        return (
          <Section
            key={list}
            title={table.title}
            total={report.counts[list]}
            listed={report[list].items.length}
            emptyText={EMPTY_TEXT[list]}
          >
            {table.render(report)}
          </Section>
        );
      })}
    </Stack>
  );
}

/** Only the inactivations: what a run awaiting confirmation would do that needs a second look. */
export function InactivationsTable({ report }: { report: RunReport }) {
  return <ReportTables report={report} lists={['inactivations']} />;
}
