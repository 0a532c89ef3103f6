/**
 * A JiraFetch that sends site-relative requests to a fake Jira site over real HTTP, the way requestJira sends
 * them to the installed site in Forge. Redirects are not followed (Forge does not follow them either). Each request
 * carries its caller as the sandbox contract states it (docs/sandbox.md): `Authorization: Bearer forge-app` for
 * asApp() (the default here) and `Authorization: Bearer forge-user:<accountId>` for asUser().
 */
import type { HttpRequest, HttpResponse, JiraFetch } from '../../src/clients/http';

export const APP_AUTHORIZATION = 'Bearer forge-app';

export function userAuthorization(accountId: string): string {
  return `Bearer forge-user:${accountId}`;
}

/** requestJira as the app (api.asApp()). */
export function jiraFetchTo(origin: string, authorization: string = APP_AUTHORIZATION): JiraFetch {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    if (!request.url.startsWith('/')) throw new Error(`JiraFetch takes a site-relative path, got ${request.url}`);
    const response = await fetch(`${origin}${request.url}`, {
      method: request.method,
      headers: { ...request.headers, Authorization: authorization },
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
}

/** requestJira as a user (api.asUser() in a resolver invoked by that account). */
export function jiraFetchAsUser(origin: string, accountId: string): JiraFetch {
  return jiraFetchTo(origin, userAuthorization(accountId));
}
