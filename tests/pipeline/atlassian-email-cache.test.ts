/**
 * Issue 16, a no-change resync's Jira calls: the emails Jira's email API returned for accounts whose profile hides
 * their email are cached between runs (src/pipeline/email-cache.ts), so a resync asks the email API only for hidden-
 * email accounts the cache does not hold, and asks for all of them again once the cache's answers are a week old.
 * Through the pipeline harness: the real stage and Jira client over HTTP against the fake site.
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { FakeJiraUser } from '../../fakes/world/types';
import { atlassianAccountSchema } from '../../src/domain/atlassian-account';
import { readChunks } from '../../src/pipeline/chunked-store';
import { readEmailCacheMeta } from '../../src/pipeline/email-cache';
import { keys } from '../../src/pipeline/keys';
import { readStageOutput } from '../../src/pipeline/stage-outputs';
import { atlassianCheckpointSchema } from '../../src/pipeline/stages/atlassian-users-stage';
import { FakeClock, type HarnessOptions, startHarness } from '../support/pipeline-harness';

const DAY = 24 * 60 * 60 * 1000;
const world = generateWorld({ users: 60, seed: 1616 });

function harness(extra: { usersPageCap?: number | null } & Partial<HarnessOptions> = {}) {
  const { usersPageCap = 10, ...rest } = extra;
  return startHarness({
    world,
    seed: 1616,
    clock: new FakeClock(),
    simulation: { jira: { usersPageCap, assetsRedirects: 'off' } },
    ...rest,
  });
}
type Harness = Awaited<ReturnType<typeof harness>>;

/** The site's accounts as the test changed them (the fake has no read-back of its users). */
class Accounts {
  private readonly byId = new Map<string, FakeJiraUser>(world.jira.users.map((u) => [u.accountId, { ...u }]));
  constructor(private readonly h: Harness) {}
  set(accountId: string, change: Partial<FakeJiraUser>): FakeJiraUser {
    const user = { ...this.byId.get(accountId)!, ...change };
    this.byId.set(accountId, user);
    this.h.sim.jira.setUser(user);
    return user;
  }
  add(user: FakeJiraUser): void {
    this.byId.set(user.accountId, user);
    this.h.sim.jira.setUser(user);
  }
  /** The population accounts users/search shows no email for: hidden by their profile, or none at all. */
  hidden(): FakeJiraUser[] {
    return [...this.byId.values()].filter((u) => u.active && u.accountType === 'atlassian' && (u.emailHidden || u.email === null));
  }
  withEmail(): FakeJiraUser[] {
    return this.hidden().filter((u) => u.email !== null);
  }
  /** The email each account of the population should carry: its email, visible or returned by the email API. */
  expected(): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const u of this.byId.values()) if (u.active && u.accountType === 'atlassian') out[u.accountId] = u.email;
    return out;
  }
}

/** The accounts the run's atlassianUsers stage stored for the plan, and its checkpoint. */
async function runAccounts(h: Harness, runId: string) {
  const cp = await readStageOutput(h.deps, runId, 'atlassianUsers', atlassianCheckpointSchema);
  const accounts = await readChunks(h.store, (i) => keys.chunk(runId, 'accounts', i), cp.chunks, atlassianAccountSchema);
  return { cp, emails: Object.fromEntries(accounts.map((a) => [a.accountId, a.email])) };
}

/** The accountIds asked of the email API since request `from`. */
function askedIds(h: Harness, from: number): string[] {
  return h.sim.jira.requests
    .slice(from)
    .filter((r) => r.endpoint === 'user/email/bulk')
    .flatMap((r) => new URLSearchParams(r.query).getAll('accountId'));
}

async function sync(h: Harness, options: Parameters<Harness['run']>[1] = {}, mode: 'sync' | 'preview' = 'sync') {
  const before = h.sim.jira.requests.length;
  const { run, stats } = await h.run(mode, options);
  expect(run.status).toBe('succeeded');
  return { run, stats, asked: askedIds(h, before), ...(await runAccounts(h, run.runId)) };
}

