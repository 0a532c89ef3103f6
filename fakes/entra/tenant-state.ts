/**
 * The fake tenant's memory: app registration, users with a change history (so delta can answer "what changed
 * since"), soft and hard deletions, issued access tokens, delta tokens and paging cursors. Every mutation advances
 * a sequence number; a delta token is a sequence number plus the $select it was issued for.
 */
import { randomUUID } from 'node:crypto';

import type { FakeDirectoryObject, FakeGraphUser, FakeGroup, FakeOrgContact } from '../world/types';
import { EXTENSION_ATTRIBUTE_NAMES } from '../world/types';
import { type DeltaRound, type DeltaToken, snapshotDeltaState } from './delta-state';
import { GroupStore } from './group-state';
import { isExtensionProperty, type SelectableProperty, type Selection } from './odata-query';
import type { TenantSnapshot } from './tenant-snapshot';

export interface FakeTenantOptions {
  /** The Directory (tenant) ID, a GUID. */
  readonly tenantId: string;
  /** Verified domains the tenant can also be addressed by (e.g. contoso.onmicrosoft.com). */
  readonly domains: readonly string[];
  readonly clientId: string;
  /** The secret's Value. */
  readonly clientSecret: string;
  /** The secret's ID (a GUID admins often paste by mistake). */
  readonly secretId: string;
  readonly secretExpired?: boolean;
  /** Admin consent for the app registration's application permissions (default true). */
  readonly consentGranted?: boolean;
  /**
   * The application permissions admin consent grants, as the token's `roles` claim lists them (default
   * ['User.Read.All']). Without consent a token carries no roles claim at all.
   */
  readonly grantedRoles?: readonly string[];
  /**
   * Directory extension properties registered in the tenant (`extension_{appId}_{name}`), selectable with $select;
   * the ones users hold a value for are registered too.
   */
  readonly extensionProperties?: readonly string[];
  /** expires_in of issued tokens (default 3599). */
  readonly tokenLifetimeSeconds?: number;
}

export type { DeltaExpiry } from './delta-state';

interface UserRecord {
  user: FakeGraphUser;
  createdSeq: number;
  /** Fake-clock time of creation or restore; undefined for users the tenant started with (long replicated). */
  createdAt?: number;
  /** Changes up to this seq are never reported by incremental delta rounds (loseDeltaChanges). */
  deltaHiddenSeq?: number;
  /** Last change per property name, `manager` included. */
  readonly changedSeq: Map<string, number>;
  previousManagerId: string | null;
  deleted: { kind: 'soft' | 'hard'; seq: number } | null;
}

export interface AccessTokenGrant {
  /** The token may read users (one of its roles allows it). */
  readonly consent: boolean;
  readonly expiresAt: number;
  /** The roles claim the token was issued with ([] = no claim); absent in snapshots written before roles existed. */
  readonly roles?: readonly string[];
}

export type DeltaTokenState = DeltaToken<Selection>;
export type DeltaRoundState = DeltaRound<Selection>;

export type ManagerTarget = { kind: 'user'; user: FakeGraphUser } | { kind: 'contact'; contact: FakeOrgContact };

const TRACKED: readonly (keyof FakeGraphUser)[] = [
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'proxyAddresses',
  'otherMails',
  'jobTitle',
  'department',
  'officeLocation',
  'accountEnabled',
  'userType',
  'employeeId',
  'employeeType',
  'companyName',
  'city',
  'country',
  'usageLocation',
  'mobilePhone',
  'businessPhones',
  'employeeHireDate',
  'employeeOrgData',
  'onPremisesExtensionAttributes',
];

/**
 * Properties whose changes incremental delta rounds do not report unless `deltaTracksOptionalProperties` is set:
 * which of these `users/delta` tracks is not documented (Microsoft's delta query overview says properties stored
 * outside the directory's main store are not change-tracked, https://learn.microsoft.com/graph/delta-query-overview#limitations,
 * and its users page lists no optional property, https://learn.microsoft.com/graph/delta-query-users#properties;
 * /work/shared/docs/microsoft-graph.md "Checked later"), so the less friendly reading is the default. A delta
 * round from scratch (the app's full read) returns them like any selected property.
 */
export function deltaUntracked(property: string): boolean {
  return (
    property === 'employeeHireDate' ||
    property === 'employeeOrgData' ||
    property === 'onPremisesExtensionAttributes' ||
    isExtensionProperty(property)
  );
}

