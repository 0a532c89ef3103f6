/**
 * Invariants of the planner on random small directories built to collide: few distinct addresses in random case and
 * padding (so ambiguous and duplicate matches happen), manager ids that loop or point outside, existing objects with
 * stale, blank, over-long, duplicated or missing values. Each property runs 150 cases.
 */
import fc from 'fast-check';

import type { AssetsObject } from '../../src/domain/assets-object';
import type { AtlassianAccount } from '../../src/domain/atlassian-account';
import { matchAccounts } from '../../src/domain/email-match';
import { entraIdKey } from '../../src/domain/entra-id';
import type { EntraUser } from '../../src/domain/entra-user';
import { compareObjectIds, planSync, type SyncInput } from '../../src/domain/plan-sync';
import { REPORT_LIST_NAMES } from '../../src/domain/report';
import { evaluateScope, parseScopeText } from '../../src/domain/scope';
import type { ManagerTarget } from '../../src/domain/sync-operations';
import { applyPlan } from './apply-plan';

const RUNS = { numRuns: 150 };
const USER_IDS = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6', 'u-7', 'u-8'];
const SHARED_LOCAL_PARTS = ['info', 'team'];
const LONG = 'x'.repeat(300);

/** An address in random case and padding: usually one only this user has, sometimes one shared with others. */
function addressOf(owner: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: fc.constant(owner), weight: 12 },
        { arbitrary: fc.constantFrom(...SHARED_LOCAL_PARTS, ...USER_IDS), weight: 1 },
      ),
      fc.constantFrom('', '.alias'),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([local, suffix, upper, padded]) => {
      const value = `${local}${suffix}@contoso.com`;
      const cased = upper ? value.toUpperCase() : value;
      return padded ? ` ${cased} ` : cased;
    });
}
const anyAddress = fc.constantFrom(...USER_IDS, ...SHARED_LOCAL_PARTS).chain(addressOf);
const text = fc.oneof(
  fc.constantFrom<string | null>(null, '', '  ', 'Engineer', 'Sales', 'Ada Lovelace', LONG),
  fc.string({ maxLength: 8 }),
);

const entraUserArb = (id: string): fc.Arbitrary<EntraUser> =>
  fc.record({
    id: fc.constant(id),
    displayName: text,
    mail: fc.option(addressOf(id), { nil: null, freq: 5 }),
    userPrincipalName: fc.option(addressOf(id), { nil: null, freq: 5 }),
    proxyAddresses: fc.array(
      fc.oneof(
        addressOf(id).map((a) => `SMTP:${a.trim()}`),
        addressOf(id).map((a) => `smtp:${a.trim()}`),
        fc.constant('X500:/o=Contoso'),
      ),
      { maxLength: 3 },
    ),
    otherMails: fc.array(addressOf(id), { maxLength: 2 }),
    jobTitle: text,
    department: text,
    accountEnabled: fc.boolean(),
    managerId: fc.option(fc.constantFrom(...USER_IDS, 'org-contact'), { nil: null, freq: 4 }),
  });

const directoryArb: fc.Arbitrary<EntraUser[]> = fc
  .subarray(USER_IDS, { minLength: 0 })
  .chain((ids) => (ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map(entraUserArb))));

const accountArb = (email: fc.Arbitrary<string>, ownId?: string): fc.Arbitrary<AtlassianAccount> =>
  fc.record({
    accountId:
      ownId === undefined
        ? fc.constantFrom('acc-1', 'acc-2', 'acc-3', 'acc-4')
        : fc.oneof({ arbitrary: fc.constant(`acc-${ownId}`), weight: 8 }, { arbitrary: fc.constantFrom('acc-1', 'acc-2'), weight: 1 }),
    accountType: fc.oneof(
      { arbitrary: fc.constant('atlassian'), weight: 12 },
      { arbitrary: fc.constantFrom('app', 'customer'), weight: 1 },
    ),
    active: fc.oneof({ arbitrary: fc.constant(true), weight: 12 }, { arbitrary: fc.constant(false), weight: 1 }),
    email: fc.option(email, { nil: null, freq: 10 }),
  });

