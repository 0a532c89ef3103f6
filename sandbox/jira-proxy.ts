/**
 * requestJira in the sandbox: a site-relative call goes to the configured Jira site (the built-in simulated site or
 * --jira-url) only when manifest.yml declares the scope it needs; otherwise it gets the 403 Forge gives. The email
 * API answers only calls made as the app, as on Forge. Every forwarded call carries its caller (docs/sandbox.md):
 * `Authorization: Bearer forge-app` for asApp(), `Authorization: Bearer forge-user:<accountId>` for asUser() (the
 * invocation's user unless the app named one), so the site can apply Jira's permission model. Forge does not follow redirects from Assets, so neither does
 * this. After a call that may have changed the built-in site, `afterChange` runs before the app sees the answer,
 * so the site's state on disk never lags behind what the app believes.
 */
import type { ForgeFetchInit } from './forge-fetch';
import { json } from './forge-fetch';
import { currentInvocation } from './invocation-context';
import { checkJiraScope } from './jira-scopes';

export interface JiraProxyDeps {
  /** Origin (and optional base path) of the Jira site, e.g. http://127.0.0.1:4567 */
  readonly siteUrl: string;
  readonly scopes: ReadonlySet<string>;
  readonly fetch: typeof fetch;
  readonly afterChange?: () => void;
}

const READ_ONLY_POSTS = [/\/object\/aql$/, /\/aql\/totalcount$/, /^\/rest\/api\/3\/permissions\/check$/];

export function createJiraProxy(deps: JiraProxyDeps) {
  const base = deps.siteUrl.replace(/\/+$/, '');
  return async (provider: string, path: string, init: ForgeFetchInit, accountId?: string): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (!path.startsWith('/')) return json(400, { message: `requestJira takes a site-relative path, got ${path}` });
    const bare = path.split('?')[0] ?? path;
    const user = accountId ?? currentInvocation()?.accountId;
    if (provider === 'user' && user === undefined) {
      return new Response(null, { status: 401, headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' } });
    }
    // requestJira without asApp()/asUser() (provider 'none') is deprecated in @forge/api and the app never uses it:
    // it is sent without a caller, and the built-in site refuses it with 401.
    const caller = provider === 'app' ? 'Bearer forge-app' : provider === 'user' ? `Bearer forge-user:${user}` : undefined;
    if (provider !== 'app' && /^\/rest\/api\/3\/user\/email(\/bulk)?$/.test(bare)) {
      return json(403, { errorMessages: ['The email API can only be called with api.asApp().'], errors: {} });
    }
    const decision = checkJiraScope(method, bare, deps.scopes);
    if (!decision.allowed) return json(403, { code: 403, message: `Forbidden: ${decision.reason}.` });

    const response = await deps.fetch(`${base}${path}`, {
      method,
      headers: withCaller(init.headers, caller),
      body: init.body as RequestInit['body'],
      redirect: bare.startsWith('/jsm/assets/') ? 'manual' : ((init.redirect as RequestInit['redirect']) ?? 'follow'),
    });
    const body = await response.arrayBuffer();
    if (method !== 'GET' && !READ_ONLY_POSTS.some((p) => p.test(bare))) deps.afterChange?.();
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: withoutEncoding(response.headers),
    });
  };
}

/** The app's headers with Authorization set to the caller (any Authorization the app set is replaced, as Forge does). */
function withCaller(headers: unknown, caller: string | undefined): Headers {
  const copy = new Headers(headers as ConstructorParameters<typeof Headers>[0]);
  copy.delete('authorization');
  if (caller !== undefined) copy.set('authorization', caller);
  return copy;
}

/** The body was decoded when read, so length and encoding headers no longer describe it. */
export function withoutEncoding(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('content-encoding');
  copy.delete('content-length');
  copy.delete('transfer-encoding');
  return copy;
}
