/**
 * The sandbox command line end to end, as the contract in docs/sandbox.md states it: the whole admin flow on the
 * built-in world (schema, configure with invalid values first, test-connection, preview, sync, status, history),
 * bad credentials (the message says to paste the Value and never shows the secret), missing consent against a
 * tenant given by --graph-url/--login-url, and the --json / exit code rules.
 */
import { rmSync } from 'node:fs';

import { type FakeEntra, startFakeEntra } from '../../fakes/entra/fake-entra-server';
import { SIMULATED_TENANT } from '../../fakes/simulation';
import { generateWorld } from '../../fakes/world/generate-world';
import { type CliResult, jsonOf, runCli, SIMULATED_CREDENTIALS, tempStateDir } from './cli-harness';

jest.setTimeout(120_000);

const WRONG_SECRET = 'Wr0ng~Secret.Value_0123456789abcdefXYZ';

function expectNoSecret(results: readonly CliResult[], secret: string): void {
  for (const r of results) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

function oneLine(text: string): void {
  expect(text.trim().split('\n')).toHaveLength(1);
}

describe('sandbox CLI: the admin flow on the built-in world', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('admin');
  });
  const outputs: CliResult[] = [];
  const cli = async (...args: string[]) => {
    const result = await runCli([...args, '--state-dir', dir, '--users', '60', '--seed', '4']);
    outputs.push(result);
    return result;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the schema, refuses invalid settings, then runs preview and sync and shows them in status and history', async () => {
    const schema = await cli('schema', '--json');
    expect(schema.code).toBe(0);
    expect(jsonOf(schema)).toMatchObject({ created: expect.arrayContaining(['schema "Entra Directory" (key ENTRA)']), repaired: [] });

    const invalid = await cli(
      'configure',
      '--tenant-id',
      'not a tenant',
      '--client-id',
      'nope',
      '--client-secret',
      SIMULATED_TENANT.clientSecret,
      '--interval-days',
      '0',
      '--json',
    );
    expect(invalid.code).toBe(1);
    expect(jsonOf(invalid)).toMatchObject({ error: { code: 'SETTINGS_INVALID', message: expect.stringContaining('Tenant ID') } });
    oneLine(invalid.stderr);

    const configured = await cli('configure', ...SIMULATED_CREDENTIALS, '--interval-days', '3', '--json');
    expect(configured.code).toBe(0);
    expect(jsonOf(configured)).toMatchObject({ tenantId: SIMULATED_TENANT.tenantId, intervalDays: 3, secretStored: true });

    const connection = await cli('test-connection', '--json');
    expect(connection.code).toBe(0);
    expect(jsonOf(connection)).toMatchObject({ userCount: 60 });
    // docs/sandbox.md: the keys, and writeBack's four capabilities in order (the built-in registration grants none).
    expect(Object.keys(jsonOf(connection)).sort()).toEqual(['checkedAt', 'groupsPermission', 'roles', 'userCount', 'writeBack']);
    expect(jsonOf(connection)['writeBack']).toEqual([
      { capability: 'accountStatus', permission: 'User.EnableDisableAccount.All', switchedOn: false, granted: false },
      { capability: 'revokeSessions', permission: 'User.RevokeSessions.All', switchedOn: false, granted: false },
      { capability: 'updateAttributes', permission: 'User.ReadWrite.All', switchedOn: false, granted: false },
      { capability: 'groupMembership', permission: 'GroupMember.ReadWrite.All', switchedOn: false, granted: false },
    ]);

    const preview = await cli('preview', '--json');
    expect(preview.code).toBe(0);
    const previewSummary = jsonOf(preview);
    expect(previewSummary).toMatchObject({ mode: 'preview', trigger: 'manual', status: 'succeeded', runId: expect.any(String) });
    expect(Object.keys(previewSummary).sort()).toEqual(['counts', 'mode', 'runId', 'status', 'trigger']);
    const counts = previewSummary['counts'] as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(
      [
        'atlassianUsers',
        'creates',
        'groupCreates',
        'groupInactivations',
        'groupUpdates',
        'inactivations',
        'matched',
        'membershipChanges',
        'missingManagerLinks',
        'outOfScope',
        'unchanged',
        'unmatchedAtlassian',
        'updates',
        'warnings',
        'writeFailures',
      ].sort(),
    );
    expect(counts['creates']).toBeGreaterThan(40);

    const sync = await cli('sync');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/Sync run #2 \(manual\) succeeded/);
    expect(sync.stdout).toContain(`created ${counts['creates']}`);

    const status = await cli('status', '--json');
    expect(status.code).toBe(0);
    expect(jsonOf(status)).toMatchObject({
      activeRun: null,
      lastManual: { entry: { number: 2, status: 'succeeded', mode: 'sync' } },
      settings: { intervalDays: 3 },
    });

    const history = await cli('history', '--json');
    expect(history.code).toBe(0);
    const runs = jsonOf(history)['runs'] as { number: number; mode: string; status: string }[];
    expect(runs.map((r) => [r.number, r.mode, r.status])).toEqual([
      [2, 'sync', 'succeeded'],
      [1, 'preview', 'succeeded'],
    ]);
    const humanHistory = await cli('history');
    expect(humanHistory.stdout).toMatch(/#2 .* manual sync succeeded/);

    expectNoSecret(outputs, SIMULATED_TENANT.clientSecret);
  });

  it('answers usage errors with exit code 2', async () => {
    const result = await runCli(['sync', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown option "--bogus"');
  });
});

