import type { AssetsObject } from '../../src/domain/assets-object';
import type { EntraUser } from '../../src/domain/entra-user';
import { fitText } from '../../src/domain/object-values';
import { compareObjectIds, planSync, safetyLimit, type SyncInput } from '../../src/domain/plan-sync';
import { applyPlan } from './apply-plan';
import { accountFor, atlassianAccount, employeeObject, entraUser, syncedEmployee } from './builders';

function plan(input: Partial<SyncInput>, listCap?: number) {
  return planSync({ accounts: [], entraUsers: [], employees: [], ...input }, listCap === undefined ? {} : { listCap });
}

function warningCodes(result: ReturnType<typeof plan>): string[] {
  return result.report.warnings.items.map((warning) => warning.code);
}

/** A matched pair that a previous sync wrote, as the planner sees it. */
function synced(overrides: Partial<EntraUser> = {}, extra: Partial<AssetsObject['values']> = {}) {
  const user = entraUser(overrides);
  const account = accountFor(user);
  return { user, account, object: syncedEmployee(user, account, extra) };
}

describe('P1 desired values', () => {
  it('creates an object with every attribute from the pair', () => {
    const manager = entraUser({ displayName: 'Grace Hopper' });
    const managerAccount = accountFor(manager);
    const managerObject = syncedEmployee(manager, managerAccount);
    const user = entraUser({ displayName: 'Ada Lovelace', jobTitle: 'Analyst', department: 'Research', managerId: manager.id });
    const account = accountFor(user);
    const result = plan({ accounts: [account, managerAccount], entraUsers: [user, manager], employees: [managerObject] });
    expect(result.creates).toEqual([
      {
        kind: 'create',
        objectType: 'employee',
        entraUserId: user.id,
        accountId: account.accountId,
        wave: 0,
        values: {
          fullName: 'Ada Lovelace',
          entraUserId: user.id,
          email: user.mail,
          jobTitle: 'Analyst',
          department: 'Research',
          atlassianAccountId: account.accountId,
          jiraUser: account.accountId,
          active: true,
          manager: { entraUserId: manager.id, objectId: managerObject.objectId },
          managerAtlassianAccountId: managerAccount.accountId,
        },
      },
    ]);
    expect(result.report.creates.items).toEqual([
      {
        entraUserId: user.id,
        accountId: account.accountId,
        fullName: 'Ada Lovelace',
        attributes: [
          { attribute: 'Email', value: user.mail },
          { attribute: 'Job Title', value: 'Analyst' },
          { attribute: 'Department', value: 'Research' },
        ],
        managerName: 'Grace Hopper',
      },
    ]);
    expect(result.report.createColumns).toEqual(['Email', 'Job Title', 'Department']);
  });

  it('uses the Atlassian email that matched when Entra has no mail (null or blank)', () => {
    for (const mail of [null, '   ']) {
      const user = entraUser({ mail, userPrincipalName: 'ada@contoso.com' });
      const account = atlassianAccount({ email: ' Ada@Contoso.com ' });
      const result = plan({ accounts: [account], entraUsers: [user] });
      expect(result.creates[0]?.values.email).toBe('Ada@Contoso.com');
    }
  });
});

describe('P2 blank is empty', () => {
  it('treats empty and whitespace values as null on both sides', () => {
    const { user, account, object } = synced({ jobTitle: '  ', department: null }, { jobTitle: null, department: '' });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(result.updates).toEqual([]);
    expect(result.unchanged).toBe(1);
  });

  it('clears a value Entra no longer has', () => {
    const { user, account, object } = synced({ department: '' }, { department: 'Old department' });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(result.updates.map((u) => u.changes)).toEqual([{ department: null }]);
  });
});

