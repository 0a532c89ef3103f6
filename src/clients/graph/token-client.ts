/**
 * App-only access tokens for Microsoft Graph (OAuth 2.0 client credentials), cached through a port so a token
 * outlives one Forge invocation (in Forge the port is backed by the secret store). MSAL is not used: its cache is
 * in memory only and it makes metadata calls this flow does not need.
 *
 * Neither the client secret nor a token ever appears in an error message, context or cause produced here.
 */
import { z } from 'zod';

import { AppError, isAppError } from '../../domain/errors';
import type { MicrosoftCloudEndpoints } from '../../domain/microsoft-cloud';
import { type ExternalFetch, readJson, readJsonLoose } from '../http';
import { type RetryPolicy, sendWithRetry } from '../retry-policy';
import { TOKEN_RETRY_RULES, tokenFailure } from './graph-errors';
import { tokenErrorSchema, tokenSuccessSchema } from './graph-schemas';

export const cachedTokenSchema = z.object({
  accessToken: z.string().min(1),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  /** Identifies the settings the token was issued for (tenant, client, cloud, secret version). */
  fingerprint: z.string(),
});
export type CachedToken = z.infer<typeof cachedTokenSchema>;

export interface TokenCache {
  /** Whatever was stored (parsed here: old entries outlive deploys), or undefined. */
  read(): Promise<unknown>;
  write(entry: CachedToken): Promise<void>;
  clear(): Promise<void>;
}

export interface TokenProvider {
  getToken(): Promise<string>;
  /**
   * The application permissions (the `roles` claim) of the current token, read from its payload; [] when the token
   * has no roles (consent never granted); null when the token is not a JWT the app can read (Microsoft documents
   * access tokens as opaque to clients, so this is a hint, never a gate for the sync).
   */
  grantedRoles(): Promise<readonly string[] | null>;
  /** Forgets the token (Graph rejected it, or its roles are stale); the next getToken signs in again. */
  invalidate(): Promise<void>;
}

export interface TokenProviderDeps {
  readonly fetch: ExternalFetch;
  readonly endpoints: MicrosoftCloudEndpoints;
  readonly tenantId: string;
  readonly clientId: string;
  /** Read only when a new token is needed, so a cached token spares a secret-store read. */
  readonly clientSecret: () => Promise<string>;
  readonly cache: TokenCache;
  readonly now: () => number;
  readonly policy: RetryPolicy;
  readonly fingerprint: string;
}

/** A token is replaced this long before it expires, so a request never starts with one about to lapse. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export function createTokenProvider(deps: TokenProviderDeps): TokenProvider {
  let current: CachedToken | null = null;
  let inflight: Promise<string> | null = null;

  const usable = (entry: CachedToken): boolean =>
    entry.fingerprint === deps.fingerprint && deps.now() < entry.expiresAt - TOKEN_REFRESH_MARGIN_MS;

  async function obtain(): Promise<string> {
    const stored = cachedTokenSchema.safeParse(await deps.cache.read());
    if (stored.success && usable(stored.data)) {
      current = stored.data;
      return current.accessToken;
    }
    const fresh = await requestToken(deps);
    current = fresh;
    await deps.cache.write(fresh);
    return fresh.accessToken;
  }

  return {
    getToken() {
      if (current !== null && usable(current)) return Promise.resolve(current.accessToken);
      // Concurrent callers share one sign-in instead of racing to the token endpoint.
      inflight ??= obtain().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    async grantedRoles() {
      return rolesOfAccessToken(await this.getToken());
    },
    async invalidate() {
      current = null;
      await deps.cache.clear();
    },
  };
}

/**
 * The Microsoft identity platform's access-token claims reference documents `roles` as the array of application
 * permissions granted to an app-only token, absent when none was granted:
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims
 * The payload is base64url JSON (RFC 7519); it is parsed, never logged, and only `roles` is kept.
 */
const tokenPayloadSchema = z.looseObject({ roles: z.array(z.string()).optional() });

export function rolesOfAccessToken(token: string): readonly string[] | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = tokenPayloadSchema.safeParse(payload);
  return parsed.success ? [...(parsed.data.roles ?? [])] : null;
}

async function requestToken(deps: TokenProviderDeps): Promise<CachedToken> {
  const url = `${deps.endpoints.login}/${encodeURIComponent(deps.tenantId)}/oauth2/v2.0/token`;
  const body = new URLSearchParams({
    client_id: deps.clientId,
    client_secret: await deps.clientSecret(),
    scope: deps.endpoints.scope,
    grant_type: 'client_credentials',
  }).toString();
  // Taken before the call: the token's lifetime starts no later than this.
  const issuedAt = deps.now();
  const context = { operation: 'token' };
  const response = await sendWithRetry(
    () =>
      deps.fetch({
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
      }),
    TOKEN_RETRY_RULES,
    deps.policy,
    context,
  );
  if (response.status < 200 || response.status >= 300) {
    const parsed = tokenErrorSchema.safeParse(await readJsonLoose(response));
    throw tokenFailure(response.status, parsed.success ? parsed.data : undefined);
  }
  try {
    const token = await readJson(response, tokenSuccessSchema, 'Microsoft Entra ID sign-in', context);
    return { accessToken: token.access_token, expiresAt: issuedAt + token.expires_in * 1000, fingerprint: deps.fingerprint };
  } catch (error) {
    // The parse failure's cause can quote the body, and this body may hold a token: keep code and message only.
    if (isAppError(error)) throw new AppError(error.code, error.message, { context: error.context, retry: error.retry });
    throw error;
  }
}
