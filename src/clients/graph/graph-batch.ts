/**
 * Reading users by id through JSON $batch (20 requests per call). The envelope answers 200 even when items fail,
 * and Graph counts and throttles each item on its own, so item statuses are handled here: 404 = not found,
 * 429/503/504 = resend only those items after their own Retry-After (a long wait is handed back as "retry later",
 * never slept), anything else fails the read with the item's Graph code.
 */
import type { EntraUser } from '../../domain/entra-user';
import { AppError } from '../../domain/errors';
import { readJson } from '../http';
import { backoffMs, parseRetryAfter, toRetryAfterSeconds } from '../retry-policy';
import {
  consentMissing,
  type GraphFailure,
  graphFailure,
  isConsentDenied,
  isGraphRetryable,
  unknownExtensionProperty,
} from './graph-errors';
import {
  type BatchItemResponse,
  batchResponseSchema,
  graphErrorSchema,
  type GraphExtra,
  graphUserSchema,
  toEntraUser,
} from './graph-schemas';
import { type GraphCall, type GraphClientDeps, priorityHeaders } from './graph-transport';

export const BATCH_MAX_REQUESTS = 20;
const OPERATION = 'getUsersByIds';

/** The $expand value currently used for the manager, and the switch to the plain form when Graph refuses it. */
export interface ManagerExpand {
  current(): string;
  /** True when a fallback was possible (and is now in effect). */
  fallBack(): boolean;
}

type ItemOutcome =
  | { readonly kind: 'user'; readonly user: EntraUser }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'retry'; readonly waitMs: number; readonly status: number }
  | { readonly kind: 'resend' };

export async function getUsersInBatches(
  ids: readonly string[],
  deps: GraphClientDeps,
  call: GraphCall,
  fields: { readonly select: string; readonly extras: readonly GraphExtra[]; readonly profile?: readonly string[] },
  managerExpand: ManagerExpand,
): Promise<{ users: EntraUser[]; notFound: string[] }> {
  const { found, notFound } = await readInBatches<EntraUser>(ids, deps, OPERATION, async (chunk, failures) =>
    (await sendBatch(chunk, deps, call, fields, managerExpand, failures)).map((outcome) =>
      outcome.kind === 'user' ? { kind: 'found', value: outcome.user } : outcome,
    ),
  );
  return { users: found, notFound };
}

/** What a $batch item answered: the thing read, not found, retry after a wait (counted), or resend at once (not counted). */
export type BatchItemOutcome<T> =
  | { readonly kind: 'found'; readonly value: T }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'retry'; readonly waitMs: number; readonly status: number }
  | { readonly kind: 'resend' };

/**
 * Reads ids BATCH_MAX_REQUESTS at a time through `send` (one $batch per chunk, outcomes in chunk order), resending
 * the items that asked for it: each item gets the policy's attempts (failures per id, not per read), waits are
 * slept inline only within the policy's bounds, and a longer wait is handed back as "retry later" (GRAPH_THROTTLED
 * when an item was throttled, else GRAPH_UNAVAILABLE), never slept. Shared by users and groups by id.
 */
export async function readInBatches<T>(
  ids: readonly string[],
  deps: Pick<GraphClientDeps, 'policy'>,
  operation: string,
  send: (chunk: readonly string[], failures: ReadonlyMap<string, number>) => Promise<readonly BatchItemOutcome<T>[]>,
): Promise<{ found: T[]; notFound: string[] }> {
  const found: T[] = [];
  const notFound: string[] = [];
  let pending = [...new Set(ids)];
  /** Failed attempts per id so far: each item gets the policy's attempts, not the whole read. */
  const failures = new Map<string, number>();
  let waitedMs = 0;

  while (pending.length > 0) {
    const chunk = pending.slice(0, BATCH_MAX_REQUESTS);
    const outcomes = await send(chunk, failures);
    const again: string[] = [];
    let waitMs = 0;
    let mostFailures = 0;
    let throttled = false;
    chunk.forEach((id, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) return;
      if (outcome.kind === 'found') found.push(outcome.value);
      else if (outcome.kind === 'notFound') notFound.push(id);
      else {
        again.push(id);
        if (outcome.kind === 'retry') {
          const failed = (failures.get(id) ?? 0) + 1;
          failures.set(id, failed);
          mostFailures = Math.max(mostFailures, failed);
          waitMs = Math.max(waitMs, outcome.waitMs);
          throttled ||= outcome.status === 429;
        }
      }
    });
    pending = [...again, ...pending.slice(BATCH_MAX_REQUESTS)];
    if (waitMs === 0 && mostFailures === 0) continue;

    const policy = deps.policy;
    if (mostFailures >= policy.maxAttempts || waitMs > policy.maxInlineWaitMs || waitedMs + waitMs > policy.maxTotalInlineWaitMs) {
      const seconds = toRetryAfterSeconds(Math.max(waitMs, backoffMs(mostFailures, policy)));
      throw new AppError(
        throttled ? 'GRAPH_THROTTLED' : 'GRAPH_UNAVAILABLE',
        throttled
          ? `Microsoft Graph is throttling the app; it will retry after ${seconds} s.`
          : `Microsoft Graph is temporarily unavailable; the app will retry after ${seconds} s.`,
        { context: { operation, waitingItems: again.length }, retry: 'later', retryAfterSeconds: seconds },
      );
    }
    waitedMs += waitMs;
    await policy.sleep(waitMs);
  }
  return { found, notFound };
}

