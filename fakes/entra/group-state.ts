/**
 * The fake tenant's groups: their properties, direct members of every kind (users, nested groups, devices,
 * organisational contacts, service principals) and a change history, so groups delta can answer "what changed
 * since" with `members@delta` as Microsoft documents it (https://learn.microsoft.com/graph/delta-query-groups):
 *
 * - a round from scratch returns every group with all its members as `{@odata.type, id}`; a group without members
 *   has no `members@delta` key ("TestGroup2 does not contain that property because the group does not have any
 *   members");
 * - later rounds return the groups created, deleted, changed or whose membership changed, each with ALL its selected
 *   properties ("Both changed and unchanged properties are included") and in `members@delta` only the members added,
 *   and the ones removed as `{@odata.type, id, @removed: {reason: 'deleted'}}` ("either by removing the membership or
 *   by deleting the user object itself": a member deleted from the directory leaves its groups, a restored one comes
 *   back);
 * - a deleted group comes as `{id, @removed: {reason}}`: 'changed' when soft-deleted (restorable for 30 days),
 *   'deleted' when gone for good (https://learn.microsoft.com/graph/delta-query-overview#resource-representation-in-the-delta-query-response);
 * - "Paging through members in a large group": a group with many members is split into several objects with the same
 *   properties, each with part of `members@delta`; "Assume that the same group could show up anywhere in the
 *   nextLink sequence", so the later parts are served at the end of the round, not next to the first one.
 *
 * Every mutation takes a sequence number from the tenant (shared with users), so one delta token position covers
 * both.
 */
import type { FakeDirectoryObject, FakeGroup, FakeGroupMember, FakeMemberType } from '../world/types';
import { type DeltaRound, type DeltaToken, snapshotDeltaState } from './delta-state';

/** Group properties the fake can return ($select), in Graph's names. */
export const GROUP_PROPERTIES = [
  'id',
  'displayName',
  'mail',
  'description',
  'groupTypes',
  'mailEnabled',
  'securityEnabled',
  'membershipRule',
] as const;
export type GroupProperty = (typeof GROUP_PROPERTIES)[number];

export const ODATA_TYPES: Readonly<Record<FakeMemberType, string>> = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  device: '#microsoft.graph.device',
  orgContact: '#microsoft.graph.orgContact',
  servicePrincipal: '#microsoft.graph.servicePrincipal',
};

/** What a groups delta round was asked for: the properties, and whether `members` is tracked. */
export interface GroupSelection {
  readonly properties: readonly GroupProperty[];
  readonly members: boolean;
}

export interface GroupRecord {
  group: Omit<FakeGroup, 'members'>;
  /** Direct members by id, in the order they were added. */
  readonly members: Map<string, FakeMemberType>;
  createdSeq: number;
  /** Last change to any property. */
  propsSeq: number;
  /** Last change of each member's membership or visibility (added, removed, member deleted or restored). */
  readonly memberSeq: Map<string, { seq: number; type: FakeMemberType }>;
  deleted: { kind: 'soft' | 'hard'; seq: number } | null;
}

/** What the group store needs from the tenant around it. */
export interface GroupHost {
  nextSeq(): number;
  /** The object exists and is not deleted (a user in /users, a contact, a device, a service principal). */
  isUserActive(id: string): boolean;
  contactExists(id: string): boolean;
}

export type GroupDeltaToken = DeltaToken<GroupSelection>;
export type GroupDeltaRound = DeltaRound<GroupSelection>;

export class GroupStore {
  readonly records = new Map<string, GroupRecord>();
  readonly directoryObjects = new Map<string, FakeDirectoryObject>();
  readonly deltaTokens = new Map<string, GroupDeltaToken>();
  readonly deltaRounds = new Map<string, GroupDeltaRound>();
  /** Paging cursors of /groups, /members and /transitiveMembers: token -> what and from where. */
  readonly cursors = new Map<string, { readonly key: string; readonly offset: number }>();

  constructor(private readonly host: GroupHost) {}

  load(groups: readonly FakeGroup[], objects: readonly FakeDirectoryObject[]): void {
    for (const object of objects) this.directoryObjects.set(object.id, { ...object });
    for (const group of groups) this.records.set(group.id, this.newRecord(group));
  }

  // ---- reads ----

  /** Groups visible in /groups, ordered by id. */
  activeGroups(): GroupRecord[] {
    return [...this.records.values()]
      .filter((record) => record.deleted === null)
      .sort((a, b) => (a.group.id < b.group.id ? -1 : a.group.id > b.group.id ? 1 : 0));
  }

  findActive(id: string): GroupRecord | undefined {
    const record = this.records.get(id);
    return record?.deleted === null ? record : undefined;
  }

  /** A member is listed while the object exists (a deleted user or group leaves every group it was in). */
  isVisible(type: FakeMemberType, id: string): boolean {
    if (type === 'user') return this.host.isUserActive(id);
    if (type === 'group') return this.findActive(id) !== undefined;
    if (type === 'orgContact') return this.host.contactExists(id);
    return this.directoryObjects.has(id);
  }