describe('P3 values too long for Assets', () => {
  const long = `${'Senior principal staff engineer, '.repeat(10)}end`;

  it('cuts to 255 characters with a warning naming the attribute and the user, and compares the cut value', () => {
    const user = entraUser({ jobTitle: long, displayName: 'Ada Lovelace' });
    const account = accountFor(user);
    const first = plan({ accounts: [account], entraUsers: [user] });
    expect(first.creates[0]?.values.jobTitle).toBe(long.slice(0, 255));
    expect(first.report.warnings.items).toEqual([
      {
        code: 'value-truncated',
        message: expect.stringMatching(/^Job Title of Ada Lovelace \(Entra user .+\) is longer than the 255 characters/) as unknown,
        subjectIds: [user.id],
      },
    ]);
    const object = syncedEmployee(user, account, { jobTitle: long.slice(0, 255) });
    const again = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(again.updates).toEqual([]);
    expect(again.unchanged).toBe(1);
    expect(warningCodes(again)).toEqual(['value-truncated']);
  });

  it('never splits a surrogate pair', () => {
    const value = `${'a'.repeat(254)}\u{1F600}tail`;
    expect(fitText(value)).toBe('a'.repeat(254));
    expect(fitText('short')).toBe('short');
    expect(fitText('b'.repeat(300))).toHaveLength(255);
  });

  it('cuts every text attribute that can overflow, but never the Entra User ID', () => {
    const user = entraUser({ displayName: 'n'.repeat(300), department: 'd'.repeat(256), mail: `${'m'.repeat(260)}@contoso.com` });
    const account = accountFor(user);
    const result = plan({ accounts: [account], entraUsers: [user] });
    const values = result.creates[0]?.values;
    expect([values?.fullName, values?.department, values?.email].map((v) => (v as string | undefined)?.length)).toEqual([255, 255, 255]);
    expect(result.report.warnings.items.map((w) => w.message.split(' of ')[0])).toEqual(['Full Name', 'Email', 'Department']);
  });
});

describe('P4 create, update, unchanged', () => {
  it('updates only the attributes that differ and lists them with admin labels', () => {
    const { user, account, object } = synced({ jobTitle: 'Lead', displayName: 'Ada Lovelace' }, { jobTitle: 'Engineer' });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(result.updates).toEqual([
      {
        kind: 'update',
        objectType: 'employee',
        objectId: object.objectId,
        objectKey: object.objectKey,
        entraUserId: user.id,
        accountId: account.accountId,
        changes: { jobTitle: 'Lead' },
      },
    ]);
    expect(result.report.updates.items).toEqual([
      {
        objectKey: object.objectKey,
        objectId: object.objectId,
        fullName: 'Ada Lovelace',
        accountId: account.accountId,
        changes: [{ attribute: 'Job Title', from: 'Engineer', to: 'Lead' }],
      },
    ]);
    expect(result.unchanged).toBe(0);
  });

  it('plans nothing for an object that already holds the desired values', () => {
    const { user, account, object } = synced();
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect([result.creates, result.updates, result.inactivations, result.managerLinks]).toEqual([[], [], [], []]);
    expect(result.unchanged).toBe(1);
    expect(result.report.counts).toMatchObject({ atlassianUsers: 1, matched: 1, unchanged: 1, creates: 0, updates: 0 });
  });

  it('finds the object whatever the case and spaces of its Entra User ID, and corrects it', () => {
    const { user, account, object } = synced({}, {});
    const handEdited = { ...object, values: { ...object.values, entraUserId: ` ${user.id.toUpperCase()} ` } };
    const result = plan({ accounts: [account], entraUsers: [user], employees: [handEdited] });
    expect(result.creates).toEqual([]);
    expect(result.updates.map((u) => u.changes)).toEqual([{ entraUserId: user.id }]);
  });

  it('re-links an object to a new Atlassian account and reactivates it', () => {
    const { user, account, object } = synced({}, { atlassianAccountId: 'old-account', jiraUser: 'old-account', active: false });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(result.updates.map((u) => u.changes)).toEqual([
      { atlassianAccountId: account.accountId, jiraUser: account.accountId, active: true },
    ]);
    expect(result.report.updates.items[0]?.changes).toEqual([
      { attribute: 'Atlassian Account ID', from: 'old-account', to: account.accountId },
      { attribute: 'Jira User', from: 'old-account', to: account.accountId },
      { attribute: 'Active', from: 'false', to: 'true' },
    ]);
  });
});

