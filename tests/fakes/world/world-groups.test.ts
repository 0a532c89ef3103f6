/**
 * The generated worlds' groups (fakes/world/world-groups.ts): every kind issue 13 lists, deterministic, sized by
 * options for the benchmark, and served by the fake tenant as Graph would (groups delta sees all of them).
 */
import { generateWorld } from '../../../fakes/world/generate-world';
import type { FakeGroup } from '../../../fakes/world/types';

const kindOf = (group: FakeGroup) =>
  group.groupTypes.includes('DynamicMembership')
    ? 'dynamic'
    : group.groupTypes.includes('Unified')
      ? 'Microsoft 365'
      : group.securityEnabled
        ? group.mailEnabled
          ? 'Mail-enabled security'
          : 'Security'
        : 'Distribution';

describe('generated worlds: groups', () => {
  it('has every kind of group and member the issue lists', () => {
    const world = generateWorld({ users: 200, seed: 11 });
    const groups = world.entra.groups ?? [];
    expect(new Set(groups.map(kindOf))).toEqual(new Set(['dynamic', 'Microsoft 365', 'Security', 'Mail-enabled security', 'Distribution']));
    expect(groups.some((group) => group.members.length === 0)).toBe(true);
    expect(groups.find((group) => group.groupTypes.includes('DynamicMembership'))?.membershipRule).toMatch(/^\(user\.department -eq /);
    const memberTypes = new Set(groups.flatMap((group) => group.members.map((member) => member.type)));
    expect(memberTypes).toEqual(new Set(['user', 'group', 'device', 'orgContact', 'servicePrincipal']));
    const guests = new Set(world.entra.users.filter((user) => user.userType === 'Guest').map((user) => user.id));
    expect(groups.some((group) => group.members.some((member) => guests.has(member.id)))).toBe(true);
    // A cycle: a group reachable from itself through nested groups.
    const byId = new Map(groups.map((group) => [group.id, group]));
    const nestedIn = (group: FakeGroup) => group.members.filter((member) => member.type === 'group').map((member) => member.id);
    expect(groups.some((group) => nestedIn(group).some((child) => nestedIn(byId.get(child)!).includes(group.id)))).toBe(true);
    // One group of every user.
    expect(Math.max(...groups.map((group) => group.members.length))).toBeGreaterThanOrEqual(200);
  });

  it('the benchmark size: 2,000 groups, about 15 memberships per user, users in 200+ groups, a 10,000-member group', () => {
    const world = generateWorld({ users: 10_000, seed: 42, groups: 2_000, averageMemberships: 15 });
    const groups = world.entra.groups ?? [];
    expect(groups).toHaveLength(2_000);
    const perUser = new Map<string, number>();
    for (const group of groups)
      for (const member of group.members) if (member.type === 'user') perUser.set(member.id, (perUser.get(member.id) ?? 0) + 1);
    const average = [...perUser.values()].reduce((sum, n) => sum + n, 0) / world.entra.users.length;
    expect(average).toBeGreaterThan(14);
    expect(average).toBeLessThan(18);
    expect(Math.max(...perUser.values())).toBeGreaterThanOrEqual(200);
    expect(Math.max(...groups.map((group) => group.members.length))).toBeGreaterThanOrEqual(10_000);
  });

  it('is deterministic, and groups change no user', () => {
    expect(JSON.stringify(generateWorld({ users: 80, seed: 3 }))).toBe(JSON.stringify(generateWorld({ users: 80, seed: 3 })));
    const few = generateWorld({ users: 80, seed: 3, groups: 9 });
    const many = generateWorld({ users: 80, seed: 3, groups: 40, averageMemberships: 6 });
    expect(many.entra.users).toEqual(few.entra.users);
    expect(many.jira.users).toEqual(few.jira.users);
    expect(few.entra.groups).toHaveLength(9);
  });
});
