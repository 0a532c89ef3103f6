/**
 * Builds a seeded, realistic simulated world: an Entra tenant (users, org contacts, a manager tree) and the Jira
 * site's accounts, with the quirks real directories have (guests, missing mail, aliases, case and spaces in
 * emails, duplicated emails, hidden emails, app and customer accounts, Unicode and reserved characters in names,
 * an over-long job title, managers that are org contacts or have no Atlassian account). With quirks on, each quirk
 * appears at a small rate and at least once from 50 users up, so tests can rely on it. The same options always give
 * byte-identical JSON: every random choice comes from one seeded PRNG stream per concern.
 */
import { buildOrgTree, departmentNameOf, jobTitleOf, type OrgTree } from './org-tree';
import { createPrng, deriveSeed, type Prng } from './prng';
import type { FakeGraphUser, FakeJiraUser, FakeOrgContact, World } from './types';
import {
  ACCENTED_NAMES,
  APP_ACCOUNT_NAMES,
  CJK_NAMES,
  COMPANIES,
  CONTRACTOR_DOMAINS,
  CUSTOMER_DOMAINS,
  DIVISIONS,
  EMPLOYEE_TYPES,
  GIVEN_NAMES,
  LONG_JOB_TITLE,
  LONG_VALUE,
  ODD_VALUES,
  OFFICE_PLACES,
  OFFICES,
  PARTNER_DOMAINS,
  RESERVED_CHARACTER_NAMES,
  SURNAMES,
  TENANT,
  WORLD_EXTENSION_PROPERTIES,
} from './world-data';
import { buildGroups, defaultGroupOptions } from './world-groups';

export { type MutatedWorld, mutateWorld, type MutateWorldOptions } from './mutate-world';
export { type WorldStats, worldStats } from './world-stats';

export interface GenerateWorldOptions {
  /** Entra users, 10 to 100,000. */
  readonly users: number;
  readonly seed: number;
  /** Share of Entra users that have an Atlassian account (default 0.9). */
  readonly matchRate?: number;
  /** Realistic irregularities (default true); false gives a clean world. */
  readonly quirks?: boolean;
  /** Number of groups (default users / 5, at least 12; world-groups.ts adds the special kinds first). */
  readonly groups?: number;
  /** Average ordinary groups per user (default 15 from 1,000 users, else 3). */
  readonly averageMemberships?: number;
}

export const MIN_USERS = 10;
export const MAX_USERS = 100_000;
/** From this size on, every quirk is guaranteed to appear at least once (when quirks are on). */
export const QUIRKS_GUARANTEED_FROM = 50;

/** Rates of each quirk among eligible people, when quirks are on. */
export const QUIRK_RATES = {
  guest: 0.02,
  noMail: 0.02,
  aliasOnly: 0.02,
  disabled: 0.03,
  noManager: 0.005,
  orgContactManager: 0.003,
  mixedCaseEntra: 0.02,
  mixedCaseAtlassian: 0.03,
  paddedEntra: 0.003,
  paddedAtlassian: 0.005,
  otherMails: 0.05,
  reservedName: 0.002,
  accentedName: 0.04,
  cjkName: 0.03,
  hiddenEmail: 0.15,
  inactiveAtlassian: 0.01,
  inactiveWhenDisabled: 0.5,
  nullJobTitle: 0.01,
  nullDepartment: 0.01,
  upnDiffersFromMail: 0.1,
  secondaryAlias: 0.3,
  x500Address: 0.05,
  appAccounts: 0.005,
  customerAccounts: 0.02,
  unmatchedAtlassian: 0.01,
  inactiveUnmatchedAtlassian: 0.005,
  atlassianWithoutEmail: 0.003,
} as const;

const enum Identity {
  Member = 0,
  Guest = 1,
  /** No mailbox: mail null; the Atlassian email is the UPN or an otherMails address. */
  NoMail = 2,
  /** The Atlassian email is a secondary alias found only in proxyAddresses. */
  AliasOnly = 3,
  /** Holds another user's mail (a data-entry error): matching is ambiguous. */
  DuplicateMail = 4,
}

