/**
 * The fake JSON $batch endpoint: at most 20 requests with unique ids, an envelope that answers 200 whatever the
 * items do, each item answered by the same code path as a plain request (so each is throttled and can fail on its
 * own), and the responses returned in shuffled order as Graph is allowed to.
 */
import { z } from 'zod';

import { type FakeResponse, graphError, type GraphRequestContext, json } from './fake-http';

export const BATCH_LIMIT = 20;

const batchRequestSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string(),
      url: z.string(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

export type BatchItemRequest = z.infer<typeof batchRequestSchema>['requests'][number];

export function routeBatch(
  ctx: GraphRequestContext,
  body: string,
  answerItem: (item: BatchItemRequest) => FakeResponse,
  shuffle: <T>(items: T[]) => T[],
): FakeResponse {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return graphError(ctx, 400, 'BadRequest', 'Invalid batch payload format.');
  }
  const parsed = batchRequestSchema.safeParse(raw);
  if (!parsed.success) return graphError(ctx, 400, 'BadRequest', 'Invalid batch payload format.');
  const { requests } = parsed.data;
  if (requests.length === 0) return graphError(ctx, 400, 'BadRequest', 'Invalid batch payload format: no requests.');
  if (requests.length > BATCH_LIMIT)
    return graphError(ctx, 400, 'BadRequest', `Number of batch requests exceeds the limit of ${BATCH_LIMIT}.`);
  if (new Set(requests.map((item) => item.id)).size !== requests.length) {
    return graphError(ctx, 400, 'BadRequest', 'Batch request contains duplicate request ids.');
  }
  const responses = requests.map((item) => {
    const answer = answerItem(item);
    return { id: item.id, status: answer.status, headers: answer.headers ?? {}, body: answer.body };
  });
  return json(200, { responses: shuffle(responses) });
}
