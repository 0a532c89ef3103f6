/**
 * The admin page's resolvers, called exactly as the page calls them (through the sandbox emulator: the real handler
 * under the unmodified @forge/resolver, the caller's accountId checked against the simulated Jira site). Every
 * resolver refuses a caller who is not a Jira administrator before doing anything, refuses payloads of the wrong
 * shape or size with INPUT_INVALID, and never answers with the client secret.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import { MAX_RESOLVER_PAYLOAD_CHARS, RESOLVER_KEYS, type ResolverKey } from '../../src/functions/resolver-keys';
import { startSandboxPages, SECRET, type SandboxPages } from '../ui/support/sandbox-page';

const NOT_AN_ADMIN = '712020:9f8e7d6c-5b4a-4321-8fed-c0c0c0c0c0c0';
const RUN_ID = '20260302090000-abcdef123456';

const SETTINGS = { tenantId: SIMULATED_TENANT.tenantId, clientId: SIMULATED_TENANT.clientId, clientSecret: SECRET, cloud: 'global', intervalDays: 1 };

/** A payload each resolver accepts, and ones of the wrong shape. */
const PAYLOADS: Record<ResolverKey, { valid: unknown; wrong: unknown[] }> = {
  getSettings: { valid: {}, wrong: [{ tenantId: 'x' }, 'settings', [1]] },
  saveSettings: { valid: SETTINGS, wrong: ['settings', [SETTINGS], 42] },
  testConnection: { valid: {}, wrong: [{ tenantId: SIMULATED_TENANT.tenantId }, 'now'] },
  createSchema: { valid: {}, wrong: [{ key: 'OTHER' }, true] },
  getSchemaStatus: { valid: {}, wrong: [{ verbose: true }] },
  getOverview: { valid: {}, wrong: [{ since: 1 }] },
  startPreview: { valid: {}, wrong: [{ mode: 'sync' }] },
  startSync: { valid: {}, wrong: [{ force: true }, 'go'] },
  cancelRun: { valid: { runId: RUN_ID }, wrong: [{}, { runId: 'short' }, { runId: `${RUN_ID}/../x` }, { runId: RUN_ID, extra: 1 }] },
  confirmRun: { valid: { runId: RUN_ID }, wrong: [{}, { runId: 42 }, { runId: 'has spaces in it ok' }] },
  getStatus: { valid: {}, wrong: [{ poll: true }] },
  getHistory: { valid: {}, wrong: [{ limit: 1000 }] },
  getRun: { valid: { runId: RUN_ID }, wrong: [{ id: RUN_ID }, { runId: null }] },
  getReport: { valid: { mode: 'preview' }, wrong: [{ mode: 'delete' }, { runId: 'x' }, { runId: RUN_ID, page: 2 }] },
};

type Answer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

describe('admin page resolvers', () => {
  let sandbox: SandboxPages;
  const answers: unknown[] = [];

  async function call(key: string, payload: unknown, accountId?: string): Promise<Answer> {
    const answer = (await sandbox.emulator.invoke(key, payload, accountId === undefined ? undefined : { accountId })) as Answer;
    answers.push(answer);
    return answer;
  }

  beforeAll(async () => {
    sandbox = await startSandboxPages({ users: 20, seed: 3 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('covers every resolver key', () => {
    expect(Object.keys(PAYLOADS).sort()).toEqual(Object.values(RESOLVER_KEYS).sort());
  });

  it.each(Object.values(RESOLVER_KEYS))('%s refuses a caller who is not a Jira administrator', async (key) => {
    const answer = await call(key, PAYLOADS[key].valid, NOT_AN_ADMIN);
    expect(answer).toEqual({ ok: false, error: { code: 'PERMISSION_DENIED', message: 'Only Jira administrators can use Entra ID Sync.' } });
    const empty = await call(key, PAYLOADS[key].valid, '');
    expect(empty).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
  });

  it('did nothing for the refused callers', async () => {
    const status = await call(RESOLVER_KEYS.getStatus, {});
    expect(status).toEqual({ ok: true, data: { activeRun: null, lastManual: null, lastScheduled: null, settings: null } });
    expect(sandbox.emulator.simulation!.jira.requestsTo('object/create')).toEqual([]);
    expect(sandbox.emulator.simulation!.jira.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/permissions/check'))).toEqual([]);
  });

  it.each(Object.values(RESOLVER_KEYS))('%s answers INPUT_INVALID to a payload of the wrong shape', async (key) => {
    for (const payload of PAYLOADS[key].wrong) {
      const answer = await call(key, payload);
      expect({ payload, answer }).toEqual({ payload, answer: { ok: false, error: { code: 'INPUT_INVALID', message: expect.stringContaining('Reload the page') } } });
    }
  });

  it.each(Object.values(RESOLVER_KEYS))('%s answers INPUT_INVALID to an oversized payload', async (key) => {
    const valid = PAYLOADS[key].valid as Record<string, unknown>;
    const answer = await call(key, { ...valid, padding: 'x'.repeat(MAX_RESOLVER_PAYLOAD_CHARS) });
    expect(answer).toEqual({ ok: false, error: { code: 'INPUT_INVALID', message: 'The request from the page is too large. Reload the page and try again.' } });
  });

  it('gives field messages (SETTINGS_INVALID) for settings of the right shape with wrong values, never echoing the secret', async () => {
    const answer = await call(RESOLVER_KEYS.saveSettings, { ...SETTINGS, tenantId: 'not a tenant', clientSecret: ` ${SECRET} `, intervalDays: 0 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'SETTINGS_INVALID' } });
    const message = (answer as { error: { message: string } }).error.message;
    expect(message).toContain('Tenant ID must be');
    expect(message).toContain('Scheduled sync interval must be a whole number of days from 1 to 100.');
    expect(message).not.toContain(SECRET);
  });

  it('never answers with the client secret, whatever is called', async () => {
    expect(await call(RESOLVER_KEYS.saveSettings, SETTINGS)).toMatchObject({ ok: true, data: { secretStored: true } });
    const results: Record<string, Answer> = {};
    for (const key of [RESOLVER_KEYS.getSettings, RESOLVER_KEYS.testConnection, RESOLVER_KEYS.createSchema, RESOLVER_KEYS.getSchemaStatus, RESOLVER_KEYS.getOverview]) {
      results[key] = await call(key, {});
    }
    expect(results.testConnection).toMatchObject({ ok: true, data: { userCount: expect.any(Number) } });
    const started = await call(RESOLVER_KEYS.startPreview, {});
    expect(started).toMatchObject({ ok: true, data: { status: 'queued' } });
    const runId = (started as { data: { runId: string } }).data.runId;
    await call(RESOLVER_KEYS.startSync, {});
    await call(RESOLVER_KEYS.getStatus, {});
    await sandbox.drain();
    for (const [key, payload] of [
      [RESOLVER_KEYS.getRun, { runId }],
      [RESOLVER_KEYS.getReport, { runId }],
      [RESOLVER_KEYS.getReport, { mode: 'preview' }],
      [RESOLVER_KEYS.getHistory, {}],
      [RESOLVER_KEYS.getStatus, {}],
      [RESOLVER_KEYS.confirmRun, { runId }],
      [RESOLVER_KEYS.cancelRun, { runId }],
    ] as const) {
      await call(key, payload);
    }
    expect(answers.length).toBeGreaterThan(60);
    expect(answers.filter((answer) => JSON.stringify(answer).includes(SECRET))).toEqual([]);
    expect(JSON.stringify(sandbox.emulator.logs)).not.toContain(SECRET);
  });
});
