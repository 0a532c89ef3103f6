/**
 * `sync-user --account-id ID | --email ADDRESS | --entra-id ID [--json]`: the Sync tab's "Sync one user", through the
 * app's syncUser resolver (src/services/single-user-sync.ts). Prints each step with its result; with --json the
 * resolver's answer as is (docs/sandbox.md). Exit 0: written, or nothing to write; 1: a step failed or the sync was
 * refused; 2: usage (cli-args.ts).
 */
import { z } from 'zod';

import { RESOLVER_KEYS } from '../src/functions/resolver-keys';
import { ResolverError } from './app-client';
import { type CommandContext, failWith } from './cli-commands';

const answerSchema = z
  .object({
    runId: z.string(),
    runNumber: z.number(),
    written: z.boolean(),
    outcome: z.string(),
    objectKey: z.string().nullable(),
    changes: z.array(z.object({ attribute: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
    steps: z.array(z.object({ step: z.string(), status: z.string(), detail: z.string() })),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .passthrough();

export async function syncUserCommand(ctx: CommandContext): Promise<number> {
  const who = ctx.options.syncUser;
  if (who === undefined) return 2; // cli-args.ts refuses sync-user without exactly one of the three
  try {
    const data = await ctx.client.raw(RESOLVER_KEYS.syncUser, { ...who });
    ctx.output.result(data);
    const answer = answerSchema.parse(data);
    ctx.output.line(`Single-user run #${answer.runNumber} (run ${answer.runId}):`);
    for (const step of answer.steps) ctx.output.line(`  ${step.status.padEnd(7)} ${step.step}: ${step.detail}`);
    if (answer.error !== null) {
      ctx.output.error(`Nothing was written: ${answer.error.message} [${answer.error.code}]`);
      return 1;
    }
    ctx.output.line(answer.written ? `Written: ${answer.outcome} ${answer.objectKey ?? ''}.` : 'Nothing to write.');
    return 0;
  } catch (error) {
    if (error instanceof ResolverError) return failWith(ctx, error, 'The user was not synced: ');
    throw error;
  }
}
