/**
 * The queue-consumer boundary (issue 18, point 3): the stage consumers of src/functions/consumers.ts, built through
 * src/functions/boundary/queue-boundary.ts with the pipeline harness's dependencies instead of Forge's (the real
 * step runner, stages and clients against the fake tenant and site; no module mocks). A message of an old or
 * unknown shape, or one for another stage, is dropped and the run it names ends failed with QUEUE_MESSAGE_INVALID;
 * "retry later" (Graph 429 with a long Retry-After, Microsoft Graph throttling guidance:
 * https://learn.microsoft.com/en-us/graph/throttling) comes back as Forge's InvocationError with that retryAfter.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';

import { queueConsumer } from '../../../src/functions/boundary/queue-boundary';
import { schemaJobEntry, stageEntry } from '../../../src/functions/consumers';
import type { AppDeps } from '../../../src/functions/wiring';
import type { StageMessage } from '../../../src/pipeline/messages';
import { startRun } from '../../../src/pipeline/run-control';
import { loadRun } from '../../../src/pipeline/run-store';
import { type Harness, startHarness } from '../../support/pipeline-harness';

describe('queue consumer boundary', () => {
  let h: Harness;
  let built: number;
  const depsPerInvocation = () => {
    built++;
    return h.deps;
  };
  beforeEach(async () => {
    built = 0;
    // Each consumer call runs its one step (no inline steps): the tests drive the stages one event at a time.
    h = await startHarness({ users: 30, seed: 18, config: { inlineNextStage: false } });
  });
  afterEach(async () => {
    await h.close();
  });

  async function startSync(): Promise<StageMessage> {
    const run = await startRun(h.deps, { mode: 'sync', trigger: 'manual', startedBy: '5b10ac8d82e05b22cc7d4ef5' });
    const first = h.driver.take();
    expect(first?.message).toEqual({ v: 1, runId: run.runId, stage: 'entraDirectory', seq: 0 });
    return first!.message;
  }

  it('drops a message of an unknown version and ends the run it names failed with QUEUE_MESSAGE_INVALID', async () => {
    const { runId } = await startSync();
    const plan = queueConsumer(stageEntry('plan'), depsPerInvocation);
    const answer = await plan({ body: { v: 99, runId, stage: 'plan', seq: 0, users: ['x'] }, retryContext: { retryCount: 0 } });
    expect(answer).toBeUndefined();
    expect(built).toBe(1);
    const run = await loadRun(h.deps, runId);
    expect(run).toMatchObject({
      status: 'failed',
      error: { code: 'QUEUE_MESSAGE_INVALID', message: expect.stringContaining('Start the run again') },
    });
    expect(h.logs.filter((l) => l.event === 'queue.message-rejected').map((l) => l.fields)).toEqual([
      { stage: 'plan', version: 99, hasRunId: true },
    ]);
    expect(h.driver.take()).toBeNull();
  });

  it('treats a valid message for another stage as invalid, and leaves a run alone when garbage names none', async () => {
    const message = await startSync();
    const finish = queueConsumer(stageEntry('finish'), depsPerInvocation);
    expect(await finish({ body: { hello: 'world' } })).toBeUndefined();
    expect((await loadRun(h.deps, message.runId))!.status).toBe('queued');

    expect(await finish({ body: message })).toBeUndefined();
    expect((await loadRun(h.deps, message.runId))!.error).toMatchObject({ code: 'QUEUE_MESSAGE_INVALID' });
    expect(h.logs.filter((l) => l.event === 'queue.message-rejected').map((l) => l.fields)).toEqual([
      { stage: 'finish', version: null, hasRunId: false },
      { stage: 'finish', version: 1, hasRunId: true },
    ]);
  });

  it('drops an invalid Create Schema job message without touching the run it might name', async () => {
    const { runId } = await startSync();
    const appDeps: AppDeps = {
      ...h.deps,
      connectionDeps: h.connectionDeps,
      userJiraFetch: h.connectionDeps.jiraFetch,
      // The admin page's and the privacy trigger's Forge pieces (src/functions/wiring.ts); a queue consumer uses neither.
      schemaJobQueue: async () => {
        throw new Error('a queue consumer pushes no Create Schema job');
      },
      privacy: { report: async () => [] },
    };
    const schemaJob = queueConsumer(schemaJobEntry, () => appDeps);
    expect(await schemaJob({ body: { v: 2, jobId: 'job-00000001', runId } })).toBeUndefined();
    expect((await loadRun(h.deps, runId))!.status).toBe('queued');
    expect(h.logs.filter((l) => l.event === 'queue.message-rejected').map((l) => l.fields)).toEqual([
      { stage: 'schemaJob', hasRunId: false },
    ]);
  });

  it('runs a step and answers "retry later" as an InvocationError with retryAfter', async () => {
    const first = await startSync();
    // Longer than the client waits in-process (5 s): handed back as "retry later" with Graph's Retry-After.
    h.sim.entra.failNext({ path: '/v1.0/users/delta', status: 429, headers: { 'Retry-After': '120' }, times: 1 });
    const answer = await queueConsumer(stageEntry('entraDirectory'), depsPerInvocation)({ body: first, retryContext: { retryCount: 0 } });
    // InvocationError's constructor returns its wire form, {_retry, retryOptions}, which Forge reads.
    expect(answer).toEqual({ _retry: true, retryOptions: { retryAfter: 120, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST } });
    expect(answer).toEqual(new InvocationError({ retryAfter: 120, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST }));
    expect(built).toBe(1);
    // Redelivered after the wait, the step completes its stage and pushes the next one.
    h.clock.advance(120_000);
    expect(
      await queueConsumer(stageEntry('entraDirectory'), depsPerInvocation)({ body: first, retryContext: { retryCount: 1 } }),
    ).toBeUndefined();
    expect(h.driver.take()?.message).toEqual({ v: 1, runId: first.runId, stage: 'entraGroups', seq: 0 });
    expect(built).toBe(2);
    const run = await loadRun(h.deps, first.runId);
    expect(run).toMatchObject({ status: 'running', retries: { later: 1 } });
    expect(h.logs.find((l) => l.event === 'step.retry-later')?.fields).toMatchObject({
      stage: 'entraDirectory',
      code: 'GRAPH_THROTTLED',
      retryAfterSeconds: 120,
    });
  });
});
