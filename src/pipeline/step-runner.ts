/**
 * Runs one step of a stage under Forge's delivery rules (at least once, unordered, duplicates possible, an
 * invocation may be killed at any instant). Every stage has the same shape, `(ctx) => outcome`; this module is the
 * one place that turns outcomes and errors into checkpoints, queue pushes and retry decisions.
 *
 * The runner keeps what it needs itself (`StepRunnerDeps`: leases, checkpoints, progress, pushes, retries) and
 * hands the stage a context without it: a stage touches the outside only through the narrow dependencies its
 * factory was built with (src/pipeline/stages) and the context's checkpoint, progress and run-record methods.
 *
 * - Each stage keeps a checkpoint envelope {seq, complete, nextPushed, state}. A message whose seq is behind the
 *   checkpoint, or for a stage already complete, is a no-op (a duplicate or a late, out-of-order event).
 * - Work on a stage happens under a stage lease (FAIL_IF_EXISTS claim with expiry), so a duplicate delivered while
 *   the original still runs waits instead of doing the work twice; a dead holder's lease runs out.
 * - Pushes happen before the checkpoint records them: a crash in between causes a duplicate event (harmless), never a
 *   lost one.
 */
import { z } from 'zod';

import { AppError, toAppError } from '../domain/errors';
import type { PipelineDeps } from './deps';
import { keys } from './keys';
import { acquireLease, releaseLease, renewLease } from './lease';
import { nextStage, queueFor, READS_BESIDE, type StageMessage, type StageName } from './messages';
import type { InvocationBudget } from './ports';
import { isTerminal, type RunState } from './run-state';
import { finalizeRun, loadRun, saveRun } from './run-store';

export type StageOutcome =
  /** Out of time: save done, run the same stage again in a new invocation. */
  | { readonly kind: 'continue' }
  /** Stage finished; go to `next` (default: the following stage), or end the chain with null. */
  | { readonly kind: 'complete'; readonly next?: StageName | null }
  /** The plan tripped the safety threshold: stop until the admin confirms or cancels. */
  | { readonly kind: 'await-confirmation'; readonly safety: NonNullable<RunState['safety']> };

/** What the Forge entry point must do with the event. */
export type StepResult =
  /** `pushed`: the event of the following stage this step pushed when it completed (runChain may run it at once). */
  | { readonly kind: 'done'; readonly note: string; readonly pushed?: StageMessage }
  | {
      readonly kind: 'retry-later';
      readonly seconds: number;
      readonly reason: string;
      /** The stage itself asked to wait until this time (epoch ms): runChain may fill the wait (READS_BESIDE). */
      readonly until?: number;
    };

export interface StepContext {
  readonly runId: string;
  readonly seq: number;
  readonly stage: StageName;
  readonly run: RunState;
  /** True when the invocation should stop at the next safe point. */
  shouldYield(): boolean;
  readCheckpoint<S extends z.ZodType>(schema: S): Promise<z.infer<S> | undefined>;
  /** Saves the stage cursor and renews the stage lease; throws RUN_CANCELLED when the admin cancelled the run. */
  saveCheckpoint(state: unknown): Promise<void>;
  /** Throttled progress update for the admin page. */
  progress(processed: number, total: number | null, label: string): Promise<void>;
  /** Updates fields of the run record (counts, safety...). */
  updateRun(patch: Partial<Pick<RunState, 'counts' | 'safety'>>): Promise<void>;
}

export type StageHandler = (ctx: StepContext) => Promise<StageOutcome>;

/** What the runner itself uses; stages get none of it (no queue, no lease holder ids, no connections). */
export type StepRunnerDeps = Pick<PipelineDeps, 'store' | 'queue' | 'clock' | 'logger' | 'newId' | 'config'>;

