/**
 * One error type for the whole app. Every failure a Jira admin can see carries a stable code (documented in
 * docs/errors.md), a message the admin can act on, context for support (run id, stage, HTTP status, request id;
 * never emails, names or secrets) and the underlying cause. The retry class is decided where the error is
 * classified, so the layers above never guess.
 */

export const ERROR_CODES = [
  // settings and input
  'SETTINGS_INVALID',
  'SETTINGS_MISSING',
  'SECRET_MISSING',
  'INPUT_INVALID',
  'PERMISSION_DENIED',
  // Microsoft identity platform and Graph
  'ENTRA_TENANT_NOT_FOUND',
  'ENTRA_TENANT_INVALID',
  'ENTRA_CLIENT_ID_INVALID',
  'ENTRA_SECRET_INVALID',
  'ENTRA_SECRET_EXPIRED',
  'ENTRA_SCOPE_INVALID',
  'ENTRA_AUTH_FAILED',
  'ENTRA_WRONG_CLOUD',
  'GRAPH_CONSENT_MISSING',
  'GRAPH_THROTTLED',
  'GRAPH_UNAVAILABLE',
  'GRAPH_REQUEST_FAILED',
  'GRAPH_DELTA_EXPIRED',
  'GRAPH_PAGE_TOKEN_EXPIRED',
  'GRAPH_GROUPS_FORBIDDEN',
  'ENTRA_EXTENSION_PROPERTY_UNKNOWN',
  'MICROSOFT_UNREACHABLE',
  // Jira
  'JIRA_REQUEST_FAILED',
  'JIRA_THROTTLED',
  'JIRA_UNAUTHORIZED',
  'JIRA_EMAIL_API_UNAVAILABLE',
  // Assets
  'ASSETS_NOT_AVAILABLE',
  'ASSETS_UNAUTHORIZED',
  'ASSETS_SCHEMA_CONFLICT',
  'ASSETS_SCHEMA_MISSING',
  'ASSETS_THROTTLED',
  'ASSETS_REQUEST_FAILED',
  'ASSETS_REDIRECT_FAILED',
  'ASSETS_WRITE_FAILED',
  // Automation actions and the Rovo agent (issue 15)
  'DIRECTORY_ACCESS_DENIED',
  'ACTION_USER_UNAVAILABLE',
  // Sync one user now (issue 15, src/services/single-user-sync.ts): the step that stopped it
  'SYNC_USER_NOT_FOUND',
  'SYNC_USER_NO_EMAIL',
  'SYNC_USER_NOT_MATCHED',
  'SYNC_USER_OUT_OF_SCOPE',
  'SYNC_USER_SCOPE_UNKNOWN',
  // Write-back actions (issue 17, src/services/write-back.ts)
  'WRITE_BACK_DISABLED',
  'WRITE_BACK_PERMISSION_MISSING',
  'WRITE_BACK_TARGET_REFUSED',
  'WRITE_BACK_VALUE_INVALID',
  'WRITE_BACK_NOT_FOUND',
  'WRITE_BACK_RATE_LIMITED',
  // any external API
  'RESPONSE_MALFORMED',
  // runs and the pipeline
  'RUN_ALREADY_ACTIVE',
  'RUN_NOT_FOUND',
  'RUN_STALE',
  'RUN_CANCELLED',
  'RUN_INVALID_STATE',
  'QUEUE_MESSAGE_INVALID',
  'QUEUE_PUSH_FAILED',
  // Forge platform limits
  'FORGE_FETCH_LIMIT',
  'SCHEMA_JOB_FAILED',
  'STORAGE_FAILED',
  'STORAGE_VALUE_TOO_LARGE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * now: a short in-process retry may succeed (network blip, 5xx).
 * later: the caller must come back after retryAfterSeconds (throttling); in Forge this reschedules the event.
 * permanent: retrying will not help until someone changes something; record and stop.
 */
export type RetryClass = 'now' | 'later' | 'permanent';

export type ErrorContextValue = string | number | boolean | null;
export type ErrorContext = Readonly<Record<string, ErrorContextValue>>;

export interface AppErrorOptions {
  readonly context?: ErrorContext;
  readonly cause?: unknown;
  readonly retry?: RetryClass;
  readonly retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;
  readonly retry: RetryClass;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.context = options.context ?? {};
    this.retry = options.retry ?? 'permanent';
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** What may leave the backend (resolver answers, run history): code and message only. */
  toPublic(): PublicError {
    return { code: this.code, message: this.message };
  }
}

export interface PublicError {
  readonly code: ErrorCode;
  readonly message: string;
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError without losing it; unknown failures become INTERNAL. */
export function toAppError(value: unknown, fallbackMessage = 'An unexpected error occurred.'): AppError {
  if (value instanceof AppError) return value;
  return new AppError('INTERNAL', fallbackMessage, { cause: value, retry: 'now' });
}
