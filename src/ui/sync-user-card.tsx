/**
 * Sync tab: "Sync one user". The admin names one person (an Atlassian account id, an email or an Entra object id),
 * the backend reads, decides and writes that one Employee object (src/services/single-user-sync.ts), and the card
 * shows every step with its result and every attribute old -> new. The text field is uncontrolled (defaultValue),
 * as in the other sections, so keys typed during a bridge round trip are kept.
 */
import { Heading, Inline, Label, LoadingButton, Lozenge, Select, Stack, Text, Textfield } from '@forge/react';
import React, { useRef, useState } from 'react';

import { api } from './invoke';
import { ErrorNotice } from './notices';
import type { SyncUserView } from './views';

const KINDS = [
  { label: 'Atlassian account ID', value: 'accountId' },
  { label: 'Email', value: 'email' },
  { label: 'Entra object ID', value: 'entraId' },
] as const;
type Kind = (typeof KINDS)[number]['value'];

const STEP_LABELS: Readonly<Record<string, string>> = {
  entra: 'Found in Entra ID',
  scope: 'In scope',
  match: 'Matched',
  account: 'Atlassian account',
  employee: 'Employee object',
  attributes: 'Attributes',
  manager: 'Manager',
  groups: 'Groups',
  write: 'Write',
};
const STATUS_APPEARANCE = { ok: 'success', warning: 'moved', failed: 'removed', skipped: 'default' } as const;

/** "Label: detail", unless the backend's detail already starts with the label ("Matched by mail.", "Manager: ENTRA-11."). */
function stepLine(step: string, detail: string): string {
  const label = STEP_LABELS[step] ?? step;
  return detail.toLowerCase().startsWith(label.toLowerCase()) ? detail : `${label}: ${detail}`;
}

function chosenValue(option: unknown): unknown {
  if (typeof option === 'object' && option !== null && 'value' in option) return option.value;
  return option;
}

export function SyncUserCard({ disabledReason, onDone }: { disabledReason: string | null; onDone: () => void }) {
  const [kind, setKind] = useState<Kind>('accountId');
  const [value, setValue] = useState('');
  // The click reads the choice and the text as last changed, not the last render's copy: a click can reach the page
  // before the render that follows the last key typed (the lost-last-key race of the Setup tab's sections).
  const latest = useRef<{ kind: Kind; value: string }>({ kind, value });
  const [working, setWorking] = useState(false);
  const [result, setResult] = useState<SyncUserView | null>(null);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);

  const run = async () => {
    setWorking(true);
    setFailure(null);
    const who = latest.current.value.trim();
    const chosen = latest.current.kind;
    const answer = await api.syncUser(chosen === 'accountId' ? { accountId: who } : chosen === 'email' ? { email: who } : { entraId: who });
    setWorking(false);
    if (answer.ok) {
      setResult(answer.data);
      onDone();
    } else {
      setResult(null);
      setFailure(answer.error);
    }
  };

  return (
    <Stack space="space.100">
      <Heading as="h3">Sync one user</Heading>
      <Text>
        Reads one person from Entra ID and Jira and writes their Employee object now, with the same rules as a full sync. It writes nothing
        else and never deletes.
      </Text>
      <Label labelFor="sync-user-kind">Find the person by</Label>
      <Select
        id="sync-user-kind"
        name="syncUserKind"
        options={[...KINDS]}
        value={KINDS.find((option) => option.value === kind)}
        onChange={(option: unknown) => {
          const next = KINDS.find((o) => o.value === chosenValue(option))?.value;
          if (next === undefined) return;
          latest.current = { ...latest.current, kind: next };
          setKind(next);
        }}
      />
      <Label labelFor="sync-user-value">{KINDS.find((option) => option.value === kind)?.label ?? 'Value'}</Label>
      <Textfield
        id="sync-user-value"
        name="syncUserValue"
        defaultValue=""
        onChange={(event: { target: { value?: unknown } }) => {
          const typed = typeof event.target.value === 'string' ? event.target.value : '';
          latest.current = { ...latest.current, value: typed };
          setValue(typed);
        }}
      />
      <Inline>
        <LoadingButton isLoading={working} isDisabled={disabledReason !== null || value.trim() === ''} onClick={() => void run()}>
          Sync this user
        </LoadingButton>
      </Inline>
      {disabledReason !== null ? <Text>{disabledReason}</Text> : null}
      {failure !== null ? <ErrorNotice code={failure.code} message={failure.message} /> : null}
      {result !== null ? (
        <Stack space="space.050">
          <Text>{`Single-user run #${result.runNumber}: ${result.written ? `${result.outcome} ${result.objectKey ?? ''}` : result.outcome === 'failed' ? 'nothing written' : 'nothing to write'}.`}</Text>
          {result.steps.map((step) => (
            <Inline key={step.step} space="space.100">
              <Lozenge appearance={STATUS_APPEARANCE[step.status]}>{step.status}</Lozenge>
              <Text>{stepLine(step.step, step.detail)}</Text>
            </Inline>
          ))}
          {result.error !== null ? <ErrorNotice code={result.error.code} message={result.error.message} /> : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
