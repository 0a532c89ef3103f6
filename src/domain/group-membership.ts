/**
 * Which of the synced groups each user belongs to, from the cached group directory (group-directory.ts, direct
 * members only) and the settings: the selection (group-sync.ts) and the membership mode.
 *
 * - direct: the groups the user is a direct member of.
 * - transitive: also the groups that contain, at any depth, a group the user is a member of (Microsoft's
 *   `transitiveMemberOf` semantics, https://learn.microsoft.com/graph/api/user-list-transitivememberof). Nested groups
 *   need not be selected themselves; a cycle of nested groups (Entra does not forbid one for security groups) is
 *   walked once and counted.
 *
 * How: one reverse index (member id -> the groups it is a direct member of) over every edge, then, per user asked
 * for, a walk upwards through the groups containing it with a visited set. That costs the user's ancestor groups
 * and no per-group copies of member sets (a 10k-member group nested in 50 others would otherwise be copied 50 times);
 * the answers are cached per user. tests/domain/group-membership.test.ts prints the figures for 10k users, 2k
 * groups, ~150k edges.
 */
import type { EntraGroup, GroupMemberKind } from './entra-group';
import type { GroupDirectory } from './group-directory';
import { type GroupMembership, type GroupSelection, isSelectedGroup } from './group-sync';
import type { ScopeMembershipLookup } from './scope';

export interface GroupMemberships {
  /** The groups the selection syncs (isSelectedGroup over the directory), sorted by id. */
  readonly selected: readonly EntraGroup[];
  /**
   * Ids of selected groups the user is a member of, sorted; [] when none. direct: the user is a direct member;
   * transitive: a direct member of the group or of any group nested in it at any depth (nested groups need not be
   * selected themselves), cycles tolerated.
   */
  groupsOf(userId: string): readonly string[];
  /** Members of selected groups that are neither users nor groups (devices, contacts, service principals), counted once per group. */
  readonly skippedMembers: number;
  /** Nested-group cycles met while flattening (transitive only; 0 for direct). */
  readonly cycles: number;
}

const NONE: readonly string[] = Object.freeze([]);

export function computeMemberships(directory: GroupDirectory, selection: GroupSelection, membership: GroupMembership): GroupMemberships {
  const selected = [...directory.groups.values()]
    .filter((group) => isSelectedGroup(selection, group.id, group.displayName))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const selectedIds = new Set(selected.map((group) => group.id));

  let skippedMembers = 0;
  for (const id of selectedIds) {
    for (const kind of directory.members.get(id)?.values() ?? []) if (kind === 'other') skippedMembers++;
  }

  // member id (user or group) -> the groups it is a direct member of. Direct mode needs only the selected groups.
  const parents = new Map<string, string[]>();
  const index = (groupId: string, members: ReadonlyMap<string, GroupMemberKind>, kinds: ReadonlySet<GroupMemberKind>) => {
    for (const [memberId, kind] of members) {
      if (!kinds.has(kind)) continue;
      const list = parents.get(memberId);
      if (list === undefined) parents.set(memberId, [groupId]);
      else list.push(groupId);
    }
  };
  if (membership === 'direct') {
    const users = new Set<GroupMemberKind>(['user']);
    for (const id of selectedIds) index(id, directory.members.get(id) ?? new Map(), users);
  } else {
    const usersAndGroups = new Set<GroupMemberKind>(['user', 'group']);
    for (const [id, members] of directory.members) if (directory.groups.has(id)) index(id, members, usersAndGroups);
  }

  const cycles = membership === 'transitive' ? countCycles(directory, selectedIds) : 0;
  const cache = new Map<string, readonly string[]>();

  const groupsOf = (userId: string): readonly string[] => {
    const cached = cache.get(userId);
    if (cached !== undefined) return cached;
    const direct = parents.get(userId);
    let result: readonly string[];
    if (direct === undefined || selectedIds.size === 0) {
      result = NONE;
    } else if (membership === 'direct') {
      result = Object.freeze([...direct].sort());
    } else {
      const visited = new Set<string>(direct);
      const stack = [...direct];
      const found: string[] = [];
      while (stack.length > 0) {
        const groupId = stack.pop()!;
        if (selectedIds.has(groupId)) found.push(groupId);
        for (const parent of parents.get(groupId) ?? NONE) {
          if (visited.has(parent)) continue;
          visited.add(parent);
          stack.push(parent);
        }
      }
      result = found.length === 0 ? NONE : Object.freeze(found.sort());
    }
    cache.set(userId, result);
    return result;
  };

  return { selected, groupsOf, skippedMembers, cycles };
}

/**
 * Nested-group cycles among the groups nested in selected ones (the selected groups included): the strongly
 * connected components of the "contains group" graph with more than one group, or a group containing itself.
 * Iterative Tarjan, so a deep nesting chain cannot overflow the stack.
 */
function countCycles(directory: GroupDirectory, roots: ReadonlySet<string>): number {
  const children = (id: string): string[] => {
    const out: string[] = [];
    for (const [memberId, kind] of directory.members.get(id) ?? [])
      if (kind === 'group' && directory.groups.has(memberId)) out.push(memberId);
    return out;
  };
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const sccStack: string[] = [];
  let counter = 0;
  let cycles = 0;

  for (const root of roots) {
    if (order.has(root)) continue;
    const work: { id: string; next: string[]; i: number }[] = [];
    const open = (id: string) => {
      order.set(id, counter);
      low.set(id, counter);
      counter++;
      sccStack.push(id);
      onStack.add(id);
      work.push({ id, next: children(id), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const child = frame.next[frame.i++]!;
        if (!order.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.id, Math.min(low.get(frame.id)!, order.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== order.get(frame.id)) continue;
      let size = 0;
      let member: string;
      do {
        member = sccStack.pop()!;
        onStack.delete(member);
        size++;
      } while (member !== frame.id);
      if (size > 1 || frame.next.includes(frame.id)) cycles++;
    }
  }
  return cycles;
}

/**
 * The scope's group membership rules (scope.ts memberOf / transitiveMemberOf) over the cached group directory: the
 * memberships of just the groups the rules name, direct and (only when a rule asks) transitive.
 */
export function scopeMembershipLookup(directory: GroupDirectory, groupIds: readonly string[]): ScopeMembershipLookup {
  const ids = [...new Set(groupIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return () => false;
  const selection: GroupSelection = { mode: 'ids', ids };
  const direct = computeMemberships(directory, selection, 'direct');
  let transitive: GroupMemberships | null = null;
  return (userId, wanted, isTransitive) => {
    const memberships = isTransitive ? (transitive ??= computeMemberships(directory, selection, 'transitive')) : direct;
    const of = memberships.groupsOf(userId);
    return of.length > 0 && wanted.some((id) => of.includes(id.toLowerCase()));
  };
}
