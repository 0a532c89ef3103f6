/**
 * Automation action "Sync this user now" (issue 15): the single-user sync (src/services/single-user-sync.ts, the
 * same use of it as the Sync tab's card, no second implementation) for onboarding and offboarding rules. The person is
 * named by an Atlassian account id or an email, validated like Look up employee's inputs. It is recorded in History as
 * a single-user run started by the rule's actor when Forge names one (R1), else by AUTOMATION_STARTED_BY; it is
 * refused with RUN_ALREADY_ACTIVE while a full run (or Create Schema) holds the run lock.
 *
 * What the rule sees: a written or unchanged sync answers outputs (smart values); a sync that stopped at a step
 * answers that step's code and message, so the rule stops and its audit log says which step failed and why. The
 * outputs carry object keys, attribute names and step statuses only, never attribute values (names, emails).
 */
import { z } from 'zod';

import { AppError } from '../domain/errors';
import { AUTOMATION_STARTED_BY } from '../domain/run-starter';
import { type SingleUserSyncDeps, syncOneUser, type SyncUserResult } from '../services/single-user-sync';
import { optionalAccountId, optionalEmail } from './action-inputs';
import { defineUseCase } from './use-case';

export const syncUserNowInput = z
  .object({ accountId: optionalAccountId, email: optionalEmail })
  .strict()
  .refine((input) => (input.accountId === undefined) !== (input.email === undefined), {
    error: 'Give exactly one of accountId or email (for example accountId = {{reporter.accountId}}).',
  });

export interface SyncUserNowAnswer {
  /** True when the Employee object was created, updated or inactivated. */
  readonly written: boolean;
  readonly outcome: 'created' | 'updated' | 'inactivated' | 'unchanged';
  /** The Employee object written or found (e.g. ENTRA-42); null when none exists. */
  readonly objectKey: string | null;
  /** The names of the attributes written, comma-separated ("" when nothing was written). */
  readonly changedAttributes: string;
  readonly changeCount: number;
  /** The single-user run's number in History. */
  readonly runNumber: number;
  /** Every step with its status, e.g. "entra ok, scope ok, ..., write ok". */
  readonly steps: string;
  /** One line for the audit log: what was written (or "Nothing to write"), then any step's warning. */
  readonly detail: string;
}

export const syncUserNowUseCase = defineUseCase({
  name: 'syncUserNow',
  input: syncUserNowInput,
  access: 'automation-rule',
  run: async (deps: SingleUserSyncDeps, input, caller): Promise<SyncUserNowAnswer> => {
    const who = input.accountId !== undefined ? { accountId: input.accountId } : { email: input.email ?? '' };
    const result = await syncOneUser(deps, who, caller.accountId ?? AUTOMATION_STARTED_BY);
    return answerOf(result);
  },
});

/** The rule's answer: outputs when the sync finished, the failed step's error when it stopped. */
export function answerOf(result: SyncUserResult): SyncUserNowAnswer {
  const failed = result.steps.find((step) => step.status === 'failed');
  if (result.error !== null || result.outcome === 'failed') {
    const code = result.error?.code ?? 'INTERNAL';
    const message = result.error?.message ?? failed?.detail ?? 'The single-user sync stopped.';
    throw new AppError(
      code,
      `Sync this user now stopped at the ${failed?.step ?? 'unknown'} step, nothing written: ${message} (History: run #${result.runNumber}.)`,
      { context: { action: 'syncUserNow', step: failed?.step ?? null, runNumber: result.runNumber } },
    );
  }
  const write = result.steps.find((step) => step.step === 'write');
  const warnings = result.steps.filter((step) => step.status === 'warning').map((step) => `${step.step}: ${step.detail}`);
  return {
    written: result.written,
    outcome: result.outcome,
    objectKey: result.objectKey,
    changedAttributes: result.changes.map((change) => change.attribute).join(', '),
    changeCount: result.changes.length,
    runNumber: result.runNumber,
    steps: result.steps.map((step) => `${step.step} ${step.status}`).join(', '),
    detail: [write?.detail ?? '', ...warnings].filter((part) => part !== '').join(' '),
  };
}
