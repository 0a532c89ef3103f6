/**
 * Counts of every quirk in a world, computed from the records themselves (not from what the generator intended),
 * so tests can check the data really has them and benchmarks and docs can describe a world in one table.
 */
import type { World } from './types';
import { entraMatchKeys, indexAtlassianEmails, type MatchKeyKind, matchKindOf, normalizeEmail } from './world-matching';

export interface WorldStats {
  readonly entraUsers: number;
  readonly members: number;
  readonly guests: number;
  readonly disabled: number;
  readonly withoutMail: number;
  /** Users with managerId null (the CEO, guests and a few others). */
  readonly withoutManager: number;
  readonly managedByOrgContact: number;
  readonly orgContacts: number;
  /** Users with at least one direct report. */
  readonly managers: number;
  readonly managersWithoutAtlassianAccount: number;
  /** Longest chain of users from someone up to a top manager (the CEO alone is depth 0). */
  readonly maxManagerDepth: number;
  readonly accentedDisplayNames: number;
  readonly cjkDisplayNames: number;
  readonly reservedCharacterDisplayNames: number;
  /** Job titles longer than the 255 characters an Assets text attribute holds. */
  readonly overlongJobTitles: number;
  /** Normalized mail values held by more than one user. */
  readonly duplicatedEntraMails: number;
  readonly mixedCaseEntraMails: number;
  readonly paddedEntraMails: number;
  readonly withOtherMails: number;
  readonly withSecondaryAliases: number;
  readonly upnDiffersFromMail: number;
  readonly jiraUsers: number;
  readonly atlassianAccounts: number;
  readonly appAccounts: number;
  readonly customerAccounts: number;
  readonly inactiveAtlassianAccounts: number;
  readonly atlassianWithoutEmail: number;
  readonly hiddenEmails: number;
  /** Normalized emails held by more than one atlassian account. */
  readonly duplicatedAtlassianEmails: number;
  /** Atlassian accounts with an email that equals no address of any Entra user. */
  readonly atlassianMatchingNobody: number;
  readonly mixedCaseAtlassianEmails: number;
  readonly paddedAtlassianEmails: number;
  /** Entra users with an atlassian account at any of their addresses. */
  readonly matchedEntraUsers: number;
  readonly matchRate: number;
  readonly matchedBy: Readonly<Record<MatchKeyKind, number>>;
}