export class TenantState {
  seq = 0;
  consentGranted: boolean;
  grantedRoles: readonly string[];
  secretExpired: boolean;
  readonly tenant: FakeTenantOptions;
  readonly accessTokens = new Map<string, AccessTokenGrant>();
  readonly deltaTokens = new Map<string, DeltaTokenState>();
  readonly deltaRounds = new Map<string, DeltaRoundState>();
  /** Users-list skiptoken -> id of the last user already returned. */
  readonly listCursors = new Map<string, string>();
  private readonly records = new Map<string, UserRecord>();
  private readonly contacts = new Map<string, FakeOrgContact>();
  /**
   * Benchmarks with large worlds set this: the sorted active users and a mail index are kept until `seq` moves
   * (every mutation advances it; restore() drops them), so a request costs a lookup instead of a sort of the tenant.
   */
  useIndexes = false;
  /** The fake's clock (creation times for replication lag); set by the server. */
  now: () => number = Date.now;
  private readCache: { seq: number; active: FakeGraphUser[]; byMail: Map<string, FakeGraphUser[]> } | null = null;
  /** Groups and their members (group-state.ts); they share this tenant's sequence numbers. */
  readonly groups: GroupStore = new GroupStore({
    nextSeq: () => ++this.seq,
    isUserActive: (id) => this.records.get(id)?.deleted === null,
    contactExists: (id) => this.contacts.has(id),
  });

  constructor(
    tenant: FakeTenantOptions,
    users: readonly FakeGraphUser[],
    contacts: readonly FakeOrgContact[],
    groups: readonly FakeGroup[] = [],
    directoryObjects: readonly FakeDirectoryObject[] = [],
  ) {
    this.tenant = tenant;
    this.consentGranted = tenant.consentGranted ?? true;
    this.grantedRoles = tenant.grantedRoles ?? ['User.Read.All'];
    this.secretExpired = tenant.secretExpired ?? false;
    for (const contact of contacts) this.contacts.set(contact.id, { ...contact });
    for (const user of users) this.records.set(user.id, this.newRecord(user));
    for (const name of tenant.extensionProperties ?? []) this.extensionProperties.add(name);
    this.groups.load(groups, directoryObjects);
  }

  /** Registered directory extension properties (the tenant's, and any a user holds). */
  readonly extensionProperties = new Set<string>();

  newToken(): string {
    return randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
  }

  /** Users visible in /users, ordered by id (the order pages are served in). */
  activeUsers(): FakeGraphUser[] {
    if (this.useIndexes) return [...this.indexed().active];
    return this.sortedActiveUsers();
  }

  /** Active users whose mail equals `lowerMail` (compared lower-cased, as `$filter=mail eq` does), ordered by id. */
  activeUsersWithMail(lowerMail: string): FakeGraphUser[] {
    if (this.useIndexes) return [...(this.indexed().byMail.get(lowerMail) ?? [])];
    return this.sortedActiveUsers().filter((user) => user.mail?.toLowerCase() === lowerMail);
  }

  private indexed(): { active: FakeGraphUser[]; byMail: Map<string, FakeGraphUser[]> } {
    if (this.readCache?.seq === this.seq) return this.readCache;
    const active = this.sortedActiveUsers();
    const byMail = new Map<string, FakeGraphUser[]>();
    for (const user of active) {
      const mail = user.mail?.toLowerCase();
      if (mail === undefined) continue;
      const list = byMail.get(mail);
      if (list === undefined) byMail.set(mail, [user]);
      else list.push(user);
    }
    this.readCache = { seq: this.seq, active, byMail };
    return this.readCache;
  }