/** One of the user's own addresses (any level), re-cased and padded the way Jira might hold it. */
function emailOf(user: EntraUser): fc.Arbitrary<string> {
  const keys = [
    user.mail,
    user.userPrincipalName,
    ...user.proxyAddresses.filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5)),
    ...user.otherMails,
  ].filter((k): k is string => k !== null && k.trim() !== '');
  if (keys.length === 0) return addressOf(user.id);
  return fc
    .tuple(fc.constantFrom(...keys), fc.boolean(), fc.boolean())
    .map(([key, upper, padded]) => `${padded ? ' ' : ''}${upper ? key.trim().toUpperCase() : key.trim().toLowerCase()}`);
}

/** Accounts that mostly belong to the directory's users (so most users match), plus strays. */
const worldArb: fc.Arbitrary<{ entraUsers: EntraUser[]; accounts: AtlassianAccount[] }> = directoryArb.chain((entraUsers) =>
  fc
    .tuple(
      entraUsers.length === 0
        ? fc.constant([])
        : fc.tuple(...entraUsers.map((user) => fc.option(accountArb(emailOf(user), user.id), { nil: null, freq: 12 }))),
      fc.array(accountArb(anyAddress), { maxLength: 2 }),
    )
    .map(([own, strays]) => ({ entraUsers, accounts: [...own.filter((a): a is AtlassianAccount => a !== null), ...strays] })),
);

const employeeArb = (objectId: string): fc.Arbitrary<AssetsObject> =>
  fc.record({
    objectId: fc.constant(objectId),
    objectKey: fc.constant(`ENTRA-${objectId}`),
    values: fc.record({
      fullName: text,
      entraUserId: fc.option(
        fc.oneof(
          fc.constantFrom(...USER_IDS, 'gone-1', ''),
          fc.constantFrom(...USER_IDS).map((id) => ` ${id.toUpperCase()}`),
        ),
        { nil: null },
      ),
      email: fc.option(anyAddress, { nil: null }),
      jobTitle: text,
      department: text,
      atlassianAccountId: fc.option(fc.constantFrom('acc-1', 'acc-2', 'acc-3', 'acc-gone'), { nil: null }),
      jiraUser: fc.option(fc.constantFrom('acc-1', 'acc-2', 'acc-gone'), { nil: null }),
      active: fc.constantFrom(true, true, false, null),
      manager: fc.option(fc.constantFrom('1', '2', '3', '77'), { nil: null }),
      managerAtlassianAccountId: fc.option(fc.constantFrom('acc-1', 'acc-2'), { nil: null }),
    }),
  });

const junkArb: fc.Arbitrary<AssetsObject[]> = fc
  .integer({ min: 0, max: 6 })
  .chain((count) => (count === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: count }, (_, i) => employeeArb(String(i + 1))))));

const EDITABLE = ['fullName', 'email', 'jobTitle', 'department', 'atlassianAccountId', 'active', 'manager', 'entraUserId'] as const;
const editArb = fc.record({ target: fc.nat(), field: fc.constantFrom(...EDITABLE), value: text });
const driftArb = fc.record({
  target: fc.nat(),
  change: fc.constantFrom('jobTitle', 'toggle-enabled', 'manager', 'remove', 'mail', 'account-inactive'),
  value: text,
  managerId: fc.option(fc.constantFrom(...USER_IDS), { nil: null }),
});

/**
 * What a site looks like at the next sync: the state a sync of `world` wrote over some junk objects, hand-edited
 * and partly deleted in Assets, while the directory drifted (users changed, disabled, removed, accounts deactivated).
 */
