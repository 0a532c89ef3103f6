/**
 * The boundary between the admin page's resolvers and the use cases (src/usecases). For every call, the same steps
 * in the same order: build the deps for this invocation, establish the caller the use case's access asks for (a
 * Jira administrator, asked of Jira as the user), bound the payload's size, parse it with the use case's schema, run
 * it, and answer {ok: true, data} or {ok: false, error: {code, message}}. Any failure becomes an AppError's public
 * form; the log line carries the resolver key and the error code only (never a message, which may name a person).
 */
import { z } from 'zod';

import type { JiraFetch } from '../../clients/http';
import { AppError, toAppError } from '../../domain/errors';
import type { PipelineDeps } from '../../pipeline/deps';
import { requireJiraAdmin } from '../../services/admin-check';
import type { Caller, EntryUseCase } from '../../usecases/use-case';
import { MAX_RESOLVER_PAYLOAD_CHARS } from '../resolver-keys';

export type ResolverAnswer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** What @forge/resolver passes a resolver function (its Request): both parts are unknown until checked. */
export interface ResolverRequest {
  readonly payload?: unknown;
  readonly context?: unknown;
}

/** What the boundary itself needs from the invocation's deps; the use case gets all of them. */
export interface ResolverBoundaryDeps extends Pick<PipelineDeps, 'store' | 'clock' | 'logger'> {
  /** requestJira as the user who invoked the resolver (api.asUser()). */
  readonly userJiraFetch: JiraFetch;
}

/** The kinds of caller a resolver can establish. Automation and Rovo actions get their own boundaries (issue 15). */
export type ResolverAccess = 'jira-admin';

const INPUT_INVALID_MESSAGE = 'The request from the page was not understood. Reload the page and try again.';
const INPUT_TOO_LARGE_MESSAGE = 'The request from the page is too large. Reload the page and try again.';

/** How the resolver establishes each kind of caller it serves; throws PERMISSION_DENIED (or "try again") otherwise. */
const ACCESS_CHECKS: { readonly [A in ResolverAccess]: (deps: ResolverBoundaryDeps, context: unknown) => Promise<Caller<A>> } = {
  'jira-admin': async (deps, context) => {
    const accountId = accountIdOf(context);
    // Asked as the caller (asUser): the app itself may not check another user's permissions.
    await requireJiraAdmin({ userFetch: deps.userJiraFetch, store: deps.store, now: deps.clock.now }, accountId);
    return { kind: 'jira-admin', accountId: accountId! };
  },
};

/** Forge's invocation context names the user the page runs as; other fields are not read here. */
const callerContextSchema = z.object({ accountId: z.string() });

function accountIdOf(context: unknown): string | undefined {
  const parsed = callerContextSchema.safeParse(context);
  return parsed.success ? parsed.data.accountId : undefined;
}

function payloadChars(payload: unknown): number {
  try {
    return JSON.stringify(payload ?? null).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The resolver function for one key: register it with `resolver.define(key, resolverFunction(...))`. `createDeps`
 * runs once per invocation (no module-level state survives reliably between Forge invocations).
 */
export function resolverFunction<D extends ResolverBoundaryDeps, A extends ResolverAccess>(
  key: string,
  useCase: EntryUseCase<D, A>,
  createDeps: () => D,
): (request: ResolverRequest) => Promise<ResolverAnswer> {
  const checkAccess: (deps: ResolverBoundaryDeps, context: unknown) => Promise<Caller<A>> = ACCESS_CHECKS[useCase.access];
  return async ({ payload, context }) => {
    const deps = createDeps();
    try {
      const caller = await checkAccess(deps, context);
      if (payloadChars(payload) > MAX_RESOLVER_PAYLOAD_CHARS)
        throw new AppError('INPUT_INVALID', INPUT_TOO_LARGE_MESSAGE, { context: { resolver: key } });
      const prepared = useCase.prepare(payload ?? undefined);
      if (prepared === null) throw new AppError('INPUT_INVALID', INPUT_INVALID_MESSAGE, { context: { resolver: key } });
      return { ok: true, data: await prepared(deps, caller) };
    } catch (error) {
      const appError = toAppError(error);
      deps.logger.warn('resolver.error', { resolver: key, code: appError.code });
      return { ok: false, error: appError.toPublic() };
    }
  };
}
