/**
 * The fake token authority: POST /{tenant}/oauth2/v2.0/token with the client-credentials grant, answering the
 * identity platform's real error shapes and AADSTS codes for the mistakes admins make (unknown or malformed
 * tenant, wrong client id, wrong secret or the secret's ID pasted, expired secret, scope without /.default).
 * An issued token is JWT-shaped (header.payload.signature, base64url) and carries the application permissions
 * admin consent granted in its `roles` claim, as the Microsoft identity platform's access-token claims reference
 * documents for app-only tokens (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference:
 * `roles` is absent when no permission was granted). The signature is random: nothing verifies it.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { type FakeResponse, json, NotUnderstood } from './fake-http';
import type { TenantState } from './tenant-state';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const FORM_FIELDS = ['client_id', 'client_secret', 'scope', 'grant_type'];

export interface TokenRequest {
  /** The decoded {tenant} path segment. */
  readonly tenant: string;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly now: number;
  readonly origin: string;
}

export function routeToken(state: TenantState, request: TokenRequest): FakeResponse {
  if (!(request.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new NotUnderstood(`token request with Content-Type '${request.contentType ?? ''}' (expected application/x-www-form-urlencoded)`);
  }
  const form = new URLSearchParams(request.body);
  for (const key of form.keys()) {
    if (!FORM_FIELDS.includes(key)) throw new NotUnderstood(`token request field '${key}' is not part of the client-credentials grant`);
  }
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id');
  const secret = form.get('client_secret');
  const scope = form.get('scope');
  if (grantType !== 'client_credentials' || clientId === null || secret === null || scope === null) {
    throw new NotUnderstood(`token request without the client-credentials fields (grant_type=${grantType ?? 'absent'})`);
  }
  const tenant = state.tenant;
  const fail = (status: number, error: string, code: number, text: string): FakeResponse =>
    aadError(request.now, status, error, code, text);

  if (!GUID.test(request.tenant) && !DOMAIN.test(request.tenant)) {
    return fail(
      400,
      'invalid_request',
      900023,
      `Specified tenant identifier '${request.tenant}' is neither a valid DNS name, nor a valid external domain.`,
    );
  }
  const knownTenant =
    request.tenant.toLowerCase() === tenant.tenantId.toLowerCase() ||
    tenant.domains.some((domain) => domain.toLowerCase() === request.tenant.toLowerCase());
  if (!knownTenant) {
    return fail(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${request.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  if (clientId.toLowerCase() !== tenant.clientId.toLowerCase()) {
    return fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  if (!scope.endsWith('/.default')) {
    return fail(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  if (scope !== GRAPH_SCOPE && scope !== `${request.origin}/.default`) {
    return fail(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${scope.slice(0, -'/.default'.length)} was not found in the tenant named ${tenant.tenantId}.`,
    );
  }
  if (secret !== tenant.clientSecret) {
    return fail(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${tenant.clientId}'.`,
    );
  }
  if (state.secretExpired) {
    return fail(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${tenant.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    );
  }
  const lifetime = tenant.tokenLifetimeSeconds ?? 3599;
  const roles = state.consentGranted ? [...state.grantedRoles] : [];
  const accessToken = jwtShapedToken(state, request, scope, lifetime, roles);
  state.accessTokens.set(accessToken, {
    consent: roles.some((role) => USER_READ_ROLES.includes(role)),
    expiresAt: request.now + lifetime * 1000,
    roles,
  });
  return json(200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
}

/** Application permissions that may read users (https://learn.microsoft.com/graph/api/user-list#permissions). */
export const USER_READ_ROLES: readonly string[] = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A v1.0 app-only access token's shape and claims (aud, iss, iat/nbf/exp, appid, tid, idtyp, roles, ...). */
function jwtShapedToken(state: TenantState, request: TokenRequest, scope: string, lifetime: number, roles: readonly string[]): string {
  const iat = Math.floor(request.now / 1000);
  const payload: Record<string, unknown> = {
    aud: scope.slice(0, -'/.default'.length),
    iss: `https://sts.windows.net/${state.tenant.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + lifetime,
    appid: state.tenant.clientId,
    appidacr: '1',
    idtyp: 'app',
    oid: randomUUID(),
    sub: randomUUID(),
    tid: state.tenant.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
  if (roles.length > 0) payload['roles'] = [...roles];
  return `${base64url({ typ: 'JWT', alg: 'RS256', kid: 'fake-entra' })}.${base64url(payload)}.${randomBytes(64).toString('base64url')}`;
}

function aadError(now: number, status: number, error: string, code: number, text: string): FakeResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}