async function sendBatch(
  chunk: readonly string[],
  deps: GraphClientDeps,
  call: GraphCall,
  fields: { readonly select: string; readonly extras: readonly GraphExtra[]; readonly profile?: readonly string[] },
  managerExpand: ManagerExpand,
  failures: ReadonlyMap<string, number>,
): Promise<ItemOutcome[]> {
  const expand = managerExpand.current();
  const { items, clientRequestId } = await sendGetBatch(
    chunk.map((id) => `/users/${encodeURIComponent(id)}?$select=${fields.select}&$expand=${expand}`),
    deps,
    call,
    OPERATION,
    (failure) => graphFailure(failure, OPERATION),
  );
  const outcomes: ItemOutcome[] = [];
  for (const [index, id] of chunk.entries()) {
    const item = items[index]!;
    const attempt = (failures.get(id) ?? 0) + 1;
    outcomes.push(
      await itemOutcome(item, id, {
        deps,
        managerExpand,
        expand,
        attempt,
        clientRequestId,
        extras: fields.extras,
        profile: fields.profile ?? [],
      }),
    );
  }
  return outcomes;
}

async function itemOutcome(
  item: BatchItemResponse,
  id: string,
  ctx: {
    deps: GraphClientDeps;
    managerExpand: ManagerExpand;
    expand: string;
    attempt: number;
    clientRequestId: string;
    extras: readonly GraphExtra[];
    profile: readonly string[];
  },
): Promise<ItemOutcome> {
  if (item.status === 200) {
    const parsed = graphUserSchema.safeParse(item.body);
    if (!parsed.success || parsed.data.id !== id) {
      throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph ($batch) returned a user the app could not read.', {
        context: { operation: OPERATION, status: item.status, requestId: header(item, 'request-id') },
        cause: parsed.error,
        retry: 'now',
      });
    }
    return { kind: 'user', user: toEntraUser(parsed.data, ctx.extras, ctx.profile) };
  }
  if (item.status === 404) return { kind: 'notFound' };
  if (isGraphRetryable(item.status)) {
    const fromHeader = parseRetryAfter(header(item, 'retry-after'), ctx.deps.policy.now());
    return { kind: 'retry', waitMs: fromHeader ?? backoffMs(ctx.attempt, ctx.deps.policy), status: item.status };
  }
  const error = graphErrorSchema.safeParse(item.body);
  const failure: GraphFailure = {
    status: item.status,
    graphCode: error.success ? error.data.error.code : null,
    requestId: header(item, 'request-id'),
    clientRequestId: ctx.clientRequestId,
    unknownProperty: unknownExtensionProperty(item.status, error.success ? error.data.error.message : undefined),
  };
  // A chosen extension property the tenant lacks: no other form of the request can succeed.
  if (failure.unknownProperty !== null && failure.unknownProperty !== undefined) throw graphFailure(failure, OPERATION);
  // Another item may already have switched the form; either way this item is resent with the plain one.
  if (failure.status === 400 && (ctx.expand !== ctx.managerExpand.current() || ctx.managerExpand.fallBack())) return { kind: 'resend' };
  if (isConsentDenied(failure)) {
    // The envelope was accepted, so the token is valid but without the role: the next run signs in again.
    await ctx.deps.tokens.invalidate();
    throw consentMissing(failure, OPERATION);
  }
  throw graphFailure(failure, OPERATION);
}

/** A header of a $batch item's answer (Graph's casing of header names varies), or null. */
export function header(item: BatchItemResponse, name: string): string | null {
  const entry = Object.entries(item.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? null;
}

/**
 * Sends one $batch of GET requests (ids "1".."n" in order, each with the priority headers) and answers the items in
 * the order of `urls`; an envelope failure becomes `failure`'s error, an item left out of the answer
 * RESPONSE_MALFORMED (retried now). Shared by users and groups by id.
 */
export async function sendGetBatch(
  urls: readonly string[],
  deps: GraphClientDeps,
  call: GraphCall,
  operation: string,
  failure: (failure: GraphFailure) => AppError,
): Promise<{ items: BatchItemResponse[]; clientRequestId: string }> {
  const requests = urls.map((url, index) => ({ id: String(index + 1), method: 'GET', url, headers: priorityHeaders(deps) }));
  const result = await call(operation, {
    method: 'POST',
    url: `${deps.endpoints.graph}/v1.0/$batch`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ requests }),
  });
  if (!result.ok) throw failure(result.failure);
  const { responses } = await readJson(result.response, batchResponseSchema, 'Microsoft Graph ($batch)', result.context);
  const byId = new Map(responses.map((item) => [item.id, item]));
  const items = urls.map((_, index) => {
    const item = byId.get(String(index + 1));
    if (item === undefined) {
      throw new AppError('RESPONSE_MALFORMED', 'Microsoft Graph ($batch) left out the answer to a request; the app will try again.', {
        context: result.context,
        retry: 'now',
      });
    }
    return item;
  });
  return { items, clientRequestId: result.clientRequestId };
}
