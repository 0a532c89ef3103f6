import {
  generateWorld,
  type GenerateWorldOptions,
  mutateWorld,
  QUIRKS_GUARANTEED_FROM,
  worldStats,
} from '../../../fakes/world/generate-world';
import { createPrng } from '../../../fakes/world/prng';
import type { FakeGraphUser, World } from '../../../fakes/world/types';
import { normalizeEmail } from '../../../fakes/world/world-matching';

function world(overrides: Partial<GenerateWorldOptions> = {}): World {
  return generateWorld({ users: 1000, seed: 1234, ...overrides });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createPrng', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = createPrng(seed);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('makes version 4 shaped GUIDs and hex strings of the asked length', () => {
    const rng = createPrng(1);
    for (let i = 0; i < 200; i += 1) expect(rng.guid()).toMatch(GUID);
    expect(rng.hex(23)).toMatch(/^[0-9a-f]{23}$/);
  });
});

describe('generateWorld', () => {
  it('is deterministic: the same options give byte-identical JSON', () => {
    expect(JSON.stringify(world())).toBe(JSON.stringify(world()));
    expect(JSON.stringify(world({ seed: 1235 }))).not.toBe(JSON.stringify(world()));
  });

  it.each([10, 50, 1000])('creates exactly %i Entra users with unique ids', (users) => {
    const w = world({ users });
    expect(w.entra.users).toHaveLength(users);
    expect(new Set(w.entra.users.map((u) => u.id)).size).toBe(users);
    expect(new Set(w.jira.users.map((a) => a.accountId)).size).toBe(w.jira.users.length);
  });

  it('rejects sizes outside 10..100,000', () => {
    expect(() => world({ users: 9 })).toThrow(/10 to 100000/);
    expect(() => world({ users: 100_001 })).toThrow(RangeError);
    expect(() => world({ matchRate: 1.5 })).toThrow(/matchRate/);
  });

  it('gives Entra GUIDs and Atlassian account ids in their real shapes', () => {
    const w = world();
    for (const u of w.entra.users) expect(u.id).toMatch(GUID);
    for (const c of w.entra.orgContacts) expect(c.id).toMatch(GUID);
    const shapes = {
      atlassian: /^([56][0-9a-f]{23}|712020:[0-9a-f-]{36})$/,
      app: /^557058:[0-9a-f-]{36}$/,
      customer: /^qm:[0-9a-f-]{36}:[0-9a-f-]{36}$/,
    };
    for (const a of w.jira.users) expect(a.accountId).toMatch(shapes[a.accountType as keyof typeof shapes]);
  });

  it('matches about matchRate of the Entra users (default 0.9)', () => {
    expect(worldStats(world()).matchRate).toBeCloseTo(0.9, 2);
    expect(worldStats(world({ matchRate: 0.5 })).matchRate).toBeCloseTo(0.5, 1);
    expect(worldStats(world({ matchRate: 1, quirks: false })).matchRate).toBe(1);
  });

  it('builds a manager tree: one CEO, spans of 3 to 10, a depth of 5 to 8 at 10k users', () => {
    const w = world({ users: 10_000, quirks: false });
    const stats = worldStats(w);
    expect(stats.withoutManager).toBe(1);
    expect(stats.maxManagerDepth).toBeGreaterThanOrEqual(5);
    expect(stats.maxManagerDepth).toBeLessThanOrEqual(8);
    const spans = new Map<string, number>();
    for (const u of w.entra.users) if (u.managerId !== null) spans.set(u.managerId, (spans.get(u.managerId) ?? 0) + 1);
    const sizes = [...spans.values()];
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    // The last manager filled by breadth-first growth may hold fewer.
    expect(sizes.filter((s) => s < 3).length).toBeLessThanOrEqual(1);
    const ids = new Set(w.entra.users.map((u) => u.id));
    for (const u of w.entra.users) if (u.managerId !== null) expect(ids.has(u.managerId)).toBe(true);
    const departments = new Set(w.entra.users.map((u) => u.department));
    expect(departments.size).toBeGreaterThanOrEqual(8);
  });

  it('without quirks is clean: every member has a unique lower-case mail and one visible, active account', () => {
    const w = world({ quirks: false, matchRate: 1 });
    const stats = worldStats(w);
    expect(stats).toMatchObject({
      guests: 0,
      disabled: 0,
      withoutMail: 0,
      orgContacts: 0,
      duplicatedEntraMails: 0,
      mixedCaseEntraMails: 0,
      paddedEntraMails: 0,
      appAccounts: 0,
      customerAccounts: 0,
      hiddenEmails: 0,
      inactiveAtlassianAccounts: 0,
      duplicatedAtlassianEmails: 0,
      atlassianMatchingNobody: 0,
      overlongJobTitles: 0,
      reservedCharacterDisplayNames: 0,
    });
    expect(w.jira.users).toHaveLength(w.entra.users.length);
  });

  describe(`with quirks, from ${QUIRKS_GUARANTEED_FROM} users every quirk appears`, () => {
    const sizes = [QUIRKS_GUARANTEED_FROM, 137, 1000];
    const quirks = [
      'guests',
      'disabled',
      'withoutMail',
      'managedByOrgContact',
      'managersWithoutAtlassianAccount',
      'accentedDisplayNames',
      'cjkDisplayNames',
      'reservedCharacterDisplayNames',
      'overlongJobTitles',
      'duplicatedEntraMails',
      'mixedCaseEntraMails',
      'paddedEntraMails',
      'withOtherMails',
      'withSecondaryAliases',
      'appAccounts',
      'customerAccounts',
      'inactiveAtlassianAccounts',
      'atlassianWithoutEmail',
      'hiddenEmails',
      'duplicatedAtlassianEmails',
      'atlassianMatchingNobody',
      'mixedCaseAtlassianEmails',
      'paddedAtlassianEmails',
    ] as const;
    it.each(sizes.flatMap((users) => [1, 2, 3].map((seed) => [users, seed] as const)))('%i users, seed %i', (users, seed) => {
      const stats = worldStats(generateWorld({ users, seed }));
      const missing = quirks.filter((q) => stats[q] < 1);
      expect(missing).toEqual([]);
      expect(stats.withoutManager).toBeGreaterThan(1);
      expect(stats.matchedBy.alias).toBeGreaterThan(0);
      expect(stats.matchedBy.upn + stats.matchedBy.otherMails).toBeGreaterThan(0);
    });
  });

  it('keeps quirks at small rates (hidden emails about 15%)', () => {
    const stats = worldStats(world({ users: 20_000, seed: 5 }));
    const atlassianWithEmail = stats.atlassianAccounts - stats.atlassianWithoutEmail;
    expect(stats.hiddenEmails / atlassianWithEmail).toBeGreaterThan(0.12);
    expect(stats.hiddenEmails / atlassianWithEmail).toBeLessThan(0.18);
    expect(stats.guests / stats.entraUsers).toBeLessThan(0.05);
    expect(stats.disabled / stats.entraUsers).toBeLessThan(0.05);
    expect(stats.overlongJobTitles).toBe(1);
    expect(stats.duplicatedEntraMails).toBe(1);
    expect(stats.duplicatedAtlassianEmails).toBe(1);
  });

  it('shapes guests, mailbox-less users and alias-only users as Graph returns them', () => {
    const w = world();
    const atlassianEmails = new Set(w.jira.users.flatMap((a) => (a.email === null ? [] : [normalizeEmail(a.email)])));
    const guest = w.entra.users.find((u) => u.userType === 'Guest') as FakeGraphUser;
    expect(guest.userPrincipalName).toMatch(/^[a-z0-9.]+_[a-z0-9.-]+#EXT#@contoso\.onmicrosoft\.com$/);
    expect(guest.mail?.endsWith('@contoso.com')).toBe(false);
    expect(guest.otherMails).toContain(guest.mail);

    const noMail = w.entra.users.filter((u) => u.mail === null && u.userType === 'Member');
    expect(noMail.length).toBeGreaterThan(0);
    expect(noMail.some((u) => atlassianEmails.has(normalizeEmail(u.userPrincipalName)))).toBe(true);

    const aliasOnly = w.entra.users.filter((u) => {
      const secondaries = u.proxyAddresses.filter((p) => p.startsWith('smtp:')).map((p) => normalizeEmail(p.slice(5)));
      return u.mail !== null && !atlassianEmails.has(normalizeEmail(u.mail)) && secondaries.some((s) => atlassianEmails.has(s));
    });
    expect(aliasOnly.length).toBeGreaterThan(0);
    for (const u of w.entra.users) {
      if (u.proxyAddresses.length > 0) expect(u.proxyAddresses[0]).toMatch(/^SMTP:/);
    }
  });

  it('has a manager that is an org contact and an exactly 300-character job title', () => {
    const w = world();
    const contacts = new Set(w.entra.orgContacts.map((c) => c.id));
    expect(w.entra.users.some((u) => u.managerId !== null && contacts.has(u.managerId))).toBe(true);
    expect(w.entra.users.filter((u) => u.jobTitle?.length === 300)).toHaveLength(1);
  });

  // Generation speed is measured by the benchmarks (which print figures), not asserted here.
  it('generates the largest supported world (100,000 users)', () => {
    const big = generateWorld({ users: 100_000, seed: 99 });
    expect(big.entra.users).toHaveLength(100_000);
    expect(new Set(big.entra.users.map((u) => u.id)).size).toBe(100_000);
  });
});

describe('mutateWorld', () => {
  const base = world({ users: 2000, seed: 77 });
  const byId = (w: World): Map<string, FakeGraphUser> => new Map(w.entra.users.map((u) => [u.id, u]));

  it('changes about the requested fraction of matched users, and exactly the ids it reports', () => {
    const before = JSON.stringify(base);
    const { world: after, changedEntraIds } = mutateWorld(base, { seed: 1, fraction: 0.1 });
    expect(JSON.stringify(base)).toBe(before);
    const matched = worldStats(base).matchedEntraUsers;
    expect(changedEntraIds.length).toBe(Math.round(0.1 * matched));
    expect(new Set(changedEntraIds).size).toBe(changedEntraIds.length);

    const old = byId(base);
    const now = byId(after);
    const diff = new Set<string>();
    for (const [id, user] of old) if (JSON.stringify(now.get(id)) !== JSON.stringify(user)) diff.add(id);
    for (const id of now.keys()) if (!old.has(id)) diff.add(id);
    expect([...diff].sort()).toEqual([...changedEntraIds].sort());
  });

  it('covers every kind of change and adds a Jira account for each joiner', () => {
    const { world: after, changedEntraIds } = mutateWorld(base, { seed: 2, fraction: 0.2 });
    const old = byId(base);
    const now = byId(after);
    const kinds = new Set<string>();
    for (const id of changedEntraIds) {
      const a = old.get(id);
      const b = now.get(id);
      if (a === undefined && b !== undefined) {
        kinds.add('joiner');
        expect(after.jira.users.some((acc) => acc.email === b.mail)).toBe(true);
        expect(b.managerId === null || now.has(b.managerId)).toBe(true);
      } else if (a !== undefined && b === undefined) kinds.add('leaver');
      else if (a !== undefined && b !== undefined) {
        for (const key of ['jobTitle', 'department', 'managerId', 'displayName', 'accountEnabled'] as const) {
          if (a[key] !== b[key]) kinds.add(key);
        }
      }
    }
    expect([...kinds].sort()).toEqual(['accountEnabled', 'department', 'displayName', 'jobTitle', 'joiner', 'leaver', 'managerId']);
    expect(after.jira.users.length).toBeGreaterThan(base.jira.users.length);
    // No leaver leaves reports pointing at a missing manager.
    const contacts = new Set(after.entra.orgContacts.map((c) => c.id));
    for (const u of after.entra.users) if (u.managerId !== null) expect(now.has(u.managerId) || contacts.has(u.managerId)).toBe(true);
  });

  it('is deterministic by seed', () => {
    const a = mutateWorld(base, { seed: 3, fraction: 0.05 });
    const b = mutateWorld(base, { seed: 3, fraction: 0.05 });
    const c = mutateWorld(base, { seed: 4, fraction: 0.05 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(c.changedEntraIds)).not.toBe(JSON.stringify(a.changedEntraIds));
  });

  it('rejects a fraction outside 0..1', () => {
    expect(() => mutateWorld(base, { seed: 1, fraction: 1.5 })).toThrow(/fraction/);
  });
});