  directMembers(record: GroupRecord): FakeGroupMember[] {
    return [...record.members].filter(([id, type]) => this.isVisible(type, id)).map(([id, type]) => ({ id, type }));
  }

  /**
   * Every member reached through nested groups, each once, nested groups included (Microsoft: transitiveMembers
   * "returns a flat list of all nested members", https://learn.microsoft.com/graph/api/group-list-transitivemembers,
   * and lists the nested groups themselves). A cycle ends where a group was already visited; the group itself is
   * not its own member even when a cycle leads back to it.
   */
  transitiveMembers(record: GroupRecord): FakeGroupMember[] {
    const out: FakeGroupMember[] = [];
    const seen = new Set<string>([record.group.id]);
    const queue: GroupRecord[] = [record];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const member of this.directMembers(next)) {
        if (seen.has(member.id)) continue;
        seen.add(member.id);
        out.push(member);
        if (member.type === 'group') {
          const nested = this.findActive(member.id);
          if (nested !== undefined) queue.push(nested);
        }
      }
    }
    return out;
  }

  // ---- mutations (the control API) ----

  createGroup(group: FakeGroup): void {
    const existing = this.records.get(group.id);
    if (existing !== undefined && existing.deleted?.kind !== 'hard') throw new Error(`fake Entra: group ${group.id} exists`);
    this.records.set(group.id, this.newRecord(group));
  }

  /** Changes properties (a rename, a description, ...); members are changed with addMember/removeMember. */
  updateGroup(id: string, changes: Partial<Omit<FakeGroup, 'id' | 'members'>>): void {
    const record = this.activeRecord(id);
    record.group = { ...record.group, ...changes, id };
    record.propsSeq = this.host.nextSeq();
  }

  addMember(groupId: string, member: FakeGroupMember): void {
    const record = this.activeRecord(groupId);
    if (record.members.has(member.id)) throw new Error(`fake Entra: ${member.id} is already a member of ${groupId}`);
    record.members.set(member.id, member.type);
    record.memberSeq.set(member.id, { seq: this.host.nextSeq(), type: member.type });
  }

  removeMember(groupId: string, memberId: string): void {
    const record = this.activeRecord(groupId);
    const type = record.members.get(memberId);
    if (type === undefined) throw new Error(`fake Entra: ${memberId} is not a member of ${groupId}`);
    record.members.delete(memberId);
    record.memberSeq.set(memberId, { seq: this.host.nextSeq(), type });
  }

  softDeleteGroup(id: string): void {
    this.activeRecord(id).deleted = { kind: 'soft', seq: this.host.nextSeq() };
    this.memberVisibilityChanged(id);
  }

  /** A restored group comes back with its members, like a new one in delta. */
  restoreGroup(id: string): void {
    const record = this.records.get(id);
    if (record?.deleted?.kind !== 'soft') throw new Error(`fake Entra: group ${id} is not soft-deleted`);
    record.deleted = null;
    record.createdSeq = this.host.nextSeq();
    this.memberVisibilityChanged(id);
  }

  hardDeleteGroup(id: string): void {
    const record = this.records.get(id);
    if (record === undefined || record.deleted?.kind === 'hard') throw new Error(`fake Entra: no group ${id} to delete`);
    record.deleted = { kind: 'hard', seq: this.host.nextSeq() };
    this.memberVisibilityChanged(id);
    for (const other of this.records.values()) other.members.delete(id);
  }

  /**
   * An object that is a member somewhere was deleted or restored: the groups holding it report the membership as
   * removed or added (Microsoft, delta-query-groups: a member is reported removed "either by removing the
   * membership or by deleting the user object itself"). A hard-deleted user leaves its groups for good.
   */
  memberVisibilityChanged(memberId: string, hard = false): void {
    let seq: number | null = null;
    for (const record of this.records.values()) {
      const type = record.members.get(memberId);
      if (type === undefined || record.deleted !== null) continue;
      seq ??= this.host.nextSeq();
      record.memberSeq.set(memberId, { seq, type });
      if (hard) record.members.delete(memberId);
    }
  }

  // ---- delta ----

  /**
   * The items of a groups delta round: every active group (since null) or what changed after `since`, ordered by
   * id; a group's members beyond `membersPerObject` go into repeated objects served at the end of the round.
   */
  deltaItems(since: number | null, selection: GroupSelection, membersPerObject: number | null): Record<string, unknown>[] {
    const first: Record<string, unknown>[] = [];
    const later: Record<string, unknown>[] = [];
    for (const record of [...this.records.values()].sort((a, b) => (a.group.id < b.group.id ? -1 : 1))) {
      const { deleted } = record;
      if (deleted !== null) {
        if (since !== null && deleted.seq > since) {
          first.push({ id: record.group.id, '@removed': { reason: deleted.kind === 'soft' ? 'changed' : 'deleted' } });
        }
        continue;
      }
      let entries: Record<string, unknown>[];
      if (since === null || record.createdSeq > since) {
        entries = selection.members ? this.directMembers(record).map((member) => memberRef(member.type, member.id)) : [];
      } else {
        const changed = selection.members ? [...record.memberSeq].filter(([, change]) => change.seq > since) : [];
        if (changed.length === 0 && record.propsSeq <= since) continue;
        entries = changed.map(([id, change]) =>
          record.members.has(id) && this.isVisible(change.type, id)
            ? memberRef(change.type, id)
            : { ...memberRef(change.type, id), '@removed': { reason: 'deleted' } },
        );
      }
      const properties = projectGroup(record.group, selection.properties);
      if (entries.length === 0) {
        first.push(properties);
        continue;
      }
      const size = membersPerObject ?? entries.length;
      for (let start = 0; start < entries.length; start += size) {
        (start === 0 ? first : later).push({ ...properties, 'members@delta': entries.slice(start, start + size) });
      }
    }
    return [...first, ...later];
  }

  // ---- snapshot ----

  snapshot(): GroupSnapshot {
    return {
      records: [...this.records.values()].map((r) => ({
        group: { ...r.group, groupTypes: [...r.group.groupTypes] },
        members: [...r.members],
        createdSeq: r.createdSeq,
        propsSeq: r.propsSeq,
        memberSeq: [...r.memberSeq].map(([id, change]) => [id, change.seq, change.type]),
        deleted: r.deleted === null ? null : { ...r.deleted },
      })),
      directoryObjects: [...this.directoryObjects.values()].map((o) => ({ ...o })),
      ...snapshotDeltaState(this.deltaTokens, this.deltaRounds, copySelection),
    };
  }

  restore(snapshot: GroupSnapshot | undefined): void {
    this.records.clear();
    this.directoryObjects.clear();
    this.deltaTokens.clear();
    this.deltaRounds.clear();
    this.cursors.clear();
    if (snapshot === undefined) return;
    for (const r of snapshot.records) {
      this.records.set(r.group.id, {
        group: { ...r.group, groupTypes: [...r.group.groupTypes] },
        members: new Map(r.members),
        createdSeq: r.createdSeq,
        propsSeq: r.propsSeq,
        memberSeq: new Map(r.memberSeq.map(([id, seq, type]) => [id, { seq, type }])),
        deleted: r.deleted === null ? null : { ...r.deleted },
      });
    }
    for (const o of snapshot.directoryObjects) this.directoryObjects.set(o.id, { ...o });
    for (const [token, t] of snapshot.deltaTokens) this.deltaTokens.set(token, { ...t, selection: copySelection(t.selection) });
    for (const [id, r] of snapshot.deltaRounds) this.deltaRounds.set(id, { ...r, selection: copySelection(r.selection) });
  }

  private activeRecord(id: string): GroupRecord {
    const record = this.findActive(id);
    if (record === undefined) throw new Error(`fake Entra: no active group ${id}`);
    return record;
  }

  private newRecord(group: FakeGroup): GroupRecord {
    const { members, ...properties } = group;
    const seq = this.host.nextSeq();
    return {
      group: { ...properties, groupTypes: [...properties.groupTypes] },
      members: new Map(members.map((member) => [member.id, member.type])),
      createdSeq: seq,
      propsSeq: seq,
      memberSeq: new Map(),
      deleted: null,
    };
  }
}

