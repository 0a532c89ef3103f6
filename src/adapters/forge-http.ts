/**
 * The HTTP transports in Forge: Microsoft hosts through the runtime's fetch (egress declared in manifest.yml),
 * and the Jira site through api.asApp().requestJira. Redirects are not followed (Forge does not follow 3xx from
 * Assets); clients treat a 3xx as an error.
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
  return async (request: HttpRequest): Promise<HttpResponse> => {
    // Clients build paths with every parameter encoded; the route helper would reject the already-built string.
    const response = await api.asApp().requestJira(assumeTrustedRoute(request.url), {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
}
