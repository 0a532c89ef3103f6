/**
 * Create Schema as a queued job with progress. Creating the ENTRA schema takes about 20 sequential Assets calls,
 * too many for a resolver, which Forge stops after 25 seconds (https://developer.atlassian.com/platform/forge/limits-invocation:
 * "Runtime seconds ... 25"). So the createSchema resolver only starts the job (or joins the one running) and
 * answers its state at once; a queue consumer (manifest.yml: schema-job-consumer) does the work and records each
 * step in the job record as it completes; the page polls getSchemaJob until the job ends.
 *
 * - One job at a time, and never while a sync run writes: the job holds the app's one-run lock (keys.runLock(), a
 *   lease held as `schema-job-<jobId>`), so startRun refuses while the job runs and the job refuses to start while a
 *   run holds it. A second click while the job runs joins it: same job id, nothing new started.
 * - Resumable: Forge delivers the event again after an invocation is stopped (time-out, crash) or asks for a retry,
 *   and ensureSchema is idempotent (it re-reads what exists and does only what is still missing). Steps already
 *   recorded are not recorded twice. A per-invocation lease keeps two deliveries of the event from working at once.
 * - On success the layout is saved (saveLayout) exactly as the old in-resolver Create Schema did.
 */
import { z } from 'zod';

import type { SchemaEnsureResult } from '../clients/assets/schema-layout';
import { AppError, toAppError } from '../domain/errors';
import { keys } from '../pipeline/keys';
import { saveLayout } from '../pipeline/layout-store';
import { acquireLease, readLease, releaseLease, renewLease } from '../pipeline/lease';
import type { Clock, KeyValueStore, Logger } from '../pipeline/ports';
import { SCHEMA_JOB_HOLDER_PREFIX } from '../pipeline/run-control';
import type { SchemaJobMessage, SchemaJobQueue } from '../pipeline/schema-job-queue';

/** How long the job holds the run lock without a sign of life (renewed at every step). */
export const SCHEMA_JOB_LEASE_MS = 15 * 60 * 1000;
/** The lease of the invocation working on the job: a little over the consumer's 120 s limit (manifest.yml). */
export const SCHEMA_JOB_WORK_LEASE_MS = 150 * 1000;
/** Retries of a retryable error (Assets throttling, 5xx, storage) before the job gives up. */
export const SCHEMA_JOB_MAX_ATTEMPTS = 6;
/** Continuations after Forge's per-invocation request limit (FORGE_FETCH_LIMIT) before the job gives up. */
export const SCHEMA_JOB_MAX_FETCH_LIMIT_RESUMES = 10;
/** Kept for the page after the job ends. */
const JOB_TTL_SECONDS = 30 * 24 * 60 * 60;

const publicErrorSchema = z.object({ code: z.string(), message: z.string() });

export const schemaJobStepSchema = z.object({ label: z.string(), at: z.string() });
export const schemaJobStateSchema = z.object({
  v: z.literal(1),
  jobId: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  steps: z.array(schemaJobStepSchema),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  attempts: z.number().int().min(0),
  fetchLimitResumes: z.number().int().min(0),
  result: z.object({ created: z.array(z.string()), repaired: z.array(z.string()) }).nullable(),
  /**
   * The create or repair being sent: an attempt stopped after Assets applied it but before it was recorded leaves it
   * here, and it counts in the result once the schema is complete. Absent in jobs stored before it existed.
   */
  pending: z.array(z.object({ kind: z.enum(['created', 'repaired']), item: z.string() })).default([]),
  error: publicErrorSchema.nullable(),
});
export type SchemaJobState = z.infer<typeof schemaJobStateSchema>;

export interface SchemaJobDeps {
  readonly store: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
}

export type StepChange = { readonly kind: 'created' | 'repaired'; readonly item: string };
export type EnsureSchema = (
  onStep: (step: string, change?: StepChange) => Promise<void>,
  beforeChange: (change: StepChange) => Promise<void>,
) => Promise<SchemaEnsureResult>;

