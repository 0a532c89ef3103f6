/**
 * Matches Atlassian accounts to Entra users by email, the one join key the two directories share. The rules (and
 * why) are in docs/sync-rules.md: a fixed precedence of Entra keys, the first level with any candidate decides, and
 * anything unclear (no email, two candidates, two accounts on one Entra user) is left unmatched rather than guessed.
 *
 * Speed: the Atlassian emails are indexed once (one Map), then every Entra key of every level is looked up in it in
 * a single pass, keeping per email the best level seen and its candidates. That gives the same answer as one Map
 * per Entra level, with a quarter of the Map inserts (lookups are much cheaper than inserts), which is what keeps
 * 100k users well under a second.
 */
import type { AtlassianAccount } from './atlassian-account';
import { entraIdKey } from './entra-id';
import type { EntraUser } from './entra-user';

export const MATCH_LEVELS = ['mail', 'userPrincipalName', 'proxyAddresses', 'otherMails'] as const;
export type MatchLevel = (typeof MATCH_LEVELS)[number];

export type UnmatchedReason = 'no-email' | 'no-entra-match' | 'ambiguous' | 'duplicate-match';

const SMTP_PREFIX_LENGTH = 'smtp:'.length;

/**
 * Comparison form of an email: NFC (so a precomposed "é" equals "e" + combining accent), trimmed, lower-cased with
 * the locale-independent toLowerCase. Null when nothing is left. A string already in that form is returned as is.
 */
export function normaliseEmail(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const length = value.length;
  let needsWork = length === 0 || value.charCodeAt(0) <= 32 || value.charCodeAt(length - 1) <= 32;
  let ascii = true;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code > 127) {
      ascii = false;
      break;
    }
    if (code >= 65 && code <= 90) needsWork = true;
  }
  if (ascii && !needsWork) return value;
  const trimmed = (ascii ? value : value.normalize('NFC')).trim();
  return trimmed.length === 0 ? null : trimmed.toLowerCase();
}

/** The address of a proxyAddresses entry with an smtp: prefix in any case; null for other entries (X500:, SIP:...). */
export function smtpAddress(entry: string): string | null {
  const start = entry.trimStart();
  if (start.length <= SMTP_PREFIX_LENGTH || !smtpPrefixAt(start, 0)) return null;
  return normaliseEmail(start.slice(SMTP_PREFIX_LENGTH));
}

/** Only active, human Atlassian accounts take part; app and customer accounts and inactive ones are ignored. */
export function isInPopulation(account: AtlassianAccount): boolean {
  return account.accountType === 'atlassian' && account.active;
}

export interface MatchedPair {
  readonly account: AtlassianAccount;
  readonly entraUser: EntraUser;
  /** Position of entraUser in MatchResult.entraUsers. */
  readonly entraIndex: number;
  /** The Atlassian email as Jira gave it, trimmed: written to Email when the Entra user has no mail. */
  readonly matchedEmail: string;
  readonly level: MatchLevel;
}

export interface UnmatchedAccount {
  readonly account: AtlassianAccount;
  readonly reason: UnmatchedReason;
  /** Entra ids involved: the candidates of an ambiguous match, or the user several accounts matched. */
  readonly entraUserIds: readonly string[];
}

export interface DuplicateMatch {
  readonly entraUser: EntraUser;
  readonly accounts: readonly AtlassianAccount[];
}

export interface MatchResult {
  /** Active atlassian accounts, each accountId once. */
  readonly populationSize: number;
  /** In population order. */
  readonly pairs: readonly MatchedPair[];
  readonly unmatched: readonly UnmatchedAccount[];
  readonly duplicateMatches: readonly DuplicateMatch[];
  /** The Entra users considered: each id once, the first record winning (the input itself when ids are unique). */
  readonly entraUsers: readonly EntraUser[];
  /** entraIdKey(id) -> position in entraUsers. */
  readonly entraIndexById: ReadonlyMap<string, number>;
}

const NO_LEVEL = MATCH_LEVELS.length;

/** Per distinct Atlassian email: the best (lowest) level where an Entra user has it, and who. */
interface EmailSlots {
  readonly bestLevel: Uint8Array;
  readonly candidate: Int32Array;
  /** Slots with two or more candidates at their best level: all of them, in directory order. */
  readonly ambiguous: Map<number, number[]>;
}

/** The Entra users, each id once (the first record wins), and where each id sits. */
function indexEntraUsers(directory: readonly EntraUser[]): Pick<MatchResult, 'entraUsers' | 'entraIndexById'> {
  const entraIndexById = new Map<string, number>();
  // Walking backwards lets a plain set() keep the first record of an id, one Map operation per user.
  for (let i = directory.length - 1; i >= 0; i--) entraIndexById.set(entraIdKey((directory[i] as EntraUser).id), i);
  if (entraIndexById.size === directory.length) return { entraUsers: directory, entraIndexById };
  const entraUsers: EntraUser[] = [];
  entraIndexById.clear();
  for (const user of directory) {
    const key = entraIdKey(user.id);
    if (entraIndexById.has(key)) continue;
    entraIndexById.set(key, entraUsers.length);
    entraUsers.push(user);
  }
  return { entraUsers, entraIndexById };
}

/** `SMTP:<address>` where <address> is exactly `raw`. */
function repeats(entry: string, raw: string | null): boolean {
  return raw !== null && entry.length === raw.length + SMTP_PREFIX_LENGTH && entry.endsWith(raw) && smtpPrefixAt(entry, 0);
}

function smtpPrefixAt(value: string, at: number): boolean {
  // 's' 'm' 't' 'p' ':' compared case-insensitively without allocating a prefix string.
  return (
    (value.charCodeAt(at) | 32) === 115 &&
    (value.charCodeAt(at + 1) | 32) === 109 &&
    (value.charCodeAt(at + 2) | 32) === 116 &&
    (value.charCodeAt(at + 3) | 32) === 112 &&
    value.charCodeAt(at + 4) === 58
  );
}

