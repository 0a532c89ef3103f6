/**
 * Setup step 1: the "Entra Directory" (ENTRA) schema. Says what state it is in before anything is written (what
 * Create Schema would create or repair, or which schema is in the way and what to do), then creates or repairs it
 * and lists what was done.
 */
import { Heading, Inline, List, ListItem, LoadingButton, SectionMessage, Stack, Text, Button } from '@forge/react';
import React, { useState } from 'react';
import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { useLoad } from './use-load';
import type { SchemaResultView, SchemaStatusView } from './views';

function Items({ items }: { items: readonly string[] }) {
  return (
    <List type="unordered">
      {items.map((item) => (
        <ListItem key={item}>{item}</ListItem>
      ))}
    </List>
  );
}

function StatusMessage({ status }: { status: SchemaStatusView }) {
  switch (status.state) {
    case 'ready':
      return (
        <SectionMessage appearance="success" title="Schema ready">
          <Text>{status.message}</Text>
        </SectionMessage>
      );
    case 'missing':
    case 'needs-repair':
      return (
        <SectionMessage appearance={status.state === 'missing' ? 'information' : 'warning'} title={status.state === 'missing' ? 'Schema not created yet' : 'Schema needs repair'}>
          <Text>{status.message}</Text>
          <Text>{status.state === 'missing' ? 'It will create:' : 'It will create or repair:'}</Text>
          <Items items={status.pending} />
        </SectionMessage>
      );
    case 'conflict':
    case 'unavailable':
      return <ErrorNotice code={status.code} message={status.message} />;
  }
}

function Outcome({ result }: { result: SchemaResultView }) {
  if (result.created.length === 0 && result.repaired.length === 0) {
    return (
      <SectionMessage appearance="success" title="Nothing to change">
        <Text>The schema was already complete.</Text>
      </SectionMessage>
    );
  }
  return (
    <SectionMessage appearance="success" title="Schema created or repaired">
      {result.created.length > 0 ? <Text>Created:</Text> : null}
      {result.created.length > 0 ? <Items items={result.created} /> : null}
      {result.repaired.length > 0 ? <Text>Repaired:</Text> : null}
      {result.repaired.length > 0 ? <Items items={result.repaired} /> : null}
    </SectionMessage>
  );
}

export function SchemaCard({ onChanged }: { onChanged: () => void }) {
  const { loaded, reload } = useLoad(api.getSchemaStatus);
  const [working, setWorking] = useState(false);
  const [result, setResult] = useState<SchemaResultView | null>(null);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);

  const run = async () => {
    setWorking(true);
    setFailure(null);
    setResult(null);
    const answer = await api.createSchema();
    if (answer.ok) setResult(answer.data);
    else setFailure(answer.error);
    await reload();
    setWorking(false);
    onChanged();
  };

  const status = loaded.state === 'ready' ? loaded.data : null;
  const canRun = status !== null && (status.state === 'missing' || status.state === 'needs-repair');
  const reason =
    status === null
      ? null
      : status.state === 'ready'
        ? 'Nothing to do: the schema is complete.'
        : status.state === 'conflict' || status.state === 'unavailable'
          ? 'Fix the problem above in Assets, then check again.'
          : null;
  return (
    <Stack space="space.150">
      <Heading as="h3">1. Create the Entra Directory schema</Heading>
      <Text>
        The app keeps employees in its own Assets schema, "Entra Directory" (key ENTRA), with the object type Employee and its attributes. Create Schema
        makes it, or repairs it when an attribute is missing or was changed by hand. Nothing else in Assets is touched.
      </Text>
      {loaded.state === 'loading' ? <Loading label="Checking the schema in Assets" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {status !== null && result === null ? <StatusMessage status={status} /> : null}
      {result !== null ? <Outcome result={result} /> : null}
      {failure !== null ? <ErrorNotice code={failure.code} message={failure.message} /> : null}
      <Inline space="space.100" alignBlock="center">
        <LoadingButton appearance="primary" isLoading={working} isDisabled={!canRun} onClick={() => void run()}>
          {status?.state === 'needs-repair' ? 'Repair Schema' : 'Create Schema'}
        </LoadingButton>
        <Button appearance="subtle" isDisabled={working} onClick={() => void reload()}>
          Check again
        </Button>
      </Inline>
      {reason !== null && !working ? <Text>{reason}</Text> : null}
    </Stack>
  );
}
