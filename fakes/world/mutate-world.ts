/**
 * Ages a world by one step, the way a directory drifts between two syncs: about `fraction` of the matched users
 * get one change each (job title, department, manager, display name, disabled, leaving Entra, or a new joiner
 * arriving below them with a Jira account). Returns a new world (the input is never modified) and the Entra ids
 * that changed, so incremental-sync tests can check exactly those were picked up. Deterministic by seed.
 */
import { createPrng, deriveSeed, type Prng } from './prng';
import type { FakeGraphUser, FakeJiraUser, World } from './types';
import { DEPARTMENTS, GIVEN_NAMES, OFFICES, SURNAMES, TENANT } from './world-data';
import { entraMatchKeys, matchedEntraIds } from './world-matching';

export interface MutateWorldOptions {
  readonly seed: number;
  /** Share of the matched users to change, 0..1. */
  readonly fraction: number;
}

export interface MutatedWorld {
  readonly world: World;
  /** Changed, removed (leavers) and added (joiners) Entra user ids, each once, in the order the changes were made. */
  readonly changedEntraIds: string[];
}

export type ChangeKind = 'jobTitle' | 'department' | 'manager' | 'displayName' | 'disabled' | 'leaver' | 'joiner';

/** Relative weights: title and department changes are the commonest drift. */
const CHANGE_WEIGHTS: readonly (readonly [ChangeKind, number])[] = [
  ['jobTitle', 3],
  ['department', 2],
  ['manager', 2],
  ['displayName', 1],
  ['disabled', 1],
  ['leaver', 1],
  ['joiner', 1],
];

const ALL_TITLES: readonly string[] = DEPARTMENTS.flatMap((d) => d.titles);

export function mutateWorld(world: World, options: MutateWorldOptions): MutatedWorld {
  const { seed, fraction } = options;
  if (!Number.isInteger(seed)) throw new RangeError(`mutateWorld: seed must be an integer, got ${seed}.`);
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`mutateWorld: fraction must be within 0..1, got ${fraction}.`);
  const rng = createPrng(deriveSeed(world.seed, `mutate:${seed}`));

  const users = world.entra.users.map(cloneUser);
  const byId = new Map(users.map((u) => [u.id, u]));
  const jiraUsers = world.jira.users.map((a) => ({ ...a }));
  const takenAddresses = new Set(users.flatMap((u) => entraMatchKeys(u).map((k) => k.value)));
  const reportCounts = new Map<string, number>();
  for (const u of users) if (u.managerId !== null) reportCounts.set(u.managerId, (reportCounts.get(u.managerId) ?? 0) + 1);

  const matchedIds = matchedEntraIds(world);
  const matched = users.filter((u) => matchedIds.has(u.id));
  const picks = rng.shuffled(matched).slice(0, Math.round(fraction * matched.length));
  const removed = new Set<string>();
  const joiners: FakeGraphUser[] = [];
  const changed: string[] = [];

  for (const user of picks) {
    const kind = feasible(pickKind(rng), user, reportCounts);
    switch (kind) {
      case 'jobTitle':
        user.jobTitle = pickOther(rng, ALL_TITLES, user.jobTitle);
        break;
      case 'department':
        user.department = pickOther(
          rng,
          DEPARTMENTS.map((d) => d.name),
          user.department,
        );
        break;
      case 'manager': {
        const manager = pickNewManager(rng, user, users, byId, removed);
        if (manager === undefined) {
          user.jobTitle = pickOther(rng, ALL_TITLES, user.jobTitle);
        } else {
          if (user.managerId !== null) reportCounts.set(user.managerId, (reportCounts.get(user.managerId) ?? 1) - 1);
          reportCounts.set(manager.id, (reportCounts.get(manager.id) ?? 0) + 1);
          user.managerId = manager.id;
        }
        break;
      }
      case 'displayName': {
        const surname = pickOther(
          rng,
          SURNAMES.map((s) => s[0]),
          user.surname,
        );
        user.surname = surname;
        user.displayName = `${user.givenName ?? 'Unknown'} ${surname}`;
        break;
      }
      case 'disabled':
        user.accountEnabled = false;
        break;
      case 'leaver':
        removed.add(user.id);
        if (user.managerId !== null) reportCounts.set(user.managerId, (reportCounts.get(user.managerId) ?? 1) - 1);
        break;
      case 'joiner': {
        const joiner = newJoiner(rng, user, takenAddresses);
        joiners.push(joiner.user);
        jiraUsers.push(joiner.account);
        changed.push(joiner.user.id);
        continue;
      }
    }
    changed.push(user.id);
  }

  return {
    world: {
      seed: world.seed,
      entra: {
        users: [...users.filter((u) => !removed.has(u.id)), ...joiners],
        orgContacts: world.entra.orgContacts.map((c) => ({ ...c })),
      },
      jira: { users: jiraUsers },
    },
    changedEntraIds: changed,
  };
}