export function memberRef(type: FakeMemberType, id: string): Record<string, unknown> {
  return { '@odata.type': ODATA_TYPES[type], id };
}

/** A group with only the listed properties, in Graph's JSON shapes. */
export function projectGroup(group: Omit<FakeGroup, 'members'>, properties: readonly GroupProperty[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of properties) out[property] = property === 'groupTypes' ? [...group.groupTypes] : group[property];
  return out;
}

function copySelection(selection: GroupSelection): { properties: GroupProperty[]; members: boolean } {
  return { properties: [...selection.properties], members: selection.members };
}

/** The group store as plain JSON (tenant-snapshot.ts parses it back). */
export interface GroupSnapshot {
  records: {
    group: Omit<FakeGroup, 'members'>;
    members: [string, FakeMemberType][];
    createdSeq: number;
    propsSeq: number;
    memberSeq: [string, number, FakeMemberType][];
    deleted: { kind: 'soft' | 'hard'; seq: number } | null;
  }[];
  directoryObjects: FakeDirectoryObject[];
  deltaTokens: [string, { seq: number; selection: { properties: GroupProperty[]; members: boolean }; expired: 400 | 410 | null }][];
  deltaRounds: [
    string,
    {
      items: Record<string, unknown>[];
      deltaSeq: number;
      selection: { properties: GroupProperty[]; members: boolean };
      expired: 400 | 410 | null;
      pageTokensExpired?: boolean;
    },
  ][];
}
