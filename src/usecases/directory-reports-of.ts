/** Rovo Directory assistant: who reports to someone (capped list; directory-assistant.ts has the shared reading rules). */
import type { ActionDeps } from './action-deps';
import {
  asUserReads,
  listed,
  personQuestion,
  resolvePerson,
  shown,
  unresolved,
  userDirectory,
  VISIBILITY_NOTE,
} from './directory-assistant';
import { defineUseCase } from './use-case';

export const reportsOfUseCase = defineUseCase({
  name: 'directoryReportsOf',
  input: personQuestion,
  access: 'rovo-user',
  run: async (deps: ActionDeps, input) =>
    asUserReads(async () => {
      const includeInactive = input.includeInactive ?? false;
      const directory = await userDirectory(deps);
      const found = await resolvePerson(directory, input.person, includeInactive);
      if (found.kind !== 'found') return unresolved(found);
      if (found.person.accountId === null)
        return { found: true, person: shown(found.person), ...listed({ people: [], truncated: false }), note: VISIBILITY_NOTE };
      const reports = await directory.reportsOf(found.person.accountId, { includeInactive });
      return {
        found: true,
        person: shown(found.person),
        ...listed(reports),
        note: `${reports.truncated ? `Only the first ${reports.people.length} are listed. ` : ''}${VISIBILITY_NOTE}`,
      };
    }),
});
