import { AppError } from '../../src/domain/errors';
import { type DiagnosticsProbes, runDiagnostics } from '../../src/services/diagnostics';

const NOW = Date.parse('2026-12-01T10:00:00Z');

function probes(overrides: Partial<DiagnosticsProbes> = {}): DiagnosticsProbes {
  return {
    inspectSchema: async () => ({ workspaceFound: true, schemaExists: true, diff: { kind: 'ok' } }),
    adminCheck: async () => ({ admin: true }),
    emailApi: async () => ({ enabled: true }),
    graphRoles: async () => ({ roles: ['User.Read.All'] }),
    jiraClock: async () => ({ serverMs: NOW + 1_000, localMs: NOW }),
    graphClock: async () => ({ serverMs: NOW - 2_000, localMs: NOW }),
    observations: async () => ({
      graphPageSize: { endpoint: 'users/delta', requested: 999, served: 200, at: '2026-11-30T10:00:00.000Z' },
      assetsAqlPageSize: { requested: 500, served: 500, at: '2026-11-30T10:00:00.000Z' },
      assetsWriteRate: { perMinute: 940.4, throttled: 3, writes: 1200, at: '2026-11-30T10:00:00.000Z' },
      assetsUpdatedQuery: { refused: false, at: '2026-11-30T10:00:00.000Z' },
    }),
    recordClockSkew: async () => undefined,
    chosenAttributes: async () => ({ deltaUntracked: 0, hireDate: false }),
    assetsHireDate: async () => ({ schemaReady: true, read: 1, value: '2021-03-01' }),
    graphHireDates: async () => ({ users: 10, withValue: 4 }),
    now: () => NOW,
    ...overrides,
  };
}

const statusOf = (result: Awaited<ReturnType<typeof runDiagnostics>>, id: string) => result.checks.find((c) => c.id === id)?.status;

