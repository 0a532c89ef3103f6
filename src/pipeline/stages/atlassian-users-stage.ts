/**
 * Stage 1: the Atlassian population. Pages through Jira's user search, keeps active 'atlassian' accounts, fetches
 * the emails that profile visibility hides (asApp email API), and stores the accounts in chunks for the plan stage.
 * When the email API is refused (400 not approved / 503 disabled) the run goes on with visible emails and the
 * report says why matching is incomplete.
 */
import { z } from 'zod';

import { atlassianAccountSchema } from '../../domain/atlassian-account';
import { isInPopulation } from '../../domain/email-match';
import { writeChunks } from '../chunked-store';
import type { ConnectTo, PipelineConfig, PipelineDeps } from '../deps';
import { keys } from '../keys';
import type { StageHandler } from '../step-runner';

/** Everything this stage can touch besides its step context. */
export interface AtlassianUsersStageDeps extends Pick<PipelineDeps, 'store' | 'logger'> {
  readonly connect: ConnectTo<'atlassian'>;
  readonly config: Pick<PipelineConfig, 'runDataTtlSeconds'>;
}

export const atlassianCheckpointSchema = z.object({
  startAt: z.number().int().min(0),
  chunks: z.number().int().min(0),
  population: z.number().int().min(0),
  scanned: z.number().int().min(0),
  hiddenEmails: z.number().int().min(0),
  hiddenEmailsResolved: z.number().int().min(0),
  emailWarning: z.string().nullable(),
  done: z.boolean(),
});
export type AtlassianCheckpoint = z.infer<typeof atlassianCheckpointSchema>;

export const storedAccountSchema = atlassianAccountSchema;

export const createAtlassianUsersStage =
  (deps: AtlassianUsersStageDeps): StageHandler =>
  async (ctx) => {
    const { runId } = ctx;
    let cp: AtlassianCheckpoint = (await ctx.readCheckpoint(atlassianCheckpointSchema)) ?? {
      startAt: 0,
      chunks: 0,
      population: 0,
      scanned: 0,
      hiddenEmails: 0,
      hiddenEmailsResolved: 0,
      emailWarning: null,
      done: false,
    };
    if (cp.done) return { kind: 'complete' };
    const { atlassian } = await deps.connect();

    while (!cp.done) {
      if (ctx.shouldYield()) return { kind: 'continue' };
      const page = await atlassian.listUsersPage(cp.startAt);
      const population = page.accounts.filter(isInPopulation);
      // Jira leaves emailAddress out when the profile hides it: ask the email API for those.
      const needEmail = population.filter((a) => a.email === null).map((a) => a.accountId);

      let resolved = new Map<string, string>();
      let emailWarning = cp.emailWarning;
      if (needEmail.length > 0 && emailWarning === null) {
        const answer = await atlassian.getEmails(needEmail);
        resolved = new Map(answer.emails);
        if (answer.unavailable !== null) emailWarning = answer.unavailable.message;
      }
      const accounts = population.map((a) =>
        a.email === null && resolved.has(a.accountId) ? { ...a, email: resolved.get(a.accountId) ?? null } : a,
      );
      const written = await writeChunks(deps.store, (i) => keys.chunk(runId, 'accounts', i), accounts, {
        firstIndex: cp.chunks,
        ttlSeconds: deps.config.runDataTtlSeconds,
      });
      cp = {
        startAt: cp.startAt + page.accounts.length,
        chunks: cp.chunks + written,
        population: cp.population + accounts.length,
        scanned: cp.scanned + page.accounts.length,
        hiddenEmails: cp.hiddenEmails + needEmail.length,
        hiddenEmailsResolved: cp.hiddenEmailsResolved + [...resolved.keys()].length,
        emailWarning,
        done: page.isLast,
      };
      await ctx.saveCheckpoint(cp);
      await ctx.progress(cp.scanned, null, 'Reading Atlassian accounts');
    }
    deps.logger.info('stage.atlassian-users', {
      runId,
      scanned: cp.scanned,
      population: cp.population,
      hiddenEmails: cp.hiddenEmails,
      hiddenEmailsResolved: cp.hiddenEmailsResolved,
      emailApiUnavailable: cp.emailWarning !== null,
    });
    return { kind: 'complete' };
  };