  private sortedActiveUsers(): FakeGraphUser[] {
    return [...this.records.values()]
      .filter((record) => record.deleted === null)
      .map((record) => record.user)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** By object id or userPrincipalName, as /users/{id | userPrincipalName} resolves. */
  findActive(key: string): FakeGraphUser | undefined {
    const byId = this.records.get(key);
    if (byId !== undefined) return byId.deleted === null ? byId.user : undefined;
    const lower = key.toLowerCase();
    return (this.useIndexes ? this.indexed().active : this.activeUsers()).find((user) => user.userPrincipalName.toLowerCase() === lower);
  }

  contact(id: string): FakeOrgContact | undefined {
    return this.contacts.get(id);
  }

  managerOf(user: FakeGraphUser): ManagerTarget | null {
    if (user.managerId === null) return null;
    const manager = this.records.get(user.managerId);
    if (manager !== undefined) return manager.deleted === null ? { kind: 'user', user: manager.user } : null;
    const contact = this.contacts.get(user.managerId);
    return contact === undefined ? null : { kind: 'contact', contact };
  }

  // ---- mutations (the control API) ----

  upsertUser(user: FakeGraphUser): void {
    const record = this.records.get(user.id);
    if (record === undefined || record.deleted?.kind === 'hard') {
      this.records.set(user.id, this.newRecord(user, this.now()));
      return;
    }
    if (record.deleted !== null) throw new Error(`fake Entra: user ${user.id} is soft-deleted; restore it before updating`);
    const seq = ++this.seq;
    for (const key of TRACKED) {
      if (JSON.stringify(record.user[key]) !== JSON.stringify(user[key])) record.changedSeq.set(key, seq);
    }
    for (const name of new Set([...Object.keys(record.user.extensions ?? {}), ...Object.keys(user.extensions ?? {})])) {
      if ((record.user.extensions?.[name] ?? null) !== (user.extensions?.[name] ?? null)) record.changedSeq.set(name, seq);
    }
    for (const name of Object.keys(user.extensions ?? {})) this.extensionProperties.add(name);
    if (record.user.managerId !== user.managerId) {
      record.previousManagerId = record.user.managerId;
      record.changedSeq.set('manager', seq);
    }
    record.user = copyUser(user);
  }

  /**
   * The owning app deletes a directory extension property: it is no longer registered, and its values are gone
   * from every user (Microsoft, "Add custom data to users using directory extensions",
   * https://learn.microsoft.com/graph/extensibility-overview#directory-microsoft-entra-id-extensions: the definition
   * is deleted with DELETE /applications/{id}/extensionProperties/{id}). A later $select naming it answers 400
   * (odata-query.ts parseSelect).
   */
  removeExtensionProperty(name: string): void {
    this.extensionProperties.delete(name);
    for (const record of this.records.values()) {
      if (record.user.extensions?.[name] === undefined) continue;
      const extensions = { ...record.user.extensions };
      delete extensions[name];
      record.user = { ...record.user, extensions };
    }
  }

  setManager(userId: string, managerId: string | null): void {
    const record = this.activeRecord(userId);
    this.upsertUser({ ...record.user, managerId });
  }

  softDeleteUser(id: string): void {
    this.activeRecord(id).deleted = { kind: 'soft', seq: ++this.seq };
    this.detachReportsOf(id);
    this.groups.memberVisibilityChanged(id);
  }

  restoreUser(id: string): void {
    const record = this.records.get(id);
    if (record?.deleted?.kind !== 'soft') throw new Error(`fake Entra: user ${id} is not soft-deleted`);
    record.deleted = null;
    // A restored user reappears in delta with all its properties, like a new one, and replicates like one.
    record.createdSeq = ++this.seq;
    record.createdAt = this.now();
    this.groups.memberVisibilityChanged(id);
  }

  /** True when the user was created or restored less than `lagMs` before `now` (GET by id may not see it yet). */
  createdWithin(id: string, now: number, lagMs: number): boolean {
    const createdAt = this.records.get(id)?.createdAt;
    return lagMs > 0 && createdAt !== undefined && now - createdAt < lagMs;
  }

  /** Incremental delta rounds from now on never report the changes made so far to these users (a missed change). */
  loseDeltaChanges(ids: readonly string[]): void {
    for (const id of ids) {
      const record = this.records.get(id);
      if (record === undefined) throw new Error(`fake Entra: no user ${id}`);
      record.deltaHiddenSeq = this.seq;
    }
  }

  hardDeleteUser(id: string): void {
    const record = this.records.get(id);
    if (record === undefined || record.deleted?.kind === 'hard') throw new Error(`fake Entra: no user ${id} to delete`);
    const wasActive = record.deleted === null;
    record.deleted = { kind: 'hard', seq: ++this.seq };
    this.detachReportsOf(id);
    // A soft-deleted user already left its groups; purging it removes the memberships for good.
    if (wasActive) this.groups.memberVisibilityChanged(id, true);
    else for (const group of this.groups.records.values()) group.members.delete(id);
  }

  /**
   * Modelled choice (not verified against a tenant): a deleted manager's reports lose the link, and delta reports
   * that as their manager change, so a directory kept by delta agrees with a full read. A restore does not bring
   * the links back.
   */
  private detachReportsOf(managerId: string): void {
    for (const record of this.records.values()) {
      if (record.deleted === null && record.user.managerId === managerId) this.upsertUser({ ...record.user, managerId: null });
    }
  }

  // ---- snapshot (the sandbox keeps the tenant across processes) ----

  /** Everything the tenant remembers, as plain JSON (Maps as entry lists); restore() takes it back. */
  snapshot(): TenantSnapshot {
    const finite = (ms: number) => (Number.isFinite(ms) ? ms : 0);
    return {
      v: 1,
      seq: this.seq,
      consentGranted: this.consentGranted,
      secretExpired: this.secretExpired,
      records: [...this.records.values()].map((r) => ({
        user: { ...r.user },
        createdSeq: r.createdSeq,
        changedSeq: [...r.changedSeq],
        previousManagerId: r.previousManagerId,
        deleted: r.deleted === null ? null : { ...r.deleted },
        ...(r.createdAt === undefined ? {} : { createdAt: r.createdAt }),
        ...(r.deltaHiddenSeq === undefined ? {} : { deltaHiddenSeq: r.deltaHiddenSeq }),
      })),
      contacts: [...this.contacts.values()].map((c) => ({ ...c })),
      accessTokens: [...this.accessTokens].map(([token, grant]) => [
        token,
        { consent: grant.consent, expiresAt: finite(grant.expiresAt), ...(grant.roles === undefined ? {} : { roles: [...grant.roles] }) },
      ]),
      ...snapshotDeltaState(this.deltaTokens, this.deltaRounds, copySelection),
      listCursors: [...this.listCursors],
      groups: this.groups.snapshot(),
    };
  }

  /** Replaces the whole tenant memory with a snapshot (the app registration given at construction stays). */
  restore(snapshot: TenantSnapshot): void {
    this.seq = snapshot.seq;
    this.readCache = null;
    this.consentGranted = snapshot.consentGranted;
    this.secretExpired = snapshot.secretExpired;
    this.records.clear();
    for (const r of snapshot.records) {
      for (const name of Object.keys(r.user.extensions ?? {})) this.extensionProperties.add(name);
      this.records.set(r.user.id, {
        user: copyUser(r.user),
        createdSeq: r.createdSeq,
        changedSeq: new Map(r.changedSeq),
        previousManagerId: r.previousManagerId,
        deleted: r.deleted === null ? null : { ...r.deleted },
        ...(r.createdAt === undefined ? {} : { createdAt: r.createdAt }),
        ...(r.deltaHiddenSeq === undefined ? {} : { deltaHiddenSeq: r.deltaHiddenSeq }),
      });
    }
    this.contacts.clear();
    for (const c of snapshot.contacts) this.contacts.set(c.id, { ...c });
    this.accessTokens.clear();
    for (const [token, grant] of snapshot.accessTokens) this.accessTokens.set(token, { ...grant });
    this.deltaTokens.clear();
    for (const [token, t] of snapshot.deltaTokens) this.deltaTokens.set(token, { ...t });
    this.deltaRounds.clear();
    for (const [id, r] of snapshot.deltaRounds) this.deltaRounds.set(id, { ...r });
    this.listCursors.clear();
    for (const [token, id] of snapshot.listCursors) this.listCursors.set(token, id);
    this.groups.restore(snapshot.groups);
  }

  // ---- delta ----

  /** Items of a delta round: every active user (since null) or what changed after `since`, ordered by id. */
  deltaItems(since: number | null, selection: Selection, omitNulls = false, tracksOptional = false): Record<string, unknown>[] {
    const items: Record<string, unknown>[] = [];
    const records = [...this.records.values()].sort((a, b) => (a.user.id < b.user.id ? -1 : 1));
    for (const record of records) {
      const { user, deleted } = record;
      if (deleted !== null) {
        if (since !== null && deleted.seq > since) {
          items.push({ id: user.id, '@removed': { reason: deleted.kind === 'soft' ? 'changed' : 'deleted' } });
        }
        continue;
      }
      if (since === null || record.createdSeq > since) {
        const item = projectUser(user, selection.properties);
        if (omitNulls && since !== null) for (const key of Object.keys(item)) if (item[key] === null) delete item[key];
        const manager = this.managerOf(user);
        if (selection.manager && manager !== null) item['manager@delta'] = [managerReference(manager)];
        items.push(item);
        continue;
      }
      // A lost change (loseDeltaChanges) is one delta never reports; a full read still sees the current value.
      const reported = (name: string) => (record.changedSeq.get(name) ?? -1) > Math.max(since, record.deltaHiddenSeq ?? -1);
      const changed = selection.properties.filter((property) => reported(property) && (tracksOptional || !deltaUntracked(property)));
      const managerChanged = selection.manager && reported('manager');
      if (changed.length === 0 && !managerChanged) continue;
      const item = projectUser(user, ['id', ...changed]);
      if (managerChanged) item['manager@delta'] = this.managerDelta(record);
      items.push(item);
    }
    return items;
  }

  private managerDelta(record: UserRecord): Record<string, unknown>[] {
    const manager = this.managerOf(record.user);
    if (manager !== null) return [managerReference(manager)];
    if (record.previousManagerId === null) return [];
    return [{ '@odata.type': '#microsoft.graph.user', id: record.previousManagerId, '@removed': { reason: 'deleted' } }];
  }

  /** A user that is not deleted (ids compared as Graph does, ignoring case), for the write routes; undefined otherwise. */
  activeUser(id: string): FakeGraphUser | undefined {
    const record = this.records.get(id) ?? [...this.records.values()].find((r) => r.user.id.toLowerCase() === id.toLowerCase());
    return record === undefined || record.deleted !== null ? undefined : record.user;
  }

  private activeRecord(id: string): UserRecord {
    const record = this.records.get(id);
    if (record === undefined || record.deleted !== null) throw new Error(`fake Entra: no active user ${id}`);
    return record;
  }

  private newRecord(user: FakeGraphUser, createdAt?: number): UserRecord {
    for (const name of Object.keys(user.extensions ?? {})) this.extensionProperties.add(name);
    const record: UserRecord = {
      user: copyUser(user),
      createdSeq: ++this.seq,
      changedSeq: new Map(),
      previousManagerId: null,
      deleted: null,
    };
    if (createdAt !== undefined) record.createdAt = createdAt;
    return record;
  }
}

function copySelection(selection: Selection): TenantSnapshot['deltaTokens'][number][1]['selection'] {
  return { properties: [...selection.properties], manager: selection.manager, explicit: selection.explicit };
}

/** A copy the caller's later edits cannot reach (nested Graph shapes included). */
function copyUser(user: FakeGraphUser): FakeGraphUser {
  const copy = { ...user };
  if (user.businessPhones !== undefined) copy.businessPhones = [...user.businessPhones];
  if (user.employeeOrgData) copy.employeeOrgData = { ...user.employeeOrgData };
  if (user.onPremisesExtensionAttributes !== undefined) copy.onPremisesExtensionAttributes = { ...user.onPremisesExtensionAttributes };
  if (user.extensions !== undefined) copy.extensions = { ...user.extensions };
  return copy;
}

/**
 * A user with only the listed properties, in Graph's JSON names and shapes (https://learn.microsoft.com/graph/api/resources/user):
 * businessPhones a string list, employeeOrgData an object {costCenter, division} or null, onPremisesExtensionAttributes
 * an object with all fifteen extensionAttributeN keys. A directory extension property without a value is left out
 * (Graph returns extension properties only where set; the app reads absent as empty).
 */
export function projectUser(user: FakeGraphUser, properties: readonly SelectableProperty[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of properties) {
    if (isExtensionProperty(property)) {
      const value = user.extensions?.[property];
      if (value !== undefined && value !== null) out[property] = value;
    } else if (property === 'businessPhones') out[property] = [...(user.businessPhones ?? [])];
    else if (property === 'preferredLanguage') out[property] = null;
    else if (property === 'employeeOrgData') {
      const data = user.employeeOrgData ?? null;
      out[property] = data === null ? null : { costCenter: data.costCenter, division: data.division };
    } else if (property === 'onPremisesExtensionAttributes') {
      const attributes: Record<string, string | null> = {};
      for (const name of EXTENSION_ATTRIBUTE_NAMES) attributes[name] = user.onPremisesExtensionAttributes?.[name] ?? null;
      out[property] = attributes;
    } else out[property] = user[property] ?? null;
  }
  return out;
}

function managerReference(manager: ManagerTarget): Record<string, unknown> {
  return manager.kind === 'user'
    ? { '@odata.type': '#microsoft.graph.user', id: manager.user.id }
    : { '@odata.type': '#microsoft.graph.orgContact', id: manager.contact.id };
}