const envelopeSchema = z.object({
  v: z.literal(1),
  seq: z.number().int().min(0),
  complete: z.boolean(),
  nextPushed: z.boolean(),
  next: z.string().nullable(),
  state: z.unknown(),
  /** Forge fetch-limit continuations in a row that saved no checkpoint (see continueAfterFetchLimit). */
  fetchLimitStalls: z.number().int().min(0).optional(),
  /**
   * The stage asked to be retried later (a Retry-After, a backoff): no step of it before this time (epoch ms), even
   * from an event that arrives early (the event an inline step's stage pushed before it ran: runChain).
   */
  notBefore: z.number().optional(),
});
type Envelope = z.infer<typeof envelopeSchema>;

export interface StepInvocation {
  readonly budget: InvocationBudget;
  /** Stop work once this much of the invocation has been used (keeps invocations well under their limit). */
  readonly yieldAfterMs: number;
  /** Forge's retryContext.retryCount for this event (0 on first delivery). */
  readonly retryCount: number;
}

const MIN_REMAINING_MS = 15_000;

/** A redelivery a little before its stage's notBefore (clocks, rounding) is on time: only an early event waits. */
const NOT_BEFORE_TOLERANCE_MS = 2_000;

/**
 * A stage that hits Forge's per-invocation request limit (FORGE_FETCH_LIMIT) continues in a new invocation. If it hit
 * the limit this many times in a row without saving a checkpoint, it cannot make progress within one invocation's
 * allowance and the run fails instead of looping.
 */
export const MAX_FETCH_LIMIT_STALLS = 3;

