/** Rovo Directory assistant: someone's department and job title (directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import { aboutPerson, personQuestion, shown, VISIBILITY_NOTE } from './directory-assistant';
import { defineUseCase } from './use-case';

export const personDetailsUseCase = defineUseCase({
  name: 'directoryPerson',
  input: personQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    aboutPerson(deps, input, async (_directory, person) => ({ found: true, person: shown(person), note: VISIBILITY_NOTE })),
});
