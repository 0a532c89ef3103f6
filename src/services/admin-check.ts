/**
 * The admin page's resolvers must not trust that only admins can reach them: every call checks that the caller
 * holds the Jira global permission ADMINISTER.
 *
 * The question is asked AS THE USER (api.asUser().requestJira): `GET /rest/api/3/mypermissions?permissions=ADMINISTER`
 * answers the caller's own global permissions ("Permissions required: None", jira-platform.swagger-v3.json). Asking
 * as the app about the caller (POST /rest/api/3/permissions/check with an accountId) needs *Administer Jira* for the
 * app's user, which it does not hold: Jira answers 403 and every admin would be refused. Forge's own authorize()
 * helper asks as the user too.
 *
 * A positive answer is kept in KVS for ADMIN_CACHE_SECONDS per account (the page polls every few seconds and Jira's
 * points budget is per app); a negative answer is never kept, so a newly promoted admin gets in at once. A 429, a
 * 5xx or a network failure is "Jira is busy, try again" (JIRA_THROTTLED / JIRA_REQUEST_FAILED), never "you are not
 * an administrator"; a 401/403 on the check itself names the scope it needs.
 */
import { z } from 'zod';

import type { JiraFetch } from '../clients/http';
import { readJson } from '../clients/http';
import { JIRA_RESET_HEADERS } from '../clients/jira/jira-http';
import { toRetryAfterSeconds, waitFromHeaders } from '../clients/retry-policy';
import { AppError } from '../domain/errors';
import { keys } from '../pipeline/keys';
import type { KeyValueStore } from '../pipeline/ports';

export const ADMIN_CACHE_SECONDS = 300;
export const MY_PERMISSIONS_PATH = '/rest/api/3/mypermissions?permissions=ADMINISTER';
/** Classic scope of GET /rest/api/3/mypermissions (the spec's "Current" set; read:permission:jira is Beta). */
export const ADMIN_CHECK_SCOPE = 'read:jira-work';

export const NOT_AN_ADMIN_MESSAGE = 'Only Jira administrators can use Entra ID Sync.';

/** Permissions (jira-platform spec): {permissions: {KEY: UserPermission {havePermission, ...}}}; other fields ignored. */
const myPermissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean().optional() }).passthrough()),
});

const cachedSchema = z.object({ admin: z.literal(true), until: z.number() });

export interface AdminCheckDeps {
  /** requestJira as the calling user (api.asUser()). */
  readonly userFetch: JiraFetch;
  readonly store: KeyValueStore;
  readonly now: () => number;
}

export async function requireJiraAdmin(deps: AdminCheckDeps, accountId: string | undefined): Promise<void> {
  if (accountId === undefined || accountId.length === 0) throw new AppError('PERMISSION_DENIED', NOT_AN_ADMIN_MESSAGE);
  const key = keys.adminCheck(accountId);
  const cached = cachedSchema.safeParse(await deps.store.get(key));
  if (cached.success && cached.data.until > deps.now()) return;

  if (!(await askJira(deps))) throw new AppError('PERMISSION_DENIED', NOT_AN_ADMIN_MESSAGE);
  // KVS expiry is not instant, so the value carries its own end too.
  await deps.store.set(key, { admin: true, until: deps.now() + ADMIN_CACHE_SECONDS * 1000 }, { ttlSeconds: ADMIN_CACHE_SECONDS });
}

/** True when Jira says the calling user holds ADMINISTER (never cached: Diagnostics asks this directly). */
export async function askJira(deps: AdminCheckDeps): Promise<boolean> {
  let response;
  try {
    response = await deps.userFetch({ method: 'GET', url: MY_PERMISSIONS_PATH, headers: { Accept: 'application/json' } });
  } catch (cause) {
    throw busy(
      'JIRA_REQUEST_FAILED',
      'Jira could not be reached to confirm that you are a Jira administrator. Try again in a moment.',
      undefined,
      30,
      cause,
    );
  }
  const status = response.status;
  if (status === 200) {
    const answer = await readJson(response, myPermissionsSchema, 'Jira permission check', { endpoint: 'mypermissions' });
    return answer.permissions['ADMINISTER']?.havePermission === true;
  }
  await response.text().catch(() => undefined);
  if (status === 429) {
    const seconds = toRetryAfterSeconds(waitFromHeaders(response, deps.now(), JIRA_RESET_HEADERS) ?? 10_000);
    throw busy(
      'JIRA_THROTTLED',
      'Jira is busy and could not confirm that you are a Jira administrator. Try again in a moment.',
      status,
      seconds,
    );
  }
  if (status >= 500) {
    throw busy(
      'JIRA_REQUEST_FAILED',
      `Jira could not confirm that you are a Jira administrator (HTTP ${status}). Try again in a moment.`,
      status,
      30,
    );
  }
  if (status === 401 || status === 403) {
    throw new AppError(
      'JIRA_UNAUTHORIZED',
      `Jira refused the administrator check (HTTP ${status}). The app needs the scope ${ADMIN_CHECK_SCOPE}: check that the installed ` +
        'app version has it (an upgrade that adds a scope must be accepted by a Jira admin in Apps > Manage apps), then reload the page.',
      { context: { endpoint: 'mypermissions', status } },
    );
  }
  throw new AppError(
    'JIRA_REQUEST_FAILED',
    `Jira could not confirm that you are a Jira administrator (HTTP ${status}). Reload the page and try again.`,
    {
      context: { endpoint: 'mypermissions', status },
    },
  );
}

function busy(
  code: 'JIRA_THROTTLED' | 'JIRA_REQUEST_FAILED',
  message: string,
  status: number | undefined,
  retryAfterSeconds: number,
  cause?: unknown,
): AppError {
  return new AppError(code, message, {
    context: { endpoint: 'mypermissions', ...(status === undefined ? {} : { status }) },
    retry: 'later',
    retryAfterSeconds,
    ...(cause === undefined ? {} : { cause }),
  });
}
