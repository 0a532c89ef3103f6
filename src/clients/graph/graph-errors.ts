/**
 * What Microsoft's failures mean to a Jira admin. The token endpoint's AADSTS codes and Graph's error codes are
 * translated here, once, into AppErrors with a stable code, a message that says what to change, and context for
 * support (HTTP status, AADSTS or Graph code, correlation and request ids). Microsoft's own descriptions are never
 * copied: they can echo the app id, a UPN or part of what was sent.
 */
import { AppError, type ErrorCode, type ErrorContext } from '../../domain/errors';
import type { RetryRules } from '../retry-policy';
import type { TokenError } from './graph-schemas';

export const TOKEN_RETRY_RULES: RetryRules = {
  service: 'Microsoft Entra ID sign-in',
  isRetryable: (status) => status === 429 || status >= 500,
  throttledCode: 'GRAPH_THROTTLED',
  unavailableCode: 'GRAPH_UNAVAILABLE',
  unreachableCode: 'MICROSOFT_UNREACHABLE',
};

export const GRAPH_RETRY_RULES: RetryRules = {
  service: 'Microsoft Graph',
  isRetryable: isGraphRetryable,
  throttledCode: 'GRAPH_THROTTLED',
  unavailableCode: 'GRAPH_UNAVAILABLE',
  unreachableCode: 'MICROSOFT_UNREACHABLE',
};

