/**
 * Automation action "Look up employee" (issue 15): one person of the synced directory by Atlassian account id or
 * email, answered from the Employee object in Assets (one AQL query). A person not in the directory is an answer
 * (`inDirectory: false`), not an error, so a rule can branch on it; an email two Employee objects share is refused.
 */
import { z } from 'zod';

import { AppError } from '../domain/errors';
import { type DirectoryQueryDeps, openDirectory } from '../services/directory-queries';
import type { ActionDeps } from './action-deps';
import { optionalAccountId, optionalEmail } from './action-inputs';
import { defineUseCase } from './use-case';

export const lookUpEmployeeInput = z
  .object({ accountId: optionalAccountId, email: optionalEmail })
  .strict()
  .refine((input) => (input.accountId === undefined) !== (input.email === undefined), {
    error: 'Give exactly one of accountId or email (for example accountId = {{reporter.accountId}}).',
  });

export interface EmployeeLookup {
  readonly inDirectory: boolean;
  readonly objectKey: string | null;
  readonly fullName: string | null;
  readonly department: string | null;
  readonly jobTitle: string | null;
  readonly active: boolean | null;
  readonly managerAccountId: string | null;
}

export const lookUpEmployeeUseCase = defineUseCase({
  name: 'lookUpEmployee',
  input: lookUpEmployeeInput,
  access: 'automation-rule',
  run: async (deps: ActionDeps, input): Promise<EmployeeLookup> => {
    const directory = await openDirectory(appReader(deps));
    const found = input.accountId !== undefined ? await directory.byAccountId(input.accountId) : await directory.byEmail(input.email ?? '');
    if (found.length > 1)
      throw new AppError(
        'INPUT_INVALID',
        `More than one Employee object in the Entra Directory has this ${input.accountId !== undefined ? 'account id' : 'email'}: ` +
          'look the person up by accountId instead, or ask a Jira administrator to check the directory for duplicates.',
        { context: { action: 'lookUpEmployee', matches: found.length } },
      );
    const person = found[0];
    if (person === undefined)
      return {
        inDirectory: false,
        objectKey: null,
        fullName: null,
        department: null,
        jobTitle: null,
        active: null,
        managerAccountId: null,
      };
    return {
      inDirectory: true,
      objectKey: person.objectKey,
      fullName: person.fullName,
      department: person.department,
      jobTitle: person.jobTitle,
      active: person.active,
      managerAccountId: person.managerAccountId,
    };
  },
});

/** Automation actions read the directory as the app (the rule's actor is not known to be passed: R1). */
export function appReader(deps: ActionDeps): DirectoryQueryDeps {
  return { store: deps.store, jiraFetch: deps.connectionDeps.jiraFetch, policy: deps.connectionDeps.policy };
}
