/**
 * The cached Entra group directory: every group the groups delta reported (entra-group.ts) and its DIRECT members by
 * kind, folded from Microsoft Graph's `groups/delta` with `members@delta` (https://learn.microsoft.com/graph/delta-query-groups).
 *
 * What the delta round reports, and what this module does with it:
 * - A group can come on several pages of one round, each time with part of its members (Graph splits large
 *   membership lists across pages), and sometimes with no properties at all: its members add up and the last
 *   property values present win.
 * - `members@delta` lists added members (with their `@odata.type`) and, on later rounds, removed ones (`@removed`);
 *   a removed member that is not known is ignored (a replayed change, or a member added and removed between rounds).
 * - A deleted group comes as `{id, @removed}`: it drops out with its members. A restored group comes back as an
 *   upsert with its members (a full item), like a new one.
 *
 * The maps are mutated in place on purpose, like the user directory (directory-delta.ts): the group directory can
 * hold 150k membership edges, so copying it for every page of changes would only cost memory and time.
 */
import type { EntraGroup, GroupDeltaChange, GroupMemberEdge, GroupMemberKind } from './entra-group';

export interface GroupDirectory {
  readonly groups: Map<string, EntraGroup>;
  /** groupId -> memberId -> kind (direct members only) */
  readonly members: Map<string, Map<string, GroupMemberKind>>;
}

export interface GroupMergeResult {
  /** Groups that were not in the directory before and are in it now. */
  readonly added: number;
  /** Groups that were in the directory before, still are, and whose properties differ. */
  readonly updated: number;
  /** Groups that were in the directory before and are not any more. */
  readonly removed: number;
  /** Direct membership edges added or removed (a member whose kind changed counts once), net over the changes. */
  readonly membershipChanges: number;
}

export function emptyGroupDirectory(): GroupDirectory {
  return { groups: new Map(), members: new Map() };
}

function emptyGroup(id: string): EntraGroup {
  return { id, displayName: null, mail: null, description: null, groupTypes: [], mailEnabled: false, securityEnabled: false };
}

const PROPERTY_KEYS = ['displayName', 'mail', 'description', 'groupTypes', 'mailEnabled', 'securityEnabled'] as const;

/**
 * Applies changes in order (a group repeated across pages adds up its members; last property values win; a removed
 * group drops with its members; a member removed that is not there is ignored).
 */
export function applyGroupDeltaChanges(directory: GroupDirectory, changes: readonly GroupDeltaChange[]): GroupMergeResult {
  // Per group touched by these changes: its properties and members as they were before (members copied lazily, once).
  const before = new Map<string, { group: EntraGroup | undefined; members: ReadonlyMap<string, GroupMemberKind> }>();
  const remember = (id: string) => {
    if (before.has(id)) return;
    const members = directory.members.get(id);
    before.set(id, { group: directory.groups.get(id), members: members === undefined ? new Map() : new Map(members) });
  };

  for (const change of changes) {
    remember(change.id);
    if (change.kind === 'removed') {
      directory.groups.delete(change.id);
      directory.members.delete(change.id);
      continue;
    }
    const current = directory.groups.get(change.id) ?? emptyGroup(change.id);
    const next: EntraGroup = { ...current };
    for (const key of PROPERTY_KEYS) {
      const value = change.fields[key];
      if (value === undefined) continue;
      // Lists are copied so the directory never shares an array with the caller's changes.
      Object.assign(next, { [key]: Array.isArray(value) ? [...(value as string[])] : value });
    }
    directory.groups.set(change.id, next);
    let members = directory.members.get(change.id);
    if (members === undefined) {
      members = new Map();
      directory.members.set(change.id, members);
    }
    for (const member of change.membersAdded) members.set(member.id, member.kind);
    for (const id of change.membersRemoved) members.delete(id);
  }

  let added = 0;
  let updated = 0;
  let removed = 0;
  let membershipChanges = 0;
  for (const [id, previous] of before) {
    const now = directory.groups.get(id);
    if (previous.group === undefined && now !== undefined) added++;
    else if (previous.group !== undefined && now === undefined) removed++;
    else if (previous.group !== undefined && now !== undefined && !sameGroup(previous.group, now)) updated++;
    membershipChanges += edgeDifference(previous.members, directory.members.get(id));
  }
  return { added, updated, removed, membershipChanges };
}

function edgeDifference(a: ReadonlyMap<string, GroupMemberKind>, b: ReadonlyMap<string, GroupMemberKind> | undefined): number {
  if (b === undefined) return a.size;
  let differences = 0;
  for (const [id, kind] of a) if (b.get(id) !== kind) differences++;
  for (const id of b.keys()) if (!a.has(id)) differences++;
  return differences;
}

function sameGroup(a: EntraGroup, b: EntraGroup): boolean {
  return PROPERTY_KEYS.every((key) => {
    const x = a[key];
    const y = b[key];
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((item, i) => item === y[i]);
    return x === y;
  });
}

/** The storable form: groups sorted by id, edges [groupId, kind, memberId] sorted by group then member. */
export function toStoredGroups(directory: GroupDirectory): { groups: EntraGroup[]; edges: GroupMemberEdge[] } {
  const ids = [...directory.groups.keys()].sort();
  const groups = ids.map((id) => directory.groups.get(id)!);
  const edges: GroupMemberEdge[] = [];
  for (const id of ids) {
    const members = directory.members.get(id);
    if (members === undefined) continue;
    for (const memberId of [...members.keys()].sort()) edges.push([id, members.get(memberId)!, memberId]);
  }
  return { groups, edges };
}

/** Rebuilds the directory from its stored form; an edge of a group that is not stored is dropped. */
export function fromStoredGroups(groups: readonly EntraGroup[], edges: readonly GroupMemberEdge[]): GroupDirectory {
  const directory = emptyGroupDirectory();
  for (const group of groups) {
    directory.groups.set(group.id, { ...group, groupTypes: [...group.groupTypes] });
    directory.members.set(group.id, new Map());
  }
  for (const [groupId, kind, memberId] of edges) directory.members.get(groupId)?.set(memberId, kind);
  return directory;
}
