/**
 * The boundary of every Forge queue consumer (manifest.yml: consumer -> function -> src/functions/consumers.ts),
 * written once: build the invocation's dependencies, parse the event body (`unknown` until its zod schema accepts
 * it), drop a message of an old or unknown shape, run the entry's work, and turn "retry later" into Forge's
 * InvocationError. Nothing is thrown for a permanent error (Forge would retry it for 24 hours): the work records
 * it (the step runner on the run, the schema job on the job record).
 *
 * Forge: an async event consumer that returns an InvocationError with `retryAfter` is invoked again after that many
 * seconds (at most 900); see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 * and docs/pipeline.md.
 */
import { getAppContext } from '@forge/api';
import { InvocationError, InvocationErrorCode } from '@forge/events';
import type { z } from 'zod';

import type { PipelineDeps, RunDataDeps } from '../../pipeline/deps';
import { runIdSchema } from '../../pipeline/messages';
import { isTerminal } from '../../pipeline/run-state';
import { finalizeRun, loadRun } from '../../pipeline/run-store';

/** The part of Forge's AsyncEvent the boundary reads (Forge passes the whole AsyncEvent). */
export interface QueueEvent {
  readonly body: unknown;
  readonly retryContext?: { readonly retryCount: number };
}

/** What the consumer's work hands back: done (whatever happened is recorded), or "deliver this again later". */
export type QueueOutcome = { readonly kind: 'done' } | { readonly kind: 'retry-later'; readonly seconds: number };

export interface QueueDelivery {
  /** Forge's retryContext.retryCount for this event (0 on first delivery). */
  readonly retryCount: number;
  /** Time left in this invocation (Forge's invocationRemainingTimeInMillis; unlimited outside Forge). */
  readonly remainingMs: () => number;
}

/** What the boundary itself uses: a log line for a dropped message, and ending the run such a message names. */
export type QueueBoundaryDeps = RunDataDeps & Pick<PipelineDeps, 'clock' | 'logger'>;

export interface QueueEntry<D extends QueueBoundaryDeps, M> {
  /** The consumer's name in logs (the stage, or `schemaJob`). */
  readonly name: string;
  readonly schema: z.ZodType<M>;
  /** A message that parses but is not for this consumer (e.g. a stage message on another stage's queue) is invalid. */
  readonly accepts?: (message: M) => boolean;
  /**
   * Besides being dropped with a `queue.message-rejected` log line, an invalid message that names a run ends that
   * run failed with QUEUE_MESSAGE_INVALID ('fail-named-run'), or is only dropped ('drop').
   */
  readonly onInvalid: 'fail-named-run' | 'drop';
  readonly run: (message: M, deps: D, delivery: QueueDelivery) => Promise<QueueOutcome>;
}

/** A Forge queue consumer for one entry; `makeDeps` is called once per invocation (no state survives between them). */
export function queueConsumer<D extends QueueBoundaryDeps, M>(entry: QueueEntry<D, M>, makeDeps: () => D) {
  return async (event: QueueEvent): Promise<InvocationError | void> => {
    const deps = makeDeps();
    const parsed = entry.schema.safeParse(event.body);
    if (!parsed.success || (entry.accepts !== undefined && !entry.accepts(parsed.data))) {
      await rejectMessage(entry, event.body, deps);
      return;
    }
    const outcome = await entry.run(parsed.data, deps, { retryCount: event.retryContext?.retryCount ?? 0, remainingMs });
    if (outcome.kind === 'retry-later') {
      return new InvocationError({ retryAfter: outcome.seconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
  };
}

function remainingMs(): number {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A message of an old or unknown shape is dropped; if it names a run, that run ends failed with a reason. */
async function rejectMessage<D extends QueueBoundaryDeps, M>(entry: QueueEntry<D, M>, body: unknown, deps: D): Promise<void> {
  if (entry.onInvalid === 'drop') {
    deps.logger.error('queue.message-rejected', { stage: entry.name, hasRunId: false });
    return;
  }
  const runId =
    typeof body === 'object' && body !== null && typeof (body as { runId?: unknown }).runId === 'string'
      ? (body as { runId: string }).runId
      : null;
  const version = typeof body === 'object' && body !== null ? (body as { v?: unknown }).v : undefined;
  deps.logger.error('queue.message-rejected', {
    stage: entry.name,
    version: typeof version === 'number' ? version : null,
    hasRunId: runId !== null,
  });
  if (runId === null || !runIdSchema.safeParse(runId).success) return;
  const run = await loadRun(deps, runId);
  if (run === null || isTerminal(run.status)) return;
  await finalizeRun(deps, run, 'failed', {
    error: {
      code: 'QUEUE_MESSAGE_INVALID',
      message: 'The app was updated while this run was in progress and could not continue it. Start the run again.',
    },
  });
}