describe('P5 inactivation', () => {
  it('a disabled Entra user with no object is created inactive', () => {
    const user = entraUser({ accountEnabled: false });
    const result = plan({ accounts: [accountFor(user)], entraUsers: [user] });
    expect(result.creates[0]?.values.active).toBe(false);
    expect(result.inactivations).toEqual([]);
  });

  it('Active true -> false is an inactivation carrying the other changes, not an update', () => {
    const { user, account, object } = synced({ accountEnabled: false, department: 'Alumni' }, { active: true, department: 'Sales' });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(result.updates).toEqual([]);
    expect(result.inactivations).toEqual([
      {
        kind: 'inactivate',
        objectType: 'employee',
        objectId: object.objectId,
        objectKey: object.objectKey,
        entraUserId: user.id,
        reason: 'entra-user-disabled',
        changes: { department: 'Alumni', active: false },
      },
    ]);
    expect(result.report.inactivations.items[0]).toMatchObject({
      reason: 'entra-user-disabled',
      reasonText: 'The Entra ID user is disabled.',
    });
  });

  it('Active null -> false is an update', () => {
    const { user, account, object } = synced({ accountEnabled: false }, { active: null });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [object] });
    expect(result.updates.map((u) => u.changes)).toEqual([{ active: false }]);
    expect(result.inactivations).toEqual([]);
  });

  it('inactivates active objects no pair claims, with the reason', () => {
    const gone = synced();
    const accountGone = synced();
    const accountInactive = synced();
    const disabledUnmatched = synced({ accountEnabled: false }, { active: true });
    const noLongerMatched = synced();
    const accounts = [
      gone.account,
      { ...accountInactive.account, active: false },
      { ...disabledUnmatched.account, email: 'elsewhere@contoso.com' },
      { ...noLongerMatched.account, email: 'changed@contoso.com' },
    ];
    const entraUsers = [accountGone.user, accountInactive.user, disabledUnmatched.user, noLongerMatched.user];
    const employees = [gone, accountGone, accountInactive, disabledUnmatched, noLongerMatched].map((s) => s.object);
    const result = plan({ accounts, entraUsers, employees });
    expect(result.inactivations.map((op) => [op.objectId, op.reason, op.changes])).toEqual([
      [gone.object.objectId, 'entra-user-missing', { active: false }],
      [accountGone.object.objectId, 'atlassian-account-missing', { active: false }],
      [accountInactive.object.objectId, 'atlassian-account-inactive', { active: false }],
      [disabledUnmatched.object.objectId, 'entra-user-disabled', { active: false }],
      [noLongerMatched.object.objectId, 'no-longer-matched', { active: false }],
    ]);
    expect(result.report.inactivations.items.map((i) => i.reasonText)).toEqual([
      'The Entra ID user no longer exists (deleted, or outside what the app can read).',
      'The Atlassian account no longer exists on this site.',
      'The Atlassian account is deactivated or is not a user account.',
      'The Entra ID user is disabled.',
      'The Atlassian account no longer matches this Entra ID user by email.',
    ]);
  });

  it('leaves unclaimed objects whose Active is false or empty alone, and never deletes', () => {
    const inactive = employeeObject({ entraUserId: 'gone-1', active: false });
    const empty = employeeObject({ entraUserId: 'gone-2', active: null });
    const result = plan({ employees: [inactive, empty] });
    expect([result.creates, result.updates, result.inactivations, result.managerLinks]).toEqual([[], [], [], []]);
    expect(Object.keys(result)).not.toContain('deletes');
  });
});