const driftedArb: fc.Arbitrary<SyncInput> = fc
  .record({
    world: worldArb,
    junk: junkArb,
    edits: fc.array(editArb, { maxLength: 3 }),
    deletions: fc.array(fc.nat(), { maxLength: 2 }),
    drift: fc.array(driftArb, { maxLength: 3 }),
  })
  .map(({ world, junk, edits, deletions, drift }) => {
    let objects = applyPlan(junk, planSync({ ...world, employees: junk }), 100).objects;
    for (const edit of edits) {
      const object = objects[edit.target % Math.max(1, objects.length)];
      if (object === undefined) continue;
      const value = edit.field === 'active' ? (edit.value === null ? null : edit.value.length % 2 === 0) : edit.value;
      objects = objects.map((o) => (o === object ? { ...o, values: { ...o.values, [edit.field]: value } } : o));
    }
    for (const deletion of deletions) objects = objects.filter((_, i) => i !== deletion % Math.max(1, objects.length));
    let entraUsers = world.entraUsers;
    let accounts = world.accounts;
    for (const change of drift) {
      const user = entraUsers[change.target % Math.max(1, entraUsers.length)];
      if (user === undefined) continue;
      const replace = (next: EntraUser | null) =>
        (entraUsers = next === null ? entraUsers.filter((u) => u !== user) : entraUsers.map((u) => (u === user ? next : u)));
      if (change.change === 'jobTitle') replace({ ...user, jobTitle: change.value });
      else if (change.change === 'toggle-enabled') replace({ ...user, accountEnabled: !user.accountEnabled });
      else if (change.change === 'manager') replace({ ...user, managerId: change.managerId });
      else if (change.change === 'remove') replace(null);
      else if (change.change === 'mail') replace({ ...user, mail: change.value });
      else accounts = accounts.map((a, i) => (i === change.target % accounts.length ? { ...a, active: false } : a));
    }
    return { entraUsers, accounts, employees: objects };
  });

const randomArb: fc.Arbitrary<SyncInput> = fc.record({
  accounts: fc.array(accountArb(anyAddress), { maxLength: 6 }),
  entraUsers: directoryArb,
  employees: junkArb,
});

const firstSyncArb: fc.Arbitrary<SyncInput> = fc
  .record({ world: worldArb, junk: junkArb })
  .map(({ world, junk }) => ({ ...world, employees: junk }));

const inputArb: fc.Arbitrary<SyncInput> = fc.oneof(
  { arbitrary: driftedArb, weight: 3 },
  { arbitrary: firstSyncArb, weight: 2 },
  { arbitrary: randomArb, weight: 1 },
);

function isEmpty(plan: ReturnType<typeof planSync>): boolean {
  return plan.creates.length + plan.updates.length + plan.inactivations.length + plan.managerLinks.length === 0;
}

/** The object each matched pair claims, computed from the rules rather than from the planner's internals. */
function claimedObjects(input: SyncInput): Map<string, EntraUser> {
  const claimed = new Map<string, EntraUser>();
  for (const pair of matchAccounts(input.accounts, input.entraUsers).pairs) {
    const key = entraIdKey(pair.entraUser.id);
    const candidates = input.employees
      .filter(
        (o) => typeof o.values.entraUserId === 'string' && o.values.entraUserId.trim() !== '' && entraIdKey(o.values.entraUserId) === key,
      )
      .sort((a, b) => compareObjectIds(a.objectId, b.objectId));
    if (candidates[0] !== undefined) claimed.set(candidates[0].objectId, pair.entraUser);
  }
  return claimed;
}