function cloneUser(user: FakeGraphUser): FakeGraphUser {
  return { ...user, proxyAddresses: [...user.proxyAddresses], otherMails: [...user.otherMails] };
}

function pickKind(rng: Prng): ChangeKind {
  const total = CHANGE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let r = rng.next() * total;
  for (const [kind, weight] of CHANGE_WEIGHTS) {
    if (r < weight) return kind;
    r -= weight;
  }
  return 'jobTitle';
}

/** Falls back to a title change when the drawn change cannot apply (so exactly one change happens per pick). */
function feasible(kind: ChangeKind, user: FakeGraphUser, reports: ReadonlyMap<string, number>): ChangeKind {
  if (kind === 'disabled' && !user.accountEnabled) return 'jobTitle';
  // A leaver with reports would change their reports too; keep one change per pick.
  if (kind === 'leaver' && (reports.get(user.id) ?? 0) > 0) return 'jobTitle';
  return kind;
}

function pickOther<T>(rng: Prng, options: readonly T[], current: T): T {
  const others = options.filter((o) => o !== current);
  return others.length === 0 ? current : rng.pick(others);
}

/** An enabled member still in the tenant who is not the user and not below the user (which would make a loop). */
function pickNewManager(
  rng: Prng,
  user: FakeGraphUser,
  users: readonly FakeGraphUser[],
  byId: ReadonlyMap<string, FakeGraphUser>,
  removed: ReadonlySet<string>,
): FakeGraphUser | undefined {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const candidate = rng.pick(users);
    if (candidate.id === user.id || candidate.id === user.managerId || removed.has(candidate.id)) continue;
    if (candidate.userType !== 'Member' || !candidate.accountEnabled) continue;
    if (!isBelow(candidate, user, byId)) return candidate;
  }
  return undefined;
}

function isBelow(candidate: FakeGraphUser, user: FakeGraphUser, byId: ReadonlyMap<string, FakeGraphUser>): boolean {
  let current: FakeGraphUser | undefined = candidate;
  for (let steps = 0; current !== undefined && steps <= byId.size; steps += 1) {
    if (current.managerId === user.id) return true;
    current = current.managerId === null ? undefined : byId.get(current.managerId);
  }
  return false;
}

function newJoiner(rng: Prng, manager: FakeGraphUser, taken: Set<string>): { user: FakeGraphUser; account: FakeJiraUser } {
  const [givenName, givenAscii] = rng.pick(GIVEN_NAMES);
  const [surname, surnameAscii] = rng.pick(SURNAMES);
  let mail = `${givenAscii}.${surnameAscii}.${rng.hex(4)}@${TENANT.domain}`;
  while (taken.has(mail)) mail = `${givenAscii}.${surnameAscii}.${rng.hex(4)}@${TENANT.domain}`;
  taken.add(mail);
  const displayName = `${givenName} ${surname}`;
  const user: FakeGraphUser = {
    id: rng.guid(),
    displayName,
    givenName,
    surname,
    mail,
    userPrincipalName: mail,
    proxyAddresses: [`SMTP:${mail}`],
    otherMails: [],
    jobTitle: rng.pick(ALL_TITLES),
    department: manager.department,
    officeLocation: rng.pick(OFFICES),
    accountEnabled: true,
    userType: 'Member',
    employeeId: `J${rng.hex(6).toUpperCase()}`,
    managerId: manager.id,
  };
  const accountId = rng.chance(0.5) ? `712020:${rng.guid()}` : `${rng.pick(['5', '6'])}${rng.hex(23)}`;
  const account: FakeJiraUser = {
    accountId,
    accountType: 'atlassian',
    active: true,
    displayName,
    email: mail,
    emailHidden: rng.chance(0.15),
  };
  return { user, account };
}
