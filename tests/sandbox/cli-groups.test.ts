/**
 * Issue 13, the sandbox contract for group sync (docs/sandbox.md), end to end through the CLI process and the
 * emulator against the built-in tenant: `configure --groups ... --group-membership ...` stores the selection, a bad
 * one exits 2 with {"error": {"code": "INPUT_INVALID", "message"}} and stores nothing (an unknown group id too: the
 * app looks it up in Graph), a sync creates Entra Group objects and sets Employees' Groups (summary counts
 * groupCreates and membershipChanges), a resync writes nothing, and turning group sync off leaves it all alone.
 */
import { rmSync } from 'node:fs';

import { jsonOf, runCli, tempStateDir } from './cli-harness';

jest.setTimeout(180_000);

const UNKNOWN_GROUP = '7d2f9a40-1111-4222-8333-944455556666';

describe('sandbox CLI: configure --groups', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('groups');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => runCli([...args, '--state-dir', dir, '--users', '60', '--seed', '4', '--json']);
  const counts = (result: Awaited<ReturnType<typeof cli>>) => jsonOf(result)['counts'] as Record<string, number>;

  it('stores, refuses, syncs groups and memberships, resyncs with no writes, and turns off', async () => {
    expect((await cli('configure')).code).toBe(0);
    expect(jsonOf(await cli('settings'))).toMatchObject({ settings: { groups: 'off', groupMembership: 'direct' } });

    for (const bad of ['some', 'ids:not-a-guid', 'prefix:', `ids:${UNKNOWN_GROUP}`]) {
      const refused = await cli('configure', '--groups', bad, '--interval-days', '9');
      expect(refused.code).toBe(2);
      expect(jsonOf(refused)['error']).toMatchObject({ code: 'INPUT_INVALID' });
    }
    const badMembership = await cli('configure', '--group-membership', 'nested');
    expect(badMembership.code).toBe(2);
    const settings = jsonOf(await cli('settings'));
    expect(settings).toMatchObject({ settings: { groups: 'off', groupMembership: 'direct' } });
    expect(JSON.stringify(settings)).not.toContain('"intervalDays":9');

    const configured = await cli('configure', '--groups', 'all', '--group-membership', 'transitive');
    expect(configured.code).toBe(0);
    expect(jsonOf(configured)).toMatchObject({ groups: 'all', groupMembership: 'transitive' });

    expect((await cli('schema')).code).toBe(0);
    const sync = await cli('sync');
    expect(sync.code).toBe(0);
    expect(jsonOf(sync)).toMatchObject({ status: 'succeeded' });
    expect(counts(sync)['groupCreates']).toBeGreaterThan(0);
    expect(counts(sync)['membershipChanges']).toBeGreaterThan(0);

    // Nothing changed in Entra ID or Assets: the resync writes nothing.
    const resync = await cli('sync');
    expect(counts(resync)).toMatchObject({
      creates: 0,
      updates: 0,
      inactivations: 0,
      groupCreates: 0,
      groupUpdates: 0,
      groupInactivations: 0,
      membershipChanges: 0,
    });

    // Off: group objects and Groups values stay as they are (no group inactivations, no Employee updates).
    expect(jsonOf(await cli('configure', '--groups', 'off'))).toMatchObject({ groups: 'off' });
    const afterOff = await cli('sync');
    expect(counts(afterOff)).toMatchObject({ updates: 0, groupInactivations: 0, membershipChanges: 0 });
  });

  it('checks the groups of a scope membership rule when the scope is saved', async () => {
    expect((await cli('configure')).code).toBe(0);
    const unknown = await cli('configure', '--scope', `memberOf('${UNKNOWN_GROUP}')`);
    expect(unknown.code).toBe(2);
    expect(jsonOf(unknown)['error']).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining(UNKNOWN_GROUP) });
    expect(jsonOf(await cli('settings'))).toMatchObject({ settings: { scope: '' } });
    const bad = await cli('configure', '--scope', "memberOf('not-a-guid')");
    expect(bad.code).toBe(2);
  });

  it('--groups belongs to configure only', async () => {
    expect((await cli('preview', '--groups', 'all')).code).toBe(2);
    expect((await cli('preview', '--group-membership', 'direct')).code).toBe(2);
  });
});