describe('planSync properties', () => {
  it('applying a plan and planning again with the same inputs plans nothing', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const first = planSync(input);
        const applied = applyPlan(input.employees, first).objects;
        const second = planSync({ ...input, employees: applied });
        if (!isEmpty(second)) {
          throw new Error(
            `second plan not empty: ${JSON.stringify({ creates: second.creates, updates: second.updates, inactivations: second.inactivations, links: second.managerLinks })}`,
          );
        }
        expect(second.unchanged).toBe(second.report.counts.matched);
      }),
      RUNS,
    );
  });

  it('with a sync scope: planning again plans nothing, and no object of a user out of scope stays active', () => {
    const scopes = [
      "department eq 'Sales'",
      "department ne 'sales' and accountEnabled eq true",
      "(jobTitle eq null or startswith(department, 'S'))",
      "jobTitle in ('Engineer', 'Ada Lovelace')",
    ].map(parseScopeText);
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...scopes), (input, scope) => {
        const first = planSync(input, { scope });
        const applied = applyPlan(input.employees, first).objects;
        const second = planSync({ ...input, employees: applied }, { scope });
        expect(isEmpty(second)).toBe(true);
        const outside = new Set(
          input.entraUsers.filter((_, i) => evaluateScope(scope, input.entraUsers).inScope[i] === 0).map((u) => entraIdKey(u.id)),
        );
        for (const object of applied) {
          const id = typeof object.values.entraUserId === 'string' ? entraIdKey(object.values.entraUserId) : null;
          if (
            id !== null &&
            outside.has(id) &&
            !input.entraUsers.some((u) => entraIdKey(u.id) === id && evaluateScope(scope, [u]).inScope[0] === 1)
          )
            expect(object.values.active).not.toBe(true);
        }
        expect(first.report.counts.outOfScope).toBe(evaluateScope(scope, input.entraUsers).outOfScope);
      }),
      RUNS,
    );
  });

  it('never deletes: every object is still there after applying the plan', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSync(input);
        const kinds = new Set([...plan.creates, ...plan.updates, ...plan.inactivations, ...plan.managerLinks].map((op) => op.kind));
        expect([...kinds].every((kind) => ['create', 'update', 'inactivate', 'manager-link'].includes(kind))).toBe(true);
        const after = new Set(applyPlan(input.employees, plan).objects.map((o) => o.objectId));
        expect(input.employees.every((o) => after.has(o.objectId))).toBe(true);
      }),
      RUNS,
    );
  });

  it('inactivates only active objects that no pair claims, or claimed ones whose Entra user is disabled', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSync(input);
        const claimed = claimedObjects(input);
        const byId = new Map(input.employees.map((o) => [o.objectId, o]));
        for (const op of plan.inactivations) {
          expect(byId.get(op.objectId)?.values.active).toBe(true);
          expect(op.changes.active).toBe(false);
          const owner = claimed.get(op.objectId);
          if (owner !== undefined) {
            expect(op.reason).toBe('entra-user-disabled');
            expect(owner.accountEnabled).toBe(false);
          }
        }
        const touched = [...plan.updates, ...plan.inactivations].map((op) => op.objectId);
        expect(new Set(touched).size).toBe(touched.length);
      }),
      RUNS,
    );
  });

  it('keeps counts equal to list lengths where lists are not truncated, and consistent with the plan', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 4 }), (input, listCap) => {
        const plan = planSync(input, { listCap });
        const { counts } = plan.report;
        for (const name of REPORT_LIST_NAMES) {
          const list = plan.report[name];
          expect(list.items.length).toBeLessThanOrEqual(listCap);
          if (!list.truncated) expect(list.items).toHaveLength(counts[name]);
          else expect(list.items.length).toBeLessThan(counts[name]);
        }
        expect(counts.creates).toBe(plan.creates.length);
        expect(counts.updates).toBe(plan.updates.length);
        expect(counts.inactivations).toBe(plan.inactivations.length);
        expect(counts.unchanged).toBe(plan.unchanged);
        const claimedInactivations = plan.inactivations.filter((op) => claimedObjects(input).has(op.objectId)).length;
        expect(counts.matched).toBe(plan.creates.length + plan.updates.length + plan.unchanged + claimedInactivations);
        expect(counts.matched + counts.unmatchedAtlassian).toBe(counts.atlassianUsers);
      }),
      RUNS,
    );
  });

  it('gives every create a wave after its manager when that manager is created too', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSync(input);
        const waveOf = new Map(plan.creates.map((c) => [c.entraUserId, c.wave]));
        for (const create of plan.creates) {
          const manager = create.values.manager as ManagerTarget | null;
          if (manager !== null && manager.objectId === null) {
            expect(waveOf.get(manager.entraUserId)).toBeLessThan(create.wave);
          }
        }
        for (const link of plan.managerLinks) expect(waveOf.has(link.entraUserId)).toBe(true);
      }),
      RUNS,
    );
  });
});
