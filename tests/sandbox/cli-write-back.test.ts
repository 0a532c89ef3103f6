/**
 * Issue 17, the sandbox contract for write-back (docs/sandbox.md "Write-back"), through the CLI process: `configure
 * --write-back CAP,CAP` switches capabilities on and keeps the other write-back settings as stored, `--write-back ''`
 * switches all off, an unknown capability or attribute exits 2 naming the allowed ones and stores nothing, a
 * capability whose list is missing is the backend's refusal (SETTINGS_INVALID, exit 1, nothing stored), and the
 * write-back options belong to configure only.
 */
import { rmSync } from 'node:fs';

import { jsonOf, runCli, tempStateDir } from './cli-harness';

jest.setTimeout(180_000);

const GROUP = '0f1e2d3c-4b5a-4968-8776-655443322110';
const ADMIN = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('sandbox CLI: configure --write-back', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('write-back');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => runCli([...args, '--state-dir', dir, '--users', '20', '--seed', '3', '--json']);
  const stored = async () => (jsonOf(await cli('settings'))['settings'] as Record<string, unknown>)['writeBack'];

  it('switches capabilities on and off, keeps the other write-back settings, refuses unknown names and missing lists', async () => {
    const first = await cli('configure');
    expect(first.code).toBe(0);
    expect(jsonOf(first)['writeBack']).toEqual({
      capabilities: [],
      attributes: [],
      groupIds: [],
      allowGuests: false,
      exceptions: [],
      ratePerMinute: 10,
    });

    const on = await cli(
      'configure',
      '--write-back',
      'accountStatus, revokeSessions',
      '--write-back-guests',
      'on',
      '--write-back-exceptions',
      ADMIN,
      '--write-back-rate',
      '5',
    );
    expect(on.code).toBe(0);
    expect(jsonOf(on)['writeBack']).toEqual({
      capabilities: ['accountStatus', 'revokeSessions'],
      attributes: [],
      groupIds: [],
      allowGuests: true,
      exceptions: [ADMIN],
      ratePerMinute: 5,
    });

    // Unknown capability or attribute: exit 2, the message names the allowed ones, nothing stored.
    const unknown = await cli('configure', '--write-back', 'accountStatus,resetPassword', '--interval-days', '7');
    expect(unknown.code).toBe(2);
    const unknownError = jsonOf(unknown)['error'] as { code: string; message: string };
    expect(unknownError.code).toBe('INPUT_INVALID');
    expect(unknownError.message).toContain('resetPassword');
    expect(unknownError.message).toContain('accountStatus, revokeSessions, updateAttributes, groupMembership');
    const badAttribute = await cli('configure', '--write-back-attributes', 'jobTitle,password');
    expect(badAttribute.code).toBe(2);
    expect((jsonOf(badAttribute)['error'] as { message: string }).message).toContain('password');

    // A capability that needs a list, without it: the backend's refusal, exit 1, nothing stored.
    const noAttributes = await cli('configure', '--write-back', 'accountStatus,updateAttributes');
    expect(noAttributes.code).toBe(1);
    expect(jsonOf(noAttributes)['error']).toMatchObject({
      code: 'SETTINGS_INVALID',
      message: expect.stringContaining('choose the attributes "Update Entra user" may write'),
    });
    const noGroups = await cli('configure', '--write-back', 'groupMembership');
    expect(noGroups.code).toBe(1);
    expect((jsonOf(noGroups)['error'] as { message: string }).message).toContain('list the groups the group actions may change');
    const badRate = await cli('configure', '--write-back-rate', '31');
    expect(badRate.code).toBe(1);
    expect(jsonOf(badRate)['error']).toMatchObject({ code: 'SETTINGS_INVALID' });
    const settings = jsonOf(await cli('settings'))['settings'] as Record<string, unknown>;
    expect(settings['intervalDays']).toBe(1);
    expect(settings['writeBack']).toMatchObject({ capabilities: ['accountStatus', 'revokeSessions'], ratePerMinute: 5 });

    // With their lists: stored; the options not given keep the stored values.
    const lists = await cli(
      'configure',
      '--write-back',
      'updateAttributes,groupMembership',
      '--write-back-attributes',
      'jobTitle,department,manager',
      '--write-back-groups',
      GROUP,
    );
    expect(lists.code).toBe(0);
    expect(await stored()).toEqual({
      capabilities: ['updateAttributes', 'groupMembership'],
      attributes: ['jobTitle', 'department', 'manager'],
      groupIds: [GROUP],
      allowGuests: true,
      exceptions: [ADMIN],
      ratePerMinute: 5,
    });

    // A configure without write-back options leaves them alone; --write-back '' switches every capability off.
    expect((await cli('configure', '--interval-days', '2')).code).toBe(0);
    expect(await stored()).toMatchObject({ capabilities: ['updateAttributes', 'groupMembership'] });
    const off = await cli('configure', '--write-back', '');
    expect(off.code).toBe(0);
    expect(await stored()).toEqual({
      capabilities: [],
      attributes: ['jobTitle', 'department', 'manager'],
      groupIds: [GROUP],
      allowGuests: true,
      exceptions: [ADMIN],
      ratePerMinute: 5,
    });

    const text = await runCli(['configure', '--write-back', 'revokeSessions', '--state-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Write-back actions: revokeSessions; guests allowed; 1 exception(s); at most 5 a minute.');
  });

  it('refuses the write-back options on another command and a bad --write-back-guests (usage errors)', async () => {
    const elsewhere = await cli('status', '--write-back', 'accountStatus');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('--write-back is an option of configure only.');
    const guests = await cli('configure', '--write-back-guests', 'yes');
    expect(guests.code).toBe(2);
    expect(guests.stderr).toContain('--write-back-guests must be on or off');
  });
});