export async function runStep(
  message: StageMessage,
  deps: StepRunnerDeps,
  handler: StageHandler,
  invocation: StepInvocation,
): Promise<StepResult> {
  const { runId, stage, seq } = message;
  const started = deps.clock.now();
  const log = (event: string, extra: Record<string, string | number | boolean | null> = {}) =>
    deps.logger.info(event, { runId, stage, seq, ...extra });

  let run = await loadRun(deps, runId);
  if (run === null) return done('run not found (expired or never started)');
  if (isTerminal(run.status)) return done(`run already ${run.status}`);

  const { cpKey, leaseKey } = stageKeys(runId, stage);
  const readEnvelope = () => readStageEnvelope(deps, cpKey);

  let envelope = await readEnvelope();
  const skip = await skipReason(envelope);
  if (skip !== null) return skip;

  const holder = `${runId}.${stage}.${seq}.${deps.newId()}`;
  const lease = await acquireLease(deps.store, leaseKey, holder, deps.config.stageLeaseMs, deps.clock.now());
  if (!lease.acquired) {
    const seconds = Math.min(900, Math.max(5, Math.ceil((lease.expiresAt - deps.clock.now()) / 1000)));
    log('step.busy', { retryAfterSeconds: seconds });
    return { kind: 'retry-later', seconds, reason: 'another invocation is working on this stage' };
  }

  try {
    // Re-read under the lease: the holder before us may have moved on.
    envelope = await readEnvelope();
    const skipAfterLease = await skipReason(envelope);
    if (skipAfterLease !== null) return skipAfterLease;
    run = (await loadRun(deps, runId)) ?? run;
    if (isTerminal(run.status)) return done(`run already ${run.status}`);

    if (await cancelRequested()) {
      await finalizeRun(deps, run, 'cancelled', { error: null });
      return done('cancelled');
    }
    // An event that came before the stage's own "retry later" is over waits for it (not counted as a retry); the
    // event Forge redelivers after that wait arrives at about that time and goes on.
    const waitMs = (envelope?.notBefore ?? 0) - deps.clock.now();
    if (waitMs > NOT_BEFORE_TOLERANCE_MS) {
      const seconds = Math.min(900, Math.ceil(waitMs / 1000));
      log('step.not-yet', { retryAfterSeconds: seconds });
      return { kind: 'retry-later', seconds, reason: 'the stage asked to be retried later', until: envelope!.notBefore! };
    }

    const nowIso = () => new Date(deps.clock.now()).toISOString();
    if (run.status !== 'running' || run.stage !== stage) {
      run = { ...run, status: 'running', stage, updatedAt: nowIso(), progress: { processed: 0, total: null, label: '' } };
      await saveRun(deps, run);
    }
    await renewLease(deps.store, keys.runLock(), runId, deps.config.staleRunMs, deps.clock.now());

    const checkpoints = checkpointAccess(deps, { runId, stage, cpKey, leaseKey, holder }, envelope ?? emptyEnvelope(seq));
    let lastProgressAt = 0;
    const ctx: StepContext = {
      runId,
      seq,
      stage,
      run,
      shouldYield: () => checkpoints.saved() && yieldDue(deps, invocation, started),
      readCheckpoint: checkpoints.read,
      saveCheckpoint: checkpoints.save,
      progress: async (processed, total, label) => {
        const now = deps.clock.now();
        if (now - lastProgressAt < deps.config.progressIntervalMs) return;
        lastProgressAt = now;
        run = { ...run!, progress: { processed, total, label }, updatedAt: new Date(now).toISOString() };
        await saveRun(deps, run);
        await renewLease(deps.store, keys.runLock(), runId, deps.config.staleRunMs, now);
      },
      updateRun: async (patch) => {
        run = { ...run!, ...patch, updatedAt: nowIso() };
        await saveRun(deps, run);
      },
    };

    let outcome: StageOutcome;
    try {
      outcome = await handler(ctx);
    } catch (error) {
      const appError = toAppError(error);
      const current = checkpoints.envelope();
      if (appError.code === 'FORGE_FETCH_LIMIT') return await continueAfterFetchLimit(appError, current, checkpoints.saved());
      const result = await handleFailure(appError, ctx.run);
      if (result.kind === 'retry-later') {
        const until = deps.clock.now() + result.seconds * 1000;
        await deps.store.set(cpKey, { ...current, notBefore: until }, { ttlSeconds: deps.config.runDataTtlSeconds });
        // A wait the stage asked for (pacing, Retry-After), not a backoff after an error: runChain may fill it.
        return appError.retry === 'later' ? { ...result, until } : result;
      }
      return result;
    }
    run = (await loadRun(deps, runId)) ?? run;
    let current = checkpoints.envelope();

    switch (outcome.kind) {
      case 'continue': {
        await push(stage, seq + 1);
        current = { ...current, seq: seq + 1 };
        await deps.store.set(cpKey, current, { ttlSeconds: deps.config.runDataTtlSeconds });
        log('step.continue', { elapsedMs: deps.clock.now() - started });
        return done('continued');
      }
      case 'complete': {
        const next = nextAfter(stage, outcome);
        current = { ...current, complete: true, next };
        await deps.store.set(cpKey, current, { ttlSeconds: deps.config.runDataTtlSeconds });
        const pushed = next !== null && (await push(next, 0));
        current = { ...current, nextPushed: true };
        await deps.store.set(cpKey, current, { ttlSeconds: deps.config.runDataTtlSeconds });
        log('step.complete', {
          next,
          elapsedMs: deps.clock.now() - started,
          pushes: run.pushes,
          retriesLater: run.retries.later,
          retriesNow: run.retries.now,
        });
        return next !== null && pushed
          ? { kind: 'done', note: 'complete', pushed: { v: 1, runId, stage: next, seq: 0 } }
          : done('complete');
      }
      case 'await-confirmation': {
        current = { ...current, complete: true, nextPushed: true, next: null };
        await deps.store.set(cpKey, current, { ttlSeconds: deps.config.runDataTtlSeconds });
        run = { ...run, status: 'awaiting-confirmation', safety: outcome.safety, updatedAt: nowIso() };
        await saveRun(deps, run);
        await renewLease(deps.store, keys.runLock(), runId, deps.config.confirmationWindowMs, deps.clock.now());
        log('step.awaiting-confirmation', { inactivations: outcome.safety.inactivations });
        return done('awaiting confirmation');
      }
    }
  } finally {
    await releaseLease(deps.store, leaseKey, holder).catch(() => undefined);
  }

  /**
   * Why this event has nothing to do, or null. A stage completed without its next event pushed (a crash in between,
   * or a step beside the chain: runSideStep) pushes it now, and runChain may run that stage at once.
   */
  async function skipReason(env: Envelope | null): Promise<StepResult | null> {
    if (env === null) return null;
    if (seq < env.seq) return done('stale continuation');
    if (env.complete) {
      if (!env.nextPushed && env.next !== null) {
        const next = env.next as StageName;
        const pushed = await push(next, 0);
        await deps.store.set(cpKey, { ...env, nextPushed: true }, { ttlSeconds: deps.config.runDataTtlSeconds });
        log('step.complete', { next, note: 'completed earlier; next stage pushed now' });
        return pushed ? { kind: 'done', note: 'complete', pushed: { v: 1, runId, stage: next, seq: 0 } } : done('complete');
      }
      return done('stage already complete');
    }
    return null;
  }

  async function cancelRequested(): Promise<boolean> {
    return isCancelRequested(deps, runId);
  }

  /** Pushes the event (true), or parks the run near Forge's push limit (false). */
  async function push(target: StageName, targetSeq: number): Promise<boolean> {
    const latest = (await loadRun(deps, runId)) ?? run!;
    const updatedAt = new Date(deps.clock.now()).toISOString();
    if (latest.pushes >= deps.config.reseedAfterPushes) {
      // Near Forge's limit of pushes per chain: park; the next originating invocation re-seeds (run-control.ts).
      run = { ...latest, parked: { stage: target, seq: targetSeq }, updatedAt };
      await saveRun(deps, run);
      deps.logger.warn('run.parked', { runId, stage: target, seq: targetSeq, pushes: latest.pushes });
      return false;
    }
    await deps.queue.push(queueFor(target), { v: 1, runId, stage: target, seq: targetSeq });
    run = { ...latest, pushes: latest.pushes + 1, updatedAt };
    await saveRun(deps, run);
    return true;
  }

  /**
   * Forge refused more outbound requests in this invocation (ECO-491; src/adapters/forge-fetch-limit.ts). Not
   * throttling and not a failure: the checkpoint the stage last saved stays, the same stage continues in a new
   * invocation at once (a fresh allowance), and nothing is counted against the run's retries.
   */
  async function continueAfterFetchLimit(error: AppError, at: Envelope, savedThisInvocation: boolean): Promise<StepResult> {
    const stalls = savedThisInvocation ? 0 : (at.fetchLimitStalls ?? 0) + 1;
    if (stalls >= MAX_FETCH_LIMIT_STALLS) {
      return handleFailure(
        new AppError(
          'FORGE_FETCH_LIMIT',
          `The ${stage} step needs more outbound requests than Forge allows in one invocation and made no progress in ${stalls} invocations in a row. ` +
            'Start the run again; if this repeats, contact support with the run number.',
          { context: { runId, stage, stalls }, cause: error },
        ),
        run!,
      );
    }
    await push(stage, seq + 1);
    await deps.store.set(cpKey, { ...at, seq: seq + 1, fetchLimitStalls: stalls }, { ttlSeconds: deps.config.runDataTtlSeconds });
    log('step.fetch-limit', { elapsedMs: deps.clock.now() - started, stalls });
    return done('continued');
  }

  async function handleFailure(error: AppError, atRun: RunState): Promise<StepResult> {
    const latest = (await loadRun(deps, runId)) ?? atRun;
    if (error.code === 'RUN_CANCELLED') {
      await finalizeRun(deps, latest, 'cancelled', { error: null });
      return done('cancelled');
    }
    if (error.retry === 'later') {
      const seconds = Math.min(900, Math.max(1, error.retryAfterSeconds ?? 60));
      deps.logger.warn('step.retry-later', { runId, stage, seq, code: error.code, retryAfterSeconds: seconds });
      await saveRun(deps, {
        ...latest,
        retries: { ...latest.retries, later: latest.retries.later + 1 },
        updatedAt: new Date(deps.clock.now()).toISOString(),
      });
      return { kind: 'retry-later', seconds, reason: error.code };
    }
    if (error.retry === 'now' && invocation.retryCount < deps.config.maxRetryNow) {
      const seconds = Math.min(900, 10 * 2 ** invocation.retryCount);
      deps.logger.warn('step.retry-soon', {
        runId,
        stage,
        seq,
        code: error.code,
        retryCount: invocation.retryCount,
        retryAfterSeconds: seconds,
      });
      await saveRun(deps, { ...latest, retries: { ...latest.retries, now: latest.retries.now + 1 } });
      return { kind: 'retry-later', seconds, reason: error.code };
    }
    deps.logger.error('step.failed', { runId, stage, seq, code: error.code, retryCount: invocation.retryCount });
    await finalizeRun(deps, latest, 'failed', { error: error.toPublic() });
    return done(`failed: ${error.code}`);
  }

  function done(note: string): StepResult {
    if (note !== 'continued' && note !== 'complete') log('step.skipped', { note });
    return { kind: 'done', note };
  }
}

