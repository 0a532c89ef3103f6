import { jiraFetchTo } from '../../../fakes/jira/fake-jira-fetch';
import { type FakeJiraSite, type FakeJiraSiteOptions, startFakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import type { JiraFetch } from '../../../src/clients/http';
import {
  chunkForUrl,
  createJiraUsersClient,
  EMAIL_BULK_CONCURRENCY,
  EMAIL_BULK_MAX_IDS,
} from '../../../src/clients/jira/jira-users-client';
import type { RetryPolicy } from '../../../src/clients/retry-policy';
import { AppError } from '../../../src/domain/errors';
import { type FakeClock, fakeClock, jiraUser, jiraUsers, patientPolicy, rejection, testPolicy } from './support';

describe('Jira users client against the fake site', () => {
  let site: FakeJiraSite | undefined;
  let clock: FakeClock;

  afterEach(async () => {
    site?.expectNoUnexpected();
    await site?.close();
    site = undefined;
  });

  async function setup(
    options: FakeJiraSiteOptions,
    policyFor: (c: FakeClock) => RetryPolicy = testPolicy,
    fetchWrap?: (f: JiraFetch) => JiraFetch,
  ) {
    clock = fakeClock();
    site = await startFakeJiraSite({ now: clock.now, ...options });
    const base = jiraFetchTo(site.url);
    return { site, client: createJiraUsersClient({ fetch: fetchWrap ? fetchWrap(base) : base, policy: policyFor(clock) }) };
  }

  describe('listUsersPage', () => {
    async function readAll(client: ReturnType<typeof createJiraUsersClient>): Promise<{ seen: string[]; flags: boolean[] }> {
      const seen: string[] = [];
      const flags: boolean[] = [];
      let startAt = 0;
      for (;;) {
        const page = await client.listUsersPage(startAt);
        seen.push(...page.accounts.map((a) => a.accountId));
        flags.push(page.isLast);
        if (page.isLast) return { seen, flags };
        startAt += page.accounts.length;
      }
    }

    it('pages until an EMPTY page, through the short pages the site serves before the end (default page cap)', async () => {
      const { site, client } = await setup({ users: jiraUsers(250) });
      const { seen, flags } = await readAll(client);
      expect(flags).toEqual([false, false, false, true]);
      expect(new Set(seen).size).toBe(250);
      expect(site.requestsTo('users/search').map((r) => r.query)).toEqual([
        'startAt=0&maxResults=1000',
        'startAt=100&maxResults=1000',
        'startAt=200&maxResults=1000',
        'startAt=250&maxResults=1000',
      ]);
    });

    it('retries a 409 ("took longer than 10 seconds") in-process, then asks to retry later; the read still completes', async () => {
      const { site, client } = await setup({ users: jiraUsers(250), usersSearch409Every: 3 });
      const { seen } = await readAll(client);
      expect(new Set(seen).size).toBe(250);
      expect(site.requestsTo('users/search').map((r) => r.status)).toEqual([200, 200, 409, 200, 200]);
      site.failNext({
        path: '/users/search',
        status: 409,
        times: 10,
        body: { errorMessages: ['The request took longer than 10 seconds.'] },
      });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_REQUEST_FAILED', retry: 'later' });
    });

    it('pages 2,500 users 1,000 at a time until an empty page when the site serves full pages (usersPageCap null)', async () => {
      const { site, client } = await setup({ users: jiraUsers(2500), usersPageCap: null });
      const { seen, flags } = await readAll(client);
      expect(flags).toEqual([false, false, false, true]);
      expect(new Set(seen).size).toBe(2500);
      expect(site.requestsTo('users/search').map((r) => r.query)).toEqual([
        'startAt=0&maxResults=1000',
        'startAt=1000&maxResults=1000',
        'startAt=2000&maxResults=1000',
        'startAt=2500&maxResults=1000',
      ]);
    });

    it('keeps every account type and state, never the display name, and reads hidden emails as null', async () => {
      const users = [
        jiraUser({ accountId: 'a-visible', email: 'visible@example.com' }),
        jiraUser({ accountId: 'a-hidden', email: 'hidden@example.com', emailHidden: true }),
        jiraUser({ accountId: 'app-1', accountType: 'app', email: null }),
        jiraUser({ accountId: 'cust-1', accountType: 'customer', email: 'c@example.com' }),
        jiraUser({ accountId: 'gone-1', active: false }),
      ];
      const { client } = await setup({ users });
      const page = await client.listUsersPage(0);
      expect(page.isLast).toBe(false);
      expect(page.accounts).toEqual([
        { accountId: 'a-visible', accountType: 'atlassian', active: true, emailAddress: 'visible@example.com' },
        { accountId: 'a-hidden', accountType: 'atlassian', active: true, emailAddress: null },
        { accountId: 'app-1', accountType: 'app', active: true, emailAddress: null },
        { accountId: 'cust-1', accountType: 'customer', active: true, emailAddress: 'c@example.com' },
        { accountId: 'gone-1', accountType: 'atlassian', active: false, emailAddress: users[4]?.email },
      ]);
      expect(page.emailHidden).toEqual(['a-hidden', 'app-1']);
      expect(JSON.stringify(page)).not.toContain('User 0');
    });

    it('reads a response that is not a list of accounts as RESPONSE_MALFORMED', async () => {
      const { site, client } = await setup({ users: jiraUsers(3) });
      site.failNext({ path: '/users/search', status: 200, body: 'surprise, this is html' });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
      site.failNext({ path: '/users/search', status: 200, body: { values: [] } });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
      site.failNext({ path: '/users/search', status: 200, body: [{ accountType: 'atlassian', active: true }] });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
    });

    it('maps 401/403 to JIRA_UNAUTHORIZED naming both causes: the read:jira-user scope and "Browse users and groups"', async () => {
      const { site, client } = await setup({ users: jiraUsers(1) });
      site.failNext({ path: '/users/search', status: 401, body: { errorMessages: ['Unauthorized'] } });
      const error = await rejection(client.listUsersPage(0));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'JIRA_UNAUTHORIZED', retry: 'permanent' });
      expect((error as AppError).message).toContain('read:jira-user');
      expect((error as AppError).message).toContain('"Browse users and groups"');
      expect((error as AppError).message).toContain('Global permissions');
      site.failNext({ path: '/users/search', status: 403, body: { errorMessages: ['Forbidden'] } });
      expect((await rejection(client.listUsersPage(0))) as AppError).toMatchObject({
        code: 'JIRA_UNAUTHORIZED',
        message: expect.stringContaining('Browse users and groups'),
      });
    });

    it('maps other 4xx to JIRA_REQUEST_FAILED and a redirect to a clear error', async () => {
      const { site, client } = await setup({ users: jiraUsers(1) });
      site.failNext({ path: '/users/search', status: 400, body: { errorMessages: ['bad request'] } });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_REQUEST_FAILED', retry: 'permanent' });
      site.failNext({ path: '/users/search', status: 303, headers: { Location: 'https://elsewhere.example/' } });
      const redirect = await rejection(client.listUsersPage(0));
      expect(redirect).toMatchObject({ code: 'JIRA_REQUEST_FAILED' });
      expect((redirect as AppError).message).toContain('redirect');
    });

    it('retries a 5xx in-process and defers when it persists', async () => {
      const { site, client } = await setup({ users: jiraUsers(2) });
      site.failNext({ path: '/users/search', status: 502, times: 1 });
      expect((await client.listUsersPage(0)).accounts).toHaveLength(2);
      site.failNext({ path: '/users/search', status: 500, times: 10 });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_REQUEST_FAILED', retry: 'later' });
    });

    it('waits out a burst 429 Retry-After before asking again (recorded times)', async () => {
      const { site, client } = await setup(
        { users: jiraUsers(3), rateLimits: { enabled: true, perMinute: { 'users/search': 1 }, sendRetryAfter: true } },
        patientPolicy,
      );
      await client.listUsersPage(0);
      const page = await client.listUsersPage(0);
      expect(page.accounts).toHaveLength(3);
      const calls = site.requestsTo('users/search');
      expect(calls.map((c) => c.status)).toEqual([200, 429, 200]);
      const [, throttled, retried] = calls;
      expect(retried!.time - throttled!.time).toBeGreaterThanOrEqual(60_000);
    });

    it('hands a long burst Retry-After back as retry later without sleeping', async () => {
      const { site, client } = await setup({ users: jiraUsers(1), rateLimits: { enabled: true, perMinute: { 'users/search': 1 } } });
      await client.listUsersPage(0);
      const error = await rejection(client.listUsersPage(0));
      expect(error).toMatchObject({ code: 'JIRA_THROTTLED', retry: 'later', retryAfterSeconds: 60 });
      expect(clock.slept).toEqual([]);
      expect(site.requestsTo('users/search')).toHaveLength(2);
    });

    it("waits until a gateway 429's X-RateLimit-Reset (no Retry-After): one retry later, not a loop of short retries", async () => {
      const { site, client } = await setup({ users: jiraUsers(1), rateLimits: { enabled: true, perMinute: { 'users/search': 1 } } });
      await client.listUsersPage(0);
      clock.sleep(20_000);
      const error = await rejection(client.listUsersPage(0));
      // The window reopens at 09:01:00 (the header's whole minute), 40 s after this request.
      expect(error).toMatchObject({ code: 'JIRA_THROTTLED', retry: 'later', retryAfterSeconds: 40 });
      expect(site.requestsTo('users/search').map((r) => r.status)).toEqual([200, 429]);
      expect(clock.slept).toEqual([20_000]);
    });

    it("measures a reset time against Jira's Date header, so a Forge clock running ahead cannot shorten the wait", async () => {
      const siteClock = fakeClock(Date.parse('2026-03-02T09:00:00Z'));
      const ahead = fakeClock(Date.parse('2026-03-02T09:00:30Z'));
      site = await startFakeJiraSite({
        users: jiraUsers(1),
        now: siteClock.now,
        rateLimits: { enabled: true, perMinute: { 'users/search': 1 } },
      });
      const client = createJiraUsersClient({ fetch: jiraFetchTo(site.url), policy: testPolicy(ahead) });
      await client.listUsersPage(0);
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_THROTTLED', retryAfterSeconds: 60 });
      // An HTTP-date Retry-After, and the beta reset header, are measured the same way.
      site.failNext({ path: '/users/search', status: 429, headers: { 'Retry-After': 'Mon, 02 Mar 2026 09:02:00 GMT' } });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_THROTTLED', retryAfterSeconds: 120 });
      site.failNext({
        path: '/users/search',
        status: 429,
        headers: { 'X-Beta-RateLimit-Reason': 'jira-cost-based', 'X-Beta-RateLimit-Reset': '2026-03-02T09:03:00Z' },
      });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_THROTTLED', retryAfterSeconds: 180 });
      expect(ahead.slept).toEqual([]);
    });

    it('treats a quota named only in the beta header (X-Beta-RateLimit-Reason: jira-quota-*) as retry later at once', async () => {
      const { site, client } = await setup({ users: jiraUsers(1) });
      site.failNext({
        path: '/users/search',
        status: 429,
        headers: {
          'X-Beta-RateLimit-Reason': 'jira-quota-global-based',
          'X-Beta-RateLimit-Reset': new Date(clock.now() + 600_000).toISOString(),
        },
      });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_THROTTLED', retry: 'later', retryAfterSeconds: 600 });
      expect(site.requestsTo('users/search')).toHaveLength(1);
    });

    it.each(['gateway', 'burst', 'cost-based', 'beta', 'mixed'] as const)(
      'reads every account through %s 429s when it may wait',
      async (jira429) => {
        const { site, client } = await setup(
          { users: jiraUsers(250), rateLimits: { enabled: true, perMinute: { 'users/search': 2 }, jira429 } },
          patientPolicy,
        );
        const { seen } = await readAll(client);
        expect(new Set(seen).size).toBe(250);
        expect(site.requestsTo('users/search').filter((r) => r.status === 429).length).toBeGreaterThan(0);
      },
    );

    it('treats a quota 429 (jira-quota-*) as retry later at once, even with a short Retry-After', async () => {
      const { site, client } = await setup({ users: jiraUsers(1) });
      site.failNext({ path: '/users/search', status: 429, headers: { 'RateLimit-Reason': 'jira-quota-global-based', 'Retry-After': '2' } });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_THROTTLED', retry: 'later', retryAfterSeconds: 2 });
      site.failNext({
        path: '/users/search',
        status: 429,
        headers: { 'RateLimit-Reason': 'jira-quota-tenant-based', 'X-RateLimit-Reset': new Date(clock.now() + 1_800_000).toISOString() },
      });
      expect(await rejection(client.listUsersPage(0))).toMatchObject({ code: 'JIRA_THROTTLED', retry: 'later', retryAfterSeconds: 900 });
      expect(clock.slept).toEqual([]);
      expect(site.requestsTo('users/search')).toHaveLength(2);
    });
  });

  describe('getEmails', () => {
    it('fetches hidden emails in chunks whose URLs stay under 8 KB', async () => {
      const users = jiraUsers(250, () => ({ emailHidden: true }));
      const { site, client } = await setup({ users });
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.unavailable).toBeNull();
      expect(result.emails.size).toBe(250);
      expect(result.emails.get(users[7]!.accountId)).toBe(users[7]!.email);
      const calls = site.requestsTo('user/email/bulk');
      expect(calls).toHaveLength(3);
      for (const call of calls) {
        expect(call.url.length).toBeLessThan(8192);
        expect(new URLSearchParams(call.query).getAll('accountId').length).toBeLessThanOrEqual(EMAIL_BULK_MAX_IDS);
      }
    });

    /** A fetch that counts the email lookups in flight at once (issue 16: they were sent one after the other). */
    const inFlight = () => {
      const seen = { now: 0, most: 0 };
      const wrap =
        (inner: JiraFetch): JiraFetch =>
        async (request) => {
          if (!request.url.includes('/user/email/bulk')) return inner(request);
          seen.most = Math.max(seen.most, ++seen.now);
          try {
            return await inner(request);
          } finally {
            seen.now--;
          }
        };
      return { seen, wrap };
    };

    it(`sends up to ${EMAIL_BULK_CONCURRENCY} lookups at once and keeps every answer`, async () => {
      const users = jiraUsers(1_000, () => ({ emailHidden: true }));
      const { seen, wrap } = inFlight();
      const { site, client } = await setup({ users }, testPolicy, wrap);
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.unavailable).toBeNull();
      expect(result.emails.size).toBe(1_000);
      expect(users.every((u) => result.emails.get(u.accountId) === u.email)).toBe(true);
      expect(site.requestsTo('user/email/bulk')).toHaveLength(10);
      expect(seen.most).toBe(EMAIL_BULK_CONCURRENCY);
    });

    it('stops sending lookups once one has failed, and throws that failure', async () => {
      const users = jiraUsers(1_000, () => ({ emailHidden: true }));
      const { seen, wrap } = inFlight();
      const { site, client } = await setup({ users }, testPolicy, wrap);
      site.failNext({ path: '/user/email/bulk', status: 401, body: { errorMessages: ['Unauthorized'] } });
      await expect(client.getEmails(users.map((u) => u.accountId))).rejects.toBeInstanceOf(AppError);
      // The failed one and those already in flight beside it; none after.
      expect(site.requestsTo('user/email/bulk').length).toBeLessThanOrEqual(EMAIL_BULK_CONCURRENCY);
      expect(seen.now).toBe(0);
    });

    it('splits by URL length when account ids are long', async () => {
      const users = jiraUsers(120, (i) => ({ accountId: `${'x'.repeat(120)}${String(i).padStart(8, '0')}` }));
      const { site, client } = await setup({ users });
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.emails.size).toBe(120);
      const calls = site.requestsTo('user/email/bulk');
      expect(calls.length).toBeGreaterThan(2);
      for (const call of calls) expect(call.url.length).toBeLessThan(8192);
    });

    it('asks nothing for no ids and asks each id once', async () => {
      const users = jiraUsers(2);
      const { site, client } = await setup({ users });
      expect((await client.getEmails([])).emails.size).toBe(0);
      const ids = [users[0]!.accountId, users[0]!.accountId, users[1]!.accountId];
      expect((await client.getEmails(ids)).emails.size).toBe(2);
      expect(site.requestsTo('user/email/bulk')).toHaveLength(1);
      expect(new URLSearchParams(site.requestsTo('user/email/bulk')[0]!.query).getAll('accountId')).toHaveLength(2);
    });

    it('accepts the single-object answer the spec describes', async () => {
      const users = jiraUsers(2, () => ({ emailHidden: true }));
      const { site, client } = await setup({ users, emailBulkShape: 'object' });
      const one = await client.getEmails([users[0]!.accountId]);
      expect([...one.emails]).toEqual([[users[0]!.accountId, users[0]!.email]]);
      const both = await client.getEmails(users.map((u) => u.accountId));
      expect(both.emails.size).toBe(2);
      expect(site.requestsTo('user/email/bulk').map((r) => r.status)).toEqual([200, 200]);
    });

    it('skips accounts the API has no email for', async () => {
      const users = [jiraUser({ email: null, emailHidden: true }), jiraUser({ emailHidden: true })];
      const { client } = await setup({ users });
      const result = await client.getEmails([...users.map((u) => u.accountId), 'unknown-account']);
      expect([...result.emails.keys()]).toEqual([users[1]!.accountId]);
    });

    it('stops at 400 (app not approved) and explains why matching is incomplete', async () => {
      const users = jiraUsers(3, () => ({ emailHidden: true }));
      const { site, client } = await setup({ users, emailApi: 'not-approved' });
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.emails.size).toBe(0);
      expect(result.unavailable).toMatchObject({ status: 400 });
      expect(result.unavailable?.message).toContain('not approved');
      expect(result.unavailable?.message).toContain('3 account(s)');
      expect(site.requestsTo('user/email/bulk')).toHaveLength(1);
    });

    it('does not retry 503 (API not enabled) and keeps the emails fetched before it', async () => {
      const users = jiraUsers(150, () => ({ emailHidden: true }));
      let bulkCalls = 0;
      // The lookups go out EMAIL_BULK_CONCURRENCY at a time: the second waits for the first's answer, so the 503 is
      // the second chunk's whichever reaches the site first.
      let first: Promise<unknown> = Promise.resolve();
      const { site, client } = await setup({ users }, testPolicy, (inner) => async (request) => {
        if (!request.url.includes('/user/email/bulk')) return inner(request);
        const call = ++bulkCalls;
        if (call === 1) {
          const answer = inner(request);
          first = answer;
          return answer;
        }
        if (call === 2) {
          await first;
          site.failNext({ path: '/user/email/bulk', status: 503, body: { errorMessages: ['This API is not currently enabled.'] } });
        }
        return inner(request);
      });
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.emails.size).toBe(100);
      expect(result.unavailable).toMatchObject({ status: 503 });
      expect(result.unavailable?.message).toContain('not enabled');
      expect(result.unavailable?.message).toContain('50 account(s)');
      expect(site.requestsTo('user/email/bulk').map((r) => r.status)).toEqual([200, 503]);
      expect(clock.slept).toEqual([]);
    });

    it('reports a disabled API from the first chunk', async () => {
      const users = jiraUsers(2, () => ({ emailHidden: true }));
      const { client } = await setup({ users, emailApi: 'disabled' });
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.unavailable?.status).toBe(503);
    });

    it('retries a 429 on the email API after its Retry-After', async () => {
      const users = jiraUsers(2, () => ({ emailHidden: true }));
      const { site, client } = await setup({ users }, testPolicy);
      site.failNext({ path: '/user/email/bulk', status: 429, headers: { 'Retry-After': '3', 'RateLimit-Reason': 'jira-burst-based' } });
      const result = await client.getEmails(users.map((u) => u.accountId));
      expect(result.emails.size).toBe(2);
      const [throttled, retried] = site.requestsTo('user/email/bulk');
      expect(throttled?.status).toBe(429);
      expect(retried!.time - throttled!.time).toBeGreaterThanOrEqual(3000);
    });

    it('maps 403 to JIRA_UNAUTHORIZED naming read:email-address:jira', async () => {
      const users = jiraUsers(1, () => ({ emailHidden: true }));
      const { site, client } = await setup({ users });
      site.failNext({ path: '/user/email/bulk', status: 403 });
      const error = await rejection(client.getEmails([users[0]!.accountId]));
      expect(error).toMatchObject({ code: 'JIRA_UNAUTHORIZED' });
      expect((error as AppError).message).toContain('read:email-address:jira');
    });

    it('reads a malformed email answer as RESPONSE_MALFORMED', async () => {
      const users = jiraUsers(1, () => ({ emailHidden: true }));
      const { site, client } = await setup({ users });
      site.failNext({ path: '/user/email/bulk', status: 200, body: [{ email: 'no-account-id@example.com' }] });
      expect(await rejection(client.getEmails([users[0]!.accountId]))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
    });
  });
});

describe('chunkForUrl', () => {
  it('keeps order, caps ids per chunk and never returns an empty chunk', () => {
    const ids = Array.from({ length: 230 }, (_, i) => `id-${i}`);
    const chunks = chunkForUrl(ids);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 30]);
    expect(chunks.flat()).toEqual(ids);
    expect(chunkForUrl([])).toEqual([]);
  });
});