describe.each([
  ['100 a page (fake default reading, cap 10 here for several pages)', 10],
  ['1,000 a page (usersPageCap null)', null],
])('the hidden-email cache, Jira serving %s', (_label, usersPageCap) => {
  let h: Harness;
  let accounts: Accounts;
  beforeEach(async () => {
    h = await harness({ usersPageCap });
    accounts = new Accounts(h);
  });
  afterEach(async () => {
    h.sim.jira.expectNoUnexpected();
    await h.close();
  });

  it('asks the email API for nothing on a no-change resync, and the accounts still carry the hidden emails', async () => {
    const hidden = accounts.hidden();
    expect(hidden.length).toBeGreaterThan(3);
    const start = h.clock.now();
    const first = await sync(h);
    expect(new Set(first.asked)).toEqual(new Set(hidden.map((u) => u.accountId)));
    expect(first.emails).toEqual(accounts.expected());
    const meta = await readEmailCacheMeta(h.store);
    expect(meta?.entries).toBe(hidden.length);
    expect(meta?.askedAt).toBeGreaterThanOrEqual(start);
    expect(meta?.askedAt).toBeLessThanOrEqual(h.clock.now());

    h.clock.advance(DAY);
    const second = await sync(h);
    expect(second.asked).toEqual([]);
    expect(second.emails).toEqual(accounts.expected());
    const withEmail = accounts.withEmail().length;
    expect(withEmail).toBeLessThan(hidden.length); // one account has no email at all: its empty answer is cached too
    expect(second.cp).toMatchObject({ hiddenEmails: hidden.length, hiddenEmailsResolved: withEmail, emailWarning: null });
    expect(second.cp.emailCache?.fromCache).toBe(withEmail);
    expect(second.run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
  });
});

describe('the hidden-email cache', () => {
  let h: Harness;
  let accounts: Accounts;
  beforeEach(async () => {
    h = await harness();
    accounts = new Accounts(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('asks only for a new hidden-email account, drops one whose email became visible or that left', async () => {
    const [visible, leaver] = accounts.withEmail();
    await sync(h);
    h.clock.advance(DAY);
    accounts.add({
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      accountType: 'atlassian',
      active: true,
      displayName: 'New Hire',
      email: 'new.hire@example.com',
      emailHidden: true,
    });
    accounts.set(visible!.accountId, { emailHidden: false });
    accounts.set(leaver!.accountId, { active: false });
    const run = await sync(h);
    expect(run.asked).toEqual(['5b10ac8d82e05b22cc7d4ef5']);
    expect(run.emails).toEqual(accounts.expected());
    expect(run.emails['5b10ac8d82e05b22cc7d4ef5']).toBe('new.hire@example.com');
    const meta = await readEmailCacheMeta(h.store);
    expect(meta?.entries).toBe(accounts.hidden().length);

    // The account whose email is visible again is not served from the cache should it hide it once more.
    h.clock.advance(DAY);
    accounts.set(visible!.accountId, { emailHidden: true });
    expect((await sync(h)).asked).toEqual([visible!.accountId]);
  });

  it('asks for every hidden email again once the cache is a week old, so a changed email is picked up', async () => {
    const [changed] = accounts.withEmail();
    await sync(h);
    h.clock.advance(3 * DAY);
    await sync(h);
    accounts.set(changed!.accountId, { email: 'renamed.person@example.com' });
    h.clock.advance(3 * DAY);
    // Six days after the answers: the cache still holds the old email (the documented week).
    expect((await sync(h)).asked).toEqual([]);
    h.clock.advance(DAY + 60_000);
    const late = await sync(h);
    expect(new Set(late.asked)).toEqual(new Set(accounts.hidden().map((u) => u.accountId)));
    expect(late.emails[changed!.accountId]).toBe('renamed.person@example.com');
    expect(late.emails).toEqual(accounts.expected());
    expect((await readEmailCacheMeta(h.store))?.askedAt).toBeGreaterThan(h.clock.now() - DAY);
  });

  it.each([400, 503])('goes on when the email API answers %i, keeps no cache, and asks again next run', async (status) => {
    const hidden = accounts.hidden();
    await sync(h);
    h.clock.advance(8 * DAY);
    h.sim.jira.failNext({ path: '/rest/api/3/user/email/bulk', status, body: { errorMessages: ['unavailable'] } });
    // A preview: a sync would stop for confirmation, every hidden-email Employee now being unmatched.
    const refused = await sync(h, {}, 'preview');
    expect(refused.cp.emailWarning).toContain(`HTTP ${status}`);
    for (const u of hidden) expect(refused.emails[u.accountId]).toBeNull();
    expect(refused.asked.length).toBeGreaterThan(0);
    expect(await readEmailCacheMeta(h.store)).toBeNull();
    expect(await h.store.get(keys.emailCacheChunk(refused.run.runId, 0))).toBeUndefined();

    h.clock.advance(DAY);
    const again = await sync(h);
    expect(new Set(again.asked)).toEqual(new Set(hidden.map((u) => u.accountId)));
    expect(again.emails).toEqual(accounts.expected());
    expect(again.cp.emailWarning).toBeNull();
  });

  it('keeps the right emails whatever storage operation of the stage is killed', async () => {
    const [changedEarly] = accounts.withEmail();
    const scenario = async (k: Harness, a: Accounts) => {
      await sync(k);
      k.clock.advance(DAY);
      a.add({
        accountId: '5b10ac8d82e05b22cc7d4ef6',
        accountType: 'atlassian',
        active: true,
        displayName: 'Late Joiner',
        email: 'late.joiner@example.com',
        emailHidden: true,
      });
      a.set(changedEarly!.accountId, { emailHidden: false, email: 'now.visible@example.com' });
    };
    await scenario(h, accounts);
    const reference = await sync(h, { budgetCalls: 2 });
    const stageInvocations = reference.stats.invocationLog.flatMap((record, index) =>
      record.stage === 'atlassianUsers' ? [{ index, ops: reference.stats.opsPerInvocation[index]! }] : [],
    );
    expect(stageInvocations.length).toBeGreaterThan(1);
    let points = 0;
    for (const { index, ops } of stageInvocations) {
      for (let op = 1; op <= ops; op++) {
        const k = await harness();
        try {
          const a = new Accounts(k);
          await scenario(k, a);
          const run = await sync(k, { budgetCalls: 2, crashAt: (n) => (n === index + 1 ? op : null) });
          const label = `kill invocation ${index + 1} at op ${op}`;
          expect({ label, emails: run.emails }).toEqual({ label, emails: a.expected() });
          k.clock.advance(DAY);
          const next = await sync(k);
          expect({ label, asked: next.asked, emails: next.emails }).toEqual({ label, asked: [], emails: a.expected() });
          points++;
        } finally {
          await k.close();
        }
      }
    }
    expect(points).toBeGreaterThan(5);
  }, 240_000);
});
