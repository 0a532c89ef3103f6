/**
 * The admin page (jira:adminPage, UI Kit). This first version shows the run status and starts a preview or a
 * sync; the full Setup / Preview / Sync / History tabs come with the admin page work.
 */
import ForgeReconciler, { Button, Heading, Inline, SectionMessage, Spinner, Stack, Text } from '@forge/react';
import React, { useEffect, useState } from 'react';
import { api, type StatusView } from './invoke';

function App() {
  const [status, setStatus] = useState<StatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const answer = await api.getStatus();
    if (answer.ok) setStatus(answer.data);
    else setError(answer.error.message);
  };

  useEffect(() => {
    void load();
  }, []);

  const start = async (which: 'preview' | 'sync') => {
    setBusy(true);
    setError(null);
    const answer = which === 'preview' ? await api.startPreview() : await api.startSync();
    if (!answer.ok) setError(answer.error.message);
    await load();
    setBusy(false);
  };

  if (status === null && error === null) return <Spinner label="Loading" />;
  const active = status?.activeRun ?? null;
  return (
    <Stack space="space.200">
      <Heading as="h1">Entra ID Sync</Heading>
      {error !== null && <SectionMessage appearance="error"><Text>{error}</Text></SectionMessage>}
      <Text>{active === null ? 'No run in progress.' : `Run #${active.number} (${active.mode}) is ${active.status}: ${active.progress.label}`}</Text>
      <Inline space="space.100">
        <Button isDisabled={busy || active !== null} onClick={() => void start('preview')}>Generate Preview</Button>
        <Button appearance="primary" isDisabled={busy || active !== null} onClick={() => void start('sync')}>Run Manual Sync</Button>
      </Inline>
    </Stack>
  );
}

ForgeReconciler.render(
  <React.StrictMode>
    <App />
  </React.StrictMode>,
);