export function isJobActive(job: SchemaJobState): boolean {
  return job.status === 'queued' || job.status === 'running';
}

const holderOf = (jobId: string) => `${SCHEMA_JOB_HOLDER_PREFIX}${jobId}`;
const iso = (ms: number) => new Date(ms).toISOString();

export async function readSchemaJob(store: KeyValueStore): Promise<SchemaJobState | null> {
  const parsed = schemaJobStateSchema.safeParse(await store.get(keys.schemaJob()));
  return parsed.success ? parsed.data : null;
}

async function saveJob(deps: SchemaJobDeps, job: SchemaJobState): Promise<SchemaJobState> {
  const saved = { ...job, updatedAt: iso(deps.clock.now()) };
  await deps.store.set(keys.schemaJob(), saved, { ttlSeconds: JOB_TTL_SECONDS });
  return saved;
}

/** True while the job is active and still holds the run lock (a job whose lease ran out is dead: start a new one). */
async function isAlive(deps: SchemaJobDeps, job: SchemaJobState): Promise<boolean> {
  if (!isJobActive(job)) return false;
  const lock = await readLease(deps.store, keys.runLock());
  return lock !== null && lock.holder === holderOf(job.jobId) && lock.expiresAt > deps.clock.now();
}

/** The job as the page sees it: a job whose lease ran out without ending is shown as failed. */
export async function getSchemaJob(deps: SchemaJobDeps): Promise<SchemaJobState | null> {
  const job = await readSchemaJob(deps.store);
  if (job === null || !isJobActive(job) || (await isAlive(deps, job))) return job;
  return { ...job, status: 'failed', error: stoppedError() };
}

function stoppedError() {
  return {
    code: 'SCHEMA_JOB_FAILED',
    message:
      'Create Schema stopped without finishing (it made no progress for 15 minutes). Click Create Schema again: it continues from what already exists in Assets.',
  };
}

/**
 * The createSchema resolver: joins the running job, or starts a new one. Refuses (RUN_ALREADY_ACTIVE) while a sync
 * or preview holds the run lock.
 */
export async function startSchemaJob(deps: SchemaJobDeps, enqueue: SchemaJobQueue): Promise<SchemaJobState> {
  const existing = await readSchemaJob(deps.store);
  if (existing !== null && (await isAlive(deps, existing))) {
    deps.logger.info('schema-job.joined', { jobId: existing.jobId });
    return existing;
  }

  const now = deps.clock.now();
  const jobId = deps
    .newId()
    .replace(/[^A-Za-z0-9-]/g, '')
    .slice(0, 36);
  const lock = await acquireLease(deps.store, keys.runLock(), holderOf(jobId), SCHEMA_JOB_LEASE_MS, now);
  if (!lock.acquired) {
    if (lock.holder.startsWith(SCHEMA_JOB_HOLDER_PREFIX)) {
      // Another click started a job between our read and our claim: join it.
      const other = await readSchemaJob(deps.store);
      if (other !== null && holderOf(other.jobId) === lock.holder) return other;
      return newJob(lock.holder.slice(SCHEMA_JOB_HOLDER_PREFIX.length), now);
    }
    throw new AppError(
      'RUN_ALREADY_ACTIVE',
      'A sync or preview is in progress (or waiting for confirmation), and Create Schema must not change the schema while a run uses it. ' +
        'Wait for the run to end, or confirm or cancel it on the Sync tab, then click Create Schema again.',
      { context: { activeRunId: lock.holder } },
    );
  }

  const job = await saveJob(deps, newJob(jobId, now));
  try {
    await enqueue({ v: 1, jobId });
  } catch (error) {
    const failure = toAppError(error);
    await saveJob(deps, { ...job, status: 'failed', finishedAt: iso(deps.clock.now()), error: failure.toPublic() });
    await releaseLease(deps.store, keys.runLock(), holderOf(jobId));
    throw failure;
  }
  deps.logger.info('schema-job.started', { jobId });
  return job;
}

