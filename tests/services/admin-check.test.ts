/**
 * requireJiraAdmin through the real transport shape against the fake Jira site over HTTP, as the user (asUser), in
 * both readings of the site's permission model ('jira', the default, and the old 'lenient' one): the app must
 * work under both. Also the failures a live site can give: network failure, a malformed answer.
 */
import { jiraFetchAsUser, jiraFetchTo } from '../../fakes/jira/fake-jira-fetch';
import { type FakeJiraSite, startFakeJiraSite } from '../../fakes/jira/fake-jira-site';
import { keys } from '../../src/pipeline/keys';
import { ADMIN_CACHE_SECONDS, requireJiraAdmin } from '../../src/services/admin-check';
import { MemoryStore } from '../support/memory-store';

const ADMIN = '712020:aaaaaaaa-0000-4000-8000-000000000001';
const MEMBER = '712020:aaaaaaaa-0000-4000-8000-000000000002';

describe('requireJiraAdmin against the fake site', () => {
  let site: FakeJiraSite | undefined;
  let now = Date.parse('2026-03-02T09:00:00Z');
  afterEach(async () => {
    site?.expectNoUnexpected();
    await site?.close();
    site = undefined;
  });

  it.each(['jira', 'lenient'] as const)(
    'accepts an admin and refuses a member, asked as each user (%s permission model)',
    async (permissionModel) => {
      site = await startFakeJiraSite({ administrators: [ADMIN], permissionModel, now: () => now });
      const store = new MemoryStore(() => now);
      const deps = (accountId: string) => ({ userFetch: jiraFetchAsUser(site!.url, accountId), store, now: () => now });
      await expect(requireJiraAdmin(deps(ADMIN), ADMIN)).resolves.toBeUndefined();
      await expect(requireJiraAdmin(deps(MEMBER), MEMBER)).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: 'Only Jira administrators can use Entra ID Sync.',
      });
      expect(await store.get(keys.adminCheck(ADMIN))).toEqual({ admin: true, until: now + ADMIN_CACHE_SECONDS * 1000 });
      expect(await store.get(keys.adminCheck(MEMBER))).toBeUndefined();
    },
  );

  it('refuses everyone when the transport is (wrongly) the app: the app user is no Jira admin', async () => {
    site = await startFakeJiraSite({ administrators: [ADMIN], now: () => now });
    const store = new MemoryStore(() => now);
    await expect(requireJiraAdmin({ userFetch: jiraFetchTo(site.url), store, now: () => now }, ADMIN)).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('answers "try again" when Jira cannot be reached, and RESPONSE_MALFORMED to an answer it cannot read', async () => {
    site = await startFakeJiraSite({ administrators: [ADMIN], now: () => now });
    const store = new MemoryStore(() => now);
    const closed = await startFakeJiraSite();
    const url = closed.url;
    await closed.close();
    await expect(requireJiraAdmin({ userFetch: jiraFetchAsUser(url, ADMIN), store, now: () => now }, ADMIN)).rejects.toMatchObject({
      code: 'JIRA_REQUEST_FAILED',
      retry: 'later',
      message: expect.stringContaining('Try again in a moment'),
    });
    site.failNext({ path: '/rest/api/3/mypermissions', status: 200, body: { permissions: 'yes' } });
    await expect(requireJiraAdmin({ userFetch: jiraFetchAsUser(site.url, ADMIN), store, now: () => now }, ADMIN)).rejects.toMatchObject({
      code: 'RESPONSE_MALFORMED',
    });
    now += 1;
  });
});
