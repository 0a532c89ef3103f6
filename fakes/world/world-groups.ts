/**
 * The groups of a simulated world, with every kind issue 13 lists: security, Microsoft 365, mail-enabled security,
 * distribution and dynamic groups (https://learn.microsoft.com/graph/api/resources/groups-overview#group-types-in-microsoft-entra-id-and-microsoft-graph),
 * an empty group, one group of every user (10,000+ members in a world that large), a few users in very many groups
 * (200+ when the world has that many groups), a group holding devices, organisational contacts, service principals
 * and guests, and nested groups with a cycle. Drawn from its own PRNG stream, so adding groups changed no user.
 */
import type { Prng } from './prng';
import type { FakeDirectoryObject, FakeGraphUser, FakeGroup, FakeGroupMember, FakeOrgContact } from './types';

export interface WorldGroupOptions {
  /** Number of groups (at least the special ones). */
  readonly count: number;
  /** Average number of ordinary groups a user is a direct member of. */
  readonly averageMemberships: number;
}

/** The special groups every world has (the rest are ordinary security or Microsoft 365 groups). */
export const SPECIAL_GROUPS = 9;
/** Users who are members of very many groups. */
const HEAVY_MEMBERS = 3;
const HEAVY_MEMBERSHIPS = 220;

export function defaultGroupOptions(users: number): WorldGroupOptions {
  return { count: Math.max(SPECIAL_GROUPS + 3, Math.round(users / 5)), averageMemberships: users >= 1000 ? 15 : 3 };
}

export function buildGroups(
  users: readonly FakeGraphUser[],
  orgContacts: readonly FakeOrgContact[],
  options: WorldGroupOptions,
  rng: Prng,
): { groups: FakeGroup[]; directoryObjects: FakeDirectoryObject[] } {
  const count = Math.max(SPECIAL_GROUPS, Math.floor(options.count));
  const directoryObjects: FakeDirectoryObject[] = [
    { id: rng.guid(), type: 'device', displayName: 'Reception kiosk' },
    { id: rng.guid(), type: 'device', displayName: 'Meeting room panel' },
    { id: rng.guid(), type: 'servicePrincipal', displayName: 'Build agent' },
    { id: rng.guid(), type: 'servicePrincipal', displayName: 'Backup service' },
  ];
  const group = (
    name: string,
    kind: Pick<FakeGroup, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>,
    mail: string | null,
  ): FakeGroup => ({
    id: rng.guid(),
    displayName: name,
    mail,
    description: `${name} (simulated)`,
    membershipRule: null,
    members: [],
    ...kind,
  });
  const security = { groupTypes: [], mailEnabled: false, securityEnabled: true };
  const m365 = { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false };
  const userRef = (user: FakeGraphUser): FakeGroupMember => ({ type: 'user', id: user.id });
  const sample = (n: number): FakeGraphUser[] => rng.shuffled(users).slice(0, Math.min(n, users.length));

  const allStaff = group('All Staff', security, null);
  allStaff.members = users.map(userRef);
  const sales = group('Sales Team', m365, 'sales.team@contoso.com');
  sales.members = sample(12).map(userRef);
  const approvers = group(
    'Finance Approvers',
    { groupTypes: [], mailEnabled: true, securityEnabled: true },
    'finance.approvers@contoso.com',
  );
  approvers.members = sample(6).map(userRef);
  const newsletter = group('Company Newsletter', { groupTypes: [], mailEnabled: true, securityEnabled: false }, 'newsletter@contoso.com');
  newsletter.members = sample(20).map(userRef);
  const department = users.find((user) => user.department !== null)?.department ?? 'Engineering';
  const dynamic = group(`Dynamic: ${department}`, { groupTypes: ['DynamicMembership'], mailEnabled: false, securityEnabled: true }, null);
  dynamic.membershipRule = `(user.department -eq "${department}")`;
  dynamic.members = users.filter((user) => user.department === department).map(userRef);
  const empty = group('Empty Project', security, null);
  const guests = users.filter((user) => user.userType === 'Guest');
  const mixed = group('Devices, Partners and Apps', security, null);
  mixed.members = [
    ...sample(3).map(userRef),
    ...guests.slice(0, 5).map(userRef),
    ...directoryObjects.map((object): FakeGroupMember => ({ type: object.type, id: object.id })),
    ...orgContacts.slice(0, 2).map((contact): FakeGroupMember => ({ type: 'orgContact', id: contact.id })),
  ];
  const nestedA = group('Nested Team A', security, null);
  const nestedB = group('Nested Team B', security, null);
  nestedA.members = [...sample(4).map(userRef), { type: 'group', id: nestedB.id }];
  // B holds A back (a cycle Entra ID allows) and the Microsoft 365 group.
  nestedB.members = [...sample(4).map(userRef), { type: 'group', id: nestedA.id }, { type: 'group', id: sales.id }];

  const ordinary: FakeGroup[] = [];
  for (let i = 0; i < count - SPECIAL_GROUPS; i++) {
    const unified = rng.chance(0.3);
    ordinary.push(group(`Team ${String(i + 1).padStart(4, '0')}`, unified ? m365 : security, unified ? `team${i + 1}@contoso.com` : null));
  }
  if (ordinary.length > 0) {
    const mean = Math.max(0, options.averageMemberships);
    for (const [index, user] of users.entries()) {
      const wanted =
        index < HEAVY_MEMBERS && ordinary.length >= HEAVY_MEMBERSHIPS ? HEAVY_MEMBERSHIPS : rng.between(0, Math.round(2 * mean));
      const chosen = new Set<number>();
      const target = Math.min(wanted, ordinary.length);
      while (chosen.size < target) chosen.add(rng.int(ordinary.length));
      for (const at of chosen) ordinary[at]?.members.push(userRef(user));
    }
  }
  return { groups: [allStaff, sales, approvers, newsletter, dynamic, empty, mixed, nestedA, nestedB, ...ordinary], directoryObjects };
}
