/**
 * "Test connection": signs in to Microsoft with the saved settings, reads the application permissions the access
 * token carries (its `roles` claim) and counts the users the app registration may read. When no permission that
 * reads users was granted it says exactly which one to add, without asking Graph. The outcome (never the secret
 * or the token: a count, the role names, or an error code and its admin message) is kept so the Overview can say
 * whether the connection works without calling Microsoft on every page load.
 */
import { z } from 'zod';

import type { GraphClient } from '../clients/graph/graph-client';
import { grantsGroupRead } from '../clients/graph/graph-groups';
import type { TokenProvider } from '../clients/graph/token-client';
import { AppError, toAppError } from '../domain/errors';
import { type CapabilityPermission, capabilityPermissions, permissionGranted, type WriteBackCapability } from '../domain/write-back';
import { keys } from '../pipeline/keys';
import type { KeyValueStore } from '../pipeline/ports';
import type { PublicSettings } from './settings-service';

export const connectionCheckSchema = z.object({
  v: z.literal(1),
  at: z.string(),
  ok: z.boolean(),
  userCount: z.number().int().nonnegative().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Application permissions in the token's roles claim; null when unknown (checks stored before roles were read). */
  roles: z.array(z.string()).nullable().default(null),
  /** Whether the roles read groups and members (GroupMember.Read.All, Group.Read.All or Directory.Read.All); null when unknown. */
  groupsGranted: z.boolean().nullable().default(null),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

export interface ConnectionCheckDeps {
  readonly store: KeyValueStore;
  readonly clock: { now(): number };
}

/**
 * Application permissions of Microsoft Graph that may list and read users (with their manager): User.Read.All is
 * the least privileged; the others include it. Source, the Permissions table of "List users" and "user: delta":
 * https://learn.microsoft.com/graph/api/user-list#permissions and https://learn.microsoft.com/graph/api/user-delta#permissions
 */
export const USER_READ_ROLES = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] as const;

/** The clients Test connection uses (createMicrosoftClients builds them with interactive priority). */
export interface ConnectionProbe {
  readonly graph: Pick<GraphClient, 'countUsers'>;
  readonly tokens: Pick<TokenProvider, 'grantedRoles' | 'invalidate'>;
}

export interface ConnectionTestResult {
  readonly userCount: number;
  readonly checkedAt: string;
  /** The token's application permissions, sorted; null when the token could not be read (the count still proved access). */
  readonly roles: readonly string[] | null;
  /**
   * The groups permission on its own line: granted = the roles read groups and their members (null when the roles
   * could not be read); required = group sync is on (then a missing permission fails the test).
   */
  readonly groupsPermission: { readonly granted: boolean | null; readonly required: boolean };
  /**
   * Write-back (issue 17): per capability, its least permission, whether it is switched on and whether the token's
   * roles allow it. A switched-on capability without it does not fail the test (reading still works); the page says
   * so next to the capability and every action of it is refused with WRITE_BACK_PERMISSION_MISSING.
   */
  readonly writeBack: readonly CapabilityPermission[];
}

export interface ConnectionCheckOptions {
  /** Group sync is on in the saved settings: the groups permission is then required. */
  readonly groupSync: boolean;
  /** The write-back capabilities switched on (none by default). */
  readonly writeBack?: readonly WriteBackCapability[];
}

function groupsMissing(roles: readonly string[]): AppError {
  const held = roles.length === 0 ? 'no Microsoft Graph application permissions' : `only ${[...roles].sort().join(', ')}`;
  return new AppError(
    'GRAPH_GROUPS_FORBIDDEN',
    `Group sync is on, but the app registration's access token carries ${held}; reading groups and their members needs the Microsoft Graph application permission GroupMember.Read.All (Group.Read.All or Directory.Read.All also work). In the Microsoft Entra admin center open the app registration > API permissions > Add a permission > Microsoft Graph > Application permissions > GroupMember.Read.All, then Grant admin consent; or turn group sync off on the Setup tab.`,
    { context: { operation: 'testConnection', roles: roles.length } },
  );
}

export function canReadUsers(roles: readonly string[]): boolean {
  return USER_READ_ROLES.some((role) => roles.includes(role));
}

function rolesMissing(roles: readonly string[]): AppError {
  const held = roles.length === 0 ? 'no Microsoft Graph application permissions' : `only ${[...roles].sort().join(', ')}`;
  return new AppError(
    'GRAPH_CONSENT_MISSING',
    `The app registration's access token carries ${held}; reading users needs the Microsoft Graph application permission User.Read.All (Directory.Read.All also works). In the Microsoft Entra admin center open the app registration > API permissions > Add a permission > Microsoft Graph > Application permissions > User.Read.All, then Grant admin consent.`,
    { context: { operation: 'testConnection', roles: roles.length } },
  );
}

/** Reads the token's roles, runs the count, records the outcome, and returns it or rethrows the failure (as an AppError). */
export async function checkConnection(
  deps: ConnectionCheckDeps,
  probe: ConnectionProbe,
  options: ConnectionCheckOptions = { groupSync: false },
): Promise<ConnectionTestResult> {
  let roles: readonly string[] | null = null;
  const groupsGranted = (): boolean | null => (roles === null ? null : grantsGroupRead(roles));
  const writeBackOn = options.writeBack ?? [];
  const writeBackMissing = (held: readonly string[]) => writeBackOn.some((capability) => !permissionGranted(capability, held));
  try {
    roles = await probe.tokens.grantedRoles();
    if (roles !== null && (!canReadUsers(roles) || (options.groupSync && !grantsGroupRead(roles)) || writeBackMissing(roles))) {
      // The cached token may predate the consent: sign in once more before telling the admin it is missing.
      await probe.tokens.invalidate();
      roles = await probe.tokens.grantedRoles();
      if (roles !== null && !canReadUsers(roles)) throw rolesMissing(roles);
      if (roles !== null && options.groupSync && !grantsGroupRead(roles)) throw groupsMissing(roles);
    }
    const userCount = await probe.graph.countUsers();
    const at = new Date(deps.clock.now()).toISOString();
    const sorted = roles === null ? null : [...roles].sort();
    await deps.store.set(keys.connectionCheck(), {
      v: 1,
      at,
      ok: true,
      userCount,
      error: null,
      roles: sorted,
      groupsGranted: groupsGranted(),
    } satisfies ConnectionCheck);
    return {
      userCount,
      checkedAt: at,
      roles: sorted,
      groupsPermission: { granted: groupsGranted(), required: options.groupSync },
      writeBack: capabilityPermissions(writeBackOn, roles),
    };
  } catch (error) {
    const appError = toAppError(error, 'The connection test failed unexpectedly. Try again; if it repeats, contact support.');
    const at = new Date(deps.clock.now()).toISOString();
    const sorted = roles === null ? null : [...roles].sort();
    await deps.store.set(keys.connectionCheck(), {
      v: 1,
      at,
      ok: false,
      userCount: null,
      error: appError.toPublic(),
      roles: sorted,
      groupsGranted: groupsGranted(),
    } satisfies ConnectionCheck);
    throw appError;
  }
}

export async function readConnectionCheck(store: KeyValueStore): Promise<ConnectionCheck | null> {
  const parsed = connectionCheckSchema.safeParse(await store.get(keys.connectionCheck()));
  return parsed.success ? parsed.data : null;
}

export type ConnectionState = 'not-configured' | 'secret-missing' | 'untested' | 'working' | 'failing';

export interface ConnectionStatus {
  readonly state: ConnectionState;
  readonly message: string;
  readonly lastCheck: ConnectionCheck | null;
}

/** The connection as the Overview shows it: from the saved settings and the last test (a test older than the settings is stale). */
export function connectionStatus(settings: PublicSettings | null, lastCheck: ConnectionCheck | null): ConnectionStatus {
  if (settings === null) {
    return {
      state: 'not-configured',
      message: 'The Microsoft connection is not set up. Enter the tenant ID, client ID and client secret on the Setup tab.',
      lastCheck,
    };
  }
  if (!settings.secretStored) {
    return {
      state: 'secret-missing',
      message: 'No client secret is stored. Paste the client secret Value on the Setup tab and save.',
      lastCheck,
    };
  }
  if (lastCheck === null || Date.parse(lastCheck.at) < Date.parse(settings.updatedAt)) {
    return {
      state: 'untested',
      message: 'The settings have not been tested since they were saved. Use Test connection on the Setup tab.',
      lastCheck,
    };
  }
  if (lastCheck.ok) {
    return { state: 'working', message: `The app signed in to Microsoft and can read ${lastCheck.userCount ?? 0} users.`, lastCheck };
  }
  return { state: 'failing', message: lastCheck.error?.message ?? 'The last connection test failed.', lastCheck };
}
