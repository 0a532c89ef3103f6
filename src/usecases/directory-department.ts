/** Rovo Directory assistant: who is in a department (capped list; directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import { asUserReads, departmentQuestion, listed, userDirectory, VISIBILITY_NOTE } from './directory-assistant';
import { defineUseCase } from './use-case';

export const departmentMembersUseCase = defineUseCase({
  name: 'directoryDepartment',
  input: departmentQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    asUserReads(async () => {
      const directory = await userDirectory(deps);
      const members = await directory.inDepartment(input.department, { includeInactive: input.includeInactive ?? false });
      return {
        department: input.department,
        ...listed(members),
        note: `${members.truncated ? `Only the first ${members.people.length} are listed. ` : ''}${members.people.length === 0 ? 'Nobody you can see is in this department. ' : ''}${VISIBILITY_NOTE}`,
      };
    }),
});