const enum Flag {
  Unmatched = 1 << 0,
  Disabled = 1 << 1,
  NoManager = 1 << 2,
  OrgContactManager = 1 << 3,
  MixedCaseEntra = 1 << 4,
  MixedCaseAtlassian = 1 << 5,
  PaddedEntra = 1 << 6,
  PaddedAtlassian = 1 << 7,
  OtherMails = 1 << 8,
  ReservedName = 1 << 9,
  LongTitle = 1 << 10,
  InactiveAtlassian = 1 << 11,
  HiddenEmail = 1 << 12,
  DuplicateAtlassian = 1 << 13,
}

const enum NameKind {
  Plain = 0,
  Accented = 1,
  Cjk = 2,
}

/** Everything decided about the people before records are built. */
interface Plan {
  readonly size: number;
  readonly tree: OrgTree;
  readonly identity: Uint8Array;
  readonly flags: Uint32Array;
  readonly nameKind: Uint8Array;
  /** For Identity.DuplicateMail: whose mail the person holds. */
  readonly duplicateOf: Map<number, number>;
}

export function generateWorld(options: GenerateWorldOptions): World {
  const { users: size, seed } = options;
  const matchRate = options.matchRate ?? 0.9;
  const quirks = options.quirks ?? true;
  if (!Number.isInteger(size) || size < MIN_USERS || size > MAX_USERS) {
    throw new RangeError(`generateWorld: users must be an integer from ${MIN_USERS} to ${MAX_USERS}, got ${size}.`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`generateWorld: seed must be an integer, got ${seed}.`);
  if (!(matchRate >= 0 && matchRate <= 1)) throw new RangeError(`generateWorld: matchRate must be within 0..1, got ${matchRate}.`);

  const stream = (label: string): Prng => createPrng(deriveSeed(seed, label));
  const tree = buildOrgTree(size, stream('tree'));
  const plan = planPeople(tree, matchRate, quirks, stream('quirks'));
  const ids = createIdSource(stream('ids'));
  const orgContacts = quirks ? buildOrgContacts(Math.max(1, Math.round(size * 0.0005)), ids) : [];
  const people = buildPeople(plan, orgContacts, quirks, ids, stream('people'));
  // Its own stream: the properties the attribute catalogue reads leave every other draw (and so every user's
  // identity, mail and manager) as it was before they existed.
  addProfiles(people, quirks, stream('profile'));
  const jiraUsers = buildJiraUsers(plan, people, quirks, ids, stream('jira'));

  const order = stream('order');
  const users = order.shuffled(people.map((p) => p.user));
  const defaults = defaultGroupOptions(size);
  // Its own stream too: groups change no user, contact or account.
  const { groups, directoryObjects } = buildGroups(
    users,
    orgContacts,
    { count: options.groups ?? defaults.count, averageMemberships: options.averageMemberships ?? defaults.averageMemberships },
    stream('groups'),
  );
  return {
    seed,
    entra: { users, orgContacts, groups, directoryObjects },
    jira: { users: order.shuffled(jiraUsers) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Planning: who gets which quirk.

function planPeople(tree: OrgTree, matchRate: number, quirks: boolean, rng: Prng): Plan {
  const size = tree.size;
  const identity = new Uint8Array(size);
  const flags = new Uint32Array(size);
  const nameKind = new Uint8Array(size);
  const duplicateOf = new Map<number, number>();
  const plan: Plan = { size, tree, identity, flags, nameKind, duplicateOf };
  const guarantee = quirks && size >= QUIRKS_GUARANTEED_FROM;
  const isManager = (i: number): boolean => (tree.reports[i] ?? 0) > 0;
  const has = (i: number, flag: number): boolean => ((flags[i] ?? 0) & flag) !== 0;
  const set = (i: number, flag: number): void => {
    flags[i] = (flags[i] ?? 0) | flag;
  };
  const matched = (i: number): boolean => !has(i, Flag.Unmatched);
  const member = (i: number): boolean => identity[i] === Identity.Member;

  // Exactly round((1 - matchRate) * size) people have no Atlassian account.
  const unmatchedCount = Math.round((1 - matchRate) * size);
  const order = rng.shuffled(Array.from({ length: size }, (_, i) => i));
  for (let k = 0; k < unmatchedCount; k += 1) set(order[k] ?? 0, Flag.Unmatched);
  if (!quirks) return plan;

  if (guarantee && unmatchedCount > 0 && !anyIndex(size, (i) => isManager(i) && !matched(i))) {
    // A manager without an Atlassian account: swap with an unmatched individual so the match rate stays exact.
    const manager = pickIndex(rng, size, (i) => i > 0 && isManager(i) && matched(i));
    const individual = pickIndex(rng, size, (i) => !isManager(i) && !matched(i));
    if (manager !== undefined && individual !== undefined) {
      flags[manager] = (flags[manager] ?? 0) | Flag.Unmatched;
      flags[individual] = (flags[individual] ?? 0) & ~Flag.Unmatched;
    }
  }

  // Identities: at most one per person. Guests manage nobody; the CEO stays a plain member.
  const identityRates: readonly [Identity, number][] = [
    [Identity.Guest, QUIRK_RATES.guest],
    [Identity.NoMail, QUIRK_RATES.noMail],
    [Identity.AliasOnly, QUIRK_RATES.aliasOnly],
  ];
  for (let i = 1; i < size; i += 1) {
    let r = rng.next();
    for (const [kind, rate] of identityRates) {
      if (r < rate) {
        if (kind !== Identity.Guest || !isManager(i)) identity[i] = kind;
        break;
      }
      r -= rate;
    }
  }
  if (guarantee) {
    for (const [kind] of identityRates) {
      if (anyIndex(size, (i) => identity[i] === kind && matched(i))) continue;
      const i = pickIndex(rng, size, (j) => j > 0 && member(j) && matched(j) && (kind !== Identity.Guest || !isManager(j)));
      if (i !== undefined) identity[i] = kind;
    }
    // Exactly one mail shared by two people.
    const owner = pickIndex(rng, size, (i) => i > 0 && member(i) && matched(i));
    const holder = pickIndex(rng, size, (i) => i > 0 && i !== owner && member(i) && !isManager(i));
    if (owner !== undefined && holder !== undefined) {
      identity[holder] = Identity.DuplicateMail;
      duplicateOf.set(holder, owner);
    }
  }

  const assign = (flag: Flag, rate: number, eligible: (i: number) => boolean, guaranteeEligible = eligible): void => {
    for (let i = 0; i < size; i += 1) if (eligible(i) && rng.chance(rate)) set(i, flag);
    if (guarantee && !anyIndex(size, (i) => has(i, flag) && guaranteeEligible(i))) {
      const i = pickIndex(rng, size, guaranteeEligible);
      if (i !== undefined) set(i, flag);
    }
  };
  const notCeo = (i: number): boolean => i > 0;
  const withMailbox = (i: number): boolean => member(i) || identity[i] === Identity.AliasOnly;
  const hasAccount = (i: number): boolean => matched(i) && identity[i] !== Identity.DuplicateMail;
  const plainMatched = (i: number): boolean => notCeo(i) && member(i) && matched(i);

  assign(Flag.Disabled, QUIRK_RATES.disabled, notCeo);
  assign(Flag.NoManager, QUIRK_RATES.noManager, (i) => notCeo(i) && identity[i] !== Identity.Guest);
  assign(
    Flag.OrgContactManager,
    QUIRK_RATES.orgContactManager,
    (i) => notCeo(i) && identity[i] !== Identity.Guest && !has(i, Flag.NoManager),
  );
  assign(Flag.MixedCaseEntra, QUIRK_RATES.mixedCaseEntra, withMailbox, plainMatched);
  assign(Flag.MixedCaseAtlassian, QUIRK_RATES.mixedCaseAtlassian, hasAccount, plainMatched);
  assign(Flag.PaddedEntra, QUIRK_RATES.paddedEntra, withMailbox, plainMatched);
  assign(Flag.PaddedAtlassian, QUIRK_RATES.paddedAtlassian, hasAccount, plainMatched);
  assign(Flag.OtherMails, QUIRK_RATES.otherMails, (i) => member(i) || identity[i] === Identity.AliasOnly);
  assign(Flag.ReservedName, QUIRK_RATES.reservedName, notCeo);
  assign(Flag.HiddenEmail, QUIRK_RATES.hiddenEmail, hasAccount);
  for (let i = 0; i < size; i += 1) {
    const rate = has(i, Flag.Disabled) ? QUIRK_RATES.inactiveWhenDisabled : QUIRK_RATES.inactiveAtlassian;
    if (hasAccount(i) && rng.chance(rate)) set(i, Flag.InactiveAtlassian);
  }
  if (guarantee) {
    const single = (flag: Flag, eligible: (i: number) => boolean): void => {
      const i = pickIndex(rng, size, eligible);
      if (i !== undefined) set(i, flag);
    };
    if (!anyIndex(size, (i) => has(i, Flag.InactiveAtlassian))) single(Flag.InactiveAtlassian, plainMatched);
    single(Flag.LongTitle, (i) => notCeo(i) && member(i));
    single(Flag.DuplicateAtlassian, (i) => plainMatched(i) && !has(i, Flag.PaddedAtlassian | Flag.MixedCaseAtlassian));
  }

  for (let i = 0; i < size; i += 1) {
    const r = rng.next();
    if (r < QUIRK_RATES.accentedName) nameKind[i] = NameKind.Accented;
    else if (r < QUIRK_RATES.accentedName + QUIRK_RATES.cjkName) nameKind[i] = NameKind.Cjk;
  }
  if (guarantee) {
    for (const kind of [NameKind.Accented, NameKind.Cjk]) {
      if (anyIndex(size, (i) => nameKind[i] === kind)) continue;
      const i = pickIndex(rng, size, (j) => nameKind[j] === NameKind.Plain && !has(j, Flag.ReservedName));
      if (i !== undefined) nameKind[i] = kind;
    }
  }
  return plan;
}

function anyIndex(size: number, predicate: (i: number) => boolean): boolean {
  for (let i = 0; i < size; i += 1) if (predicate(i)) return true;
  return false;
}

/** A random index satisfying the predicate (scans on from a random start, so it always finds one if any exists). */
function pickIndex(rng: Prng, size: number, predicate: (i: number) => boolean): number | undefined {
  const start = rng.int(size);
  for (let k = 0; k < size; k += 1) {
    const i = (start + k) % size;
    if (predicate(i)) return i;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Records.

interface IdSource {
  guid(): string;
  atlassianAccountId(): string;
  appAccountId(): string;
  customerAccountId(): string;
}

/**
 * No uniqueness bookkeeping: every id draws 92 or more bits from consecutive PRNG outputs, so a repeat within 200k
 * ids is far less likely than a hardware fault, and a Set of every id cost a third of the generation time at 100k.
 */
function createIdSource(rng: Prng): IdSource {
  return {
    guid: () => rng.guid(),
    // Two shapes exist on real sites: 24 hex digits (older accounts) and '712020:<uuid>'.
    atlassianAccountId: () => (rng.chance(0.7) ? `${rng.pick(['5', '6'])}${rng.hex(23)}` : `712020:${rng.guid()}`),
    appAccountId: () => `557058:${rng.guid()}`,
    customerAccountId: () => `qm:${rng.guid()}:${rng.guid()}`,
  };
}

function buildOrgContacts(count: number, ids: IdSource): FakeOrgContact[] {
  const contacts: FakeOrgContact[] = [];
  for (let i = 0; i < count; i += 1) {
    const partner = PARTNER_DOMAINS[i % PARTNER_DOMAINS.length] ?? 'fabrikam.com';
    contacts.push({ id: ids.guid(), displayName: `Interim Director ${i + 1} (${partner})`, mail: `interim.director${i + 1}@${partner}` });
  }
  return contacts;
}

/** A built Entra user plus what the Jira side needs to know about them. */
interface Person {
  readonly index: number;
  readonly user: FakeGraphUser;
  /** The email their Atlassian account carries, before case and spacing quirks; null when they have none. */
  readonly atlassianEmail: string | null;
}

interface Names {
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly alias: string;
  readonly shortAlias: string;
}

function buildPeople(plan: Plan, orgContacts: readonly FakeOrgContact[], quirks: boolean, ids: IdSource, rng: Prng): Person[] {
  const { size, tree, identity, flags, nameKind } = plan;
  const aliasCounts = new Map<string, number>();
  const uniqueAlias = (base: string): string => {
    const count = aliasCounts.get(base) ?? 0;
    aliasCounts.set(base, count + 1);
    return count === 0 ? base : `${base}${count}`;
  };
  const entraIds = Array.from({ length: size }, () => ids.guid());
  const names: Names[] = [];
  for (let i = 0; i < size; i += 1) {
    names.push(makeNames(nameKind[i] ?? NameKind.Plain, ((flags[i] ?? 0) & Flag.ReservedName) !== 0, rng, uniqueAlias));
  }
  const baseMail = (i: number): string => `${names[i]?.alias ?? `user${i}`}@${TENANT.domain}`;

  const people: Person[] = [];
  for (let i = 0; i < size; i += 1) {
    const f = flags[i] ?? 0;
    const n = names[i] as Names;
    const kind = identity[i] ?? Identity.Member;
    const employeeNumber = `E${String(100_000 + i)}`;
    const managerIndex = tree.manager[i] ?? -1;
    let managerId: string | null = managerIndex < 0 ? null : (entraIds[managerIndex] ?? null);
    if (f & Flag.NoManager) managerId = null;
    if (f & Flag.OrgContactManager && orgContacts.length > 0) managerId = rng.pick(orgContacts).id;
    const otherMails = f & Flag.OtherMails ? [`${n.alias}@${rng.pick(CUSTOMER_DOMAINS)}`] : [];

    let user: FakeGraphUser;
    let atlassianEmail: string | null;
    if (kind === Identity.Guest) {
      const partner = rng.pick(PARTNER_DOMAINS);
      const external = `${n.alias}@${partner}`;
      user = {
        id: entraIds[i] as string,
        displayName: n.displayName,
        givenName: n.givenName,
        surname: n.surname,
        mail: external,
        userPrincipalName: `${n.alias}_${partner}#EXT#@${TENANT.onMicrosoft}`,
        proxyAddresses: [`SMTP:${external}`],
        otherMails: [external],
        jobTitle: null,
        department: null,
        officeLocation: null,
        accountEnabled: (f & Flag.Disabled) === 0,
        userType: 'Guest',
        employeeId: null,
        managerId: null,
      };
      atlassianEmail = external;
    } else {
      const own = baseMail(i);
      const upnDiffers = kind !== Identity.NoMail && quirks && rng.chance(QUIRK_RATES.upnDiffersFromMail);
      const upn = upnDiffers ? `${employeeNumber.toLowerCase()}@${TENANT.domain}` : own;
      const secondary = `${n.shortAlias}@${TENANT.aliasDomain}`;
      let mail: string | null =
        kind === Identity.NoMail ? null : kind === Identity.DuplicateMail ? baseMail(plan.duplicateOf.get(i) ?? i) : own;
      const proxyAddresses: string[] = [];
      if (kind !== Identity.NoMail) {
        proxyAddresses.push(`SMTP:${own}`);
        if (kind === Identity.AliasOnly || (quirks && rng.chance(QUIRK_RATES.secondaryAlias))) proxyAddresses.push(`smtp:${secondary}`);
        if (quirks && rng.chance(QUIRK_RATES.x500Address)) {
          proxyAddresses.push(
            `X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${rng.hex(32)}-${n.alias}`,
          );
        }
      }
      if (mail !== null && f & Flag.MixedCaseEntra) {
        mail = mixedCase(mail);
        if (proxyAddresses[0] !== undefined) proxyAddresses[0] = `SMTP:${mixedCase(own)}`;
      }
      if (mail !== null && f & Flag.PaddedEntra) mail = ` ${mail} `;
      const noMailOther = kind === Identity.NoMail && rng.chance(0.3) ? `${n.alias}@${TENANT.aliasDomain}` : undefined;
      if (noMailOther !== undefined) otherMails.push(noMailOther);
      user = {
        id: entraIds[i] as string,
        displayName: n.displayName,
        givenName: n.givenName,
        surname: n.surname,
        mail,
        userPrincipalName: upn,
        proxyAddresses,
        otherMails,
        jobTitle: titleFor(plan, i, quirks, rng),
        department: quirks && i > 0 && rng.chance(QUIRK_RATES.nullDepartment) ? null : departmentNameOf(tree, i),
        officeLocation: rng.pick(OFFICES),
        accountEnabled: (f & Flag.Disabled) === 0,
        userType: 'Member',
        employeeId: quirks && rng.chance(0.02) ? null : employeeNumber,
        managerId,
      };
      switch (kind) {
        case Identity.NoMail:
          atlassianEmail = noMailOther ?? upn;
          break;
        case Identity.AliasOnly:
          atlassianEmail = secondary;
          break;
        case Identity.DuplicateMail:
          // Their own address has no account; the account that exists belongs to the mail's owner.
          atlassianEmail = null;
          break;
        default:
          atlassianEmail = upnDiffers && rng.chance(0.2) ? upn : own;
      }
    }
    if (f & Flag.Unmatched) atlassianEmail = null;
    people.push({ index: i, user, atlassianEmail });
  }
  return people;
}

/**
 * The properties the attribute catalogue reads (src/domain/attribute-catalogue.ts), in Graph's shapes. Members get
 * realistic values; guests mostly none. With quirks on, the first matched members (by index) carry the odd cases the
 * sync must handle, so every world from QUIRKS_GUARANTEED_FROM users has them: a value longer than Assets holds,
 * blank and padded values, Unicode and reserved characters, two business phones, a hire date late in the UTC day,
 * no employeeOrgData, all fifteen extension attributes set.
 */
function addProfiles(people: readonly Person[], quirks: boolean, rng: Prng): void {
  const oddCases = quirks && people.length >= QUIRKS_GUARANTEED_FROM ? 8 : 0;
  let odd = 0;
  // The odd cases go to people the sync will certainly create: enabled, with an account, a mail no one else has.
  const mailCount = new Map<string, number>();
  for (const { user } of people)
    if (user.mail !== null) mailCount.set(user.mail.trim().toLowerCase(), (mailCount.get(user.mail.trim().toLowerCase()) ?? 0) + 1);
  const certain = (person: Person) =>
    person.atlassianEmail !== null &&
    person.user.accountEnabled &&
    person.user.mail !== null &&
    mailCount.get(person.user.mail.trim().toLowerCase()) === 1;
  for (const person of people) {
    const user = person.user;
    if (user.userType === 'Guest') {
      user.employeeType = null;
      user.companyName = rng.chance(0.5) ? null : 'Fabrikam';
      user.businessPhones = [];
      user.mobilePhone = null;
      user.employeeHireDate = null;
      user.employeeOrgData = null;
      user.onPremisesExtensionAttributes = {};
      continue;
    }
    const place = OFFICE_PLACES[user.officeLocation ?? ''] ?? null;
    const number = () => `+1 425 555 ${String(rng.int(10_000)).padStart(4, '0')}`;
    user.employeeType = rng.pick(EMPLOYEE_TYPES);
    user.companyName = rng.pick(COMPANIES);
    user.city = place?.city ?? null;
    user.country = place?.country ?? null;
    user.usageLocation = place?.usageLocation ?? (rng.chance(0.5) ? 'US' : null);
    user.mobilePhone = rng.chance(0.7) ? number() : null;
    user.businessPhones = rng.chance(0.8) ? [number()] : [];
    const year = 2005 + rng.int(20);
    const month = String(1 + rng.int(12)).padStart(2, '0');
    const day = String(1 + rng.int(28)).padStart(2, '0');
    user.employeeHireDate = rng.chance(0.9) ? `${year}-${month}-${day}T00:00:00Z` : null;
    user.employeeOrgData = { costCenter: `CC-${1000 + rng.int(9000)}`, division: rng.pick(DIVISIONS) };
    user.onPremisesExtensionAttributes = {
      extensionAttribute1: `B-${rng.hex(6).toUpperCase()}`,
      ...(rng.chance(0.3) ? { extensionAttribute7: rng.pick(['Floor 1', 'Floor 2', 'Floor 3']) } : {}),
    };
    user.extensions = { [WORLD_EXTENSION_PROPERTIES.costCentre]: `CC-${1000 + rng.int(9000)}` };
    if (rng.chance(0.5)) user.extensions[WORLD_EXTENSION_PROPERTIES.badgeNumber] = String(100_000 + rng.int(900_000));
    if (odd < oddCases && certain(person)) oddProfile(user, odd++);
  }
}

/** One odd case per index (see addProfiles). */
function oddProfile(user: FakeGraphUser, which: number): void {
  switch (which) {
    case 0: // Longer than Assets' 255 characters: cut, with a warning.
      user.companyName = LONG_VALUE;
      user.onPremisesExtensionAttributes = { ...user.onPremisesExtensionAttributes, extensionAttribute2: LONG_VALUE };
      break;
    case 1: // Blank values: empty means cleared.
      user.companyName = '';
      user.city = '   ';
      user.mobilePhone = null;
      user.businessPhones = [];
      break;
    case 2: // Padded: trimmed.
      user.city = '  Leeds ';
      user.employeeType = ' Contractor';
      break;
    case 3: // Unicode and reserved characters, kept as they are.
      user.employeeOrgData = { costCenter: ODD_VALUES[3] ?? null, division: ODD_VALUES[0] ?? null };
      user.companyName = ODD_VALUES[1] ?? null;
      user.city = ODD_VALUES[2] ?? null;
      break;
    case 4: // Two business phones (only the first is kept); a hire date late in the UTC day.
      user.businessPhones = ['+44 20 7946 0000', '+44 20 7946 0999'];
      user.employeeHireDate = '2019-07-15T23:30:00Z';
      break;
    case 5: // No employeeOrgData at all; no hire date.
      user.employeeOrgData = null;
      user.employeeHireDate = null;
      break;
    case 6: // All fifteen extension attributes.
      user.onPremisesExtensionAttributes = Object.fromEntries(
        Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, `Value ${i + 1}`]),
      );
      break;
    default: // No extension property values; an empty directory extension value.
      user.extensions = { [WORLD_EXTENSION_PROPERTIES.costCentre]: '' };
      user.onPremisesExtensionAttributes = {};
  }
}

function titleFor(plan: Plan, i: number, quirks: boolean, rng: Prng): string | null {
  if ((plan.flags[i] ?? 0) & Flag.LongTitle) return LONG_JOB_TITLE;
  const title = jobTitleOf(plan.tree, i, rng);
  return quirks && i > 0 && rng.chance(QUIRK_RATES.nullJobTitle) ? null : title;
}

function makeNames(kind: NameKind, reserved: boolean, rng: Prng, uniqueAlias: (base: string) => string): Names {
  let given: readonly [string, string];
  let family: readonly [string, string];
  let displayName: string;
  if (kind === NameKind.Accented) {
    [given, family] = rng.pick(ACCENTED_NAMES);
    displayName = `${given[0]} ${family[0]}`;
  } else if (kind === NameKind.Cjk) {
    [given, family] = rng.pick(CJK_NAMES);
    displayName = `${family[0]} ${given[0]}`;
  } else {
    given = rng.pick(GIVEN_NAMES);
    family = rng.pick(SURNAMES);
    displayName = `${given[0]} ${family[0]}`;
  }
  if (reserved) displayName = rng.pick(RESERVED_CHARACTER_NAMES);
  const alias = uniqueAlias(`${given[1]}.${family[1]}`);
  const shortAlias = uniqueAlias(`${given[1].slice(0, 1)}${family[1]}`);
  return { displayName, givenName: given[0], surname: family[0], alias, shortAlias };
}

/** 'john.smith@contoso.com' -> 'John.Smith@Contoso.com'. */
function mixedCase(email: string): string {
  return email.replace(/(^|[.@])([a-z])/g, (_, sep: string, letter: string) => `${sep}${letter.toUpperCase()}`);
}

function pad(email: string, rng: Prng): string {
  return rng.pick([` ${email}`, `${email} `, ` ${email} `]);
}

function buildJiraUsers(plan: Plan, people: readonly Person[], quirks: boolean, ids: IdSource, rng: Prng): FakeJiraUser[] {
  const accounts: FakeJiraUser[] = [];
  for (const person of people) {
    if (person.atlassianEmail === null) continue;
    const f = plan.flags[person.index] ?? 0;
    let email = person.atlassianEmail;
    if (f & Flag.MixedCaseAtlassian) email = mixedCase(email);
    if (f & Flag.PaddedAtlassian) email = pad(email, rng);
    const account: FakeJiraUser = {
      accountId: ids.atlassianAccountId(),
      accountType: 'atlassian',
      active: (f & Flag.InactiveAtlassian) === 0,
      displayName: person.user.displayName ?? person.atlassianEmail,
      email,
      emailHidden: (f & Flag.HiddenEmail) !== 0,
    };
    accounts.push(account);
    if (f & Flag.DuplicateAtlassian) {
      // A second account with the same email (e.g. created before the domain was verified): matching is ambiguous.
      accounts.push({ ...account, accountId: ids.atlassianAccountId(), displayName: `${account.displayName} (old)` });
    }
  }
  if (!quirks) return accounts;

  const count = (rate: number): number => Math.max(1, Math.round(plan.size * rate));
  const hidden = (): boolean => rng.chance(QUIRK_RATES.hiddenEmail);
  const someone = (): string => `${rng.pick(GIVEN_NAMES)[1]}.${rng.pick(SURNAMES)[1]}${rng.between(1, 9999)}`;
  for (let k = 0; k < count(QUIRK_RATES.appAccounts); k += 1) {
    const name = APP_ACCOUNT_NAMES[k % APP_ACCOUNT_NAMES.length] ?? 'Forge app';
    accounts.push({ accountId: ids.appAccountId(), accountType: 'app', active: true, displayName: name, email: null, emailHidden: false });
  }
  for (let k = 0; k < count(QUIRK_RATES.customerAccounts); k += 1) {
    const local = someone();
    accounts.push({
      accountId: ids.customerAccountId(),
      accountType: 'customer',
      active: true,
      displayName: local,
      email: `${local}@${rng.pick(CUSTOMER_DOMAINS)}`,
      emailHidden: false,
    });
  }
  for (let k = 0; k < count(QUIRK_RATES.unmatchedAtlassian); k += 1) {
    const local = someone();
    accounts.push({
      accountId: ids.atlassianAccountId(),
      accountType: 'atlassian',
      active: true,
      displayName: local,
      email: `${local}@${rng.pick(CONTRACTOR_DOMAINS)}`,
      emailHidden: hidden(),
    });
  }
  for (let k = 0; k < count(QUIRK_RATES.inactiveUnmatchedAtlassian); k += 1) {
    // Former employees: a tenant address that no Entra user holds any more.
    const local = `former.${someone()}`;
    accounts.push({
      accountId: ids.atlassianAccountId(),
      accountType: 'atlassian',
      active: false,
      displayName: local,
      email: `${local}@${TENANT.domain}`,
      emailHidden: hidden(),
    });
  }
  for (let k = 0; k < count(QUIRK_RATES.atlassianWithoutEmail); k += 1) {
    accounts.push({
      accountId: ids.atlassianAccountId(),
      accountType: 'atlassian',
      active: true,
      displayName: `Unverified User ${k + 1}`,
      email: null,
      emailHidden: false,
    });
  }
  return accounts;
}
