/** Automation action "Update Entra user" (write-back, issue 17: src/services/write-back.ts). */
import { runWriteBack, type WriteBackAnswer, type WriteBackDeps } from '../services/write-back';
import { defineUseCase } from './use-case';
import { person, updateInput } from './write-back-actions';

export const updateEntraUserUseCase = defineUseCase({
  name: 'updateEntraUser',
  input: updateInput,
  access: 'automation-rule',
  run: async (deps: WriteBackDeps, input, caller): Promise<WriteBackAnswer> => {
    const values: Record<string, string> = {};
    for (const key of ['jobTitle', 'department', 'officeLocation', 'businessPhone', 'mobilePhone', 'employeeId'] as const) {
      const value = input[key];
      if (value !== undefined) values[key] = value.trim() === '-' ? '' : value.trim();
    }
    const manager = input.managerAccountId === undefined ? undefined : { accountId: input.managerAccountId };
    return runWriteBack(deps, { action: 'update', person: person(input), rule: input.rule, values, manager }, caller);
  },
});