/** A stage's checkpoint envelope key and the key of its lease. */
function stageKeys(runId: string, stage: StageName): { readonly cpKey: string; readonly leaseKey: string } {
  const cpKey = keys.checkpoint(runId, stage);
  return { cpKey, leaseKey: `${cpKey}:lease` };
}

/** The stage's checkpoint envelope, or null when there is none (or it is unreadable: the stage starts over). */
async function readStageEnvelope(deps: Pick<StepRunnerDeps, 'store'>, cpKey: string): Promise<Envelope | null> {
  const parsed = envelopeSchema.safeParse(await deps.store.get(cpKey));
  return parsed.success ? parsed.data : null;
}

/** The stage a completed stage goes on to: the one it named (null ends the chain), or the following one. */
function nextAfter(stage: StageName, outcome: Extract<StageOutcome, { kind: 'complete' }>): StageName | null {
  return outcome.next === undefined ? nextStage(stage) : outcome.next;
}

async function isCancelRequested(deps: Pick<StepRunnerDeps, 'store'>, runId: string): Promise<boolean> {
  return (await deps.store.get(keys.runCancel(runId))) !== undefined;
}

function emptyEnvelope(seq: number): Envelope {
  return { v: 1, seq, complete: false, nextPushed: false, next: null, state: null };
}

