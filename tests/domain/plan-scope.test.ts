/**
 * Issue 12, scope point 4: the planner with a sync scope. Users out of scope are not matched; an Employee object
 * whose user left the scope is inactivated (reason out-of-scope), never deleted, and counts towards the safety
 * threshold; a manager out of scope is a missing manager link; the report says what each rule excluded and who
 * leaves or enters.
 */
import type { EntraUser } from '../../src/domain/entra-user';
import { planSync, type SyncInput } from '../../src/domain/plan-sync';
import { runReportSchema } from '../../src/domain/report';
import { parseScopeText, type Scope } from '../../src/domain/scope';
import { applyPlan } from './apply-plan';
import { accountFor, entraUser, syncedEmployee } from './builders';

function plan(input: Partial<SyncInput>, scope: Scope | null, listCap?: number) {
  return planSync({ accounts: [], entraUsers: [], employees: [], ...input }, { scope, ...(listCap === undefined ? {} : { listCap }) });
}

const member = (overrides: Partial<EntraUser> = {}) => entraUser({ ...overrides, profile: { userType: 'Member', ...overrides.profile } });
const guest = (overrides: Partial<EntraUser> = {}) => entraUser({ ...overrides, profile: { userType: 'Guest', ...overrides.profile } });

describe('users out of scope', () => {
  it('are not matched: no create for a guest under "members only", and the counts say how many were left out', () => {
    const inside = member();
    const outside = guest();
    const result = plan(
      { accounts: [accountFor(inside), accountFor(outside)], entraUsers: [inside, outside] },
      parseScopeText("userType eq 'Member'"),
    );
    expect(result.creates.map((c) => c.entraUserId)).toEqual([inside.id]);
    expect(result.report.counts).toMatchObject({ matched: 1, outOfScope: 1, creates: 1 });
    expect(result.report.scope).toEqual({ text: "userType eq 'Member'", rules: [{ rule: "userType eq 'Member'", excluded: 1 }] });
  });

  it('without a scope everyone read is in (today’s behaviour): outOfScope 0 and no scope figures', () => {
    const a = guest();
    const result = plan({ accounts: [accountFor(a)], entraUsers: [a] }, null);
    expect(result.creates).toHaveLength(1);
    expect(result.report.counts.outOfScope).toBe(0);
    expect(result.report.scope).toEqual({ text: '', rules: [] });
  });

  it('an object whose user left the scope is inactivated with reason out-of-scope, never deleted, and listed as leaving', () => {
    const stays = member({ department: 'Sales' });
    const leaves = member({ department: 'Legal', displayName: 'Lee Leaver' });
    const accounts = [accountFor(stays), accountFor(leaves)];
    const objects = [syncedEmployee(stays, accounts[0]!), syncedEmployee(leaves, accounts[1]!)];
    const result = plan({ accounts, entraUsers: [stays, leaves], employees: objects }, parseScopeText("department eq 'sales'"));
    expect(result.inactivations).toEqual([
      expect.objectContaining({ kind: 'inactivate', objectId: objects[1]!.objectId, reason: 'out-of-scope', changes: { active: false } }),
    ]);
    expect(result.report.inactivations.items[0]).toMatchObject({
      reason: 'out-of-scope',
      reasonText: 'Outside the sync scope (Setup tab).',
    });
    expect(result.report.scopeLeaving.items).toEqual([
      { objectKey: objects[1]!.objectKey, objectId: objects[1]!.objectId, fullName: 'Lee Leaver', entraUserId: leaves.id },
    ]);
    expect(result.report.counts).toMatchObject({ scopeLeaving: 1, inactivations: 1, outOfScope: 1 });
    expect(result.updates).toEqual([]);
    expect(result.report.scope.rules).toEqual([{ rule: "department eq 'sales'", excluded: 1 }]);
  });

  it('a disabled user outside an "enabled only" scope keeps the reason the app gives disabled users', () => {
    const disabled = member({ accountEnabled: false });
    const account = accountFor(disabled);
    const object = syncedEmployee(disabled, account, { active: true });
    const result = plan({ accounts: [account], entraUsers: [disabled], employees: [object] }, parseScopeText('accountEnabled eq true'));
    expect(result.inactivations.map((op) => op.reason)).toEqual(['entra-user-disabled']);
    expect(result.report.counts.outOfScope).toBe(1);
  });

  it('a manager out of scope is a missing manager link with its own reason', () => {
    const boss = guest({ displayName: 'Guest Boss' });
    const report = member({ managerId: boss.id });
    const result = plan(
      { accounts: [accountFor(boss), accountFor(report)], entraUsers: [boss, report] },
      parseScopeText("userType eq 'Member'"),
    );
    expect(result.report.missingManagerLinks.items).toEqual([
      {
        entraUserId: report.id,
        fullName: report.displayName,
        managerEntraUserId: boss.id,
        reason: 'manager-out-of-scope',
        reasonText: 'The manager is outside the sync scope (Setup tab).',
      },
    ]);
    expect(result.creates).toHaveLength(1);
    expect(result.creates[0]!.values['manager']).toBeNull();
  });

  it('widening the scope brings users back: objects made active again and creates are listed as entering', () => {
    const back = guest({ displayName: 'Back Again' });
    const fresh = guest({ displayName: 'Fresh Guest' });
    const [backAccount, freshAccount] = [accountFor(back), accountFor(fresh)];
    const inactive = syncedEmployee(back, backAccount, { active: false });
    const result = plan({ accounts: [backAccount, freshAccount], entraUsers: [back, fresh], employees: [inactive] }, null);
    expect(result.report.scopeEntering.items).toEqual(
      expect.arrayContaining([
        { entraUserId: back.id, fullName: 'Back Again', accountId: backAccount.accountId, action: 'reactivate' },
        { entraUserId: fresh.id, fullName: 'Fresh Guest', accountId: freshAccount.accountId, action: 'create' },
      ]),
    );
    expect(result.report.counts.scopeEntering).toBe(2);
  });

  it('scope changes both ways: narrowing inactivates, widening again reactivates the same objects, and then nothing is left to do', () => {
    const users = Array.from({ length: 6 }, (_, i) => member({ department: i < 3 ? 'Sales' : 'Legal' }));
    const accounts = users.map((u) => accountFor(u));
    const objects = users.map((u, i) => syncedEmployee(u, accounts[i]!));
    const narrow = plan({ accounts, entraUsers: users, employees: objects }, parseScopeText("department eq 'Sales'"));
    expect(narrow.inactivations.map((op) => op.reason)).toEqual(['out-of-scope', 'out-of-scope', 'out-of-scope']);
    const afterNarrow = applyPlan(objects, narrow).objects;
    const again = plan({ accounts, entraUsers: users, employees: afterNarrow }, parseScopeText("department eq 'Sales'"));
    expect([again.creates.length, again.updates.length, again.inactivations.length]).toEqual([0, 0, 0]);

    const wide = plan({ accounts, entraUsers: users, employees: afterNarrow }, null);
    expect(wide.updates).toHaveLength(3);
    expect(wide.updates.every((op) => op.changes['active'] === true)).toBe(true);
    expect(wide.report.counts.scopeEntering).toBe(3);
    const settled = plan({ accounts, entraUsers: users, employees: applyPlan(afterNarrow, wide).objects }, null);
    expect([settled.creates.length, settled.updates.length, settled.inactivations.length]).toEqual([0, 0, 0]);
  });
});