function newJob(jobId: string, now: number): SchemaJobState {
  return {
    v: 1,
    jobId,
    status: 'queued',
    steps: [],
    startedAt: iso(now),
    updatedAt: iso(now),
    finishedAt: null,
    attempts: 0,
    fetchLimitResumes: 0,
    result: null,
    pending: [],
    error: null,
  };
}

export type SchemaJobOutcome =
  | { readonly kind: 'done'; readonly note: string }
  | { readonly kind: 'retry-later'; readonly seconds: number; readonly reason: string };

/** The consumer's work: one delivery of the job's event. */
export async function runSchemaJob(
  deps: SchemaJobDeps,
  message: SchemaJobMessage,
  ensureSchema: EnsureSchema,
  retryCount: number,
): Promise<SchemaJobOutcome> {
  const { jobId } = message;
  let job = await readSchemaJob(deps.store);
  if (job === null || job.jobId !== jobId) return { kind: 'done', note: 'job replaced or expired' };
  if (!isJobActive(job)) return { kind: 'done', note: `job already ${job.status}` };

  const workKey = keys.schemaJobLease();
  const worker = `${jobId}.${deps.newId()}`;
  const work = await acquireLease(deps.store, workKey, worker, SCHEMA_JOB_WORK_LEASE_MS, deps.clock.now());
  if (!work.acquired) {
    const seconds = Math.min(900, Math.max(5, Math.ceil((work.expiresAt - deps.clock.now()) / 1000)));
    return { kind: 'retry-later', seconds, reason: 'another invocation is working on the schema job' };
  }
  try {
    job = (await readSchemaJob(deps.store)) ?? job;
    if (job.jobId !== jobId || !isJobActive(job)) return { kind: 'done', note: 'job ended meanwhile' };
    // The job must still hold the run lock (a sync may have taken it after the job's lease ran out).
    if (!(await renewLease(deps.store, keys.runLock(), holderOf(jobId), SCHEMA_JOB_LEASE_MS, deps.clock.now()))) {
      await finish(deps, job, {
        code: 'RUN_ALREADY_ACTIVE',
        message:
          'A sync started while Create Schema was waiting to continue, so the schema was left as it was. Click Create Schema again when the run has ended.',
      });
      return { kind: 'done', note: 'run lock lost' };
    }
    job = await saveJob(deps, { ...job, status: 'running', attempts: job.attempts + 1 });

    const onStep = async (label: string, change?: StepChange) => {
      const current: SchemaJobState = job!;
      if (current.steps.some((s) => s.label === label)) return;
      // What was created or repaired is kept as it happens: an interrupted attempt's changes still count in the result.
      // Changes still pending from an earlier attempt were applied by it when this one goes on past them (the actions
      // come in the same order every attempt), so they are counted first, in the order they happened.
      const settled = change === undefined ? [] : [...current.pending.filter((p) => p.item !== change.item), change];
      const result = settled.reduce((sum, item) => merge(sum, asResult(item)), current.result);
      job = await saveJob(deps, {
        ...current,
        result,
        pending: change === undefined ? current.pending : [],
        steps: [...current.steps, { label, at: iso(deps.clock.now()) }],
      });
      await renewLease(deps.store, keys.runLock(), holderOf(jobId), SCHEMA_JOB_LEASE_MS, deps.clock.now());
      await renewLease(deps.store, workKey, worker, SCHEMA_JOB_WORK_LEASE_MS, deps.clock.now());
    };
    // A step interrupted after Assets applied it is not listed (the re-read finds it done); say that it resumed.
    if (job.attempts > 1) await onStep(`Continue after an interruption (attempt ${job.attempts})`);

    let result: SchemaEnsureResult;
    try {
      // An earlier attempt's unrecorded change stays pending: this one may find it applied and not do it again.
      const beforeChange = async (change: StepChange) => {
        if (job!.pending.some((p) => p.item === change.item)) return;
        job = await saveJob(deps, { ...job!, pending: [...job!.pending, change] });
      };
      result = await ensureSchema(onStep, beforeChange);
      await saveLayout(deps.store, result.layout, deps.clock.now());
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === 'FORGE_FETCH_LIMIT' && job.fetchLimitResumes < SCHEMA_JOB_MAX_FETCH_LIMIT_RESUMES) {
        // Forge's per-invocation request limit: continue in a new invocation at once (not an attempt).
        job = await saveJob(deps, { ...job, attempts: job.attempts - 1, fetchLimitResumes: job.fetchLimitResumes + 1 });
        deps.logger.info('schema-job.fetch-limit', { jobId, resumes: job.fetchLimitResumes });
        return { kind: 'retry-later', seconds: 1, reason: error.code };
      }
      if (error.retry !== 'permanent' && error.code !== 'FORGE_FETCH_LIMIT' && job.attempts < SCHEMA_JOB_MAX_ATTEMPTS) {
        // At most 10 minutes, well inside the job's 15-minute lease on the run lock.
        const seconds =
          error.retry === 'later'
            ? Math.min(600, Math.max(1, error.retryAfterSeconds ?? 60))
            : Math.min(600, 10 * 2 ** Math.min(retryCount, 5));
        deps.logger.warn('schema-job.retry', { jobId, code: error.code, retryAfterSeconds: seconds, attempts: job.attempts });
        return { kind: 'retry-later', seconds, reason: error.code };
      }
      deps.logger.error('schema-job.failed', { jobId, code: error.code, attempts: job.attempts });
      await finish(deps, job, error.toPublic());
      return { kind: 'done', note: `failed: ${error.code}` };
    }
    // The schema is complete, so a change an interrupted attempt sent without recording it was applied.
    const interrupted = job.pending.reduce((sum, change) => merge(sum, asResult(change)), job.result);
    await finish(deps, job, null, merge(interrupted, { created: result.created, repaired: result.repaired }));
    deps.logger.info('schema-job.succeeded', {
      jobId,
      created: result.created.length,
      repaired: result.repaired.length,
      steps: job.steps.length,
    });
    return { kind: 'done', note: 'succeeded' };
  } finally {
    await releaseLease(deps.store, workKey, worker).catch(() => undefined);
  }
}

