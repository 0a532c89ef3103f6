/**
 * Issue 12's Diagnostics checks through the real probes (src/services/diagnostics-probes.ts: the Graph and Assets
 * clients over plain HTTP to the fake tenant and site) and the real pipeline that records the G10 observation:
 * graph-delta-optional-properties (both readings of the fake's deltaTracksOptionalProperties),
 * graph-hire-date-readable (values, all null, 403) and assets-date-format (the fake's two Date read forms, no
 * attribute yet). Read-only: Diagnostics writes nothing to Assets or the tenant, and its report holds no hire date.
 */
import { runDiagnostics } from '../../src/services/diagnostics';
import { createDiagnosticsProbes } from '../../src/services/diagnostics-probes';
import { type Harness, type HarnessOptions, startHarness } from '../support/pipeline-harness';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;

let open: Harness | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

async function harness(options: HarnessOptions = {}): Promise<Harness> {
  open = await startHarness({ users: 40, seed: 11, ...options });
  return open;
}

async function diagnose(h: Harness) {
  const writesBefore = h.assetsWrites();
  const graphWrites = () =>
    h.sim.entra.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/v1.0/') && r.path !== '/v1.0/$batch').length;
  const graphWritesBefore = graphWrites();
  const result = await runDiagnostics(
    createDiagnosticsProbes({ connectionDeps: h.connectionDeps, userJiraFetch: h.connectionDeps.jiraFetch, accountId: 'diag-admin' }),
  );
  expect(h.assetsWrites()).toBe(writesBefore);
  expect(graphWrites()).toBe(graphWritesBefore);
  return { result, check: (id: string) => result.checks.find((c) => c.id === id)! };
}

/** A user with a hire date gets another one in the tenant (an HR change). */
function changeHireDate(h: Harness): void {
  const user = h.world.entra.users.find((u) => typeof u.employeeHireDate === 'string')!;
  h.sim.entra.upsertUser({ ...user, employeeHireDate: '2011-11-11T00:00:00Z' });
}

describe('graph-delta-optional-properties, observed at the weekly full read', () => {
  it.each([
    [false, 'unknown', '1 of '],
    [true, 'pass', 'held the same values'],
  ])('deltaTracksOptionalProperties %s: %s after the full read that follows delta rounds', async (tracks, status, text) => {
    const h = await harness({ simulation: { entra: { behaviour: { deltaTracksOptionalProperties: tracks } } } });
    await h.configure({ attributes: ['hireDate'] });
    expect((await h.run('sync')).run.status).toBe('succeeded');
    changeHireDate(h);
    h.clock.advance(DAY_MS);
    expect((await h.run('sync')).run.status).toBe('succeeded');
    // Full read, then a delta round: nothing compared yet.
    expect((await diagnose(h)).check('graph-delta-optional-properties')).toMatchObject({ status: 'unknown' });
    expect((await diagnose(h)).check('graph-delta-optional-properties').detail).toContain('Not observed yet');

    h.clock.advance(6 * DAY_MS + 60 * 60 * 1000);
    expect((await h.run('sync')).run.status).toBe('succeeded');
    expect(h.logs.filter((l) => l.event === 'stage.entra-directory.full-read').map((l) => l.fields['reason'])).toEqual([
      'no-directory',
      'reconciliation-due',
    ]);
    const check = (await diagnose(h)).check('graph-delta-optional-properties');
    expect(check.status).toBe(status);
    expect(check.detail).toContain(text);
    expect(check.detail).toContain('user(s)');
  });

  it('passes as not applicable when no such attribute is chosen', async () => {
    const h = await harness();
    await h.configure({ attributes: ['employeeId'] });
    expect((await diagnose(h)).check('graph-delta-optional-properties')).toMatchObject({ status: 'pass' });
  });
});

describe('graph-hire-date-readable', () => {
  it('passes when users carry hire dates, is unknown when none does, and fails naming User.Read.All on a 403', async () => {
    const h = await harness();
    await h.configure({ attributes: ['hireDate'] });
    const read = (await diagnose(h)).check('graph-hire-date-readable');
    expect(read.status).toBe('pass');
    expect(read.detail).toMatch(/\d+ of the 40 user\(s\) read carry an employeeHireDate/);
    const asked = h.sim.entra.requests.filter((r) => r.path === '/v1.0/users' && r.query['$select'] === 'id,employeeHireDate');
    expect(asked.length).toBeGreaterThan(0);

    for (const user of h.world.entra.users) h.sim.entra.upsertUser({ ...user, employeeHireDate: null });
    const none = (await diagnose(h)).check('graph-hire-date-readable');
    expect(none.status).toBe('unknown');
    expect(none.detail).toContain('None of the 40 user(s) read carries an employeeHireDate');

    // Consent now grants only the groups permission; the next token carries just that.
    h.sim.entra.setConsent(true, ['GroupMember.Read.All']);
    h.sim.entra.expireAccessTokens();
    const denied = (await diagnose(h)).check('graph-hire-date-readable');
    expect(denied).toMatchObject({ status: 'fail', code: 'GRAPH_CONSENT_MISSING' });
    expect(denied.action).toContain('User.Read.All');
  });
});

describe('assets-date-format', () => {
  it.each([
    ['iso', 'pass', 'the form 9999-99-99'],
    ['display', 'fail', 'the form 99/AAA/99'],
  ] as const)('Assets returning Date values in the %s form: %s', async (form, status, text) => {
    const h = await harness({ simulation: { jira: { assetsDateReadForm: form } } });
    await h.configure({ attributes: ['hireDate'] });
    // Before the schema check added Hire Date: nothing to read yet.
    expect((await diagnose(h)).check('assets-date-format')).toMatchObject({ status: 'unknown' });
    expect((await h.run('sync')).run.status).toBe('succeeded');
    const { result, check } = await diagnose(h);
    expect(check('assets-date-format').status).toBe(status);
    expect(check('assets-date-format').detail).toContain(text);
    // No hire date in the report, only its form.
    for (const user of h.world.entra.users) {
      const day = typeof user.employeeHireDate === 'string' ? user.employeeHireDate.slice(0, 10) : null;
      if (day !== null) expect(result.report).not.toContain(day);
    }
  });
});