function offer(slots: EmailSlots, slot: number | undefined, level: number, userIndex: number): void {
  if (slot === undefined) return;
  const best = slots.bestLevel[slot] as number;
  if (level > best) return;
  if (level < best) {
    slots.bestLevel[slot] = level;
    slots.candidate[slot] = userIndex;
    slots.ambiguous.delete(slot);
    return;
  }
  const first = slots.candidate[slot] as number;
  if (first === userIndex) return;
  const others = slots.ambiguous.get(slot);
  if (others === undefined) slots.ambiguous.set(slot, [first, userIndex]);
  else if (others[others.length - 1] !== userIndex) others.push(userIndex);
}

/** Matches the population against the directory. Deterministic: input order is kept. */
export function matchAccounts(accounts: readonly AtlassianAccount[], directory: readonly EntraUser[]): MatchResult {
  const { entraUsers, entraIndexById } = indexEntraUsers(directory);

  // The population, each account once, and one slot per distinct normalised email.
  const population: AtlassianAccount[] = [];
  const slotOf: number[] = [];
  const seenAccounts = new Set<string>();
  const slotByEmail = new Map<string, number>();
  for (const account of accounts) {
    if (!isInPopulation(account)) continue;
    const seenBefore = seenAccounts.size;
    if (seenAccounts.add(account.accountId).size === seenBefore) continue;
    population.push(account);
    const email = normaliseEmail(account.email);
    if (email === null) {
      slotOf.push(-1);
      continue;
    }
    let slot = slotByEmail.get(email);
    if (slot === undefined) {
      slot = slotByEmail.size;
      slotByEmail.set(email, slot);
    }
    slotOf.push(slot);
  }

  const slots: EmailSlots = {
    bestLevel: new Uint8Array(slotByEmail.size).fill(NO_LEVEL),
    candidate: new Int32Array(slotByEmail.size).fill(-1),
    ambiguous: new Map(),
  };
  // A key equal to one the same user already offered at an earlier level cannot change the outcome, so it is not
  // looked up: the primary SMTP address usually repeats mail, and the UPN often does. Raw equality is checked first
  // because it is free; normalised equality saves the lookup.
  for (let u = 0; u < entraUsers.length; u++) {
    const user = entraUsers[u] as EntraUser;
    const rawMail = user.mail;
    const mail = normaliseEmail(rawMail);
    if (mail !== null) offer(slots, slotByEmail.get(mail), 0, u);
    const rawUpn = user.userPrincipalName;
    const upn = rawUpn === rawMail ? mail : normaliseEmail(rawUpn);
    if (upn !== null && upn !== mail) offer(slots, slotByEmail.get(upn), 1, u);
    for (const entry of user.proxyAddresses) {
      if (repeats(entry, rawMail) || repeats(entry, rawUpn)) continue;
      const address = smtpAddress(entry);
      if (address !== null && address !== mail && address !== upn) offer(slots, slotByEmail.get(address), 2, u);
    }
    for (const other of user.otherMails) {
      const address = normaliseEmail(other);
      if (address !== null && address !== mail && address !== upn) offer(slots, slotByEmail.get(address), 3, u);
    }
  }

  // Provisional matches; an Entra user claimed by two or more accounts is then taken away from all of them.
  const unmatched: UnmatchedAccount[] = [];
  const matchedAccountOf = new Int32Array(entraUsers.length).fill(-1);
  const duplicated = new Map<number, AtlassianAccount[]>();
  const provisional: number[] = [];
  for (let a = 0; a < population.length; a++) {
    const account = population[a] as AtlassianAccount;
    const slot = slotOf[a] as number;
    if (slot === -1) {
      unmatched.push({ account, reason: 'no-email', entraUserIds: [] });
      continue;
    }
    const candidates = slots.ambiguous.get(slot);
    if (candidates !== undefined) {
      unmatched.push({ account, reason: 'ambiguous', entraUserIds: candidates.map((u) => (entraUsers[u] as EntraUser).id) });
      continue;
    }
    const userIndex = slots.candidate[slot] as number;
    if (userIndex === -1) {
      unmatched.push({ account, reason: 'no-entra-match', entraUserIds: [] });
      continue;
    }
    const firstAccount = matchedAccountOf[userIndex] as number;
    if (firstAccount === -1) {
      matchedAccountOf[userIndex] = a;
    } else {
      const group = duplicated.get(userIndex);
      if (group === undefined) duplicated.set(userIndex, [population[firstAccount] as AtlassianAccount, account]);
      else group.push(account);
    }
    provisional.push(a);
  }

  const pairs: MatchedPair[] = [];
  for (const a of provisional) {
    const account = population[a] as AtlassianAccount;
    const slot = slotOf[a] as number;
    const entraIndex = slots.candidate[slot] as number;
    const entraUser = entraUsers[entraIndex] as EntraUser;
    if (duplicated.has(entraIndex)) {
      unmatched.push({ account, reason: 'duplicate-match', entraUserIds: [entraUser.id] });
      continue;
    }
    const level = MATCH_LEVELS[slots.bestLevel[slot] as number] as MatchLevel;
    pairs.push({ account, entraUser, entraIndex, matchedEmail: (account.email ?? '').trim(), level });
  }

  const duplicateMatches: DuplicateMatch[] = [];
  for (const [userIndex, group] of duplicated) {
    duplicateMatches.push({ entraUser: entraUsers[userIndex] as EntraUser, accounts: group });
  }

  return { populationSize: population.length, pairs, unmatched, duplicateMatches, entraUsers, entraIndexById };
}
