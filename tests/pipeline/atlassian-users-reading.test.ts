/**
 * Issue 16, the reads before the first write: the Atlassian stage asks Jira for the next page of the user search
 * while it looks up the hidden emails of the page it has (atlassian-users-stage.ts), and the email lookups go out
 * EMAIL_BULK_CONCURRENCY at a time (jira-users-client.ts). Through the pipeline harness: the real stage and Jira client
 * over HTTP against the fake site, whose pages and hidden emails follow Jira's (fakes/jira/jira-routes.ts).
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { JiraFetch } from '../../src/clients/http';
import { atlassianAccountSchema } from '../../src/domain/atlassian-account';
import { readChunks } from '../../src/pipeline/chunked-store';
import { keys } from '../../src/pipeline/keys';
import { readStageOutput } from '../../src/pipeline/stage-outputs';
import { atlassianCheckpointSchema } from '../../src/pipeline/stages/atlassian-users-stage';
import { FakeClock, startHarness } from '../support/pipeline-harness';

const world = generateWorld({ users: 300, seed: 1617 });

/** Which Jira requests were in flight at the same time as another kind: the overlap the stage is built for. */
function overlapMeter() {
  const open = { search: 0, email: 0 };
  const seen = { searchBesideEmail: 0, searchRequests: 0 };
  const wrap =
    (inner: JiraFetch): JiraFetch =>
    async (request) => {
      const kind = request.url.includes('/users/search') ? 'search' : request.url.includes('/user/email/bulk') ? 'email' : null;
      if (kind === null) return inner(request);
      if (kind === 'search') {
        seen.searchRequests++;
        if (open.email > 0) seen.searchBesideEmail++;
      } else if (open.search > 0) seen.searchBesideEmail++;
      open[kind]++;
      try {
        return await inner(request);
      } finally {
        open[kind]--;
      }
    };
  return { seen, wrap };
}

async function storedAccounts(h: Awaited<ReturnType<typeof startHarness>>, runId: string) {
  const cp = await readStageOutput(h.deps, runId, 'atlassianUsers', atlassianCheckpointSchema);
  const accounts = await readChunks(h.store, (i) => keys.chunk(runId, 'accounts', i), cp.chunks, atlassianAccountSchema);
  return { cp, accounts };
}

/** The population as the site holds it: active 'atlassian' accounts with their email, hidden or not. */
const population = Object.fromEntries(
  world.jira.users.filter((u) => u.active && u.accountType === 'atlassian').map((u) => [u.accountId, u.email]),
);

describe('reading the Atlassian accounts (issue 16)', () => {
  it('asks for the next page of the search while the emails of this one are looked up, and stores every account once', async () => {
    const meter = overlapMeter();
    const h = await startHarness({
      world,
      seed: 1617,
      clock: new FakeClock(),
      simulation: { jira: { usersPageCap: 40, assetsRedirects: 'off' } },
      wrapJiraFetch: meter.wrap,
    });
    try {
      const { run } = await h.run('preview');
      expect(run.status).toBe('succeeded');
      const { cp, accounts } = await storedAccounts(h, run.runId);
      expect(Object.fromEntries(accounts.map((a) => [a.accountId, a.email]))).toEqual(population);
      expect(accounts).toHaveLength(Object.keys(population).length);
      // Every page but the first went out beside an email lookup of the page before it.
      expect(meter.seen.searchBesideEmail).toBeGreaterThan(0);
      // No page asked twice: the pages of the site plus the empty one that ends the search.
      const pages = h.sim.jira.requests.filter((r) => r.endpoint === 'users/search');
      expect(pages).toHaveLength(Math.ceil(world.jira.users.length / 40) + 1);
      expect(new Set(pages.map((r) => new URLSearchParams(r.query).get('startAt'))).size).toBe(pages.length);
      expect(cp.scanned).toBe(world.jira.users.length);
      h.sim.jira.expectNoUnexpected();
    } finally {
      await h.close();
    }
  });

  it('drops the page it asked ahead when the invocation yields, and the next invocation reads on from its checkpoint', async () => {
    const h = await startHarness({
      world,
      seed: 1617,
      clock: new FakeClock(),
      simulation: { jira: { usersPageCap: 40, assetsRedirects: 'off' } },
    });
    try {
      // Every invocation may ask "should I yield?" twice before the answer is yes: one page per invocation.
      const { run, stats } = await h.run('preview', { budgetCalls: 3 });
      expect(run.status).toBe('succeeded');
      const { cp, accounts } = await storedAccounts(h, run.runId);
      expect(Object.fromEntries(accounts.map((a) => [a.accountId, a.email]))).toEqual(population);
      expect(accounts).toHaveLength(Object.keys(population).length);
      expect(cp.scanned).toBe(world.jira.users.length);
      const atlassianInvocations = stats.invocationLog.filter((i) => i.stage === 'atlassianUsers').length;
      expect(atlassianInvocations).toBeGreaterThan(3);
      // At most one page asked ahead and dropped per yield.
      const pages = h.sim.jira.requests.filter((r) => r.endpoint === 'users/search').length;
      expect(pages).toBeLessThanOrEqual(Math.ceil(world.jira.users.length / 40) + 1 + atlassianInvocations);
      h.sim.jira.expectNoUnexpected();
    } finally {
      await h.close();
    }
  });
});
