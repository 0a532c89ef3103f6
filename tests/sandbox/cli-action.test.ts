/**
 * Issue 15, the sandbox's `action KEY --input 'JSON' [--as ACCOUNT_ID] [--json]` (docs/sandbox.md): the action's
 * function invoked with the payload Forge sends, through the emulator, on the CLI's state directory. Exit 0 when the
 * action answered ok, 1 when it answered an error (Automation's {errors}, Rovo's {ok: false}), 2 for usage (no KEY, a
 * KEY no provider or agent offers, --input that is not a JSON object); with --json the function's answer as is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { changeWorld, jsonOf, runCli, SIMULATED_CREDENTIALS, stateDirsRemovedAfterAll } from './cli-harness';

jest.setTimeout(240_000);

const stateDir = stateDirsRemovedAfterAll();

describe('sandbox CLI: action', () => {
  it.each([
    [['action'], "action needs the action's key"],
    [['action', 'look-up-employee'], 'action needs --input'],
    [['action', 'look-up-employee', '--input', '{bad'], '--input must be a JSON object'],
    [['action', 'look-up-employee', '--input', '[1]'], '--input must be a JSON object'],
    [['action', 'look-up-employee', '--input', '{}', '--rovo-as-user', 'maybe'], '--rovo-as-user must be refused or allowed'],
    [['action', 'a/b', '--input', '{}'], 'KEY must be an action module key'],
    [['status', '--input', '{}'], '--input is an option of action only.'],
  ])('%j is a usage error: exit 2, nothing created', async (args, message) => {
    const dir = join(stateDir('action-usage'), 'state');
    const result = await runCli([...args, '--state-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(dir)).toBe(false);
  });

  it('runs Automation and Rovo actions on the sandbox state: exit 0 ok, 1 error answered, 2 unknown KEY; --json is the answer as is', async () => {
    const dir = stateDir('action-cli');
    const cli = (...args: string[]) => runCli([...args, '--state-dir', dir, '--users', '40', '--seed', '12']);
    expect((await cli('configure', ...SIMULATED_CREDENTIALS)).code).toBe(0);
    expect((await cli('schema')).code).toBe(0);

    const unknown = await cli('action', 'no-such-action', '--input', '{}', '--json');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown action "no-such-action"');
    expect(unknown.stderr).toContain('sync-user-now');

    let accountId = '';
    await changeWorld(dir, (em) => {
      const world = em.simulation!.world;
      accountId = world.jira.users.find(
        (a) =>
          a.accountType === 'atlassian' &&
          a.active &&
          a.email !== null &&
          !a.emailHidden &&
          world.entra.users.filter((u) => u.accountEnabled && u.mail?.toLowerCase() === a.email!.toLowerCase()).length === 1,
      )!.accountId;
    });

    const refused = await cli('action', 'look-up-employee', '--input', '{}', '--json');
    expect(refused.code).toBe(1);
    expect(jsonOf(refused)).toEqual({ errors: [{ message: expect.stringContaining('[INPUT_INVALID]') }] });
    expect(refused.stderr).toContain('The action answered an error: ');

    const synced = await cli('action', 'sync-user-now', '--input', JSON.stringify({ accountId }), '--json');
    expect(synced.code).toBe(0);
    expect(jsonOf(synced)).toMatchObject({ written: true, outcome: 'created', objectKey: expect.any(String) });
    const objectKey = jsonOf(synced)['objectKey'];

    const found = await cli('action', 'look-up-employee', '--input', JSON.stringify({ accountId }));
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('look-up-employee (Jira Automation) answered:');
    expect(found.stdout).toContain(`"objectKey": "${String(objectKey)}"`);

    // Rovo: the default reading refuses asUser (R2), so the assistant answers an error; allowed, it answers.
    const rovoRefused = await cli('action', 'directory-person', '--input', JSON.stringify({ person: accountId }), '--json');
    expect(rovoRefused.code).toBe(1);
    expect(jsonOf(rovoRefused)).toMatchObject({ ok: false, error: { code: 'ACTION_USER_UNAVAILABLE' } });
    const rovo = await cli(
      'action',
      'directory-person',
      '--input',
      JSON.stringify({ person: accountId }),
      '--rovo-as-user',
      'allowed',
      '--json',
    );
    expect(rovo.code).toBe(0);
    expect(jsonOf(rovo)).toMatchObject({ ok: true, data: { found: true } });

    // --as with the actor reading: History names the rule actor as who started the single-user run.
    const actor = '557058:0000aaaa-1111-4222-8333-444455556666';
    const again = await cli(
      'action',
      'sync-user-now',
      '--input',
      JSON.stringify({ accountId }),
      '--as',
      actor,
      '--automation-principal',
      'actor',
      '--json',
    );
    expect(again.code).toBe(0);
    expect(jsonOf(again)).toMatchObject({ written: false, outcome: 'unchanged' });
    const history = await cli('history', '--json');
    expect(history.code).toBe(0);
    const text = history.stdout;
    expect(text).toContain(`"startedBy": "${actor}"`);
    expect(text).toContain('"startedBy": "automation"');

    // `run RUN_ID` reads a single-user run (mode "single-user") as it reads any other.
    const runs = (jsonOf(history)['runs'] as { runId: string; mode: string }[]).filter((r) => r.mode === 'single-user');
    const details = await cli('run', runs[0]!.runId, '--json');
    expect(details.code).toBe(0);
    expect(jsonOf(details)).toMatchObject({ run: { mode: 'single-user', runId: runs[0]!.runId } });
  });
});