describe('sandbox CLI: demo', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('demo');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the schema, previews, syncs and resyncs with nothing to do, from a fresh state each time', async () => {
    for (let round = 0; round < 2; round++) {
      const result = await runCli(['demo', '--json', '--state-dir', dir, '--users', '40', '--seed', '8']);
      expect(result.code).toBe(0);
      const out = jsonOf(result);
      expect(out['schema']).toMatchObject({ created: expect.arrayContaining(['object type "Employee"']) });
      expect(out['preview']).toMatchObject({ mode: 'preview', status: 'succeeded' });
      expect(out['sync']).toMatchObject({ mode: 'sync', status: 'succeeded' });
      expect(out['resync']).toMatchObject({ mode: 'sync', status: 'succeeded', counts: { creates: 0, updates: 0, inactivations: 0 } });
      expect((out['sync'] as { counts: { creates: number } }).counts.creates).toBe(
        (out['preview'] as { counts: { creates: number } }).counts.creates,
      );
    }
    const human = await runCli(['demo', '--state-dir', dir, '--users', '40', '--seed', '8']);
    expect(human.stdout).toContain('Nothing to do: Assets already matches Entra ID.');
    expect(human.stdout).toMatch(/To create \(\d+\):/);
    // Not a terminal: no progress bar escapes.
    expect(human.stdout).not.toContain('\x1b[');
    expect(human.stdout).not.toContain(SIMULATED_TENANT.clientSecret);
  });
});

describe('sandbox CLI: bad credentials', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempStateDir('badcreds');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says to paste the secret Value, exits 1, and never prints the secret', async () => {
    const base = ['--state-dir', dir, '--users', '30', '--seed', '5'];
    const outputs = [
      await runCli([
        'configure',
        '--tenant-id',
        SIMULATED_TENANT.tenantId,
        '--client-id',
        SIMULATED_TENANT.clientId,
        '--client-secret',
        WRONG_SECRET,
        ...base,
      ]),
    ];
    expect(outputs[0]?.code).toBe(0);
    const test = await runCli(['test-connection', ...base]);
    outputs.push(test);
    expect(test.code).toBe(1);
    oneLine(test.stderr);
    expect(test.stderr).toMatch(/Paste the secret's Value, not its Secret ID/);
    expect(test.stderr).toContain('[ENTRA_SECRET_INVALID]');

    const schema = await runCli(['schema', ...base]);
    expect(schema.code).toBe(0);
    const sync = await runCli(['sync', '--json', ...base]);
    outputs.push(sync);
    expect(sync.code).toBe(1);
    expect(jsonOf(sync)).toMatchObject({
      mode: 'sync',
      status: 'failed',
      error: { code: 'ENTRA_SECRET_INVALID', message: expect.stringContaining('Value') },
    });
    oneLine(sync.stderr);
    expectNoSecret(outputs, WRONG_SECRET);
  });
});

describe('sandbox CLI: a tenant given by --graph-url and --login-url', () => {
  let entra: FakeEntra;
  let dir: string;
  beforeAll(async () => {
    dir = tempStateDir('consent');
    const world = generateWorld({ users: 25, seed: 6 });
    // Small pages, so the sync must follow @odata.nextLink (written with the fake's own origin).
    entra = await startFakeEntra({
      tenant: { ...SIMULATED_TENANT, consentGranted: false },
      users: world.entra.users,
      orgContacts: world.entra.orgContacts,
      behaviour: { expandPageCap: 10, deltaPageSize: 10 },
    });
  });
  afterAll(async () => {
    await entra.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports missing User.Read.All consent with what to do, then works once consent is granted', async () => {
    const base = ['--state-dir', dir, '--graph-url', entra.url, '--login-url', entra.url, '--users', '25', '--seed', '6'];
    const configure = await runCli(['configure', ...SIMULATED_CREDENTIALS, ...base]);
    expect(configure.code).toBe(0);
    const denied = await runCli(['test-connection', '--json', ...base]);
    expect(denied.code).toBe(1);
    expect(jsonOf(denied)).toMatchObject({ error: { code: 'GRAPH_CONSENT_MISSING', message: expect.stringContaining('User.Read.All') } });

    entra.setConsent(true);
    const allowed = await runCli(['test-connection', '--json', ...base]);
    expect(jsonOf(allowed)).toMatchObject({ userCount: 25 });
    // The fake writes its own 127.0.0.1 origin into links; the sandbox rewrote them to graph.microsoft.com, so a
    // paged sync works: the app follows only links on its Graph host.
    await runCli(['schema', ...base]);
    const sync = await runCli(['sync', '--json', ...base]);
    expect(jsonOf(sync)).toMatchObject({ status: 'succeeded' });
    expect(entra.requests.filter((r) => r.query['$skiptoken'] !== undefined).length).toBeGreaterThan(0);
    entra.expectNoUnexpected();
  });
});
