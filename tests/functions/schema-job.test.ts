/**
 * Create Schema as a queued job (src/services/schema-job.ts) on the emulator: the real createSchema and getSchemaJob
 * resolvers, the real schema-job consumer from manifest.yml, the built-in simulated site. The resolver answers at
 * once without touching the schema; the job completes through queue delivery with its steps in order; a second
 * click joins the running job; a job whose invocations are cut off by their time limit resumes and completes; no
 * sync can start while the job runs, and the job does not start while a sync runs.
 */
import { rmSync } from 'node:fs';

import { type Emulator, type EmulatorOptions, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from '../sandbox/cli-harness';
import { call, data, saveBuiltInSettings } from '../sandbox/emulator-calls';

jest.setTimeout(120_000);

interface Job {
  jobId: string;
  status: string;
  steps: { label: string }[];
  result: { created: string[]; repaired: string[] } | null;
  error: { code: string; message: string } | null;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const stateDir = tempStateDir('schema-job');
  dirs.push(stateDir);
  const em = await startEmulator({ users: 20, seed: 4, notice: () => undefined, ...options, stateDir });
  await saveBuiltInSettings(em);
  return em;
}

const job = async (em: Emulator) => (await data(em, 'getSchemaJob')) as unknown as Job;
const schemaCreates = (em: Emulator) =>
  em.simulation!.jira.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/objectschema/create')).length;

describe('Create Schema as a queued job', () => {
  let em: Emulator | null = null;
  afterEach(async () => {
    await em?.close();
    em = null;
  });

  it('answers at once with a queued job, then creates the schema through queue delivery, recording each step in order', async () => {
    em = await start();
    const started = (await data(em, 'createSchema')) as unknown as Job;
    expect(started).toMatchObject({ status: 'queued', steps: [], result: null, error: null });
    // The resolver wrote nothing to Assets: the work is the consumer's.
    expect(schemaCreates(em)).toBe(0);
    expect(em.pendingEvents()).toBe(1);

    // Follow the job as the page does: a poll before each delivery sees the steps grow, never shrink.
    const seen: number[] = [];
    await em.drain({ until: async () => (seen.push((await job(em!)).steps.length), false) });
    const done = await job(em);
    expect(done.jobId).toBe(started.jobId);
    expect(done.status).toBe('succeeded');
    expect(done.error).toBeNull();
    expect(schemaCreates(em)).toBe(1);
    const labels = done.steps.map((s) => s.label);
    expect(labels.slice(0, 4)).toEqual([
      'Find the Assets workspace',
      'Read the ENTRA schema as it is in Assets',
      'Create schema "Entra Directory" (key ENTRA)',
      'Create object type "Employee"',
    ]);
    expect(labels[labels.length - 1]).toBe('Check the result');
    expect(labels.filter((l) => l.startsWith('Create attribute')).length).toBeGreaterThan(5);
    expect(done.result!.created.length).toBeGreaterThan(5);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // The layout is saved as before: the schema reads as ready and a sync can run.
    expect(await data(em, 'getSchemaStatus')).toMatchObject({ state: 'ready' });
    const run = await data(em, 'startSync');
    await em.drain();
    expect(await data(em, 'getRun', { runId: run['runId'] })).toMatchObject({ status: 'succeeded' });
  });

  it('a second click while the job runs joins it: same job id, one schema, one job event', async () => {
    em = await start();
    const first = (await data(em, 'createSchema')) as unknown as Job;
    const second = (await data(em, 'createSchema')) as unknown as Job;
    expect(second.jobId).toBe(first.jobId);
    expect(em.pendingEvents()).toBe(1);
    const stats = await em.drain();
    expect(stats.succeeded).toBe(1);
    expect(schemaCreates(em)).toBe(1);
    expect(await job(em)).toMatchObject({ jobId: first.jobId, status: 'succeeded' });
    // After the job ended, a click starts a new job, which finds nothing to do.
    const again = (await data(em, 'createSchema')) as unknown as Job;
    expect(again.jobId).not.toBe(first.jobId);
    await em.drain();
    expect(await job(em)).toMatchObject({ jobId: again.jobId, status: 'succeeded', result: { created: [], repaired: [] } });
  });

  it('resumes after invocations are stopped at their time limit and completes, each step recorded once', async () => {
    // 120 s x 0.004 = 0.48 s per invocation, 60 ms per Assets call: every invocation is cut off after a few steps.
    em = await start({ timeFactor: 0.004, simulation: { jira: { latencyMs: 60 } } });
    await data(em, 'createSchema');
    const stats = await em.drain();
    expect(stats.timedOut).toBeGreaterThan(0);
    const done = await job(em);
    expect(done.status).toBe('succeeded');
    const labels = done.steps.map((s) => s.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.some((l) => l.startsWith('Continue after an interruption'))).toBe(true);
    expect(labels[labels.length - 1]).toBe('Check the result');
    expect(schemaCreates(em)).toBe(1);
    // The result adds up every attempt's changes, not only the last attempt's.
    expect(done.result!.created).toEqual(expect.arrayContaining(['schema "Entra Directory" (key ENTRA)', 'object type "Employee"']));
    expect(await data(em, 'getSchemaStatus')).toMatchObject({ state: 'ready' });
  });

  it('holds off syncs while it runs, and does not start while a sync runs', async () => {
    em = await start();
    await data(em, 'createSchema');
    const refused = await call(em, 'startSync');
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'RUN_ALREADY_ACTIVE', message: expect.stringContaining('Create Schema is still running') },
    });
    await em.drain();
    const run = await data(em, 'startSync');
    const blocked = await call(em, 'createSchema');
    expect(blocked).toMatchObject({
      ok: false,
      error: {
        code: 'RUN_ALREADY_ACTIVE',
        message: expect.stringContaining('Create Schema must not change the schema while a run uses it'),
      },
    });
    await em.drain();
    expect(await data(em, 'getRun', { runId: run['runId'] })).toMatchObject({ status: 'succeeded' });
  });
});