describe('P6 manager', () => {
  it('links a matched manager that exists, and leaves both empty when the manager is not matched', () => {
    const boss = synced({ displayName: 'Boss' });
    const report = synced(
      { managerId: boss.user.id },
      { manager: boss.object.objectId, managerAtlassianAccountId: boss.account.accountId },
    );
    const orgContactReport = synced({ managerId: 'org-contact-id' });
    const unmatchedBoss = entraUser();
    const reportOfUnmatched = synced({ managerId: unmatchedBoss.id });
    const result = plan({
      accounts: [boss.account, report.account, orgContactReport.account, reportOfUnmatched.account],
      entraUsers: [boss.user, report.user, orgContactReport.user, unmatchedBoss, reportOfUnmatched.user],
      employees: [boss.object, report.object, orgContactReport.object, reportOfUnmatched.object],
    });
    expect(result.updates).toEqual([]);
    expect(result.unchanged).toBe(4);
    expect(result.report.missingManagerLinks.items).toEqual([
      {
        entraUserId: orgContactReport.user.id,
        fullName: orgContactReport.user.displayName,
        managerEntraUserId: 'org-contact-id',
        reason: 'manager-not-in-directory',
        reasonText: 'The manager is not an Entra ID user the app reads (for example an organisational contact).',
      },
      {
        entraUserId: reportOfUnmatched.user.id,
        fullName: reportOfUnmatched.user.displayName,
        managerEntraUserId: unmatchedBoss.id,
        reason: 'manager-not-matched',
        reasonText: 'The manager is not matched to an active Atlassian account.',
      },
    ]);
    expect(result.report.counts.missingManagerLinks).toBe(2);
  });

  it('counts a pair with no manager as no missing link', () => {
    const alone = synced({ managerId: null });
    expect(plan({ accounts: [alone.account], entraUsers: [alone.user], employees: [alone.object] }).report.counts.missingManagerLinks).toBe(
      0,
    );
  });

  it('changes and clears manager links, naming managers in the report', () => {
    const oldBoss = synced({ displayName: 'Old Boss' });
    const newBoss = synced({ displayName: 'New Boss' });
    const moved = synced(
      { managerId: newBoss.user.id },
      { manager: oldBoss.object.objectId, managerAtlassianAccountId: oldBoss.account.accountId },
    );
    const orphaned = synced(
      { managerId: 'contact' },
      { manager: oldBoss.object.objectId, managerAtlassianAccountId: oldBoss.account.accountId },
    );
    const result = plan({
      accounts: [oldBoss.account, newBoss.account, moved.account, orphaned.account],
      entraUsers: [oldBoss.user, newBoss.user, moved.user, orphaned.user],
      employees: [oldBoss.object, newBoss.object, moved.object, orphaned.object],
    });
    expect(result.updates.map((u) => [u.objectId, u.changes])).toEqual([
      [
        moved.object.objectId,
        {
          manager: { entraUserId: newBoss.user.id, objectId: newBoss.object.objectId },
          managerAtlassianAccountId: newBoss.account.accountId,
        },
      ],
      [orphaned.object.objectId, { manager: null, managerAtlassianAccountId: null }],
    ]);
    expect(result.report.updates.items[0]?.changes).toEqual([
      { attribute: 'Manager', from: 'Old Boss', to: 'New Boss' },
      { attribute: 'Manager Atlassian Account ID', from: oldBoss.account.accountId, to: newBoss.account.accountId },
    ]);
  });
});

