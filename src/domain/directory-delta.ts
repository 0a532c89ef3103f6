/**
 * Folding Microsoft Graph delta changes into the cached directory (Entra object id -> EntraUser), so an
 * incremental sync plans against the same shape a full read produces. The Graph client turns delta items into
 * DeltaChange values; this module is the one place that decides what they mean.
 *
 * The map is mutated in place on purpose: the cached directory can hold 100k users and is rebuilt from storage
 * for each run, so copying it for every page of changes would only cost memory and time.
 */
import { z } from 'zod';

import type { EntraUser } from './entra-user';
import { entraUserSchema } from './entra-user';

export type EntraUserFields = Partial<Omit<EntraUser, 'id'>>;

/** Persistable form (a page of changes can wait in storage between invocations). */
export const deltaChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), id: z.string().min(1), fields: entraUserSchema.omit({ id: true }).partial() }),
  z.object({ kind: z.literal('removed'), id: z.string().min(1), reason: z.enum(['changed', 'deleted']) }),
]);

/**
 * upsert: only the properties present in the delta item (Graph may return a subset of the selected ones).
 * removed: 'changed' = soft-deleted (restorable for 30 days), 'deleted' = gone for good.
 */
export type DeltaChange = z.infer<typeof deltaChangeSchema>;

export interface DeltaMergeResult {
  /** Users that were not in the directory before and are in it now. */
  readonly added: number;
  /** Users that were in the directory before, still are, and whose record differs. */
  readonly updated: number;
  /** Users that were in the directory before and are not any more. */
  readonly removed: number;
  /**
   * Users created from a partial upsert (unknown id, some selected property missing): their record holds nulls and
   * defaults for what was missing, so the caller re-reads them (getUsersByIds) before planning. A new user whose
   * item carries every selected property is complete without a re-read, even without `manager@delta`: delta's
   * default mode returns every selected property of a new user (https://learn.microsoft.com/graph/delta-query-users)
   * and reports a manager as `manager@delta` when there is one, so its absence means "no manager". This matters:
   * Graph may still answer 404 to a GET by id of a user created seconds ago (replication delay).
   */
  readonly incomplete: readonly string[];
}

const FIELD_KEYS = Object.keys(entraUserSchema.shape).filter((key) => key !== 'id') as (keyof EntraUserFields)[];
/**
 * The selected properties (managerId is a relationship, reported only when set; `extra` holds the chosen
 * attributes and `profile` the scope's properties, merged key by key and not needed for a user to be complete).
 */
const PROPERTY_KEYS = FIELD_KEYS.filter((key) => key !== 'managerId' && key !== 'extra' && key !== 'profile');

/**
 * Delta is not lossless (https://learn.microsoft.com/graph/delta-query-overview: changes can be replayed or
 * arrive late; field reports of missed manager changes), so a full directory read reconciles the cached
 * directory when the last one is older than this.
 */
export const FULL_READ_MAX_AGE_DAYS = 7;
const FULL_READ_MAX_AGE_MS = FULL_READ_MAX_AGE_DAYS * 24 * 60 * 60 * 1000;

/** When the next full directory read is due, from the last one (ISO); the first run after that time does it. */
export function fullReadDueAt(lastFullReadAt: string): string {
  return new Date(Date.parse(lastFullReadAt) + FULL_READ_MAX_AGE_MS).toISOString();
}

/** True when a run starting at `now` must read the whole directory instead of only the changes. */
export function isFullReadDue(lastFullReadAt: string, now: number): boolean {
  const last = Date.parse(lastFullReadAt);
  return !Number.isFinite(last) || now >= last + FULL_READ_MAX_AGE_MS;
}

function emptyUser(id: string): EntraUser {
  return {
    id,
    displayName: null,
    mail: null,
    userPrincipalName: null,
    proxyAddresses: [],
    otherMails: [],
    jobTitle: null,
    department: null,
    accountEnabled: false,
    managerId: null,
  };
}

/**
 * Applies changes in order: the same user can appear several times in one delta round, and the last
 * occurrence wins. Both removal reasons take the user out of the directory: a soft-deleted user has left /users
 * just like a hard-deleted one (a full read would not see it either), and a restore comes back as an upsert.
 */
export function applyDeltaChanges(directory: Map<string, EntraUser>, changes: readonly DeltaChange[]): DeltaMergeResult {
  const before = new Map<string, EntraUser | undefined>();
  // For ids that were not in the directory when they were (re)created in this call: the properties supplied so far.
  const seenForNew = new Map<string, Set<keyof EntraUserFields>>();

  for (const change of changes) {
    if (!before.has(change.id)) before.set(change.id, directory.get(change.id));
    if (change.kind === 'removed') {
      directory.delete(change.id);
      seenForNew.delete(change.id);
      continue;
    }
    const current = directory.get(change.id);
    if (current === undefined) seenForNew.set(change.id, new Set());
    const seen = seenForNew.get(change.id);
    const next: EntraUser = { ...(current ?? emptyUser(change.id)) };
    for (const key of FIELD_KEYS) {
      const value = change.fields[key];
      if (value === undefined) continue;
      if (key === 'extra' || key === 'profile') {
        next[key] = { ...next[key], ...(value as Record<string, string | null>) };
        continue;
      }
      // Lists are copied so the directory never shares an array with the caller's changes.
      Object.assign(next, { [key]: Array.isArray(value) ? [...value] : value });
      seen?.add(key);
    }
    directory.set(change.id, next);
  }

  let added = 0;
  let updated = 0;
  let removed = 0;
  for (const [id, previous] of before) {
    const now = directory.get(id);
    if (previous === undefined && now !== undefined) added++;
    else if (previous !== undefined && now === undefined) removed++;
    else if (previous !== undefined && now !== undefined && !sameUser(previous, now)) updated++;
  }
  const incomplete = [...seenForNew]
    .filter(([id, seen]) => directory.has(id) && PROPERTY_KEYS.some((key) => !seen.has(key)))
    .map(([id]) => id);
  return { added, updated, removed, incomplete };
}

function sameUser(a: EntraUser, b: EntraUser): boolean {
  return FIELD_KEYS.every((key) => {
    const x = a[key];
    const y = b[key];
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((item, i) => item === y[i]);
    if (key === 'extra' || key === 'profile') return sameExtra(a[key], b[key]);
    return x === y;
  });
}

function sameExtra(a: EntraUser['extra'], b: EntraUser['extra']): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  for (const key of keys) if ((a?.[key] ?? null) !== (b?.[key] ?? null)) return false;
  return true;
}
