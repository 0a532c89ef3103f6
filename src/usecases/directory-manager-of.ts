/** Rovo Directory assistant: who is someone's manager (directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import { asUserReads, personQuestion, resolvePerson, shown, unresolved, userDirectory, VISIBILITY_NOTE } from './directory-assistant';
import { defineUseCase } from './use-case';

export const whoIsManagerUseCase = defineUseCase({
  name: 'directoryManagerOf',
  input: personQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    asUserReads(async () => {
      const includeInactive = input.includeInactive ?? false;
      const directory = await userDirectory(deps);
      const found = await resolvePerson(directory, input.person, includeInactive);
      if (found.kind !== 'found') return unresolved(found);
      const managerId = found.person.managerObjectId;
      const manager = managerId === null ? null : await directory.byObjectId(managerId);
      if (manager === null || (!includeInactive && !manager.active))
        return {
          found: true,
          person: shown(found.person),
          manager: null,
          note: `${managerId === null ? 'The directory lists no manager for this person.' : "This person's manager is not someone you can see (or is inactive)."} ${VISIBILITY_NOTE}`,
        };
      return { found: true, person: shown(found.person), manager: shown(manager), note: VISIBILITY_NOTE };
    }),
});
