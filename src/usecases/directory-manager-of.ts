/** Rovo Directory assistant: who is someone's manager (directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import { aboutPerson, personQuestion, shown, VISIBILITY_NOTE } from './directory-assistant';
import { defineUseCase } from './use-case';

export const whoIsManagerUseCase = defineUseCase({
  name: 'directoryManagerOf',
  input: personQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    aboutPerson(deps, input, async (directory, person, includeInactive) => {
      const managerId = person.managerObjectId;
      const manager = managerId === null ? null : await directory.byObjectId(managerId);
      if (manager === null || (!includeInactive && !manager.active))
        return {
          found: true,
          person: shown(person),
          manager: null,
          note: `${managerId === null ? 'The directory lists no manager for this person.' : "This person's manager is not someone you can see (or is inactive)."} ${VISIBILITY_NOTE}`,
        };
      return { found: true, person: shown(person), manager: shown(manager), note: VISIBILITY_NOTE };
    }),
});