/** Time to stop at the next safe point: the step's share of the invocation is used, or its end is near. */
function yieldDue(deps: Pick<StepRunnerDeps, 'clock'>, invocation: StepInvocation, started: number): boolean {
  return deps.clock.now() - started >= invocation.yieldAfterMs || invocation.budget.remainingMs() < MIN_REMAINING_MS;
}

/**
 * A stage's checkpoint as its step reads and saves it: the envelope's state, written under the stage lease (renewed
 * on every save; lost: RUN_INVALID_STATE), with the admin's cancel checked after each save. `saved()`: whether this
 * step saved one yet (every step saves at least one before it may yield, so a run always moves forward).
 */
function checkpointAccess(
  deps: Pick<StepRunnerDeps, 'store' | 'clock' | 'config'>,
  at: { readonly runId: string; readonly stage: StageName; readonly cpKey: string; readonly leaseKey: string; readonly holder: string },
  start: Envelope,
) {
  const { runId, stage } = at;
  let current = start;
  let saved = false;
  return {
    envelope: () => current,
    saved: () => saved,
    read: async <S extends z.ZodType>(schema: S): Promise<z.infer<S> | undefined> => {
      if (current.state === null || current.state === undefined) return undefined;
      const parsed = schema.safeParse(current.state);
      if (!parsed.success) {
        throw new AppError('STORAGE_FAILED', 'A stored checkpoint is unreadable; start a new run.', {
          context: { runId, stage },
          cause: parsed.error,
        });
      }
      return parsed.data;
    },
    save: async (state: unknown): Promise<void> => {
      current = { ...current, state };
      saved = true;
      await deps.store.set(at.cpKey, current, { ttlSeconds: deps.config.runDataTtlSeconds });
      const stillMine = await renewLease(deps.store, at.leaseKey, at.holder, deps.config.stageLeaseMs, deps.clock.now());
      if (!stillMine)
        throw new AppError('RUN_INVALID_STATE', 'Another invocation took over this stage.', {
          context: { runId, stage },
          retry: 'later',
          retryAfterSeconds: 30,
        });
      if (await isCancelRequested(deps, runId))
        throw new AppError('RUN_CANCELLED', 'The run was cancelled by an admin.', { context: { runId, stage } });
    },
  };
}