describe('the safety threshold on a scope change', () => {
  it('a rule change that would inactivate many at once trips the threshold (a sync stops for confirmation)', () => {
    const users = Array.from({ length: 40 }, (_, i) => member({ profile: { userType: 'Member', country: i < 30 ? 'DE' : 'AT' } }));
    const accounts = users.map((u) => accountFor(u));
    const objects = users.map((u, i) => syncedEmployee(u, accounts[i]!));
    const input = { accounts, entraUsers: users, employees: objects };
    expect(plan(input, parseScopeText("country in ('DE', 'AT')")).safety.tripped).toBe(false);
    const result = plan(input, parseScopeText("country eq 'AT'"));
    expect(result.safety).toEqual({ tripped: true, inactivations: 30, activeObjects: 40, limit: 5 });
    expect(result.report.warnings.items[0]?.code).toBe('safety-threshold-exceeded');
    expect(result.report.scope.rules).toEqual([{ rule: "country eq 'AT'", excluded: 30 }]);
  });
});

describe('report lists are capped, counts exact; reports stored before the scope read as having none', () => {
  it('caps the leaving list at listCap', () => {
    const users = Array.from({ length: 12 }, () => guest());
    const accounts = users.map((u) => accountFor(u));
    const objects = users.map((u, i) => syncedEmployee(u, accounts[i]!));
    const result = plan({ accounts, entraUsers: users, employees: objects }, parseScopeText("userType eq 'Member'"), 5);
    expect(result.report.scopeLeaving.items).toHaveLength(5);
    expect(result.report.scopeLeaving.truncated).toBe(true);
    expect(result.report.counts.scopeLeaving).toBe(12);
  });

  it('a stored report without scope fields parses with empty scope figures', () => {
    const { scope: _scope, scopeLeaving: _l, scopeEntering: _e, ...older } = plan({}, null).report;
    const counts = { ...older.counts } as Record<string, number>;
    delete counts['outOfScope'];
    delete counts['scopeLeaving'];
    delete counts['scopeEntering'];
    const parsed = runReportSchema.parse(JSON.parse(JSON.stringify({ ...older, counts })));
    expect(parsed.scope).toEqual({ text: '', rules: [] });
    expect(parsed.scopeLeaving).toEqual({ items: [], truncated: false });
    expect(parsed.counts).toMatchObject({ outOfScope: 0, scopeLeaving: 0, scopeEntering: 0 });
  });
});

describe('accounts of users out of scope', () => {
  it('are listed as unmatched with reason out-of-scope, not as "no Entra user has this email"', () => {
    const outside = guest();
    const stranger = accountFor(member({ mail: 'nobody@contoso.com' }));
    const result = plan(
      { accounts: [accountFor(outside), { ...stranger, email: 'nobody@elsewhere.com' }], entraUsers: [outside] },
      parseScopeText("userType eq 'Member'"),
    );
    expect(result.report.unmatchedAtlassian.items.map((u) => [u.reason, u.reasonText])).toEqual([
      ['out-of-scope', 'The Entra ID user with this email is outside the sync scope (Setup tab).'],
      ['no-entra-match', expect.stringMatching(/^No Entra ID user has this email/)],
    ]);
  });
});
