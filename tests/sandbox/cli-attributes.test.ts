/**
 * Issue 12, attributes point 5: the sandbox contract for choosing attributes (docs/sandbox.md), end to end through
 * the CLI process and the emulator: `configure --attributes KEYS` stores the choice and a sync then creates and
 * fills the attributes (the Date one included, against the fake site's Date validation); an unknown or repeated key
 * exits 2 with {"error": {"code": "INPUT_INVALID", "message"}} and stores nothing; `--attributes ''` chooses none.
 */
import { rmSync } from 'node:fs';

import { jsonOf, runCli, tempStateDir } from './cli-harness';

jest.setTimeout(180_000);

describe('sandbox CLI: configure --attributes', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('attributes');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => runCli([...args, '--state-dir', dir, '--users', '60', '--seed', '7', '--json']);

  it('stores the choice, syncs it, refuses bad keys without storing, and chooses none with an empty list', async () => {
    expect((await cli('schema')).code).toBe(0);
    expect((await cli('configure')).code).toBe(0);

    const chosen = 'employeeId,hireDate,costCenter,businessPhone,extensionAttribute1,companyName';
    const configured = await cli('configure', '--attributes', chosen);
    expect(configured.code).toBe(0);
    expect(jsonOf(configured)['attributes']).toEqual(chosen.split(','));

    // The sync's schema check creates the six attributes (Hire Date as a Date attribute) and fills them: every write
    // is accepted, so none failed.
    const sync = await cli('sync');
    expect(sync.code).toBe(0);
    expect(jsonOf(sync)).toMatchObject({ status: 'succeeded', counts: { writeFailures: 0 } });
    expect((jsonOf(sync)['counts'] as Record<string, number>)['creates']).toBeGreaterThan(0);
    // Nothing changed: the resync writes nothing (dates and cut values compare equal to what Assets holds).
    expect(jsonOf(await cli('sync'))).toMatchObject({ status: 'succeeded', counts: { creates: 0, updates: 0 } });

    const unknown = await cli('configure', '--attributes', 'employeeId,costCentre', '--interval-days', '9');
    expect(unknown.code).toBe(2);
    const error = jsonOf(unknown)['error'] as { code: string; message: string };
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain('"costCentre" is not an attribute the app can sync');
    const repeated = await cli('configure', '--attributes', 'city,city');
    expect(repeated.code).toBe(2);
    expect((jsonOf(repeated)['error'] as { message: string }).message).toContain('"city" is chosen more than once');
    const settings = jsonOf(await cli('settings'))['settings'] as Record<string, unknown>;
    expect(settings['attributes']).toEqual(chosen.split(','));
    expect(settings['intervalDays']).not.toBe(9);

    const none = await cli('configure', '--attributes', '');
    expect(none.code).toBe(0);
    expect(jsonOf(none)['attributes']).toEqual([]);
  });

  it('--attributes belongs to configure only', async () => {
    expect((await cli('preview', '--attributes', 'city')).code).toBe(2);
  });
});