describe('P7 managers created in the same run', () => {
  it('orders creates in waves and references new managers by Entra User ID', () => {
    const ceo = entraUser();
    const vp = entraUser({ managerId: ceo.id });
    const engineer = entraUser({ managerId: vp.id });
    const users = [engineer, vp, ceo];
    const result = plan({ accounts: users.map((u) => accountFor(u)), entraUsers: users });
    expect(result.creates.map((c) => [c.entraUserId, c.wave, c.values.manager])).toEqual([
      [ceo.id, 0, null],
      [vp.id, 1, { entraUserId: ceo.id, objectId: null }],
      [engineer.id, 2, { entraUserId: vp.id, objectId: null }],
    ]);
    expect(result.managerLinks).toEqual([]);
    const applied = applyPlan([], result).objects;
    expect(applied.map((o) => o.values.manager)).toEqual([null, applied[0]?.objectId, applied[1]?.objectId]);
  });

  it('an update whose new manager is created in this run references it by Entra User ID', () => {
    const newBoss = entraUser();
    const existing = synced({ managerId: newBoss.id });
    const result = plan({
      accounts: [existing.account, accountFor(newBoss)],
      entraUsers: [existing.user, newBoss],
      employees: [existing.object],
    });
    expect(result.creates.map((c) => c.entraUserId)).toEqual([newBoss.id]);
    expect(result.updates[0]?.changes.manager).toEqual({ entraUserId: newBoss.id, objectId: null });
  });

  it('handles a 100,000-long manager chain without recursion', () => {
    const users: EntraUser[] = [];
    for (let i = 0; i < 100_000; i++) {
      users.push(
        entraUser({ id: `chain-${i}`, mail: `c${i}@contoso.com`, managerId: i === 0 ? null : `chain-${i - 1}`, proxyAddresses: [] }),
      );
    }
    const accounts = users.map((u, i) => atlassianAccount({ accountId: `acc-${i}`, email: u.mail }));
    const result = plan({ accounts, entraUsers: users });
    expect(result.creates).toHaveLength(100_000);
    expect(result.creates[99_999]?.wave).toBe(99_999);
    expect(result.creates[99_999]?.entraUserId).toBe('chain-99999');
  });
});

describe('P8 manager loops', () => {
  it('creates a new loop without managers, links them afterwards and warns once', () => {
    const a = entraUser({ displayName: 'Alice' });
    const b = entraUser({ displayName: 'Bob', managerId: a.id });
    const report = entraUser({ managerId: b.id });
    const loopA = { ...a, managerId: b.id };
    const users = [loopA, b, report];
    const accounts = users.map((u) => accountFor(u));
    const result = plan({ accounts, entraUsers: users });
    expect(result.creates.map((c) => [c.entraUserId, c.wave, c.values.manager, c.values.managerAtlassianAccountId])).toEqual([
      [a.id, 0, null, null],
      [b.id, 0, null, null],
      [report.id, 1, { entraUserId: b.id, objectId: null }, accounts[1]?.accountId],
    ]);
    expect(result.managerLinks).toEqual([
      {
        kind: 'manager-link',
        objectType: 'employee',
        entraUserId: a.id,
        manager: { entraUserId: b.id, objectId: null },
        managerAtlassianAccountId: accounts[1]?.accountId,
      },
      {
        kind: 'manager-link',
        objectType: 'employee',
        entraUserId: b.id,
        manager: { entraUserId: a.id, objectId: null },
        managerAtlassianAccountId: accounts[0]?.accountId,
      },
    ]);
    expect(warningCodes(result)).toEqual(['manager-cycle']);
    expect(result.report.warnings.items[0]?.message).toMatch(/loop of 2 users: Alice .* -> Bob/);

    const applied = applyPlan([], result).objects;
    const again = plan({ accounts, entraUsers: users, employees: applied });
    expect([again.creates, again.updates, again.inactivations, again.managerLinks]).toEqual([[], [], [], []]);
    expect(warningCodes(again)).toEqual(['manager-cycle']);
  });

  it('a loop through an existing object needs no manager link', () => {
    const existing = synced();
    const fresh = entraUser({ managerId: existing.user.id });
    const loopUser = { ...existing.user, managerId: fresh.id };
    const result = plan({ accounts: [existing.account, accountFor(fresh)], entraUsers: [loopUser, fresh], employees: [existing.object] });
    expect(result.creates.map((c) => [c.wave, c.values.manager])).toEqual([
      [0, { entraUserId: existing.user.id, objectId: existing.object.objectId }],
    ]);
    expect(result.managerLinks).toEqual([]);
    expect(result.updates[0]?.changes.manager).toEqual({ entraUserId: fresh.id, objectId: null });
  });

  it('a user who is their own manager is a loop of one', () => {
    const self = entraUser();
    const own = { ...self, managerId: self.id };
    const result = plan({ accounts: [accountFor(self)], entraUsers: [own] });
    expect(result.creates[0]?.values.manager).toBeNull();
    expect(result.managerLinks.map((l) => l.manager)).toEqual([{ entraUserId: self.id, objectId: null }]);
    expect(result.report.warnings.items[0]?.message).toMatch(/loop of 1 user:/);
  });

  it('a 100,000-user loop neither overflows nor loops', () => {
    const n = 100_000;
    const users = Array.from({ length: n }, (_, i) =>
      entraUser({ id: `ring-${i}`, mail: `r${i}@contoso.com`, proxyAddresses: [], managerId: `ring-${(i + 1) % n}` }),
    );
    const accounts = users.map((u, i) => atlassianAccount({ accountId: `ring-acc-${i}`, email: u.mail }));
    const result = plan({ accounts, entraUsers: users });
    expect(result.managerLinks).toHaveLength(n);
    expect(new Set(result.creates.map((c) => c.wave))).toEqual(new Set([0]));
    expect(result.report.warnings.items.filter((w) => w.code === 'manager-cycle')).toHaveLength(1);
    expect(result.report.warnings.items[0]?.subjectIds).toHaveLength(10);
  });
});

