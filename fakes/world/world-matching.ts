/**
 * A plain description of which Entra users a world's Atlassian accounts belong to, used by worldStats and
 * mutateWorld. It is deliberately naive (any address of the user equals an account's email, compared trimmed and
 * case-insensitively): it describes the test data, it is not the app's matching rules (those live in src/domain).
 */
import type { FakeGraphUser, FakeJiraUser, World } from './types';

export type MatchKeyKind = 'mail' | 'upn' | 'alias' | 'otherMails';

export interface MatchKey {
  readonly kind: MatchKeyKind;
  readonly value: string;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** The addresses of a user an Atlassian email can equal, in the order they are tried. */
export function entraMatchKeys(user: FakeGraphUser): MatchKey[] {
  const keys: MatchKey[] = [];
  if (user.mail !== null) keys.push({ kind: 'mail', value: normalizeEmail(user.mail) });
  keys.push({ kind: 'upn', value: normalizeEmail(user.userPrincipalName) });
  for (const entry of user.proxyAddresses) {
    if (entry.toLowerCase().startsWith('smtp:')) keys.push({ kind: 'alias', value: normalizeEmail(entry.slice(5)) });
  }
  for (const other of user.otherMails) keys.push({ kind: 'otherMails', value: normalizeEmail(other) });
  return keys;
}

/** Atlassian ('atlassian' type) accounts with an email, by normalized email. */
export function indexAtlassianEmails(jiraUsers: readonly FakeJiraUser[]): Map<string, FakeJiraUser[]> {
  const index = new Map<string, FakeJiraUser[]>();
  for (const account of jiraUsers) {
    if (account.accountType !== 'atlassian' || account.email === null) continue;
    const key = normalizeEmail(account.email);
    const list = index.get(key);
    if (list === undefined) index.set(key, [account]);
    else list.push(account);
  }
  return index;
}

/** The first kind of address through which the user has an Atlassian account, or undefined. */
export function matchKindOf(user: FakeGraphUser, index: ReadonlyMap<string, unknown>): MatchKeyKind | undefined {
  for (const key of entraMatchKeys(user)) {
    if (index.has(key.value)) return key.kind;
  }
  return undefined;
}

export function matchedEntraIds(world: World): Set<string> {
  const index = indexAtlassianEmails(world.jira.users);
  const matched = new Set<string>();
  for (const user of world.entra.users) {
    if (matchKindOf(user, index) !== undefined) matched.add(user.id);
  }
  return matched;
}
