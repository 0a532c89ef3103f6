/**
 * The resolver boundary (src/functions/boundary/resolver-boundary.ts), the one place every admin page call goes
 * through: the real boundary and the real use cases of the resolver's table, with in-memory storage and queues and
 * the admin check asked of the fake Jira site as the calling user over HTTP. One test per rule the boundary owns.
 */
import { type ResolverAnswer, resolverFunction } from '../../src/functions/boundary/resolver-boundary';
import { RESOLVER_USE_CASES } from '../../src/functions/resolver';
import { MAX_RESOLVER_PAYLOAD_CHARS, RESOLVER_KEYS, type ResolverKey } from '../../src/functions/resolver-keys';
import { keys } from '../../src/pipeline/keys';
import { FIRST_STAGE } from '../../src/pipeline/messages';
import { ADMIN, type AppWorld, MEMBER, startAppWorld } from './support/app-deps';

const RUN_ID = '20260302090000-abcdef123456';
const SETTINGS = {
  tenantId: '6f1c3a52-0b7e-4c1d-9a55-3f2e8d7b1c90',
  clientId: '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31',
  clientSecret: 'a-secret-value~1234567890',
  cloud: 'global',
  intervalDays: 1,
};

describe('the resolver boundary', () => {
  let world: AppWorld;
  beforeEach(async () => {
    world = await startAppWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  function callAs(context: unknown, key: ResolverKey, payload: unknown): Promise<ResolverAnswer> {
    return resolverFunction(key, RESOLVER_USE_CASES[key], world.create)({ payload, context });
  }
  const call = (key: ResolverKey, payload: unknown) => callAs({ accountId: ADMIN }, key, payload);
  const boundaryLogs = () => world.logs.filter((l) => l.event === 'resolver.error');
  const permissionChecks = () => world.sim.jira.requests.filter((r) => r.path === '/rest/api/3/mypermissions');

  it('refuses a caller who is not a Jira administrator with PERMISSION_DENIED before reading the payload or running anything', async () => {
    world.actAs(MEMBER);
    for (const context of [{ accountId: MEMBER }, {}, { accountId: '' }, { accountId: 42 }, null, undefined]) {
      // A payload of the wrong shape and size too: the caller is refused first, whatever they send.
      for (const payload of [{}, { runId: 'short' }, { padding: 'x'.repeat(MAX_RESOLVER_PAYLOAD_CHARS) }]) {
        expect(await callAs(context, RESOLVER_KEYS.startSync, payload)).toEqual({
          ok: false,
          error: { code: 'PERMISSION_DENIED', message: 'Only Jira administrators can use Entra ID Sync.' },
        });
      }
    }
    // Only the caller with an account id was asked about (as themselves); the others were refused without a request.
    expect(permissionChecks().map((r) => r.status)).toEqual([200, 200, 200]);
    expect(world.pushes).toEqual([]);
    expect(await world.store.get(keys.runLock())).toBeUndefined();
    expect(await world.store.get(keys.adminCheck(MEMBER))).toBeUndefined();
    expect(boundaryLogs()).toHaveLength(18);
    expect(new Set(boundaryLogs().map((l) => JSON.stringify(l.fields)))).toEqual(
      new Set([JSON.stringify({ resolver: 'startSync', code: 'PERMISSION_DENIED' })]),
    );
  });

  it('lets an administrator in, and the use case runs as them (the run is started by their account)', async () => {
    expect(await call(RESOLVER_KEYS.saveSettings, SETTINGS)).toMatchObject({
      ok: true,
      data: { tenantId: SETTINGS.tenantId, secretStored: true },
    });
    const started = await call(RESOLVER_KEYS.startPreview, undefined);
    expect(started).toMatchObject({ ok: true, data: { mode: 'preview', trigger: 'manual', startedBy: ADMIN, status: 'queued' } });
    expect(world.pushes.map((p) => p.message.stage)).toEqual([FIRST_STAGE]);
    // The positive answer is kept 5 minutes: the second call asked Jira nothing.
    expect(permissionChecks()).toHaveLength(1);
    expect(boundaryLogs()).toEqual([]);
  });

  it('builds the deps once per invocation', async () => {
    await call(RESOLVER_KEYS.getSettings, {});
    await call(RESOLVER_KEYS.getHistory, {});
    await call(RESOLVER_KEYS.getRun, { runId: 'short' });
    expect(world.built.count).toBe(3);
  });

  it('answers INPUT_INVALID ("too large") to a payload over MAX_RESOLVER_PAYLOAD_CHARS, before parsing it', async () => {
    const tooLarge = { runId: RUN_ID, padding: 'x'.repeat(MAX_RESOLVER_PAYLOAD_CHARS) };
    const justFits = { tenantId: 'x'.repeat(MAX_RESOLVER_PAYLOAD_CHARS - JSON.stringify({ tenantId: '' }).length) };
    expect(await call(RESOLVER_KEYS.cancelRun, tooLarge)).toEqual({
      ok: false,
      error: { code: 'INPUT_INVALID', message: 'The request from the page is too large. Reload the page and try again.' },
    });
    // One character under the bound is parsed (and refused for its values by saveSettings, not for its size).
    expect(await call(RESOLVER_KEYS.saveSettings, justFits)).toMatchObject({ ok: false, error: { code: 'SETTINGS_INVALID' } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await call(RESOLVER_KEYS.saveSettings, cyclic)).toMatchObject({
      ok: false,
      error: { code: 'INPUT_INVALID', message: expect.stringContaining('too large') },
    });
    expect(boundaryLogs().map((l) => l.fields)).toEqual([
      { resolver: 'cancelRun', code: 'INPUT_INVALID' },
      { resolver: 'saveSettings', code: 'SETTINGS_INVALID' },
      { resolver: 'saveSettings', code: 'INPUT_INVALID' },
    ]);
  });

  it("answers INPUT_INVALID to a payload the use case's schema refuses, and runs nothing", async () => {
    for (const payload of [{}, { runId: 'short' }, { runId: RUN_ID, extra: 1 }, 'go', [RUN_ID]]) {
      expect(await call(RESOLVER_KEYS.cancelRun, payload)).toEqual({
        ok: false,
        error: { code: 'INPUT_INVALID', message: 'The request from the page was not understood. Reload the page and try again.' },
      });
    }
    expect(await call(RESOLVER_KEYS.startSync, { force: true })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(world.pushes).toEqual([]);
    expect(boundaryLogs()).toHaveLength(6);
  });

  it('maps an AppError to its public form (code and message) and logs the code only', async () => {
    const answer = await call(RESOLVER_KEYS.saveSettings, {
      ...SETTINGS,
      tenantId: 'not a tenant',
      clientSecret: 'secret-with-alice@example.com',
      intervalDays: 0,
    });
    expect(answer).toEqual({ ok: false, error: { code: 'SETTINGS_INVALID', message: expect.stringContaining('Tenant ID must be') } });
    expect(Object.keys((answer as { error: object }).error).sort()).toEqual(['code', 'message']);
    expect(await call(RESOLVER_KEYS.confirmRun, { runId: RUN_ID })).toEqual({
      ok: false,
      error: { code: 'RUN_NOT_FOUND', message: expect.any(String) },
    });
    expect(boundaryLogs()).toEqual([
      { level: 'warn', event: 'resolver.error', fields: { resolver: 'saveSettings', code: 'SETTINGS_INVALID' } },
      { level: 'warn', event: 'resolver.error', fields: { resolver: 'confirmRun', code: 'RUN_NOT_FOUND' } },
    ]);
    expect(JSON.stringify(world.logs)).not.toContain('alice@example.com');
    expect(JSON.stringify(world.logs)).not.toContain(RUN_ID);
  });

  it('maps anything else thrown to INTERNAL with the generic message, never the thrown text', async () => {
    world.store.hooks.beforeOp = (op, key) => {
      if (op === 'get' && key === keys.settings()) throw new Error('KVS exploded while reading for bob@example.com');
    };
    expect(await call(RESOLVER_KEYS.getSettings, {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'An unexpected error occurred.' },
    });
    expect(boundaryLogs()).toEqual([{ level: 'warn', event: 'resolver.error', fields: { resolver: 'getSettings', code: 'INTERNAL' } }]);
    expect(JSON.stringify(world.logs)).not.toContain('bob@example.com');
  });

  it('answers "try again" (not "not an administrator") when Jira cannot confirm the caller', async () => {
    world.sim.jira.failNext({ path: '/rest/api/3/mypermissions', status: 503 });
    expect(await call(RESOLVER_KEYS.getStatus, {})).toEqual({
      ok: false,
      error: {
        code: 'JIRA_REQUEST_FAILED',
        message: 'Jira could not confirm that you are a Jira administrator (HTTP 503). Try again in a moment.',
      },
    });
    expect(await call(RESOLVER_KEYS.getStatus, {})).toMatchObject({ ok: true, data: { activeRun: null, settings: null } });
  });
});
