/**
 * What the Rovo "Directory assistant" actions share (issue 15; one use case per file: directory-manager-of.ts,
 * directory-reports-of.ts, directory-person.ts, directory-department.ts): who someone's manager is, who reports to someone, someone's
 * department and job title, who is in a department (a capped list). Answers come from the synced directory only (the
 * Employee objects of the ENTRA schema) and are read AS THE ASKING USER (api.asUser().requestJira), so Assets shows
 * the agent no more than the user may see there. Inactive people (disabled in Entra ID, left the sync scope, or
 * without an active Atlassian account: the sync marks them inactive) are never shown unless the user asks
 * (`includeInactive`). Every answer says what the agent could and could not see.
 *
 * When Forge gives no user to act as (docs/platform-assumptions.md R2), the agent does not fall back to the app's own
 * access: it answers ACTION_USER_UNAVAILABLE. When Assets refuses the user, it answers DIRECTORY_ACCESS_DENIED.
 */
import { z } from 'zod';

import type { HttpResponse, JiraFetch } from '../clients/http';
import { AppError, toAppError } from '../domain/errors';
import { type DirectoryList, type DirectoryPerson, type DirectoryQueries, openDirectory } from '../services/directory-queries';
import type { ActionDeps } from './action-deps';
import { ACCOUNT_ID_PATTERN, optionalFlag } from './action-inputs';

/** Said with every answer: what the agent reads and what it cannot see. */
export const VISIBILITY_NOTE =
  'Read from the Entra Directory in Assets with your own Assets permissions: people you cannot see in Assets are not shown. ' +
  'Inactive people (disabled, out of the sync scope, or without an active Atlassian account) are left out unless you ask to include them.';

const NOT_FOUND_NOTE =
  'Nobody you can see in the Entra Directory matches. Either the person is not in the synced directory, is inactive ' +
  '(ask again including inactive people), or your Assets permissions do not let you see them.';

const personInput = z.preprocess(
  (raw) => (typeof raw === 'string' ? raw.trim() : raw),
  z
    .string({ error: 'person must be text: an Atlassian account id, an email address or a full name.' })
    .min(1, { error: 'person is empty: give an Atlassian account id, an email address or a full name.' })
    .max(254, { error: 'person is too long (at most 254 characters).' }),
);

export const personQuestion = z.object({ person: personInput, includeInactive: optionalFlag }).strict();
export const departmentQuestion = z
  .object({
    department: z.preprocess(
      (raw) => (typeof raw === 'string' ? raw.trim() : raw),
      z
        .string({ error: 'department must be text: a department name as Entra ID has it.' })
        .min(1, { error: 'department is empty: give a department name.' })
        .max(255, { error: 'department is too long (at most 255 characters).' }),
    ),
    includeInactive: optionalFlag,
  })
  .strict();

/** A person as the agent may show them: no email (not asked for), no object ids. */
export interface PersonAnswer {
  readonly fullName: string | null;
  readonly accountId: string | null;
  readonly department: string | null;
  readonly jobTitle: string | null;
  readonly active: boolean;
  readonly objectKey: string;
}

export function shown(person: DirectoryPerson): PersonAnswer {
  return {
    fullName: person.fullName,
    accountId: person.accountId,
    department: person.department,
    jobTitle: person.jobTitle,
    active: person.active,
    objectKey: person.objectKey,
  };
}

/** requestJira as the asking user, with Forge's "no user to act as" turned into ACTION_USER_UNAVAILABLE. */
export function asAskingUser(fetch: JiraFetch): JiraFetch {
  const unavailable = (cause?: unknown) =>
    new AppError(
      'ACTION_USER_UNAVAILABLE',
      'The Directory assistant could not read the directory as you (Forge gave it no user to act as), so it does not answer: ' +
        'it never shows more than you may see in Assets. Ask again in Rovo chat while signed in.',
      { context: { action: 'directoryAssistant' }, ...(cause === undefined ? {} : { cause }) },
    );
  return async (request): Promise<HttpResponse> => {
    let response: HttpResponse;
    try {
      response = await fetch(request);
    } catch (error) {
      // @forge/api throws NeedsAuthenticationError (name NEEDS_AUTHENTICATION_ERR) where asUser() has no user.
      if (error instanceof Error && error.name === 'NEEDS_AUTHENTICATION_ERR') throw unavailable(error);
      throw error;
    }
    if (response.headers.get('forge-proxy-error') === 'NEEDS_AUTHENTICATION_ERR') throw unavailable();
    return response;
  };
}

export async function userDirectory(deps: ActionDeps): Promise<DirectoryQueries> {
  return openDirectory({ store: deps.store, jiraFetch: asAskingUser(deps.userJiraFetch), policy: deps.connectionDeps.policy });
}

/** Assets refusing the user is an answer about the user's access, not the app's scopes. */
export async function asUserReads<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code !== 'ASSETS_UNAUTHORIZED') throw appError;
    throw new AppError(
      'DIRECTORY_ACCESS_DENIED',
      'Assets does not let you see the Entra Directory, so the Directory assistant cannot answer. If you should see it, ' +
        'ask an Assets admin to give you the "Object viewers" role on the Entra Directory schema.',
      { context: { action: 'directoryAssistant' }, cause: appError },
    );
  }
}

type Found =
  | { readonly kind: 'found'; readonly person: DirectoryPerson }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly count: number };

export async function resolvePerson(directory: DirectoryQueries, person: string, includeInactive: boolean): Promise<Found> {
  const matches = person.includes('@')
    ? await directory.byEmail(person)
    : ACCOUNT_ID_PATTERN.test(person) && /\d/.test(person) && !/\s/.test(person)
      ? await directory.byAccountId(person)
      : await directory.byFullName(person);
  const visible = matches.filter((p) => includeInactive || p.active);
  if (visible.length === 0) return { kind: 'none' };
  if (visible.length > 1) return { kind: 'ambiguous', count: visible.length };
  return { kind: 'found', person: visible[0]! };
}

/**
 * A question about one person (manager, reports, details): read as the asking user, the person named in the
 * question resolved (active people only unless asked), and `answer` given the person; an unresolved person is
 * answered as such.
 */
export function aboutPerson<T>(
  deps: ActionDeps,
  input: { readonly person: string; readonly includeInactive?: boolean | undefined },
  answer: (directory: DirectoryQueries, person: DirectoryPerson, includeInactive: boolean) => Promise<T>,
): Promise<T | ReturnType<typeof unresolved>> {
  return asUserReads(async () => {
    const includeInactive = input.includeInactive ?? false;
    const directory = await userDirectory(deps);
    const found = await resolvePerson(directory, input.person, includeInactive);
    if (found.kind !== 'found') return unresolved(found);
    return answer(directory, found.person, includeInactive);
  });
}

export function unresolved(found: Exclude<Found, { kind: 'found' }>) {
  return found.kind === 'none'
    ? { found: false, note: `${NOT_FOUND_NOTE} ${VISIBILITY_NOTE}` }
    : {
        found: false,
        note: `${found.count === 2 ? 'Two' : 'Several'} people you can see match: ask again with their email address or Atlassian account id. ${VISIBILITY_NOTE}`,
      };
}

export function listed(list: DirectoryList) {
  return {
    people: list.people.map(shown),
    count: list.people.length,
    truncated: list.truncated,
  };
}
