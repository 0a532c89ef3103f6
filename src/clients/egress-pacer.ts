/**
 * Forge limits the outbound requests of an invocation (ECO-491: a 429 with forge-proxy-error FETCH_LIMIT_EXCEEDED
 * at the 100th; whether per invocation or per runtime minute, and whether requestJira counts, is not documented:
 * docs/platform-assumptions.md). The app survives the limit either way (src/adapters/forge-fetch-limit.ts ends the
 * invocation and continues in the next), and paces Microsoft calls so it rarely meets it. A full directory
 * read is the first /users/delta round, about 200 users a page (10k users: 50 requests; 100k: 500, spread over
 * invocations by the stage's checkpoints), and Graph may serve smaller pages, so the app must not trip that limit:
 * this wraps the Microsoft transport in a sliding window of `maxPerMinute` requests. A short wait is slept; a
 * longer one becomes "retry later", so a consumer reschedules instead of idling on billed time.
 */
import { AppError } from '../domain/errors';
import type { ExternalFetch } from './http';

export interface EgressPacerOptions {
  readonly maxPerMinute: number;
  readonly maxInlineWaitMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const FORGE_EGRESS_PER_MINUTE = 100;

export function paceEgress(fetch: ExternalFetch, options: EgressPacerOptions): ExternalFetch {
  const sent: number[] = [];
  return async (request) => {
    for (;;) {
      const now = options.now();
      while (sent.length > 0 && sent[0]! <= now - 60_000) sent.shift();
      if (sent.length < options.maxPerMinute) break;
      const waitMs = sent[0]! + 60_000 - now;
      if (waitMs > options.maxInlineWaitMs) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new AppError(
          'GRAPH_THROTTLED',
          `The app is pacing its calls to Microsoft (Forge allows ${FORGE_EGRESS_PER_MINUTE} a minute); it continues in ${seconds} s.`,
          {
            context: { waitMs },
            retry: 'later',
            retryAfterSeconds: seconds,
          },
        );
      }
      await options.sleep(waitMs);
    }
    sent.push(options.now());
    return fetch(request);
  };
}
