/**
 * The Overview tab's picture of the installation in one answer: the connection (from the saved settings and the
 * last connection test), the schema (read-only check against Assets), when the next scheduled sync is due, and
 * when the app last read the whole Entra directory and when the next full read (the reconciliation) is due.
 * Run status is not here: the page polls getStatus for that, and this answer is loaded once.
 */
import type { SchemaClient } from '../clients/assets/schema-client';
import { FULL_READ_MAX_AGE_DAYS, fullReadDueAt, isFullReadDue } from '../domain/directory-delta';
import { scheduledSyncStatus } from '../domain/schedule';
import { readDirectoryMeta } from '../pipeline/directory-cache';
import type { KeyValueStore, SecretStore } from '../pipeline/ports';
import type { LastRun } from '../pipeline/run-store';
import { type ConnectionStatus, connectionStatus, readConnectionCheck } from './connection-check';
import { readSchemaStatus, type SchemaStatus } from './schema-status';
import { getPublicSettings, readSchemaDefinition } from './settings-service';

export interface ScheduleStatus {
  readonly intervalDays: number;
  /** True when the next daily trigger will start a scheduled sync. */
  readonly due: boolean;
  /** Start (00:00 UTC) of the first day a scheduled sync is due. */
  readonly nextDueAt: string;
  /** When the last successful scheduled sync started; null when there has been none. */
  readonly lastSucceededAt: string | null;
}

/** The cached Entra directory: runs read only the changes, and the whole directory every FULL_READ_MAX_AGE_DAYS. */
export interface DirectoryStatus {
  /** When the whole directory was last read; null before the first run. */
  readonly lastFullReadAt: string | null;
  /** From when the next run reads the whole directory again; null before the first run (it reads everything). */
  readonly nextFullReadDueAt: string | null;
  /** True when the next run will read the whole directory. */
  readonly fullReadDue: boolean;
  readonly fullReadEveryDays: number;
  /** Users in the cached directory; null before the first run. */
  readonly users: number | null;
}

export interface Overview {
  readonly connection: ConnectionStatus;
  readonly schema: SchemaStatus;
  readonly schedule: ScheduleStatus | null;
  readonly directory: DirectoryStatus;
}

export async function readDirectoryStatus(store: KeyValueStore, now: number): Promise<DirectoryStatus> {
  const meta = await readDirectoryMeta(store);
  if (meta === null)
    return { lastFullReadAt: null, nextFullReadDueAt: null, fullReadDue: true, fullReadEveryDays: FULL_READ_MAX_AGE_DAYS, users: null };
  return {
    lastFullReadAt: meta.fullReadAt,
    nextFullReadDueAt: fullReadDueAt(meta.fullReadAt),
    fullReadDue: meta.deltaLink === null || isFullReadDue(meta.fullReadAt, now),
    fullReadEveryDays: FULL_READ_MAX_AGE_DAYS,
    users: meta.users,
  };
}

export interface OverviewDeps {
  readonly store: KeyValueStore;
  readonly secrets: SecretStore;
  readonly clock: { now(): number };
  readonly assets: Pick<SchemaClient, 'inspectSchema'>;
  readonly lastScheduled: () => Promise<LastRun | null>;
}

export async function readOverview(deps: OverviewDeps): Promise<Overview> {
  const settings = await getPublicSettings(deps);
  const connection = connectionStatus(settings, await readConnectionCheck(deps.store));
  const schema = await readSchemaStatus(deps.assets, await readSchemaDefinition(deps));
  let schedule: ScheduleStatus | null = null;
  if (settings !== null) {
    const lastSucceededAt = (await deps.lastScheduled())?.lastSucceededAt ?? null;
    const next = scheduledSyncStatus({
      intervalDays: settings.intervalDays,
      lastScheduledSyncAt: lastSucceededAt,
      now: new Date(deps.clock.now()),
    });
    schedule = { intervalDays: settings.intervalDays, due: next.due, nextDueAt: next.nextDueAt, lastSucceededAt };
  }
  return { connection, schema, schedule, directory: await readDirectoryStatus(deps.store, deps.clock.now()) };
}
