import { matchAccounts, type MatchResult, normaliseEmail, smtpAddress } from '../../src/domain/email-match';
import type { EntraUser } from '../../src/domain/entra-user';
import { accountFor, atlassianAccount, entraUser } from './builders';

function matchedIds(result: MatchResult): [string, string][] {
  return result.pairs.map((pair) => [pair.account.accountId, pair.entraUser.id]);
}

describe('normaliseEmail and smtpAddress', () => {
  it('M2 trims, lower-cases and applies NFC; blank is null', () => {
    expect(normaliseEmail('  Ada.Lovelace@Contoso.COM \t')).toBe('ada.lovelace@contoso.com');
    expect(normaliseEmail('Jos\u0065\u0301@contoso.com')).toBe(normaliseEmail('JOS\u00c9@contoso.com'));
    expect(normaliseEmail('   ')).toBeNull();
    expect(normaliseEmail(null)).toBeNull();
    expect(normaliseEmail(undefined)).toBeNull();
  });

  it('M2 does no other folding', () => {
    expect(normaliseEmail('straße@contoso.com')).not.toBe(normaliseEmail('strasse@contoso.com'));
    expect(normaliseEmail('a.b+tag@contoso.com')).toBe('a.b+tag@contoso.com');
  });

  it('M3 reads smtp: entries in any case and ignores other address types', () => {
    expect(smtpAddress('SMTP:Primary@Contoso.com')).toBe('primary@contoso.com');
    expect(smtpAddress('smtp:alias@contoso.com')).toBe('alias@contoso.com');
    expect(smtpAddress('SmTp: spaced@contoso.com ')).toBe('spaced@contoso.com');
    expect(smtpAddress('X500:/o=ExchangeLabs/ou=Exchange')).toBeNull();
    expect(smtpAddress('SIP:ada@contoso.com')).toBeNull();
    expect(smtpAddress('smtp:')).toBeNull();
    expect(smtpAddress('ada@contoso.com')).toBeNull();
  });
});