/** Graph documents Retry-After on 429, 503 and 504; other 5xx are answered, not waited out. */
export function isGraphRetryable(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

const TENANT_HINT =
  "Check the Directory (tenant) ID on the app registration's Overview page in the Microsoft Entra admin center, and that the Microsoft cloud setting matches where the tenant lives.";

const SCOPE_MESSAGE =
  'Microsoft Entra ID rejected the requested Microsoft Graph scope. Check that the Microsoft cloud setting matches where the tenant lives.';

const TOKEN_MESSAGES = {
  ENTRA_TENANT_NOT_FOUND: `Microsoft Entra ID does not know this tenant. ${TENANT_HINT}`,
  ENTRA_TENANT_INVALID:
    'The Tenant ID is not a valid tenant identifier. Use the Directory (tenant) ID (a GUID) or a verified domain name such as contoso.onmicrosoft.com.',
  ENTRA_CLIENT_ID_INVALID:
    "No app registration with this Client ID exists in the tenant. Check the Application (client) ID on the app registration's Overview page, and that the Tenant ID is the tenant the app is registered in.",
  ENTRA_SECRET_INVALID:
    "Microsoft Entra ID rejected the client secret. Paste the secret's Value, not its Secret ID (the Value is shown only once, right after the secret is created in Certificates & secrets).",
  ENTRA_SECRET_EXPIRED:
    'The client secret has expired. Create a new client secret in Certificates & secrets and save it here (the app registration > Certificates & secrets > New client secret; copy its Value).',
  ENTRA_SCOPE_INVALID: SCOPE_MESSAGE,
  ENTRA_WRONG_CLOUD:
    'The tenant lives in a different Microsoft cloud than the one chosen. On the Setup tab, choose the Microsoft cloud the tenant lives in (Global, US Government or China), save, and test the connection again.',
} as const satisfies Partial<Record<ErrorCode, string>>;

type TokenErrorCode = keyof typeof TOKEN_MESSAGES;

const AADSTS_CODES: Readonly<Record<string, TokenErrorCode>> = {
  '90002': 'ENTRA_TENANT_NOT_FOUND',
  '900023': 'ENTRA_TENANT_INVALID',
  '700016': 'ENTRA_CLIENT_ID_INVALID',
  '7000215': 'ENTRA_SECRET_INVALID',
  '7000222': 'ENTRA_SECRET_EXPIRED',
  // scope without /.default; resource not in this cloud; invalid scope
  '1002012': 'ENTRA_SCOPE_INVALID',
  '500011': 'ENTRA_SCOPE_INVALID',
  '70011': 'ENTRA_SCOPE_INVALID',
  // Tenant in another (national) cloud than the authority asked: AADSTS90038 NationalCloudTenantRedirection,
  // AADSTS900382 and AADSTS900432 "Confidential Client is not supported in Cross Cloud request".
  // Source: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
  '90038': 'ENTRA_WRONG_CLOUD',
  '900382': 'ENTRA_WRONG_CLOUD',
  '900432': 'ENTRA_WRONG_CLOUD',
};

/** Only when no AADSTS code can be read: OAuth's error field and the status still say which setting is wrong. */
function oauthFallback(status: number, error: string): TokenErrorCode | undefined {
  if (error === 'invalid_tenant') return 'ENTRA_TENANT_NOT_FOUND';
  if (error === 'unauthorized_client') return 'ENTRA_CLIENT_ID_INVALID';
  if (error === 'invalid_client' && status === 401) return 'ENTRA_SECRET_INVALID';
  if (error === 'invalid_scope') return 'ENTRA_SCOPE_INVALID';
  return undefined;
}

/** "AADSTS7000215" from error_codes, else from the description's prefix; null when neither has one. */
export function aadstsCode(error: TokenError): string | null {
  const first = error.error_codes?.[0];
  if (first !== undefined) return String(first);
  const match = /AADSTS(\d+)/.exec(error.error_description ?? '');
  return match?.[1] ?? null;
}

/** Maps a failed token response (body parsed, or undefined when it was not the documented JSON). */
export function tokenFailure(status: number, error: TokenError | undefined): AppError {
  const code = error === undefined ? null : aadstsCode(error);
  const context: ErrorContext = {
    status,
    aadsts: code === null ? null : `AADSTS${code}`,
    error: error?.error ?? null,
    correlationId: error?.correlation_id ?? null,
    traceId: error?.trace_id ?? null,
  };
  const mapped = code === null ? (error === undefined ? undefined : oauthFallback(status, error.error)) : AADSTS_CODES[code];
  if (mapped !== undefined) return new AppError(mapped, TOKEN_MESSAGES[mapped], { context });

  const what = [code === null ? null : `AADSTS${code}`, error?.error ?? null].filter((part) => part !== null).join(', ');
  return new AppError(
    'ENTRA_AUTH_FAILED',
    `Microsoft Entra ID refused to issue a token (HTTP ${status}${what === '' ? '' : `, ${what}`}). Check the Tenant ID, Client ID, client secret and Microsoft cloud settings; Microsoft's AADSTS error reference explains the code.`,
    { context },
  );
}

/** A failed Graph response, as read by the Graph client. */
export interface GraphFailure {
  readonly status: number;
  /** Graph's error.code; null when the body was not Graph's error JSON. */
  readonly graphCode: string | null;
  /** The response's request-id header, for Microsoft support. */
  readonly requestId: string | null;
  readonly clientRequestId: string;
  /**
   * The directory extension property a 400 names as unknown ("Could not find a property named
   * 'extension_..._name' on type 'microsoft.graph.user'."), read from Graph's error message; absent otherwise. Only
   * the property name is kept: the rest of Microsoft's message is never copied.
   */
  readonly unknownProperty?: string | null;
  /** A 400 saying the reference being added already exists (adding a group member twice); absent otherwise. */
  readonly alreadyMember?: boolean;
}

/**
 * Graph's answer to a `$select` naming a property the user type does not have, e.g. a directory extension property
 * the tenant never registered or has removed: 400 Request_BadRequest "Could not find a property named '<name>' on
 * type 'microsoft.graph.user'." (Microsoft, "Add custom data to users using directory extensions",
 * https://learn.microsoft.com/graph/extensibility-overview#directory-microsoft-entra-id-extensions; the message form
 * is the OData one Graph uses for any unknown $select property). Returns the extension property named, else null.
 */
export function unknownExtensionProperty(status: number, message: string | undefined): string | null {
  if (status !== 400 || message === undefined) return null;
  const match = /property named '(extension_[0-9A-Za-z]+_[A-Za-z0-9_]+)'/.exec(message);
  return match?.[1] ?? null;
}

/** Where the admin finds the right name of a directory extension property. */
export const EXTENSION_NAME_HINT =
  'Directory extension properties are named extension_{app id without hyphens}_{name}: find the exact names in the Microsoft Entra admin center (the owning app registration) or with Microsoft Graph GET /applications/{id}/extensionProperties.';

/**
 * Graph codes that mean "the token carries no role that allows this": Authorization_RequestDenied ("Insufficient
 * privileges"), and AccessDenied "Either scp or roles claim need to be present in the token." which Graph answers
 * for an app-only token without any roles (consent never granted; reported e.g. in
 * https://pnp.github.io/cli-microsoft365/user-guide/cli-certificate-caveats/). Codes are compared ignoring case:
 * Graph's own casing varies between workloads (accessDenied / AccessDenied).
 */
const CONSENT_CODES = new Set(['authorization_requestdenied', 'accessdenied']);

export function isConsentDenied(failure: GraphFailure): boolean {
  return failure.status === 403 && failure.graphCode !== null && CONSENT_CODES.has(failure.graphCode.toLowerCase());
}

export function failureContext(failure: GraphFailure, operation: string): ErrorContext {
  return {
    operation,
    status: failure.status,
    graphCode: failure.graphCode,
    requestId: failure.requestId,
    clientRequestId: failure.clientRequestId,
  };
}

export function consentMissing(failure: GraphFailure, operation: string): AppError {
  return new AppError(
    'GRAPH_CONSENT_MISSING',
    'The app registration may not read users. Add the Microsoft Graph application permission User.Read.All to the app registration and grant admin consent (API permissions > Grant admin consent).',
    { context: failureContext(failure, operation) },
  );
}

/**
 * A chosen directory extension property the tenant does not have (removed since it was saved on the Setup tab):
 * every read of users fails until the admin fixes or removes it, so it is permanent, never retried.
 */
export function extensionPropertyUnknown(failure: GraphFailure, property: string, operation: string): AppError {
  return new AppError(
    'ENTRA_EXTENSION_PROPERTY_UNKNOWN',
    `Microsoft Entra ID has no directory extension property named ${property}, which is chosen on the Setup tab; no user could be read. ` +
      `On the Setup tab, under Directory extension attributes, correct the name or remove it and save. ${EXTENSION_NAME_HINT}`,
    { context: { ...failureContext(failure, operation), property } },
  );
}

/** Any Graph failure the caller did not handle itself. */
export function graphFailure(failure: GraphFailure, operation: string): AppError {
  const context = failureContext(failure, operation);
  if (isConsentDenied(failure)) return consentMissing(failure, operation);
  if (failure.unknownProperty !== undefined && failure.unknownProperty !== null)
    return extensionPropertyUnknown(failure, failure.unknownProperty, operation);
  if (failure.status === 401) {
    return new AppError(
      'GRAPH_REQUEST_FAILED',
      "Microsoft Graph rejected the app's access token even after a fresh sign-in. Check that the Microsoft cloud setting matches the tenant, then try again.",
      { context },
    );
  }
  if (failure.status >= 500) {
    return new AppError('GRAPH_UNAVAILABLE', `Microsoft Graph failed to answer (HTTP ${failure.status}); the app will try again.`, {
      context,
      retry: 'now',
    });
  }
  const code = failure.graphCode === null ? '' : ` ${failure.graphCode}`;
  return new AppError(
    'GRAPH_REQUEST_FAILED',
    `Microsoft Graph refused a request while reading users (HTTP ${failure.status}${code}). If it persists, contact support with the request id.`,
    { context },
  );
}
