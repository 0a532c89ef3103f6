/** Rovo Directory assistant: someone's department and job title (directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import { asUserReads, personQuestion, resolvePerson, shown, unresolved, userDirectory, VISIBILITY_NOTE } from './directory-assistant';
import { defineUseCase } from './use-case';

export const personDetailsUseCase = defineUseCase({
  name: 'directoryPerson',
  input: personQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    asUserReads(async () => {
      const directory = await userDirectory(deps);
      const found = await resolvePerson(directory, input.person, input.includeInactive ?? false);
      if (found.kind !== 'found') return unresolved(found);
      return { found: true, person: shown(found.person), note: VISIBILITY_NOTE };
    }),
});