describe('matchAccounts', () => {
  it('M1 ignores app, customer and inactive accounts without reporting them', () => {
    const user = entraUser({ mail: 'ada@contoso.com' });
    const accounts = [
      atlassianAccount({ email: 'ada@contoso.com', accountType: 'app' }),
      atlassianAccount({ email: 'ada@contoso.com', accountType: 'customer' }),
      atlassianAccount({ email: 'ada@contoso.com', active: false }),
      atlassianAccount({ email: null, active: false }),
    ];
    const result = matchAccounts(accounts, [user]);
    expect(result).toMatchObject({ populationSize: 0, pairs: [], unmatched: [], duplicateMatches: [] });
    expect(result.entraUsers).toEqual([user]);
    expect(result.entraIndexById.get(user.id)).toBe(0);
  });

  it('M1 counts an account listed twice once', () => {
    const user = entraUser();
    const account = accountFor(user);
    const result = matchAccounts([account, { ...account }], [user]);
    expect(result.populationSize).toBe(1);
    expect(matchedIds(result)).toEqual([[account.accountId, user.id]]);
    expect(result.unmatched).toEqual([]);
  });

  it('M2 matches regardless of case, spaces and Unicode composition', () => {
    const user = entraUser({ mail: 'Jos\u00e9.Garc\u00eda@Contoso.com' });
    const account = atlassianAccount({ email: '  jose\u0301.garci\u0301a@CONTOSO.com ' });
    const result = matchAccounts([account], [user]);
    expect(matchedIds(result)).toEqual([[account.accountId, user.id]]);
    expect(result.pairs[0]?.matchedEmail).toBe('jose\u0301.garci\u0301a@CONTOSO.com');
  });

  it.each([
    ['mail', { mail: 'key@contoso.com' }],
    ['userPrincipalName', { mail: null, userPrincipalName: 'key@contoso.com' }],
    ['proxyAddresses', { mail: null, proxyAddresses: ['X500:/o=x', 'smtp:key@contoso.com'] }],
    ['otherMails', { mail: null, proxyAddresses: [], otherMails: ['key@contoso.com'] }],
  ] as [string, Partial<EntraUser>][])('M3 matches on %s', (level, overrides) => {
    const user = entraUser(overrides);
    const result = matchAccounts([atlassianAccount({ email: 'Key@contoso.com' })], [entraUser(), user]);
    expect(result.pairs.map((pair) => [pair.entraUser.id, pair.level])).toEqual([[user.id, level]]);
  });

  it('M3 ignores non-smtp proxy addresses', () => {
    const user = entraUser({ mail: null, proxyAddresses: ['SIP:key@contoso.com'] });
    const result = matchAccounts([atlassianAccount({ email: 'key@contoso.com' })], [user]);
    expect(result.pairs).toEqual([]);
    expect(result.unmatched.map((u) => u.reason)).toEqual(['no-entra-match']);
  });

  it('M4 the first level that has the email decides, even when it is ambiguous and a later level is not', () => {
    const byUpn = entraUser({ mail: null, userPrincipalName: 'key@contoso.com' });
    const byMail = entraUser({ mail: 'KEY@contoso.com' });
    const account = atlassianAccount({ email: 'key@contoso.com' });
    expect(matchAccounts([account], [byUpn, byMail]).pairs.map((p) => p.entraUser.id)).toEqual([byMail.id]);

    const mailA = entraUser({ mail: 'key@contoso.com' });
    const mailB = entraUser({ mail: 'Key@Contoso.com' });
    const uniqueUpn = entraUser({ mail: null, userPrincipalName: 'key@contoso.com' });
    const result = matchAccounts([account], [mailA, uniqueUpn, mailB]);
    expect(result.pairs).toEqual([]);
    expect(result.unmatched).toEqual([{ account, reason: 'ambiguous', entraUserIds: [mailA.id, mailB.id] }]);
  });

  it('M4 ambiguous at the proxy level too; one user listing an address twice is one candidate', () => {
    const twice = entraUser({
      mail: null,
      proxyAddresses: ['SMTP:key@contoso.com', 'smtp:KEY@contoso.com'],
      otherMails: ['key@contoso.com', 'key@contoso.com'],
    });
    const account = atlassianAccount({ email: 'key@contoso.com' });
    expect(matchAccounts([account], [twice]).pairs.map((p) => p.entraUser.id)).toEqual([twice.id]);

    const other = entraUser({ mail: null, proxyAddresses: ['smtp:key@contoso.com'] });
    const result = matchAccounts([account], [twice, other]);
    expect(result.unmatched.map((u) => [u.reason, u.entraUserIds])).toEqual([['ambiguous', [twice.id, other.id]]]);
  });

  it('M9 the same Entra id listed twice (whatever its case) is one user, the first record winning', () => {
    const user = entraUser({ mail: 'ada@contoso.com' });
    const account = accountFor(user);
    const later = { ...user, id: ` ${user.id.toUpperCase()} `, displayName: 'Later record' };
    const result = matchAccounts([account], [user, later]);
    expect(result.entraUsers).toEqual([user]);
    expect(matchedIds(result)).toEqual([[account.accountId, user.id]]);
  });

  it('M5 two accounts on the same Entra user: neither matches, one duplicate group names both', () => {
    const user = entraUser({ mail: 'ada@contoso.com', userPrincipalName: 'ada.l@contoso.com' });
    const first = atlassianAccount({ email: 'ada@contoso.com' });
    const second = atlassianAccount({ email: 'ada.l@contoso.com' });
    const bystander = entraUser();
    const bystanderAccount = accountFor(bystander);
    const result = matchAccounts([first, bystanderAccount, second], [user, bystander]);
    expect(matchedIds(result)).toEqual([[bystanderAccount.accountId, bystander.id]]);
    expect(result.unmatched).toEqual([
      { account: first, reason: 'duplicate-match', entraUserIds: [user.id] },
      { account: second, reason: 'duplicate-match', entraUserIds: [user.id] },
    ]);
    expect(result.duplicateMatches).toEqual([{ entraUser: user, accounts: [first, second] }]);
  });

  it('M6 an account with no email (null or blank) is unmatched with reason no-email', () => {
    const accounts = [atlassianAccount({ email: null }), atlassianAccount({ email: '  ' })];
    const result = matchAccounts(accounts, [entraUser()]);
    expect(result.populationSize).toBe(2);
    expect(result.unmatched.map((u) => u.reason)).toEqual(['no-email', 'no-email']);
  });

  it('M6 an email nobody has is unmatched with reason no-entra-match', () => {
    const result = matchAccounts([atlassianAccount({ email: 'ghost@contoso.com' })], [entraUser()]);
    expect(result.unmatched.map((u) => u.reason)).toEqual(['no-entra-match']);
  });

  it('M7 disabled Entra users are matched', () => {
    const user = entraUser({ accountEnabled: false });
    const account = accountFor(user);
    expect(matchedIds(matchAccounts([account], [user]))).toEqual([[account.accountId, user.id]]);
  });

  // Speed is measured by bench/bench-plan.ts (which prints figures), not asserted here: this checks 100k users
  // (aliases and secondary addresses included) all match correctly at scale.
  it('M8 matches 100k users, each at the right level', () => {
    const users = Array.from({ length: 100_000 }, (_, i) =>
      entraUser({
        id: `id-${i}`,
        mail: `First.Last${i}@Contoso.com`,
        userPrincipalName: `u${i}@contoso.onmicrosoft.com`,
        proxyAddresses: [`SMTP:First.Last${i}@Contoso.com`, `smtp:fl${i}@contoso.com`, 'X500:/o=x'],
        otherMails: i % 10 === 0 ? [`private${i}@example.com`] : [],
      }),
    );
    const accounts = users.map((_, i) =>
      atlassianAccount({ accountId: `acc-${i}`, email: i % 3 === 0 ? `fl${i}@contoso.com` : `first.last${i}@contoso.com` }),
    );
    const result = matchAccounts(accounts, users);
    expect(result.pairs).toHaveLength(100_000);
    expect(result.pairs.filter((p) => p.level === 'proxyAddresses')).toHaveLength(33_334);
    expect(result.pairs.filter((p) => p.level === 'mail')).toHaveLength(66_666);
    expect(result.pairs.every((p) => p.account.accountId === `acc-${p.entraUser.id.slice(3)}`)).toBe(true);
  });
});
