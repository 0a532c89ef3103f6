/**
 * The Employee objects already in Assets, as the planner needs them: which object is each Entra user's (the one with
 * the lowest object id when several share an Entra User ID), which are extra copies, which have no Entra User ID, and
 * how many are active (the safety check's base).
 */
import type { AssetsObject } from './assets-object';
import type { MatchResult } from './email-match';
import { entraIdKey } from './entra-id';
import { textOf } from './object-values';
import { describeObject } from './plan-report';
import { makeWarning, type ReportCollector } from './report';
import type { ObjectTypeDefinition } from './schema-definition';

/** Numeric ids compare as numbers (Assets ids are); anything else after them, as text. */
export function compareObjectIds(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) {
    // Without leading zeros, a longer digit string is a larger number; equal lengths compare as text. No BigInt or
    // Number: ids may exceed 2^53.
    const aDigits = a.replace(/^0+/, '');
    const bDigits = b.replace(/^0+/, '');
    if (aDigits.length !== bDigits.length) return aDigits.length - bDigits.length;
    return aDigits < bDigits ? -1 : aDigits > bDigits ? 1 : 0;
  }
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What each Employee object is to the planner. */
export const ObjectRole = {
  /** The object the app writes for its Entra User ID. */
  Kept: 1,
  /** Another object with the same Entra User ID (not the lowest object id). */
  Duplicate: 2,
  /** No Entra User ID at all. */
  WithoutEntraId: 3,
} as const;

export interface ExistingObjects {
  /** Per Entra user (index in MatchResult.entraUsers): index of its kept object in the input, -1 when none. */
  readonly objectOfUser: Int32Array;
  /** Per object (input order): its ObjectRole. */
  readonly roles: Uint8Array;
  readonly activeCount: number;
}

/**
 * Finds each Entra user's object through the directory's own id index, so the 100k-object case costs one Map lookup
 * per object; only objects whose user is not in the directory, or that share an id, need a Map of their own.
 */
export function indexEmployees(
  type: ObjectTypeDefinition,
  employees: readonly AssetsObject[],
  match: MatchResult,
  report: ReportCollector,
): ExistingObjects {
  const describe = (object: AssetsObject) => describeObject(type, object);
  const objectOfUser = new Int32Array(match.entraUsers.length).fill(-1);
  const roles = new Uint8Array(employees.length);
  const orphanByKey = new Map<string, number>();
  const shared = new Map<string, number[]>();
  let activeCount = 0;
  for (let index = 0; index < employees.length; index++) {
    const object = employees[index] as AssetsObject;
    if (object.values.active === true) activeCount++;
    const entraId = textOf(object.values.entraUserId);
    if (entraId === null) {
      roles[index] = ObjectRole.WithoutEntraId;
      report.add('warnings', () =>
        makeWarning(
          'missing-entra-user-id',
          `${describe(object)} has no Entra User ID, so the app cannot tell whom it describes. ` +
            'Delete it, or enter the Entra object id of the user it stands for.',
          [object.objectId],
        ),
      );
      continue;
    }
    roles[index] = ObjectRole.Kept;
    const key = entraIdKey(entraId);
    const userIndex = match.entraIndexById.get(key);
    let first: number | undefined;
    if (userIndex !== undefined) {
      first = objectOfUser[userIndex] === -1 ? undefined : objectOfUser[userIndex];
      if (first === undefined) objectOfUser[userIndex] = index;
    } else {
      first = orphanByKey.get(key);
      if (first === undefined) orphanByKey.set(key, index);
    }
    if (first === undefined) continue;
    const group = shared.get(key);
    if (group === undefined) shared.set(key, [first, index]);
    else group.push(index);
  }

  for (const [key, group] of shared) {
    const sorted = [...group].sort((a, b) =>
      compareObjectIds((employees[a] as AssetsObject).objectId, (employees[b] as AssetsObject).objectId),
    );
    const keptIndex = sorted[0] as number;
    for (const index of sorted) roles[index] = index === keptIndex ? ObjectRole.Kept : ObjectRole.Duplicate;
    const userIndex = match.entraIndexById.get(key);
    if (userIndex !== undefined) objectOfUser[userIndex] = keptIndex;
    const objects = sorted.map((index) => employees[index] as AssetsObject);
    const [kept, ...others] = objects as [AssetsObject, ...AssetsObject[]];
    report.add('warnings', () =>
      makeWarning(
        'duplicate-entra-user-id',
        `${objects.length} Employee objects have the Entra User ID ${textOf(kept.values.entraUserId) ?? key}. The app keeps ` +
          `${describe(kept)} and no longer writes to ${others.map(describe).join(', ')}: delete the extra objects.`,
        objects.map((object) => object.objectId),
      ),
    );
  }
  return { objectOfUser, roles, activeCount };
}