describe('P9 two objects with one Entra User ID', () => {
  it('keeps the lowest object id (numerically), inactivates the others and never creates', () => {
    const user = entraUser();
    const account = accountFor(user);
    const kept = syncedEmployee(user, account, {}, { objectId: '9' });
    const extra = syncedEmployee(user, account, { jobTitle: 'Other' }, { objectId: '10' });
    const extraInactive = syncedEmployee(user, account, { active: false }, { objectId: '11' });
    const result = plan({ accounts: [account], entraUsers: [user], employees: [extra, kept, extraInactive] });
    expect(result.creates).toEqual([]);
    expect(result.updates).toEqual([]);
    expect(result.unchanged).toBe(1);
    expect(result.inactivations.map((op) => [op.objectId, op.reason])).toEqual([['10', 'duplicate-entra-user-id']]);
    expect(result.report.warnings.items).toEqual([
      expect.objectContaining({ code: 'duplicate-entra-user-id', subjectIds: ['9', '10', '11'] }),
    ]);
  });

  it('handles duplicates of a user who left Entra too', () => {
    const a = employeeObject({ entraUserId: 'left', active: true }, { objectId: '200' });
    const b = employeeObject({ entraUserId: 'LEFT', active: true }, { objectId: '30' });
    const result = plan({ employees: [a, b] });
    expect(result.inactivations.map((op) => [op.objectId, op.reason])).toEqual([
      ['200', 'duplicate-entra-user-id'],
      ['30', 'entra-user-missing'],
    ]);
  });

  it('compares object ids as numbers, then text', () => {
    expect(['10', '9', 'x-1', '0100', '2'].sort(compareObjectIds)).toEqual(['2', '9', '10', '0100', 'x-1']);
    expect(compareObjectIds('007', '7')).toBe(0);
  });
});

describe('P10 objects without an Entra User ID', () => {
  it('warns, inactivates the active ones and leaves the others', () => {
    const active = employeeObject({ entraUserId: null, active: true, fullName: 'Hand made' });
    const inactive = employeeObject({ entraUserId: '  ', active: false });
    const result = plan({ employees: [active, inactive] });
    expect(result.inactivations.map((op) => [op.objectId, op.reason, op.entraUserId])).toEqual([
      [active.objectId, 'missing-entra-user-id', null],
    ]);
    expect(warningCodes(result)).toEqual(['missing-entra-user-id', 'missing-entra-user-id']);
    expect(result.report.warnings.items[0]?.message).toMatch(/^Hand made \(ENTRA-\d+\) has no Entra User ID/);
  });
});

