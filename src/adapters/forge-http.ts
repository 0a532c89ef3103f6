/**
 * The HTTP transports in Forge: Microsoft hosts through the runtime's fetch (egress declared in manifest.yml),
 * the Jira site through api.asApp().requestJira, and (for the admin check only) the Jira site as the calling user
 * through api.asUser().requestJira: in a resolver, asUser() acts as the user who invoked it. Redirects are not
 * followed (Forge does not follow 3xx from Assets); clients treat a 3xx as an error.
 */
import api, { assumeTrustedRoute } from '@forge/api';

import type { ExternalFetch, HttpRequest, HttpResponse, JiraFetch } from '../clients/http';

export function createExternalFetch(): ExternalFetch {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
}

export function createJiraFetch(): JiraFetch {
  return requestJiraAs(() => api.asApp());
}

/** requestJira as the user the invocation runs for (resolvers); Forge refuses it where there is no user. */
export function createUserJiraFetch(): JiraFetch {
  return requestJiraAs(() => api.asUser());
}

function requestJiraAs(principal: () => Pick<ReturnType<typeof api.asApp>, 'requestJira'>): JiraFetch {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    // Clients build paths with every parameter encoded; the route helper would reject the already-built string.
    const response = await principal().requestJira(assumeTrustedRoute(request.url), {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
}
