/**
 * The ports the pipeline stages and run control depend on. Forge adapters (src/adapters) implement them in
 * production; tests pass in-memory ones. Stages never see @forge/* or HTTP.
 */
import type { AssetsObject } from '../domain/assets-object';
import type { AtlassianAccount } from '../domain/atlassian-account';
import type { DeltaChange } from '../domain/directory-delta';
import type { GroupDeltaChange } from '../domain/entra-group';
import type { EntraUser } from '../domain/entra-user';
import type { ObjectWrite } from '../domain/object-values';
import type { ObjectTypeDefinition, SchemaDefinition } from '../domain/schema-definition';
import type { SchemaLayout } from '../domain/schema-layout';
import type { QueueKey, StageMessage } from './messages';

/** App storage (Forge KVS). Values are JSON; reads return unknown and are parsed by the caller. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  /** The claim primitive (FAIL_IF_EXISTS): true when this call created the key. */
  setIfAbsent(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<boolean>;
  /** Atomic overwrite that returns the previous value (Forge: keyPolicy OVERRIDE, returnValue PREVIOUS). */
  swap(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<unknown>;
  delete(key: string): Promise<void>;
}

/** The Forge secret store: the only place the client secret (and the cached Graph token) live. */
export interface SecretStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface QueuePort {
  push(queue: QueueKey, message: StageMessage, options?: { delaySeconds?: number }): Promise<void>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Time left in the current Forge invocation. */
export interface InvocationBudget {
  remainingMs(): number;
}

/** Counts and codes only: never emails, names or secrets. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

// ---- external systems, as the stages need them ----

export interface AtlassianUsersPort {
  /** One page of Jira's user search (every account type; email null when hidden); isLast only when the page was empty. */
  listUsersPage(startAt: number): Promise<{ accounts: readonly AtlassianAccount[]; isLast: boolean }>;
  /** Emails for accounts whose profile hides them; `unavailable` explains why matching is incomplete. */
  getEmails(accountIds: readonly string[]): Promise<{ emails: ReadonlyMap<string, string>; unavailable: null | { message: string } }>;
}

export interface EntraDirectoryPort {
  /** null starts a round of every user (the full read); a nextLink or a stored deltaLink continues. */
  deltaPage(link: string | null): Promise<{ changes: readonly DeltaChange[]; nextLink: string | null; deltaLink: string | null }>;
  getUsersByIds(ids: readonly string[]): Promise<{ users: readonly EntraUser[]; notFound: readonly string[] }>;
  /**
   * Groups delta with members (entra-group.ts): null starts a round of every group (the full read); a nextLink or a
   * stored deltaLink continues. Throws GRAPH_DELTA_EXPIRED / GRAPH_PAGE_TOKEN_EXPIRED like deltaPage, and
   * GRAPH_GROUPS_FORBIDDEN when the app lacks GroupMember.Read.All.
   */
  groupsDeltaPage(
    link: string | null,
  ): Promise<{ changes: readonly GroupDeltaChange[]; nextLink: string | null; deltaLink: string | null }>;
}

export type { SchemaLayout } from '../domain/schema-layout';

/** `throttled`: 429s the write met before its answer; `redirects`: redirects it followed (each one more request against the Assets limit). The write stage's adaptive pacing reads both; absent = 0. */
export type WriteResult = (
  | { readonly ok: true; readonly objectId: string; readonly objectKey: string }
  | { readonly ok: false; readonly failure: { readonly code: string; readonly attribute: string | null; readonly message: string } }
) & { readonly throttled?: number; readonly redirects?: number };

export interface AssetsPort {
  ensureSchema(definition: SchemaDefinition): Promise<{ layout: SchemaLayout; created: readonly string[]; repaired: readonly string[] }>;
  /** Objects of one of the app's object types, a page at a time. */
  searchObjects(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    startAt: number,
    pageSize: number,
  ): Promise<{ objects: readonly AssetsObject[]; isLast: boolean }>;
  /** One page of the objects updated within the last `minutes` (Assets' clock); null when Assets refuses the query. */
  searchObjectsUpdatedWithin(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    minutes: number,
    startAt: number,
    pageSize: number,
  ): Promise<{ objects: readonly AssetsObject[]; isLast: boolean } | null>;
  /** How many objects of the type Assets holds (deletions show as a smaller count). */
  countObjects(layout: SchemaLayout, type: ObjectTypeDefinition): Promise<number>;
  /** The objects whose anchor (the type's unique attribute) is one of `ids`. */
  findObjectsByAnchor(layout: SchemaLayout, type: ObjectTypeDefinition, ids: readonly string[]): Promise<readonly AssetsObject[]>;
  /** `paced`: the write stage paces the write, so a 429 is thrown at once (ASSETS_THROTTLED) instead of retried in-process. */
  createObject(layout: SchemaLayout, type: ObjectTypeDefinition, values: ObjectWrite, options?: { paced?: boolean }): Promise<WriteResult>;
  updateObject(
    layout: SchemaLayout,
    type: ObjectTypeDefinition,
    objectId: string,
    values: ObjectWrite,
    options?: { paced?: boolean },
  ): Promise<WriteResult>;
}
