/**
 * `sandbox -- diagnostics [--json]` (docs/sandbox.md): the Setup tab's Diagnostics from the command line. With --json
 * stdout is exactly the resolver's data `{checkedAt, checks, summary, report}`; without it, the report. Exit 0 when
 * no check failed (unknown is not a failure), 1 when one failed or the app refused, 2 for a usage error.
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { jsonOf, runCli, tempStateDir } from './cli-harness';

jest.setTimeout(120_000);

const NOT_AN_ADMIN = '712020:9f8e7d6c-5b4a-4321-8fed-c0c0c0c0c0c0';

describe('sandbox CLI: diagnostics', () => {
  const state = tempStateDir('cli-diagnostics');
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const common = ['--state-dir', state, '--users', '30'];

  it('prints the report (exit 0 with checks unknown), the JSON shape with --json, and exit 1 for a non-admin', async () => {
    expect((await runCli(['configure', ...common])).code).toBe(0);

    const text = await runCli(['diagnostics', ...common]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Entra ID Sync diagnostics, \d{4}-\d{2}-\d{2}T/);
    expect(text.stdout).toContain('PASS    assets-reachable');
    expect(text.stdout).toContain('UNKNOWN assets-schema');

    const json = await runCli(['diagnostics', ...common, '--json']);
    expect(json.code).toBe(0);
    const data = jsonOf(json);
    expect(Object.keys(data).sort()).toEqual(['checkedAt', 'checks', 'report', 'summary']);
    const checks = data['checks'] as {
      id: string;
      title: string;
      status: string;
      detail: string;
      action: string | null;
      code: string | null;
    }[];
    expect(checks.map((c) => c.id)).toEqual([
      'assets-reachable',
      'assets-schema',
      'assets-date-format',
      'admin-check',
      'email-api',
      'graph-permissions',
      'graph-groups-permission',
      'graph-hire-date-readable',
      'graph-delta-optional-properties',
      'graph-page-size',
      'assets-page-size',
      'assets-write-rate',
      'clock-skew',
      'graph-write-back-permissions',
      'assets-updated-query',
    ]);
    for (const check of checks) expect(Object.keys(check).sort()).toEqual(['action', 'code', 'detail', 'id', 'status', 'title']);

    const refused = await runCli(['diagnostics', ...common, '--json', '--as', NOT_AN_ADMIN]);
    expect(refused.code).toBe(1);
    expect(JSON.stringify(jsonOf(refused))).toContain('PERMISSION_DENIED');
  });

  it('exits 1 when a check fails (a wrong client secret)', async () => {
    const other = tempStateDir('cli-diagnostics-fail');
    try {
      const configure = [
        'configure',
        '--state-dir',
        other,
        '--users',
        '30',
        '--tenant-id',
        SIMULATED_TENANT.tenantId,
        '--client-id',
        SIMULATED_TENANT.clientId,
      ];
      expect((await runCli([...configure, '--client-secret', 'Zx9~kP2.vN5rT7wY9zA1bC3dE5fG7hJ9kL1mN3pQ'])).code).toBe(0);
      const result = await runCli(['diagnostics', '--state-dir', other, '--users', '30', '--json']);
      expect(result.code).toBe(1);
      const checks = jsonOf(result)['checks'] as { id: string; status: string; code: string | null }[];
      expect(checks.find((c) => c.id === 'graph-permissions')).toMatchObject({ status: 'fail', code: 'ENTRA_SECRET_INVALID' });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
