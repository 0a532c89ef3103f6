/**
 * Queue messages outlive deploys: a consumer that receives a message of an old or unknown version (or garbage)
 * drops it with a log line, and ends the run it names with a reason the admin can act on; it never crashes and is
 * never retried for 24 hours.
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { type Emulator, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from './cli-harness';

jest.setTimeout(60_000);

type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

describe('queue messages of an old or unknown shape', () => {
  let em: Emulator;
  let dir: string;
  beforeEach(async () => {
    dir = tempStateDir('messages');
    em = await startEmulator({ users: 30, seed: 4, notice: () => undefined, stateDir: dir });
    const saved = (await em.invoke('saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SIMULATED_TENANT.clientSecret,
      intervalDays: 1,
    })) as Answer;
    expect(saved.ok).toBe(true);
    expect(((await em.invoke('createSchema')) as Answer).ok).toBe(true);
    await em.drain();
  });
  afterEach(async () => {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the named run failed with QUEUE_MESSAGE_INVALID and drops the message', async () => {
    const started = (await em.invoke('startSync')) as Answer;
    if (!started.ok) throw new Error(started.error.message);
    const runId = started.data['runId'] as string;
    // The run must still be running when the bad message comes: Jira asks the first stage to come back in ten minutes
    // (without it, the first invocation runs every stage inline and the run has succeeded by then).
    em.simulation!.jira.failNext({ path: '/rest/api/3/users/search', status: 429, headers: { 'Retry-After': '600' }, times: 10 });
    // Loaded after the emulator installed the Forge runtime, as app code is.
    const { Queue } = await import('@forge/events');
    await new Queue({ key: 'sync-plan' }).push({ body: { v: 99, runId, stage: 'plan', seq: 0, users: ['x'] } });
    await em.drain();
    const run = (await em.invoke('getRun', { runId })) as Answer;
    expect(run.ok && run.data['status']).toBe('failed');
    expect(run.ok && run.data['error']).toMatchObject({
      code: 'QUEUE_MESSAGE_INVALID',
      message: expect.stringContaining('Start the run again'),
    });
    expect(em.pendingEvents()).toBe(0);
    expect(em.logs.some((l) => JSON.stringify(l).includes('queue.message-rejected'))).toBe(true);
  });

  it('drops garbage without a run id and leaves a running run alone', async () => {
    const { Queue } = await import('@forge/events');
    await new Queue({ key: 'sync-finish' }).push({ body: { hello: 'world' } });
    const started = (await em.invoke('startPreview')) as Answer;
    if (!started.ok) throw new Error(started.error.message);
    await em.drain();
    const run = (await em.invoke('getRun', { runId: started.data['runId'] })) as Answer;
    expect(run.ok && run.data['status']).toBe('succeeded');
    expect(em.pendingEvents()).toBe(0);
  });
});
