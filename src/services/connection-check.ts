/**
 * "Test connection": signs in to Microsoft with the saved settings and counts the users the app registration may
 * read. The outcome (never the secret: only a count, or an error code and its admin message) is kept so the
 * Overview can say whether the connection works without calling Microsoft on every page load.
 */
import { z } from 'zod';
import { toAppError } from '../domain/errors';
import { keys } from '../pipeline/keys';
import type { KeyValueStore } from '../pipeline/ports';
import type { PublicSettings } from './settings-service';

export const connectionCheckSchema = z.object({
  v: z.literal(1),
  at: z.string(),
  ok: z.boolean(),
  userCount: z.number().int().nonnegative().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

export interface ConnectionCheckDeps {
  readonly store: KeyValueStore;
  readonly clock: { now(): number };
}

/** Runs the count, records the outcome, and returns the count or rethrows the failure (as an AppError). */
export async function checkConnection(deps: ConnectionCheckDeps, countUsers: () => Promise<number>): Promise<{ userCount: number; checkedAt: string }> {
  try {
    const userCount = await countUsers();
    const at = new Date(deps.clock.now()).toISOString();
    await deps.store.set(keys.connectionCheck(), { v: 1, at, ok: true, userCount, error: null } satisfies ConnectionCheck);
    return { userCount, checkedAt: at };
  } catch (error) {
    const appError = toAppError(error, 'The connection test failed unexpectedly. Try again; if it repeats, contact support.');
    const at = new Date(deps.clock.now()).toISOString();
    await deps.store.set(keys.connectionCheck(), { v: 1, at, ok: false, userCount: null, error: appError.toPublic() } satisfies ConnectionCheck);
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
    return { state: 'not-configured', message: 'The Microsoft connection is not set up. Enter the tenant ID, client ID and client secret on the Setup tab.', lastCheck };
  }
  if (!settings.secretStored) {
    return { state: 'secret-missing', message: 'No client secret is stored. Paste the client secret Value on the Setup tab and save.', lastCheck };
  }
  if (lastCheck === null || Date.parse(lastCheck.at) < Date.parse(settings.updatedAt)) {
    return { state: 'untested', message: 'The settings have not been tested since they were saved. Use Test connection on the Setup tab.', lastCheck };
  }
  if (lastCheck.ok) {
    return { state: 'working', message: `The app signed in to Microsoft and can read ${lastCheck.userCount ?? 0} users.`, lastCheck };
  }
  return { state: 'failing', message: lastCheck.error?.message ?? 'The last connection test failed.', lastCheck };
}
