/**
 * Answers about people from the synced directory: the Employee objects of the ENTRA schema in Assets, read through
 * the Assets client with AQL (one query per lookup; a manager chain reads one object per link, following the
 * Manager reference by object id). Used by the Jira Automation actions (read as the app) and the Rovo Directory
 * assistant (read as the asking user, so Assets applies that user's roles). Nothing here writes.
 *
 * Where the schema lives comes from the layout the schema check stored (src/pipeline/layout-store.ts): before the
 * first Create Schema there is no directory to answer from (ASSETS_SCHEMA_MISSING).
 */
import type { ObjectClient } from '../clients/assets/object-client';
import { createObjectClient } from '../clients/assets/object-client';
import type { JiraFetch } from '../clients/http';
import type { RetryPolicy } from '../clients/retry-policy';
import type { AssetsObject } from '../domain/assets-object';
import { CORE_SCHEMA } from '../domain/attribute-catalogue';
import { AppError } from '../domain/errors';
import { objectTypeOf } from '../domain/schema-definition';
import type { SchemaLayout } from '../domain/schema-layout';
import { readLayout } from '../pipeline/layout-store';
import type { KeyValueStore } from '../pipeline/ports';

/** The Employee object type's core attributes: every answer below reads only those. */
const EMPLOYEE = objectTypeOf(CORE_SCHEMA, 'employee');

/** The most people one list answer holds (a department's members, someone's reports). */
export const DIRECTORY_LIST_CAP = 25;

/** One Employee object as the actions and the agent answer it. */
export interface DirectoryPerson {
  readonly objectId: string;
  readonly objectKey: string;
  readonly fullName: string | null;
  readonly email: string | null;
  readonly department: string | null;
  readonly jobTitle: string | null;
  /** Active in the directory: enabled in Entra ID, in the sync scope and matched to an active Atlassian account. */
  readonly active: boolean;
  readonly accountId: string | null;
  /** The Employee object the Manager reference points to. */
  readonly managerObjectId: string | null;
  readonly managerAccountId: string | null;
  /** The Entra object id the Employee object was synced from (the write-back actions' target). */
  readonly entraUserId: string | null;
}

export interface DirectoryList {
  readonly people: readonly DirectoryPerson[];
  /** More people match than the list holds (DIRECTORY_LIST_CAP). */
  readonly truncated: boolean;
}

export interface DirectoryQueries {
  byAccountId(accountId: string): Promise<DirectoryPerson[]>;
  byEmail(email: string): Promise<DirectoryPerson[]>;
  byFullName(name: string): Promise<DirectoryPerson[]>;
  /** Follows a Manager reference; null when the object is gone (or not visible to the reader). */
  byObjectId(objectId: string): Promise<DirectoryPerson | null>;
  /** People whose manager has this Atlassian account id. Inactive ones only with `includeInactive`. */
  reportsOf(managerAccountId: string, options: { includeInactive: boolean }): Promise<DirectoryList>;
  /** People in a department (Assets compares the name). Inactive ones only with `includeInactive`. */
  inDepartment(department: string, options: { includeInactive: boolean }): Promise<DirectoryList>;
}

export interface DirectoryQueryDeps {
  readonly store: KeyValueStore;
  /** requestJira as whoever the answer is for: the app (Automation) or the asking user (Rovo). */
  readonly jiraFetch: JiraFetch;
  readonly policy: RetryPolicy;
}

const NO_DIRECTORY_MESSAGE =
  'The Entra Directory schema has not been created on this site yet, so there is no directory to answer from. ' +
  'A Jira administrator creates it in Apps -> Entra ID Sync -> Setup -> Create Schema, then runs a sync.';

export async function openDirectory(deps: DirectoryQueryDeps): Promise<DirectoryQueries> {
  const layout = await readLayout(deps.store);
  if (layout === null || layout.objectTypes.employee === undefined) throw new AppError('ASSETS_SCHEMA_MISSING', NO_DIRECTORY_MESSAGE);
  return directoryOver(createObjectClient({ fetch: deps.jiraFetch, policy: deps.policy }), layout);
}

function directoryOver(objects: ObjectClient, layout: SchemaLayout): DirectoryQueries {
  const where = async (conditions: { attribute: string; values: string[] }[], max: number) =>
    objects.findObjectsWhere(layout, EMPLOYEE, conditions, max);
  // Two are enough to tell "one person" from "ambiguous".
  const exact = async (attribute: string, value: string) => (await where([{ attribute, values: [value] }], 2)).objects.map(toPerson);
  const list = async (attribute: string, value: string, includeInactive: boolean): Promise<DirectoryList> => {
    const conditions = [{ attribute, values: [value] }, ...(includeInactive ? [] : [{ attribute: 'active', values: ['true'] }])];
    const page = await where(conditions, DIRECTORY_LIST_CAP + 1);
    const people = page.objects.map(toPerson).filter((p) => includeInactive || p.active);
    return { people: people.slice(0, DIRECTORY_LIST_CAP), truncated: page.more || people.length > DIRECTORY_LIST_CAP };
  };
  return {
    byAccountId: (accountId) => exact('atlassianAccountId', accountId),
    byEmail: (email) => exact('email', email),
    byFullName: (name) => exact('fullName', name),
    byObjectId: async (objectId) => {
      const found = await objects.getObject(layout, EMPLOYEE, objectId);
      return found === null ? null : toPerson(found);
    },
    reportsOf: (managerAccountId, { includeInactive }) => list('managerAtlassianAccountId', managerAccountId, includeInactive),
    inDepartment: (department, { includeInactive }) => list('department', department, includeInactive),
  };
}

function text(object: AssetsObject, key: string): string | null {
  const value = object.values[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function toPerson(object: AssetsObject): DirectoryPerson {
  return {
    objectId: object.objectId,
    objectKey: object.objectKey,
    fullName: text(object, 'fullName'),
    email: text(object, 'email'),
    department: text(object, 'department'),
    jobTitle: text(object, 'jobTitle'),
    active: object.values['active'] === true,
    accountId: text(object, 'atlassianAccountId') ?? text(object, 'jiraUser'),
    managerObjectId: text(object, 'manager'),
    managerAccountId: text(object, 'managerAtlassianAccountId'),
    entraUserId: text(object, 'entraUserId'),
  };
}