/** How a step beside the chain ended (runSideStep). */
export type SideStepResult = 'complete' | 'yielded' | 'skipped' | 'stopped';

/**
 * Runs a step of `stage` beside the run's chain: while the chain's stage waits for a time it asked for, a later
 * reading stage that needs nothing from it (READS_BESIDE) gets on with its work in the same invocation. The step is
 * quiet: it works under its stage's lease and checkpoint like any step, but writes no run record (the chain's stage
 * owns it: run-store.ts), pushes no event and decides nothing about the run. It completes its stage without pushing
 * the next one: when the chain reaches the stage, its event finds it complete and pushes on (skipReason in runStep);
 * if it yields, the chain's own step of the stage goes on from its checkpoint. Any error ends it and is left to the
 * chain's own step, which meets it again and handles it as always (retry, fail, cancel); so does a stage that is
 * already complete, held by another invocation, or waiting for its own retry time.
 */
export async function runSideStep(
  runId: string,
  stage: StageName,
  deps: StepRunnerDeps,
  handler: StageHandler,
  invocation: StepInvocation,
): Promise<SideStepResult> {
  const started = deps.clock.now();
  const log = (event: string, extra: Record<string, string | number | boolean | null> = {}) =>
    deps.logger.info(event, { runId, stage, side: true, ...extra });
  const run = await loadRun(deps, runId);
  if (run === null || isTerminal(run.status) || (await isCancelRequested(deps, runId))) return 'skipped';
  const { cpKey, leaseKey } = stageKeys(runId, stage);
  const readEnvelope = () => readStageEnvelope(deps, cpKey);
  const idle = (env: Envelope | null) => env !== null && (env.complete || (env.notBefore ?? 0) > deps.clock.now());
  if (idle(await readEnvelope())) return 'skipped';

  const holder = `${runId}.${stage}.side.${deps.newId()}`;
  const lease = await acquireLease(deps.store, leaseKey, holder, deps.config.stageLeaseMs, deps.clock.now());
  if (!lease.acquired) return 'skipped';
  try {
    const envelope = await readEnvelope();
    if (idle(envelope)) return 'skipped';
    const start = envelope ?? emptyEnvelope(0);
    const checkpoints = checkpointAccess(deps, { runId, stage, cpKey, leaseKey, holder }, start);
    const ctx: StepContext = {
      runId,
      seq: start.seq,
      stage,
      run,
      shouldYield: () => checkpoints.saved() && yieldDue(deps, invocation, started),
      readCheckpoint: checkpoints.read,
      saveCheckpoint: checkpoints.save,
      // The run record shows the chain's stage; this step's progress shows when the chain reaches it.
      progress: async () => undefined,
      updateRun: async () => {
        throw new AppError('RUN_INVALID_STATE', `The ${stage} step cannot change the run record beside the chain.`, {
          context: { runId, stage },
        });
      },
    };
    let outcome: StageOutcome;
    try {
      outcome = await handler(ctx);
    } catch (error) {
      log('step.side-stopped', { code: toAppError(error).code, elapsedMs: deps.clock.now() - started });
      return 'stopped';
    }
    if (outcome.kind !== 'complete') {
      log('step.side-yielded', { elapsedMs: deps.clock.now() - started });
      return 'yielded';
    }
    const next = nextAfter(stage, outcome);
    await deps.store.set(
      cpKey,
      { ...checkpoints.envelope(), complete: true, next, nextPushed: false },
      { ttlSeconds: deps.config.runDataTtlSeconds },
    );
    log('step.side-complete', { elapsedMs: deps.clock.now() - started });
    return 'complete';
  } finally {
    await releaseLease(deps.store, leaseKey, holder).catch(() => undefined);
  }
}

/** A wait shorter than this is not filled with steps beside the chain (their set-up would outlast it). */
export const SIDE_STEP_MIN_WAIT_MS = 10_000;

/**
 * An inline step starts only while the invocation has used less than this share of its time before it yields: the
 * stage it runs then has at least half of it.
 */
