/**
 * Shared steps of the write-back emulator tests (issue 17): a built-in world synced once, the write-back settings
 * saved through saveSettings, the permissions the fake tenant grants, the action's error text, the audit trail and
 * the app storage as it is on disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../sandbox/emulator';
import { tempStateDir } from './cli-harness';
import { data } from './emulator-calls';

export type Errors = { errors?: { message: string }[] };
/** An Automation action's error messages joined ('' when it answered outputs). */
export const errorsOf = (answer: unknown): string => (answer as Errors).errors?.map((e) => e.message).join(' ') ?? '';

/** The permissions the built-in app registration holds by default (reading users and groups). */
export const READ_ROLES = ['User.Read.All', 'GroupMember.Read.All'] as const;

export const writeBackOff = { capabilities: [], attributes: [], groupIds: [], allowGuests: false, exceptions: [], ratePerMinute: 30 };

/** Saves the write-back settings (the rest as stored); a save also drops the cached token when the connection changed. */
export async function saveWriteBack(em: Emulator, writeBack: Record<string, unknown>): Promise<void> {
  await data(em, 'saveSettings', {
    tenantId: SIMULATED_TENANT.tenantId,
    clientId: SIMULATED_TENANT.clientId,
    intervalDays: 1,
    writeBack: { ...writeBackOff, ...writeBack },
  });
}

/** Grants the app registration these Graph application permissions besides reading (admin consent). */
export function grant(em: Emulator, ...roles: string[]): void {
  em.simulation!.entra.setConsent(true, [...READ_ROLES, ...roles]);
}

/** A built-in world of `users` people, schema created and synced once. */
export async function syncedWorld(
  label: string,
  dirs: string[],
  options: Partial<Omit<EmulatorOptions, 'stateDir' | 'notice'>> = {},
): Promise<Emulator> {
  const stateDir = tempStateDir(label);
  dirs.push(stateDir);
  const em = await startEmulator({ users: 30, seed: 5, ...options, notice: () => undefined, stateDir });
  await data(em, 'saveSettings', {
    tenantId: SIMULATED_TENANT.tenantId,
    clientId: SIMULATED_TENANT.clientId,
    clientSecret: SIMULATED_TENANT.clientSecret,
    intervalDays: 1,
  });
  await data(em, 'createSchema');
  await em.drain();
  await sync(em);
  return em;
}

export async function sync(em: Emulator): Promise<void> {
  await data(em, 'startSync');
  await em.drain();
}

/** Employees as the fake site holds them, active with an Atlassian account (the people actions can name). */
export function activeEmployees(em: Emulator) {
  return em.simulation!.jira.employees().filter((o) => o.values['active'] === true && typeof o.values['atlassianAccountId'] === 'string');
}

export function employeeOf(em: Emulator, entraId: string) {
  const found = em.simulation!.jira.employees().find((o) => o.values['entraUserId'] === entraId);
  if (found === undefined) throw new Error(`no Employee object for ${entraId}`);
  return found;
}

/** A person the tests act on: Atlassian account, Entra id, email. */
export interface Person {
  readonly accountId: string;
  readonly entraId: string;
  readonly email: string;
}

/** The active Employees, as Persons, that no test in the file has taken yet (take(n) hands out the next n). */
export function people(em: Emulator): { take(): Person } {
  const taken = new Set<string>();
  return {
    take() {
      const next = activeEmployees(em).find(
        (o) => !taken.has(String(o.values['entraUserId'])) && graphUser(em, String(o.values['entraUserId'])).userType === 'Member',
      );
      if (next === undefined) throw new Error('no active Employee left');
      taken.add(String(next.values['entraUserId']));
      return {
        accountId: String(next.values['atlassianAccountId']),
        entraId: String(next.values['entraUserId']),
        email: String(next.values['email']),
      };
    },
  };
}

/** The user as the fake tenant holds it now. */
export function graphUser(em: Emulator, entraId: string) {
  const record = em.simulation!.entra.exportState().records.find((r) => r.user.id === entraId);
  if (record === undefined) throw new Error(`no user ${entraId} in the fake tenant`);
  return record.user;
}

/** Requests of this method to Graph paths ending like `pathEnd`, since `fromSeq`. */
export function writesSince(em: Emulator, fromSeq: number, method: string, pathEnd = ''): number {
  return em.simulation!.entra.requests.filter((r) => r.seq > fromSeq && r.method === method && r.path.endsWith(pathEnd)).length;
}

export function lastSeq(em: Emulator): number {
  return em.simulation!.entra.requests.at(-1)?.seq ?? 0;
}

export async function audit(em: Emulator): Promise<Record<string, unknown>[]> {
  return (await data(em, 'getWriteBackAudit')) as unknown as Record<string, unknown>[];
}

/** Every value in the app's storage (not the secret store) as the emulator keeps it on disk. */
export function appStorageText(em: Emulator): string {
  const dir = join(em.stateDir, 'kvs', 'app');
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}
