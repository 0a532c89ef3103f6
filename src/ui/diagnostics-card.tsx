/**
 * Setup step 3: Diagnostics. Read-only checks of what only the live site and tenant can answer (Assets as the app,
 * the schema, the admin check as the user, the email API, the Graph permission in the token, the page sizes and
 * write rate really served, clock skew), each with pass / fail / unknown and what to do, and a plain-text report
 * with no personal data to paste into a support ticket.
 */
import { CodeBlock, DynamicTable, Heading, LoadingButton, Lozenge, Stack, Text } from '@forge/react';
import React, { useState } from 'react';

import { formatDateTime } from './format';
import { api } from './invoke';
import { ErrorNotice } from './notices';
import type { DiagnosticsView } from './views';

const LOZENGE = {
  pass: { appearance: 'success', label: 'Pass' },
  fail: { appearance: 'removed', label: 'Fail' },
  unknown: { appearance: 'default', label: 'Unknown' },
} as const;

export function DiagnosticsCard() {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<DiagnosticsView | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    const answer = await api.runDiagnostics();
    if (answer.ok) setResult(answer.data);
    else setError(answer.error);
    setRunning(false);
  };

  return (
    <Stack space="space.150">
      <Heading as="h3">3. Diagnostics</Heading>
      <Text>
        Diagnostics checks, without changing anything, what only this site and your Microsoft tenant can answer: whether Assets answers the
        app, the schema, the administrator check, the email API, the Microsoft Graph permission, and the page sizes, write rate and clocks
        the last runs met.
      </Text>
      <LoadingButton isLoading={running} onClick={() => void run()}>
        Run diagnostics
      </LoadingButton>
      {error !== null ? <ErrorNotice code={error.code} message={error.message} /> : null}
      {result !== null ? (
        <Stack space="space.100">
          <Text>{`Checked ${formatDateTime(result.checkedAt)}: ${result.summary.pass} passed, ${result.summary.fail} failed, ${result.summary.unknown} unknown.`}</Text>
          <DynamicTable
            label="Diagnostics"
            head={{
              cells: [
                { key: 'check', content: 'Check' },
                { key: 'result', content: 'Result' },
                { key: 'detail', content: 'What was found' },
                { key: 'action', content: 'What to do' },
              ],
            }}
            rows={result.checks.map((check) => ({
              key: check.id,
              cells: [
                { key: 'check', content: check.title },
                { key: 'result', content: <Lozenge appearance={LOZENGE[check.status].appearance}>{LOZENGE[check.status].label}</Lozenge> },
                { key: 'detail', content: check.detail },
                { key: 'action', content: check.action ?? '' },
              ],
            }))}
          />
          <Text>Report for a support ticket (no personal data):</Text>
          <CodeBlock language="text" text={result.report} shouldWrapLongLines showLineNumbers={false} />
        </Stack>
      ) : null}
    </Stack>
  );
}
