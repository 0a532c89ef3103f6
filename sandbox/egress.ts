/**
 * The global fetch an app invocation sees: only hosts manifest.yml declares under permissions.external.fetch.backend
 * are reachable (anything else fails as Forge's egress allowlist fails it). Declared Microsoft token authorities are
 * sent to the built-in tenant or --login-url, declared Graph hosts to the built-in tenant or --graph-url; other
 * declared hosts go to the real network. A Graph server other than the real one writes its own origin into
 * @odata.nextLink / deltaLink, so that origin is rewritten back to the Graph host the app called (the app only
 * follows links on its own Graph host). Calls made outside any app invocation (tests, fakes) pass through untouched.
 */
import { MICROSOFT_CLOUDS } from '../src/domain/microsoft-cloud';
import { type FetchLimiter, fetchLimitResponse } from './fetch-limit';
import { currentInvocation, InvocationStoppedError } from './invocation-context';
import { withoutEncoding } from './jira-proxy';

export interface EgressDeps {
  /** Declared addresses: https://host, or https://*.domain */
  readonly declared: readonly string[];
  /** Where Microsoft token authority calls go (origin, optional base path). */
  readonly loginTarget: string;
  /** Where Microsoft Graph calls go (origin, optional base path). */
  readonly graphTarget: string;
  /** Origins a Graph target may write in its links, besides the target itself. */
  readonly graphAliases?: readonly string[];
  readonly realFetch: typeof fetch;
  /** Runs after a call reached the built-in tenant (whose memory the sandbox keeps on disk). */
  readonly afterMicrosoftCall?: (kind: 'login' | 'graph') => void;
  /** Forge's per-invocation outbound request limit (every fetch to a declared host counts; see fetch-limit.ts). */
  readonly fetchLimit?: FetchLimiter;
}

const LOGIN_ORIGINS = new Set(Object.values(MICROSOFT_CLOUDS).map((cloud) => new URL(cloud.login).origin));
const GRAPH_ORIGINS = new Set(Object.values(MICROSOFT_CLOUDS).map((cloud) => new URL(cloud.graph).origin));

export class EgressNotAllowedError extends Error {
  readonly status = 403;
  constructor(url: string) {
    super(`URL not included in the external fetch backend permissions: ${url}. Visit go.atlassian.com/forge-egress for more information.`);
    this.name = 'REQUEST_EGRESS_ALLOWLIST_ERR';
  }
}

export function isDeclared(url: URL, declared: readonly string[]): boolean {
  return declared.some((address) => {
    const pattern = new URL(address.replace('*.', 'wildcard.'));
    if (pattern.protocol !== url.protocol) return false;
    if (address.includes('://*.'))
      return url.hostname.endsWith(pattern.hostname.slice('wildcard'.length)) && (pattern.port === '' || pattern.port === url.port);
    return pattern.host === url.host;
  });
}

export function createEgressFetch(deps: EgressDeps): typeof fetch {
  const loginBase = deps.loginTarget.replace(/\/+$/, '');
  const graphBase = deps.graphTarget.replace(/\/+$/, '');
  const linkOrigins = [graphBase, ...(deps.graphAliases ?? [])];

  const egressFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const invocation = currentInvocation();
    if (invocation === undefined) return deps.realFetch(input, init);
    if (invocation.dead) throw new InvocationStoppedError(invocation);
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!isDeclared(url, deps.declared)) throw new EgressNotAllowedError(url.href);
    if (deps.fetchLimit !== undefined && !deps.fetchLimit.take(invocation, 'external')) return fetchLimitResponse();

    const kind = LOGIN_ORIGINS.has(url.origin) ? 'login' : GRAPH_ORIGINS.has(url.origin) ? 'graph' : null;
    if (kind === null) return deps.realFetch(request);
    const target = `${kind === 'login' ? loginBase : graphBase}${url.pathname}${url.search}`;
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    const response = await deps.realFetch(target, {
      method: request.method,
      headers: request.headers,
      body,
      redirect: init?.redirect ?? 'follow',
    });
    let text = await response.text();
    deps.afterMicrosoftCall?.(kind);
    if (kind === 'graph') {
      for (const origin of linkOrigins) {
        if (origin === url.origin) continue;
        text = text.split(origin).join(url.origin).split(origin.replace(/\//g, '\\/')).join(url.origin.replace(/\//g, '\\/'));
      }
    }
    return new Response(response.status === 204 || response.status === 304 ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: withoutEncoding(response.headers),
    });
  };
  return egressFetch as typeof fetch;
}