describe('P11 safety', () => {
  it('allows max(5, 10% of active objects rounded down)', () => {
    expect([0, 49, 50, 59, 60, 100, 1000].map(safetyLimit)).toEqual([5, 5, 5, 5, 6, 10, 100]);
  });

  function withLeavers(active: number, leavers: number) {
    const kept = Array.from({ length: active - leavers }, () => synced());
    const gone = Array.from({ length: leavers }, () => employeeObject({ entraUserId: `gone-${Math.random()}`, active: true }));
    return plan({
      accounts: kept.map((k) => k.account),
      entraUsers: kept.map((k) => k.user),
      employees: [...kept.map((k) => k.object), ...gone],
    });
  }

  it.each([
    [10, 5, false],
    [10, 6, true],
    [100, 10, false],
    [100, 11, true],
  ])('with %i active objects and %i leavers tripped is %s', (active, leavers, tripped) => {
    const result = withLeavers(active, leavers);
    expect(result.safety).toEqual({ tripped, inactivations: leavers, activeObjects: active, limit: safetyLimit(active) });
    expect(result.report.safety).toEqual(result.safety);
    expect(warningCodes(result).includes('safety-threshold-exceeded')).toBe(tripped);
  });

  it('puts the safety warning first, even when the warning list is full', () => {
    const result = planSync(
      {
        accounts: Array.from({ length: 5 }, () => atlassianAccount({ email: null })),
        entraUsers: [],
        employees: Array.from({ length: 6 }, (_, i) => employeeObject({ entraUserId: `gone-${i}`, active: true })),
      },
      { listCap: 3 },
    );
    expect(warningCodes(result)).toEqual(['safety-threshold-exceeded', 'atlassian-email-missing', 'atlassian-email-missing']);
    expect(result.report.warnings.truncated).toBe(true);
    expect(result.report.counts.warnings).toBe(6);
  });
});

describe('report from the planner', () => {
  it('lists unmatched accounts with reasons and their warnings', () => {
    const shared = entraUser({ mail: 'shared@contoso.com' });
    const twin = entraUser({ mail: 'Shared@contoso.com' });
    const noEmail = atlassianAccount({ email: null });
    const nobody = atlassianAccount({ email: 'nobody@contoso.com' });
    const ambiguous = atlassianAccount({ email: 'shared@contoso.com' });
    const result = plan({ accounts: [noEmail, nobody, ambiguous], entraUsers: [shared, twin] });
    expect(result.report.unmatchedAtlassian.items.map((u) => [u.accountId, u.email, u.reason])).toEqual([
      [noEmail.accountId, null, 'no-email'],
      [nobody.accountId, 'nobody@contoso.com', 'no-entra-match'],
      [ambiguous.accountId, 'shared@contoso.com', 'ambiguous'],
    ]);
    expect(warningCodes(result)).toEqual(['atlassian-email-missing', 'ambiguous-email-match']);
    expect(result.report.warnings.items[1]?.subjectIds).toEqual([ambiguous.accountId, shared.id, twin.id]);
    expect(result.report.counts).toMatchObject({ atlassianUsers: 3, matched: 0, unmatchedAtlassian: 3 });
  });

  it('warns once for accounts that match the same Entra user', () => {
    const user = entraUser({ mail: 'ada@contoso.com', userPrincipalName: 'ada.l@contoso.com' });
    const first = atlassianAccount({ email: 'ada@contoso.com' });
    const second = atlassianAccount({ email: 'ada.l@contoso.com' });
    const result = plan({ accounts: [first, second], entraUsers: [user] });
    expect(result.creates).toEqual([]);
    expect(result.report.unmatchedAtlassian.items.map((u) => u.reason)).toEqual(['duplicate-match', 'duplicate-match']);
    expect(result.report.warnings.items).toEqual([
      expect.objectContaining({ code: 'duplicate-match', subjectIds: [user.id, first.accountId, second.accountId] }),
    ]);
  });

  it('caps the lists at listCap while counting everything', () => {
    const users = Array.from({ length: 7 }, () => entraUser());
    const result = plan({ accounts: users.map((u) => accountFor(u)), entraUsers: users }, 4);
    expect(result.report.creates.items).toHaveLength(4);
    expect(result.report.creates.truncated).toBe(true);
    expect(result.report.counts.creates).toBe(7);
    expect(result.creates).toHaveLength(7);
    expect(result.report.updates).toEqual({ items: [], truncated: false });
  });
});
