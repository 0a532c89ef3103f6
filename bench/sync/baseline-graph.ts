/**
 * The baseline's Graph reads, as the product this app replaces describes them: every Atlassian email looked up
 * with `$filter=mail eq '...'`, then the manager of every user found (`/users/{id}/manager`), 20 requests per
 * $batch, one batch after another. Built on the app's own Graph transport (token, retry policy, request ids), so
 * only the strategy differs from the pipeline's full read (the first /users/delta round, about 200 users a page).
 */
import { z } from 'zod';

import { USER_SELECT } from '../../src/clients/graph/graph-client';
import { type BatchItemResponse, batchResponseSchema, graphUserSchema, toEntraUser } from '../../src/clients/graph/graph-schemas';
import type { GraphCall } from '../../src/clients/graph/graph-transport';
import { readJson } from '../../src/clients/http';
import { parseRetryAfter } from '../../src/clients/retry-policy';
import type { EntraUser } from '../../src/domain/entra-user';

export const BATCH_SIZE = 20;
/** Graph refuses `eq` values longer than this. */
const MAX_EQ_LENGTH = 120;

const usersListSchema = z.object({ value: z.array(graphUserSchema) });
const managerSchema = z.looseObject({ id: z.string().min(1) });

export interface BaselineGraphDeps {
  readonly call: GraphCall;
  readonly graphOrigin: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The Entra users found by their Atlassian emails, each with the manager id its own lookup returned. */
export async function lookUpUsers(deps: BaselineGraphDeps, emails: readonly string[]): Promise<EntraUser[]> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0 && e.length <= MAX_EQ_LENGTH))];
  const found = new Map<string, EntraUser>();
  const answers = await sendAll(
    deps,
    wanted.map((email) => `/users?$filter=${encodeURIComponent(`mail eq '${email.replace(/'/g, "''")}'`)}&$select=${USER_SELECT}`),
  );
  for (const answer of answers) {
    if (answer.status !== 200) continue;
    const parsed = usersListSchema.safeParse(answer.body);
    if (!parsed.success) throw new Error(`baseline: unreadable user lookup answer: ${parsed.error.message}`);
    for (const user of parsed.data.value) if (!found.has(user.id)) found.set(user.id, toEntraUser(user));
  }
  const users = [...found.values()];
  const managers = await sendAll(
    deps,
    users.map((u) => `/users/${encodeURIComponent(u.id)}/manager`),
  );
  return users.map((user, i) => {
    const answer = managers[i];
    const manager = answer?.status === 200 ? managerSchema.safeParse(answer.body) : null;
    return { ...user, managerId: manager?.success ? manager.data.id : null };
  });
}

/** Sends GETs 20 per $batch, one batch at a time; throttled items are sent again after their Retry-After. */
async function sendAll(deps: BaselineGraphDeps, urls: readonly string[]): Promise<BatchItemResponse[]> {
  const answers: BatchItemResponse[] = new Array<BatchItemResponse>(urls.length);
  let pending = urls.map((_, i) => i);
  while (pending.length > 0) {
    const chunk = pending.slice(0, BATCH_SIZE);
    const requests = chunk.map((index) => ({ id: String(index), method: 'GET', url: urls[index]! }));
    const result = await deps.call('baselineBatch', {
      method: 'POST',
      url: `${deps.graphOrigin}/v1.0/$batch`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    if (!result.ok) throw new Error(`baseline: $batch failed with HTTP ${result.failure.status}`);
    const { responses } = await readJson(result.response, batchResponseSchema, 'Microsoft Graph ($batch)', result.context);
    const again: number[] = [];
    let waitMs = 0;
    for (const item of responses) {
      const index = Number(item.id);
      if (item.status === 429 || item.status === 503 || item.status === 504) {
        again.push(index);
        waitMs = Math.max(waitMs, parseRetryAfter(header(item, 'retry-after'), deps.now()) ?? 1_000);
      } else {
        answers[index] = item;
      }
    }
    pending = [...again, ...pending.slice(BATCH_SIZE)];
    if (waitMs > 0) await deps.sleep(waitMs);
  }
  return answers;
}

function header(item: BatchItemResponse, name: string): string | null {
  const entry = Object.entries(item.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? null;
}
