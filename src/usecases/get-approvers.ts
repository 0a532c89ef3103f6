/**
 * Automation action "Get approvers" (issue 15): the account ids of a person's managers, up to `levels` (1-5) levels
 * up, from the synced directory: the person's Employee object by account id (one AQL query), then one Employee
 * object per level following its Manager reference. The chain stops early, and says why, at the top (no manager), at
 * a missing link (the referenced object is gone, inactive, or has no Atlassian account), or at a loop (a manager
 * already in the chain: reported, never followed twice).
 */
import { z } from 'zod';

import { AppError } from '../domain/errors';
import { openDirectory } from '../services/directory-queries';
import type { ActionDeps } from './action-deps';
import { accountIdInput } from './action-inputs';
import { appReader } from './look-up-employee';
import { defineUseCase } from './use-case';

export const MAX_APPROVER_LEVELS = 5;

const LEVELS_MESSAGE = `levels must be a whole number from 1 to ${MAX_APPROVER_LEVELS} (how many managers up the chain).`;

export const getApproversInput = z
  .object({
    accountId: accountIdInput,
    levels: z.preprocess(
      (raw) => (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw),
      z
        .number({ error: LEVELS_MESSAGE })
        .int({ error: LEVELS_MESSAGE })
        .min(1, { error: LEVELS_MESSAGE })
        .max(MAX_APPROVER_LEVELS, { error: LEVELS_MESSAGE }),
    ),
  })
  .strict();

export type ApproverStop = 'levels' | 'top' | 'missing-link' | 'loop' | 'not-in-directory';

export interface Approvers {
  /** The managers' account ids, nearest first, comma-separated (Automation outputs are text or numbers). */
  readonly approvers: string;
  readonly approverCount: number;
  /** The nearest manager's account id, "" when there is none. */
  readonly firstApprover: string;
  /** `levels`: every level asked for was found; otherwise why the chain ended early. */
  readonly stoppedBecause: ApproverStop;
  /** One sentence for the audit log: where and why the chain stopped (no names). */
  readonly detail: string;
}

export const getApproversUseCase = defineUseCase({
  name: 'getApprovers',
  input: getApproversInput,
  access: 'automation-rule',
  run: async (deps: ActionDeps, input): Promise<Approvers> => {
    const directory = await openDirectory(appReader(deps));
    const found = await directory.byAccountId(input.accountId);
    if (found.length > 1)
      throw new AppError(
        'INPUT_INVALID',
        'More than one Employee object in the Entra Directory has this account id: ask a Jira administrator to check the directory for duplicates.',
        { context: { action: 'getApprovers', matches: found.length } },
      );
    const ids: string[] = [];
    const answer = (stoppedBecause: ApproverStop, detail: string): Approvers => ({
      approvers: ids.join(','),
      approverCount: ids.length,
      firstApprover: ids[0] ?? '',
      stoppedBecause,
      detail,
    });
    let current = found[0];
    if (current === undefined)
      return answer('not-in-directory', 'The person is not in the Entra Directory (not synced, or not matched to this account).');
    const seen = new Set([current.objectId]);
    while (ids.length < input.levels) {
      const level = ids.length + 1;
      if (current.managerObjectId === null) {
        return answer(
          'top',
          level === 1
            ? 'The person has no manager in the directory (top of the chain).'
            : `The manager at level ${level - 1} has no manager (top of the chain).`,
        );
      }
      const manager = await directory.byObjectId(current.managerObjectId);
      if (manager === null)
        return answer(
          'missing-link',
          `The manager at level ${level} is no longer in the directory (its Employee object ${current.managerObjectId} is gone).`,
        );
      if (seen.has(manager.objectId))
        return answer(
          'loop',
          `The manager chain loops back at level ${level} (Employee object ${manager.objectKey} is already in the chain): fix the managers in Entra ID.`,
        );
      seen.add(manager.objectId);
      if (!manager.active)
        return answer('missing-link', `The manager at level ${level} (${manager.objectKey}) is inactive in the directory.`);
      if (manager.accountId === null)
        return answer('missing-link', `The manager at level ${level} (${manager.objectKey}) has no Atlassian account.`);
      ids.push(manager.accountId);
      current = manager;
    }
    return answer('levels', `Found ${ids.length} level${ids.length === 1 ? '' : 's'} of managers as asked.`);
  },
});
