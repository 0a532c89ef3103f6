/**
 * Issue 12, scope point 5: the sandbox contract for the sync scope (docs/sandbox.md), end to end through the CLI
 * process and the emulator: `configure --scope 'EXPR'` stores it, an invalid EXPR exits 2 with
 * {"error": {"code": "INPUT_INVALID", "message"}} and stores nothing, `--scope ''` clears it, and the run summary
 * counts carry `outOfScope`.
 */
import { rmSync } from 'node:fs';

import { jsonOf, runCli, tempStateDir } from './cli-harness';

jest.setTimeout(120_000);

describe('sandbox CLI: configure --scope', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('scope');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => runCli([...args, '--state-dir', dir, '--users', '60', '--seed', '4', '--json']);

  it('stores, refuses, runs with and clears the scope', async () => {
    expect((await cli('schema')).code).toBe(0);
    expect((await cli('configure')).code).toBe(0);
    const unscoped = await cli('preview');
    expect(unscoped.code).toBe(0);
    expect(jsonOf(unscoped)).toMatchObject({ status: 'succeeded', counts: { outOfScope: 0 } });

    const configured = await cli('configure', '--scope', "userType eq 'Member' and accountEnabled eq true");
    expect(configured.code).toBe(0);
    expect(jsonOf(configured)).toMatchObject({ scope: "userType eq 'Member' and accountEnabled eq true" });

    const bad = await cli('configure', '--scope', "userType eq 'Member' and departmnt eq 'Sales'", '--interval-days', '9');
    expect(bad.code).toBe(2);
    const error = jsonOf(bad)['error'] as { code: string; message: string };
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toMatch(/unknown property "departmnt" at character 26/);
    const settings = jsonOf(await cli('settings'));
    expect(JSON.stringify(settings)).toContain("userType eq 'Member' and accountEnabled eq true");
    expect(JSON.stringify(settings)).not.toContain('"intervalDays":9');

    const scoped = await cli('preview');
    expect(scoped.code).toBe(0);
    const counts = (jsonOf(scoped)['counts'] as Record<string, number>)!;
    expect(counts['outOfScope']).toBeGreaterThan(0);

    const cleared = await cli('configure', '--scope', '');
    expect(cleared.code).toBe(0);
    expect(jsonOf(cleared)).toMatchObject({ scope: '' });
    expect(jsonOf(await cli('preview'))).toMatchObject({ counts: { outOfScope: 0 } });
  });

  it('--scope belongs to configure only', async () => {
    const result = await cli('preview', '--scope', "city eq 'x'");
    expect(result.code).toBe(2);
  });
});