function asResult(change: StepChange): { created: string[]; repaired: string[] } {
  return { created: change.kind === 'created' ? [change.item] : [], repaired: change.kind === 'repaired' ? [change.item] : [] };
}

/** Union of two results, in the order things happened, each item once. */
function merge(
  a: SchemaJobState['result'],
  b: { created: readonly string[]; repaired: readonly string[] },
): NonNullable<SchemaJobState['result']> {
  const union = (x: readonly string[], y: readonly string[]) => [...new Set([...x, ...y])];
  return { created: union(a?.created ?? [], b.created), repaired: union(a?.repaired ?? [], b.repaired) };
}

async function finish(
  deps: SchemaJobDeps,
  job: SchemaJobState,
  error: { code: string; message: string } | null,
  result: SchemaJobState['result'] = null,
): Promise<void> {
  const latest = (await readSchemaJob(deps.store)) ?? job;
  await saveJob(deps, { ...latest, status: error === null ? 'succeeded' : 'failed', finishedAt: iso(deps.clock.now()), result, error });
  await releaseLease(deps.store, keys.runLock(), holderOf(job.jobId));
}

/** What the sandbox and the page show as the job's result: the old createSchema answer, plus the steps. */
export function schemaJobSummary(job: SchemaJobState): { created: string[]; repaired: string[]; steps: string[] } {
  return { created: job.result?.created ?? [], repaired: job.result?.repaired ?? [], steps: job.steps.map((s) => s.label) };
}
