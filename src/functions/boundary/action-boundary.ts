/**
 * The boundary between Forge `action` modules and the use cases: Jira Automation actions (listed under
 * `automation:actionProvider`) and the Rovo Directory assistant's actions (listed under `rovo:agent`). For every
 * call, the same steps: build the deps, establish the caller, bound and parse the inputs with the use case's schema
 * (each wrong input named, for the audit log or the agent), run it, and map any error to the answer the surface shows.
 *
 * What Forge passes (sources; docs/platform-assumptions.md R1-R3 for what only a live site can settle):
 * - A Forge function gets `(payload, context)`; `context.principal` is `{accountId} | undefined`
 *   (https://developer.atlassian.com/platform/forge/function-reference/arguments/).
 * - Automation invokes the action's function "with the configured inputs"
 *   (https://developer.atlassian.com/platform/forge/manifest-reference/modules/automation-action/); a Rovo action's
 *   function gets the inputs the agent filled in, beside a `context` object
 *   (https://developer.atlassian.com/platform/forge/manifest-reference/modules/rovo-action/). Whether the inputs sit at
 *   the payload's top level or under `inputs` is not shown for Automation: both are read (`inputs` wins when it is
 *   an object); `context` is never an input.
 * - An Automation action fails by answering `{errors: [{message}]}`: the rule stops and the message goes to the
 *   rule's audit log (the automation-action page; ECO-1577 quotes the contract). A Rovo action answers data the agent
 *   reads: here `{ok: true, data}` or `{ok: false, error: {code, message}}`, as the resolver answers.
 *
 * Log lines carry the action key and the error code only (never inputs, which are account ids, emails and names).
 */
import { z } from 'zod';

import { AppError, toAppError } from '../../domain/errors';
import type { PipelineDeps } from '../../pipeline/deps';
import { describeInputIssues } from '../../usecases/action-inputs';
import type { Caller, UseCase } from '../../usecases/use-case';
import { MAX_RESOLVER_PAYLOAD_CHARS } from '../resolver-keys';

export type ActionAccess = 'automation-rule' | 'rovo-user';

export type AutomationAnswer = Record<string, unknown> | { errors: { message: string }[] };
export type RovoAnswer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** Forge's function context: only the principal is read. */
const functionContextSchema = z.object({ principal: z.object({ accountId: z.string().min(1) }).optional() }).loose();

function principalOf(context: unknown): string | null {
  const parsed = functionContextSchema.safeParse(context);
  return parsed.success ? (parsed.data.principal?.accountId ?? null) : null;
}

/** The inputs of an action payload, under either reading (see the module comment). */
export function actionInputs(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new AppError('INPUT_INVALID', 'The action was called without inputs.', { context: { reason: 'payload-not-object' } });
  const record = payload as Record<string, unknown>;
  const nested = record['inputs'];
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) return { ...(nested as Record<string, unknown>) };
  const { context: _context, ...inputs } = record;
  return inputs;
}

function payloadChars(payload: unknown): number {
  try {
    return JSON.stringify(payload ?? null).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

const CALLERS: { readonly [A in ActionAccess]: (context: unknown) => Caller<A> } = {
  'automation-rule': (context) => ({ kind: 'automation-rule', accountId: principalOf(context) }),
  'rovo-user': (context) => {
    const accountId = principalOf(context);
    if (accountId === null)
      throw new AppError(
        'ACTION_USER_UNAVAILABLE',
        'The Directory assistant was called without a user to act as, so it does not answer: it never shows more than the asking person may see.',
        { context: { reason: 'no-principal' } },
      );
    return { kind: 'rovo-user', accountId };
  },
};

async function runAction<D extends Pick<PipelineDeps, 'logger'>, I, O, A extends ActionAccess>(
  key: string,
  useCase: UseCase<D, I, O, A>,
  deps: D,
  payload: unknown,
  context: unknown,
): Promise<O> {
  const caller = CALLERS[useCase.access](context) as Caller<A>;
  if (payloadChars(payload) > MAX_RESOLVER_PAYLOAD_CHARS)
    throw new AppError('INPUT_INVALID', 'The action inputs are too large.', { context: { action: key } });
  const parsed = useCase.input.safeParse(actionInputs(payload));
  if (!parsed.success)
    throw new AppError('INPUT_INVALID', `The action's inputs are not valid: ${describeInputIssues(parsed.error)}.`, {
      context: { action: key, issues: parsed.error.issues.length },
    });
  return useCase.run(deps, parsed.data, caller);
}

/** The Forge function for an Automation action: its outputs, or `{errors: [{message}]}` for the rule's audit log. */
export function automationActionFunction<D extends Pick<PipelineDeps, 'logger'>, I, O extends object>(
  key: string,
  useCase: UseCase<D, I, O, 'automation-rule'>,
  createDeps: () => D,
): (payload: unknown, context?: unknown) => Promise<AutomationAnswer> {
  return async (payload, context) => {
    const deps = createDeps();
    try {
      return { ...(await runAction(key, useCase, deps, payload, context)) } as Record<string, unknown>;
    } catch (error) {
      const appError = toAppError(error);
      deps.logger.warn('action.error', { action: key, code: appError.code });
      return { errors: [{ message: `${appError.message} [${appError.code}]` }] };
    }
  };
}

/** The Forge function for a Rovo action: `{ok: true, data}` or `{ok: false, error: {code, message}}`. */
export function rovoActionFunction<D extends Pick<PipelineDeps, 'logger'>, I, O>(
  key: string,
  useCase: UseCase<D, I, O, 'rovo-user'>,
  createDeps: () => D,
): (payload: unknown, context?: unknown) => Promise<RovoAnswer> {
  return async (payload, context) => {
    const deps = createDeps();
    try {
      return { ok: true, data: await runAction(key, useCase, deps, payload, context) };
    } catch (error) {
      const appError = toAppError(error);
      deps.logger.warn('action.error', { action: key, code: appError.code });
      return { ok: false, error: appError.toPublic() };
    }
  };
}
