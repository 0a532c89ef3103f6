/**
 * globalThis.__forge_fetch__: the one door through which every @forge SDK reaches the platform. The descriptor says
 * where a call goes: {type: 'kvs'} to storage, {type: 'fpp', remote: 'jira'} to the Jira site (requestJira),
 * {type: 'fpp', remote: 'stargate'} to the queue publish endpoint or the privacy API. A call from an invocation that
 * Forge would already have stopped is refused.
 */
import { z } from 'zod';

import { type FetchLimiter, fetchLimitResponse } from './fetch-limit';
import { currentInvocation, InvocationStoppedError } from './invocation-context';
import type { KvsAnswer } from './kvs-api';
import type { QueueAnswer } from './queue-api';

export const PRIVACY_PATH = '/app/report-accounts';

const descriptorSchema = z.object({
  type: z.string(),
  provider: z.string().optional(),
  remote: z.string().optional(),
  accountId: z.string().optional(),
});
export type ForgeFetchDescriptor = z.infer<typeof descriptorSchema>;

export interface ForgeFetchInit {
  readonly method?: string;
  readonly headers?: unknown;
  readonly body?: unknown;
  readonly redirect?: string;
}

export interface ForgeFetchDeps {
  readonly kvs: (path: string, body: unknown) => KvsAnswer;
  readonly publish: (path: string, body: unknown, chainId: string) => QueueAnswer;
  /** `accountId`: the asUser(accountId) descriptor's, when the app named one (asUser() names none: the caller). */
  readonly requestJira: (provider: string, path: string, init: ForgeFetchInit, accountId?: string) => Promise<Response>;
  readonly scopes: ReadonlySet<string>;
  /** Forge's per-invocation outbound request limit; requestJira counts only when the limiter says so (fetch-limit.ts). */
  readonly fetchLimit?: FetchLimiter;
}

export type ForgeFetch = (descriptor: unknown, path: string, init?: ForgeFetchInit) => Promise<Response>;

export function createForgeFetch(deps: ForgeFetchDeps): ForgeFetch {
  return async (rawDescriptor, path, init = {}) => {
    const invocation = currentInvocation();
    if (invocation?.dead) throw new InvocationStoppedError(invocation);
    const descriptor = descriptorSchema.safeParse(rawDescriptor);
    if (!descriptor.success) return proxyError(400, 'INVALID_REMOTE_ERR');
    const { type, remote, provider } = descriptor.data;

    if (type === 'kvs') {
      if (!deps.scopes.has('storage:app'))
        return json(403, { code: 'PERMISSION_DENIED', message: 'manifest.yml does not declare the storage:app scope.' });
      const answer = deps.kvs(path, parseBody(init.body));
      return json(answer.status, answer.body);
    }
    if (type === 'fpp' && remote === 'jira' && deps.fetchLimit !== undefined && !deps.fetchLimit.take(invocation, 'jira'))
      return fetchLimitResponse();
    if (type === 'fpp' && remote === 'jira') return deps.requestJira(provider ?? 'none', path, init, descriptor.data.accountId);
    if (type === 'fpp' && remote === 'stargate') {
      if (path.startsWith('/webhook/queue/')) {
        const answer = deps.publish(path, parseBody(init.body), invocation?.chainId ?? 'outside-any-invocation');
        return json(answer.status, answer.body);
      }
      if (path === PRIVACY_PATH && (init.method ?? 'GET').toUpperCase() === 'POST') {
        if (!deps.scopes.has('report:personal-data'))
          return json(403, { message: 'manifest.yml does not declare the report:personal-data scope.' });
        // The sandbox's accounts are never closed: nothing to erase.
        return new Response(null, { status: 204 });
      }
      return json(404, { message: `The sandbox does not emulate ${path} on the Atlassian API gateway.` });
    }
    return proxyError(400, 'INVALID_REMOTE_ERR');
  };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export function json(status: number, body: unknown): Response {
  if (body === undefined || status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function proxyError(status: number, reason: string): Response {
  return new Response(null, { status, headers: { 'forge-proxy-error': reason } });
}
