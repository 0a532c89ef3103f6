/** Rovo Directory assistant: who reports to someone (capped list; directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import { aboutPerson, listed, personQuestion, shown, VISIBILITY_NOTE } from './directory-assistant';
import { defineUseCase } from './use-case';

export const reportsOfUseCase = defineUseCase({
  name: 'directoryReportsOf',
  input: personQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    aboutPerson(deps, input, async (directory, person, includeInactive) => {
      if (person.accountId === null)
        return { found: true, person: shown(person), ...listed({ people: [], truncated: false }), note: VISIBILITY_NOTE };
      const reports = await directory.reportsOf(person.accountId, { includeInactive });
      return {
        found: true,
        person: shown(person),
        ...listed(reports),
        note: `${reports.truncated ? `Only the first ${reports.people.length} are listed. ` : ''}${VISIBILITY_NOTE}`,
      };
    }),
});