describe('Diagnostics', () => {
  it('passes every check on a healthy site and lists them in a fixed order', async () => {
    const result = await runDiagnostics(probes());
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['assets-reachable', 'pass'],
      ['assets-schema', 'pass'],
      ['assets-date-format', 'pass'],
      ['admin-check', 'pass'],
      ['email-api', 'pass'],
      ['graph-permissions', 'pass'],
      ['graph-groups-permission', 'pass'],
      ['graph-hire-date-readable', 'pass'],
      ['graph-delta-optional-properties', 'pass'],
      ['graph-page-size', 'pass'],
      ['assets-page-size', 'pass'],
      ['assets-write-rate', 'pass'],
      ['clock-skew', 'pass'],
      ['graph-write-back-permissions', 'pass'],
      ['assets-updated-query', 'pass'],
    ]);
    expect(result.summary).toEqual({ pass: 15, fail: 0, unknown: 0 });
    expect(result.report).toContain('15 passed, 0 failed, 0 unknown');
    expect(result.report).toContain('served pages of up to 200 users (asked for 999)');
    const delta = await runDiagnostics(
      probes({
        observations: async () => ({
          graphPageSize: { endpoint: 'users/delta', requested: 0, served: 200, at: '2026-11-30T10:00:00.000Z' },
        }),
      }),
    );
    expect(delta.report).toContain('up to 200 users (Graph chooses the size of delta pages)');
    expect(result.report).toContain('settled at 940 write requests a minute (a redirect it followed counts as one more) after 3 throttled');
    expect(result.report).toContain('Jira +1 s, Microsoft -2 s');
  });

  it('names the missing Graph application permission from the token roles', async () => {
    const result = await runDiagnostics(probes({ graphRoles: async () => ({ roles: ['Group.Read.All'] }) }));
    const check = result.checks.find((c) => c.id === 'graph-permissions')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('only Group.Read.All');
    expect(check.detail).toContain('User.Read.All');
    expect(check.action).toContain('Grant admin consent');
    const none = await runDiagnostics(probes({ graphRoles: async () => ({ roles: [] }) }));
    expect(none.checks.find((c) => c.id === 'graph-permissions')!.detail).toContain('no application permissions');
  });

  it('accepts Directory.Read.All as enough to read users', async () => {
    const result = await runDiagnostics(probes({ graphRoles: async () => ({ roles: ['Directory.Read.All'] }) }));
    expect(statusOf(result, 'graph-permissions')).toBe('pass');
  });

  it('fails Assets with the client message and leaves the schema check unknown when Assets does not answer', async () => {
    const refused = new AppError('ASSETS_UNAUTHORIZED', 'Assets refused listing the object schemas (HTTP 401).');
    const result = await runDiagnostics(probes({ inspectSchema: async () => Promise.reject(refused) }));
    const reach = result.checks.find((c) => c.id === 'assets-reachable')!;
    expect(reach).toMatchObject({ status: 'fail', code: 'ASSETS_UNAUTHORIZED', detail: refused.message });
    expect(statusOf(result, 'assets-schema')).toBe('unknown');
    expect(result.report).toContain('FAIL    assets-reachable [ASSETS_UNAUTHORIZED]');
  });

  it('says what Create Schema or Repair Schema would do', async () => {
    const missing = await runDiagnostics(
      probes({ inspectSchema: async () => ({ workspaceFound: true, schemaExists: false, diff: { kind: 'changes', actions: [] } }) }),
    );
    expect(missing.checks.find((c) => c.id === 'assets-schema')).toMatchObject({
      status: 'unknown',
      action: 'Use Create Schema on the Setup tab.',
    });
    const conflict = await runDiagnostics(
      probes({
        inspectSchema: async () => ({
          workspaceFound: true,
          schemaExists: true,
          diff: { kind: 'conflict', schemaName: 'HR', message: 'The key ENTRA belongs to HR.' },
        }),
      }),
    );
    expect(conflict.checks.find((c) => c.id === 'assets-schema')).toMatchObject({ status: 'fail', code: 'ASSETS_SCHEMA_CONFLICT' });
  });

  it('is unknown, with what to run, for figures no run has measured yet', async () => {
    const result = await runDiagnostics(probes({ observations: async () => ({}) }));
    for (const id of ['graph-page-size', 'assets-page-size', 'assets-write-rate']) {
      const check = result.checks.find((c) => c.id === id)!;
      expect(check.status).toBe('unknown');
      expect(check.action).toMatch(/(Run a|a) (Preview or a )?Sync/);
    }
  });

  it('fails the clock check past five minutes of skew and is unknown without Date headers', async () => {
    const skewed = await runDiagnostics(probes({ jiraClock: async () => ({ serverMs: NOW + 6 * 60_000, localMs: NOW }) }));
    expect(statusOf(skewed, 'clock-skew')).toBe('fail');
    const blind = await runDiagnostics(probes({ jiraClock: async () => ({ serverMs: null, localMs: NOW }), graphClock: async () => null }));
    expect(statusOf(blind, 'clock-skew')).toBe('unknown');
  });

  it('reports a refused admin check or email API as a failure with its code, never as a crash', async () => {
    const result = await runDiagnostics(
      probes({
        adminCheck: async () => Promise.reject(new AppError('JIRA_THROTTLED', 'Jira is busy; try again in a minute.')),
        emailApi: async () => ({ enabled: false, message: 'The Jira email API is not enabled for this app (HTTP 503).' }),
        graphRoles: async () => null,
      }),
    );
    expect(result.checks.find((c) => c.id === 'admin-check')).toMatchObject({ status: 'fail', code: 'JIRA_THROTTLED' });
    expect(result.checks.find((c) => c.id === 'email-api')).toMatchObject({ status: 'fail' });
    expect(statusOf(result, 'graph-permissions')).toBe('unknown');
  });
});

describe('Diagnostics: the groups permission (issue 13)', () => {
  const groupsCheck = (result: Awaited<ReturnType<typeof runDiagnostics>>) =>
    result.checks.find((c) => c.id === 'graph-groups-permission')!;

  it.each(['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'])('%s granted: pass, naming it', async (role) => {
    const check = groupsCheck(
      await runDiagnostics(probes({ graphRoles: async () => ({ roles: ['User.Read.All', role], groupSync: true }) })),
    );
    expect(check).toMatchObject({ status: 'pass', action: null });
    expect(check.detail).toContain(role);
  });

  it('not granted while group sync is off: not a failure, but says what group sync will need', async () => {
    const result = await runDiagnostics(probes({ graphRoles: async () => ({ roles: ['User.Read.All'], groupSync: false }) }));
    expect(groupsCheck(result)).toMatchObject({ status: 'pass', code: null });
    expect(groupsCheck(result).action).toContain('GroupMember.Read.All');
    expect(result.summary.fail).toBe(0);
  });

  it('not granted while group sync is on: a failure with what to do', async () => {
    const check = groupsCheck(await runDiagnostics(probes({ graphRoles: async () => ({ roles: ['User.Read.All'], groupSync: true }) })));
    expect(check).toMatchObject({ status: 'fail', code: 'GRAPH_GROUPS_FORBIDDEN' });
    expect(check.action).toContain('GroupMember.Read.All, then Grant admin consent');
  });
});

