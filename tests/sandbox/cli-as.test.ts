/**
 * The sandbox's caller contract (docs/sandbox.md): `--as ACCOUNT_ID` on any command sets the calling Atlassian
 * account (default: the built-in site's admin); a non-admin gets PERMISSION_DENIED from every resolver (exit 1).
 * Calls forwarded to --jira-url carry the caller (`Authorization: Bearer forge-user:<accountId>` for asUser()), so
 * a site applying Jira's permission model (here the fake site, default model) answers for that account.
 */
import { rmSync } from 'node:fs';

import { type FakeJiraSite, startFakeJiraSite } from '../../fakes/jira/fake-jira-site';
import { SANDBOX_ADMIN_ACCOUNT_ID } from '../../sandbox/emulator';
import { jsonOf, runCli, tempStateDir } from './cli-harness';

jest.setTimeout(120_000);

const NOT_AN_ADMIN = '712020:9f8e7d6c-5b4a-4321-8fed-c0c0c0c0c0c0';
const EXTERNAL_ADMIN = '712020:11111111-2222-4333-8444-000000000abc';

describe('sandbox CLI: --as ACCOUNT_ID', () => {
  const dirs: string[] = [];
  const dir = (label: string) => {
    const d = tempStateDir(label);
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('calls as the built-in admin by default, and as the given account with --as (a non-admin is refused, exit 1)', async () => {
    const state = dir('as');
    const common = ['--state-dir', state, '--users', '10', '--json'];
    const asAdmin = await runCli(['status', ...common]);
    expect(asAdmin.code).toBe(0);
    const explicit = await runCli(['status', ...common, '--as', SANDBOX_ADMIN_ACCOUNT_ID]);
    expect(explicit.code).toBe(0);
    for (const command of ['status', 'history', 'schema', 'preview']) {
      const refused = await runCli([command, ...common, '--as', NOT_AN_ADMIN]);
      expect({ command, code: refused.code }).toEqual({ command, code: 1 });
      expect(JSON.stringify(jsonOf(refused))).toContain('PERMISSION_DENIED');
    }
  });

  it('refuses an --as value that is not an account ID as a usage error (exit 2)', async () => {
    const result = await runCli(['status', '--state-dir', dir('as-bad'), '--as', 'someone@example.com']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--as must be an Atlassian account ID');
  });

  describe('with --jira-url', () => {
    let site: FakeJiraSite;
    beforeAll(async () => {
      site = await startFakeJiraSite({ administrators: [EXTERNAL_ADMIN] });
    });
    afterAll(async () => {
      await site.close();
    });

    it("forwards the caller, so the site's own permission model decides", async () => {
      const state = dir('as-external');
      const common = ['--state-dir', state, '--users', '10', '--jira-url', site.url, '--json'];
      expect((await runCli(['status', ...common, '--as', EXTERNAL_ADMIN])).code).toBe(0);
      const refused = await runCli(['status', ...common]);
      expect(refused.code).toBe(1);
      expect(jsonOf(refused)).toMatchObject({ error: { code: 'PERMISSION_DENIED' } });
      const asked = site.requests.filter((r) => r.path === '/rest/api/3/mypermissions');
      expect(asked.map((r) => r.status)).toEqual([200, 200]);
      site.expectNoUnexpected();
    });
  });
});