const ACCENTED = /[\u00c0-\u024f]/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
const RESERVED = /[=;:?."',]/;
const ASSETS_TEXT_MAX_LENGTH = 255;

export function worldStats(world: World): WorldStats {
  const users = world.entra.users;
  const jira = world.jira.users;
  const byId = new Map(users.map((u) => [u.id, u]));
  const contactIds = new Set(world.entra.orgContacts.map((c) => c.id));
  const atlassianIndex = indexAtlassianEmails(jira);

  const reportCounts = new Map<string, number>();
  for (const u of users) if (u.managerId !== null) reportCounts.set(u.managerId, (reportCounts.get(u.managerId) ?? 0) + 1);

  const matchedBy: Record<MatchKeyKind, number> = { mail: 0, upn: 0, alias: 0, otherMails: 0 };
  const mailCounts = new Map<string, number>();
  const entraKeys = new Set<string>();
  let matched = 0;
  let managersWithoutAccount = 0;
  for (const u of users) {
    for (const key of entraMatchKeys(u)) entraKeys.add(key.value);
    const kind = matchKindOf(u, atlassianIndex);
    if (kind !== undefined) {
      matched += 1;
      matchedBy[kind] += 1;
    } else if (reportCounts.has(u.id)) {
      managersWithoutAccount += 1;
    }
    if (u.mail !== null) mailCounts.set(normalizeEmail(u.mail), (mailCounts.get(normalizeEmail(u.mail)) ?? 0) + 1);
  }

  const atlassian = jira.filter((a) => a.accountType === 'atlassian');
  const emails = jira.map((a) => a.email).filter((e): e is string => e !== null);
  const entraMails = users.map((u) => u.mail).filter((m): m is string => m !== null);

  return {
    entraUsers: users.length,
    members: count(users, (u) => u.userType === 'Member'),
    guests: count(users, (u) => u.userType === 'Guest'),
    disabled: count(users, (u) => !u.accountEnabled),
    withoutMail: count(users, (u) => u.mail === null),
    withoutManager: count(users, (u) => u.managerId === null),
    managedByOrgContact: count(users, (u) => u.managerId !== null && contactIds.has(u.managerId)),
    orgContacts: world.entra.orgContacts.length,
    managers: count(users, (u) => reportCounts.has(u.id)),
    managersWithoutAtlassianAccount: managersWithoutAccount,
    maxManagerDepth: maxDepth(
      users.map((u) => u.id),
      (id) => byId.get(id)?.managerId ?? null,
      byId,
    ),
    accentedDisplayNames: count(users, (u) => u.displayName !== null && ACCENTED.test(u.displayName)),
    cjkDisplayNames: count(users, (u) => u.displayName !== null && CJK.test(u.displayName)),
    reservedCharacterDisplayNames: count(users, (u) => u.displayName !== null && RESERVED.test(u.displayName)),
    overlongJobTitles: count(users, (u) => (u.jobTitle?.length ?? 0) > ASSETS_TEXT_MAX_LENGTH),
    duplicatedEntraMails: count([...mailCounts.values()], (n) => n > 1),
    mixedCaseEntraMails: count(entraMails, (m) => m !== m.toLowerCase()),
    paddedEntraMails: count(entraMails, (m) => m !== m.trim()),
    withOtherMails: count(users, (u) => u.otherMails.length > 0),
    withSecondaryAliases: count(users, (u) => u.proxyAddresses.some((p) => p.startsWith('smtp:'))),
    upnDiffersFromMail: count(users, (u) => u.mail !== null && normalizeEmail(u.mail) !== normalizeEmail(u.userPrincipalName)),
    jiraUsers: jira.length,
    atlassianAccounts: atlassian.length,
    appAccounts: count(jira, (a) => a.accountType === 'app'),
    customerAccounts: count(jira, (a) => a.accountType === 'customer'),
    inactiveAtlassianAccounts: count(atlassian, (a) => !a.active),
    atlassianWithoutEmail: count(atlassian, (a) => a.email === null),
    hiddenEmails: count(jira, (a) => a.emailHidden),
    duplicatedAtlassianEmails: count([...atlassianIndex.values()], (list) => list.length > 1),
    atlassianMatchingNobody: count(atlassian, (a) => a.email !== null && !entraKeys.has(normalizeEmail(a.email))),
    mixedCaseAtlassianEmails: count(emails, (e) => e !== e.toLowerCase()),
    paddedAtlassianEmails: count(emails, (e) => e !== e.trim()),
    matchedEntraUsers: matched,
    matchRate: users.length === 0 ? 0 : matched / users.length,
    matchedBy,
  };
}

function count<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (predicate(item)) n += 1;
  return n;
}

/** Depth of the deepest user below a top; chains that leave the user set (org contacts) or loop simply stop. */
function maxDepth(ids: readonly string[], managerOf: (id: string) => string | null, users: ReadonlyMap<string, unknown>): number {
  const memo = new Map<string, number>();
  let max = 0;
  for (const start of ids) {
    const chain: string[] = [];
    const onChain = new Set<string>();
    let current: string | null = start;
    let base = 0;
    while (current !== null && users.has(current)) {
      const known = memo.get(current);
      if (known !== undefined) {
        base = known + 1;
        break;
      }
      if (onChain.has(current)) break;
      chain.push(current);
      onChain.add(current);
      current = managerOf(current);
    }
    // chain[0] is start; the last element sits right below `base - 1` (or is a top).
    for (let k = chain.length - 1, d = base; k >= 0; k -= 1, d += 1) {
      memo.set(chain[k] as string, d);
      if (d > max) max = d;
    }
  }
  return max;
}
