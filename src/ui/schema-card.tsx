/**
 * Setup step 1: the "Entra Directory" (ENTRA) schema. Says what state it is in before anything is written (what
 * Create Schema would create or repair, or which schema is in the way and what to do), then creates or repairs it
 * and lists what was done.
 *
 * Create Schema runs as a queued job (src/services/schema-job.ts): the click starts it (or joins the one running,
 * e.g. from another tab) and the card polls getSchemaJob every few seconds while it runs, listing the steps as they
 * complete, then shows the result or the error. A page opened while a job runs picks it up and follows it too.
 */
import { Button, Heading, Inline, List, ListItem, LoadingButton, SectionMessage, Stack, Text } from '@forge/react';
import React, { useCallback, useEffect, useRef, useState } from 'react';

import { api } from './invoke';
import { ErrorNotice, Loading } from './notices';
import { POLL_INTERVAL_MS } from './page-config';
import { useLoad } from './use-load';
import type { SchemaJobView, SchemaResultView, SchemaStatusView } from './views';

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
        <SectionMessage
          appearance={status.state === 'missing' ? 'information' : 'warning'}
          title={status.state === 'missing' ? 'Schema not created yet' : 'Schema needs repair'}
        >
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

const isActive = (job: SchemaJobView) => job.status === 'queued' || job.status === 'running';

function JobProgress({ job }: { job: SchemaJobView }) {
  return (
    <SectionMessage appearance="information" title="Creating the schema">
      <Text>{job.steps.length === 0 ? 'Waiting to start...' : `Done so far (${job.steps.length}):`}</Text>
      {job.steps.length > 0 ? <Items items={job.steps.map((step) => step.label)} /> : null}
      <Loading label="Working in Assets; this page updates as each step completes" />
    </SectionMessage>
  );
}

/** The Create Schema job: started or joined by a click, or found running when the page opens; polled while it runs. */
function useSchemaJob(onEnded: () => Promise<void>) {
  const [job, setJob] = useState<SchemaJobView | null>(null);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);
  const mounted = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onEndedRef = useRef(onEnded);
  onEndedRef.current = onEnded;

  const follow = useCallback((next: SchemaJobView) => {
    setJob(next);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    if (isActive(next)) {
      timer.current = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    } else {
      void onEndedRef.current();
    }
    async function poll() {
      const answer = await api.getSchemaJob();
      if (!mounted.current) return;
      if (!answer.ok) {
        // A failed poll (e.g. the network) is tried again; the job goes on in the background either way.
        timer.current = setTimeout(() => void poll(), POLL_INTERVAL_MS);
        return;
      }
      if (answer.data === null || answer.data.jobId !== next.jobId) return;
      follow(answer.data);
    }
  }, []);

  useEffect(() => {
    mounted.current = true;
    void api.getSchemaJob().then((answer) => {
      if (mounted.current && answer.ok && answer.data !== null && isActive(answer.data)) follow(answer.data);
    });
    return () => {
      mounted.current = false;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [follow]);

  const start = async () => {
    setFailure(null);
    const answer = await api.createSchema();
    if (!mounted.current) return;
    if (answer.ok) follow(answer.data);
    else setFailure(answer.error);
  };
  return { job, failure, start };
}

export function SchemaCard({ onChanged }: { onChanged: () => void }) {
  const { loaded, reload } = useLoad(api.getSchemaStatus);
  const [starting, setStarting] = useState(false);
  const {
    job,
    failure: startFailure,
    start,
  } = useSchemaJob(async () => {
    await reload();
    onChanged();
  });
  const running = job !== null && isActive(job);
  const working = starting || running;
  const result: SchemaResultView | null = job?.status === 'succeeded' ? job.result : null;
  const failure = startFailure ?? (job?.status === 'failed' ? job.error : null);

  const run = async () => {
    setStarting(true);
    await start();
    setStarting(false);
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
        The app keeps employees in its own Assets schema, "Entra Directory" (key ENTRA), with the object type Employee and its attributes.
        Create Schema makes it, or repairs it when an attribute is missing or was changed by hand. Nothing else in Assets is touched.
      </Text>
      {loaded.state === 'loading' ? <Loading label="Checking the schema in Assets" /> : null}
      {loaded.state === 'error' ? <ErrorNotice message={loaded.message} /> : null}
      {status !== null && result === null && !running ? <StatusMessage status={status} /> : null}
      {running ? <JobProgress job={job} /> : null}
      {result !== null ? <Outcome result={result} /> : null}
      {failure !== null ? <ErrorNotice code={failure.code} message={failure.message} /> : null}
      {job !== null && job.status === 'failed' && job.steps.length > 0 ? (
        <Text>{`Steps completed before it stopped: ${job.steps.map((s) => s.label).join('; ')}.`}</Text>
      ) : null}
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
