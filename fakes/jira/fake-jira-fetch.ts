/**
 * A JiraFetch that sends site-relative requests to a fake Jira site over real HTTP, the way requestJira sends
 * them to the installed site in Forge. Redirects are not followed (Forge does not follow them either).
 */
import type { HttpRequest, HttpResponse, JiraFetch } from '../../src/clients/http';

export function jiraFetchTo(origin: string): JiraFetch {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    if (!request.url.startsWith('/')) throw new Error(`JiraFetch takes a site-relative path, got ${request.url}`);
    const response = await fetch(`${origin}${request.url}`, {
      method: request.method,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
}