export const INLINE_BEFORE_SHARE = 0.5;

/**
 * Runs the step of `message`; then, while the invocation has time and the config allows it (`inlineNextStage`), the
 * step of the stage it completed into, in the same invocation, and so on (issue 16: each queue hop costs 1-5 s
 * between a push and its delivery, about 20 s of a first sync before its first write).
 *
 * Nothing about delivery changes: the completed step has already pushed the following stage's event (push before
 * record, as always), so an invocation killed while it runs a stage inline leaves that event to carry on from the
 * stage's checkpoint. When the pushed event is delivered, it finds the stage's lease held (the inline step still runs:
 * "retry later" until the lease is free) or the stage's checkpoint ahead of it (a no-op): the duplicate handling every
 * step already has. The inline step gets the invocation's remaining time (yieldAfterMs less what is used) and its
 * remaining budget; a "retry later" of an inline step ends the chain, and the original event's result is what Forge
 * gets (it is done: its stage completed).
 */
export async function runChain(
  message: StageMessage,
  deps: StepRunnerDeps,
  handlerFor: (stage: StageName) => StageHandler,
  invocation: StepInvocation,
): Promise<StepResult> {
  const started = deps.clock.now();
  const first = await runStep(message, deps, handlerFor(message.stage), invocation);
  let last = { stage: message.stage, result: first };
  let pushed = first.kind === 'done' ? first.pushed : undefined;
  while (deps.config.inlineNextStage && pushed !== undefined) {
    const elapsed = deps.clock.now() - started;
    if (elapsed >= invocation.yieldAfterMs * INLINE_BEFORE_SHARE || invocation.budget.remainingMs() < 2 * MIN_REMAINING_MS) break;
    deps.logger.info('step.inline', { runId: pushed.runId, stage: pushed.stage, from: message.stage, elapsedMs: elapsed });
    const next = await runStep(pushed, deps, handlerFor(pushed.stage), {
      budget: invocation.budget,
      yieldAfterMs: invocation.yieldAfterMs - elapsed,
      // The inline step is its event's first delivery: no retries of it so far.
      retryCount: 0,
    });
    last = { stage: pushed.stage, result: next };
    pushed = next.kind === 'done' ? next.pushed : undefined;
  }
  if (last.result.kind === 'retry-later' && last.result.until !== undefined) {
    await fillWait(message.runId, last.stage, last.result.until, deps, handlerFor, invocation, started);
    if (last.result === first) {
      // The event is redelivered when the stage's wait is over, not the whole wait after the steps that filled it.
      return { ...first, seconds: Math.max(1, Math.ceil((last.result.until - deps.clock.now()) / 1000)) };
    }
  }
  return first;
}

/**
 * While `stage` waits until `until` (a pacing window, a Retry-After), runs the reading stages that need nothing
 * from it (READS_BESIDE) beside the chain (runSideStep), each until the wait is over or the invocation's share is
 * used: at 50,000 users the directory read waits about a minute for its Microsoft pacing windows, enough to read the
 * Atlassian accounts and the Assets snapshot that would otherwise follow it (issue 16). Off with `sideReads: false`.
 */
async function fillWait(
  runId: string,
  stage: StageName,
  until: number,
  deps: StepRunnerDeps,
  handlerFor: (stage: StageName) => StageHandler,
  invocation: StepInvocation,
  started: number,
): Promise<void> {
  if (!deps.config.sideReads) return;
  for (const side of READS_BESIDE[stage] ?? []) {
    const now = deps.clock.now();
    const yieldAfterMs = Math.min(invocation.yieldAfterMs - (now - started), until - now);
    if (yieldAfterMs < SIDE_STEP_MIN_WAIT_MS || invocation.budget.remainingMs() < 2 * MIN_REMAINING_MS) return;
    deps.logger.info('step.side', { runId, stage: side, beside: stage, waitMs: until - now });
    const result = await runSideStep(runId, side, deps, handlerFor(side), { budget: invocation.budget, yieldAfterMs, retryCount: 0 });
    if (result === 'yielded' || result === 'stopped') return;
  }
}