describe('Diagnostics: Hire Date, the Date form Assets returns, and delta on optional attributes (issue 12)', () => {
  const check = (result: Awaited<ReturnType<typeof runDiagnostics>>, id: string) => result.checks.find((c) => c.id === id)!;
  const hireDate = (overrides: Partial<DiagnosticsProbes> = {}) =>
    probes({ chosenAttributes: async () => ({ deltaUntracked: 1, hireDate: true }), ...overrides });
  const DRIFT_AT = '2026-11-30T10:00:00.000Z';

  it('do not apply (pass) when nothing they look at is chosen, and are unknown before the settings are saved', async () => {
    const result = await runDiagnostics(probes());
    expect(check(result, 'assets-date-format').detail).toContain('Hire Date is not chosen');
    expect(check(result, 'graph-hire-date-readable').detail).toContain('Hire Date is not chosen');
    expect(check(result, 'graph-delta-optional-properties').detail).toContain('does not apply');
    const unsaved = await runDiagnostics(probes({ chosenAttributes: async () => null }));
    expect(statusOf(unsaved, 'graph-hire-date-readable')).toBe('unknown');
    expect(statusOf(unsaved, 'graph-delta-optional-properties')).toBe('unknown');
    expect(statusOf(unsaved, 'assets-date-format')).toBe('pass');
  });

  it('assets-date-format: ISO date or UTC date-time passes; another form fails without showing the value; no object or no attribute is unknown', async () => {
    expect(check(await runDiagnostics(hireDate()), 'assets-date-format')).toMatchObject({ status: 'pass', action: null });
    const dateTime = await runDiagnostics(
      hireDate({ assetsHireDate: async () => ({ schemaReady: true, read: 1, value: '2021-03-01T00:00:00Z' }) }),
    );
    expect(statusOf(dateTime, 'assets-date-format')).toBe('pass');
    const display = await runDiagnostics(hireDate({ assetsHireDate: async () => ({ schemaReady: true, read: 3, value: '01/Mar/21' }) }));
    const failed = check(display, 'assets-date-format');
    expect(failed.status).toBe('fail');
    expect(failed.detail).toContain('in the form 99/AAA/99');
    expect(failed.detail).toContain('every sync would write Hire Date');
    expect(failed.action).toContain('Turn Hire Date off');
    expect(display.report).not.toContain('01/Mar/21');
    const empty = await runDiagnostics(hireDate({ assetsHireDate: async () => ({ schemaReady: true, read: 300, value: null }) }));
    expect(check(empty, 'assets-date-format')).toMatchObject({ status: 'unknown' });
    expect(check(empty, 'assets-date-format').detail).toContain('None of the 300 Employee object(s)');
    const noSchema = await runDiagnostics(hireDate({ assetsHireDate: async () => ({ schemaReady: false }) }));
    expect(check(noSchema, 'assets-date-format').action).toContain('Create Schema');
    const refused = new AppError('ASSETS_UNAUTHORIZED', 'Assets refused reading Employee objects (HTTP 401).');
    const error = await runDiagnostics(hireDate({ assetsHireDate: async () => Promise.reject(refused) }));
    expect(check(error, 'assets-date-format')).toMatchObject({ status: 'fail', code: 'ASSETS_UNAUTHORIZED' });
  });

  it('graph-hire-date-readable: values pass, all null is unknown with both reasons, 403 fails naming User.Read.All', async () => {
    expect(check(await runDiagnostics(hireDate()), 'graph-hire-date-readable').detail).toContain('4 of the 10 user(s) read');
    const none = check(
      await runDiagnostics(hireDate({ graphHireDates: async () => ({ users: 10, withValue: 0 }) })),
      'graph-hire-date-readable',
    );
    expect(none.status).toBe('unknown');
    expect(none.detail).toContain('may answer null when the app may not read it, or when HR never set it');
    const forbidden = new AppError('GRAPH_CONSENT_MISSING', 'The app registration may not read users.');
    const denied = check(
      await runDiagnostics(hireDate({ graphHireDates: async () => Promise.reject(forbidden) })),
      'graph-hire-date-readable',
    );
    expect(denied).toMatchObject({ status: 'fail', code: 'GRAPH_CONSENT_MISSING' });
    expect(denied.detail).toContain('User.Read.All');
    expect(denied.action).toContain('User.Read.All, then Grant admin consent');
  });

  it('graph-delta-optional-properties: unknown until observed, pass without drift, unknown explaining the weekly full read with drift', async () => {
    const notYet = check(await runDiagnostics(hireDate()), 'graph-delta-optional-properties');
    expect(notYet).toMatchObject({ status: 'unknown' });
    expect(notYet.detail).toContain('Not observed yet');
    const observed = (differed: number) =>
      hireDate({ observations: async () => ({ optionalPropertyDrift: { compared: 60, differed, attributes: 2, at: DRIFT_AT } }) });
    const clean = check(await runDiagnostics(observed(0)), 'graph-delta-optional-properties');
    expect(clean).toMatchObject({ status: 'pass', action: null });
    expect(clean.detail).toContain('the 60 user(s) compared held the same values');
    const drift = check(await runDiagnostics(observed(7)), 'graph-delta-optional-properties');
    expect(drift.status).toBe('unknown');
    expect(drift.detail).toContain('7 of 60 user(s) held other values');
    expect(drift.detail).toContain('reach Assets at the weekly full read');
    expect(drift.action).toContain('Nothing is required');
    expect(drift.action).toContain('shorten the interval to 7 days');
  });

  it('write-back permissions: off passes; each switched-on capability without its least permission fails naming it', async () => {
    const off = await runDiagnostics(probes());
    expect(off.checks.find((c) => c.id === 'graph-write-back-permissions')!.detail).toContain('Write-back is off');
    const granted = await runDiagnostics(
      probes({ graphRoles: async () => ({ roles: ['User.Read.All', 'User.RevokeSessions.All'], writeBack: ['revokeSessions'] }) }),
    );
    expect(statusOf(granted, 'graph-write-back-permissions')).toBe('pass');
    expect(granted.checks.find((c) => c.id === 'graph-write-back-permissions')!.detail).toContain('User.RevokeSessions.All');
    const missing = await runDiagnostics(
      probes({
        graphRoles: async () => ({
          roles: ['User.Read.All', 'User.RevokeSessions.All'],
          writeBack: ['revokeSessions', 'accountStatus', 'groupMembership'],
        }),
      }),
    );
    const check = missing.checks.find((c) => c.id === 'graph-write-back-permissions')!;
    expect(check).toMatchObject({ status: 'fail', code: 'WRITE_BACK_PERMISSION_MISSING' });
    expect(check.detail).toContain('User.EnableDisableAccount.All');
    expect(check.detail).toContain('GroupMember.ReadWrite.All');
    expect(check.detail).not.toContain('User.RevokeSessions.All');
    expect(check.action).toContain('Grant admin consent');
  });

  it('the Assets "Updated" query: unknown before it was asked, pass when served, unknown with the retry time when refused', async () => {
    const never = await runDiagnostics(probes({ observations: async () => ({}) }));
    expect(statusOf(never, 'assets-updated-query')).toBe('unknown');
    const refused = await runDiagnostics(
      probes({ observations: async () => ({ assetsUpdatedQuery: { refused: true, at: '2026-11-30T10:00:00.000Z' } }) }),
    );
    const check = refused.checks.find((c) => c.id === 'assets-updated-query')!;
    expect(check.status).toBe('unknown');
    expect(check.detail).toContain('reads every Employee object');
    expect(check.action).toContain('after 2026-12-07T10:00:00.000Z');
    const long = await runDiagnostics(
      probes({ observations: async () => ({ assetsUpdatedQuery: { refused: true, at: '2026-11-20T10:00:00.000Z' } }) }),
    );
    expect(long.checks.find((c) => c.id === 'assets-updated-query')!.action).toContain('at the next sync');
  });
});
