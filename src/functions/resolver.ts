/**
 * The admin page's backend. Every resolver checks that the caller is a Jira administrator, validates its payload
 * with zod, and answers {ok: true, data} or {ok: false, error: {code, message}}. None ever returns the secret.
 */
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { toAppError } from '../domain/errors';
import { ENTRA_SCHEMA } from '../domain/schema-definition';
import { runIdSchema } from '../pipeline/messages';
import { activeRun, cancelRun, confirmRun, startRun } from '../pipeline/run-control';
import { readHistory, readLastRun, loadRun } from '../pipeline/run-store';
import { readLatestReport, readReport } from '../pipeline/report-store';
import { saveLayout } from '../pipeline/layout-store';
import { requireJiraAdmin } from '../services/admin-check';
import { createAssets, createMicrosoftClients } from '../services/connections';
import { getPublicSettings, requireSettings, saveSettings } from '../services/settings-service';
import { RESOLVER_KEYS, type ResolverKey } from './resolver-keys';
import { createPipelineDeps, type AppDeps } from './wiring';

type Answer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

const empty = z.object({}).strict().optional();
const runRef = z.object({ runId: runIdSchema }).strict();
const reportRef = z.object({ runId: runIdSchema.optional(), mode: z.enum(['preview', 'sync']).optional() }).strict();

const resolver = new Resolver();

function define<S extends z.ZodType>(key: ResolverKey, schema: S, run: (deps: AppDeps, payload: z.infer<S>, accountId: string) => Promise<unknown>) {
  resolver.define(key, async ({ payload, context }): Promise<Answer> => {
    const deps = createPipelineDeps();
    try {
      const accountId = (context as { accountId?: string }).accountId;
      await requireJiraAdmin(deps.connectionDeps.jiraFetch, accountId);
      const parsed = schema.safeParse(payload ?? undefined);
      if (!parsed.success) return { ok: false, error: { code: 'INPUT_INVALID', message: 'The request from the page was not understood. Reload the page and try again.' } };
      return { ok: true, data: await run(deps, parsed.data, accountId!) };
    } catch (error) {
      const appError = toAppError(error);
      deps.logger.warn('resolver.error', { resolver: key, code: appError.code });
      return { ok: false, error: appError.toPublic() };
    }
  });
}

define(RESOLVER_KEYS.getSettings, empty, (deps) => getPublicSettings(deps));
define(RESOLVER_KEYS.saveSettings, z.unknown(), (deps, payload) => saveSettings(deps, payload));
define(RESOLVER_KEYS.testConnection, empty, async (deps) => {
  const settings = await requireSettings(deps);
  const { graph } = createMicrosoftClients(deps.connectionDeps, settings);
  return { userCount: await graph.countUsers() };
});
define(RESOLVER_KEYS.createSchema, empty, async (deps) => {
  const result = await createAssets(deps.connectionDeps).ensureSchema(ENTRA_SCHEMA);
  await saveLayout(deps.store, result.layout, deps.clock.now());
  return { created: result.created, repaired: result.repaired };
});
define(RESOLVER_KEYS.startPreview, empty, (deps, _p, accountId) => startRun(deps, { mode: 'preview', trigger: 'manual', startedBy: accountId }));
define(RESOLVER_KEYS.startSync, empty, (deps, _p, accountId) => startRun(deps, { mode: 'sync', trigger: 'manual', startedBy: accountId }));
define(RESOLVER_KEYS.cancelRun, runRef, (deps, p) => cancelRun(deps, p.runId));
define(RESOLVER_KEYS.confirmRun, runRef, (deps, p) => confirmRun(deps, p.runId));
define(RESOLVER_KEYS.getStatus, empty, async (deps) => ({
  activeRun: await activeRun(deps),
  lastManual: await readLastRun(deps, 'manual'),
  lastScheduled: await readLastRun(deps, 'scheduled'),
  settings: await getPublicSettings(deps),
}));
define(RESOLVER_KEYS.getHistory, empty, (deps) => readHistory(deps));
define(RESOLVER_KEYS.getRun, runRef, (deps, p) => loadRun(deps, p.runId));
define(RESOLVER_KEYS.getReport, reportRef, async (deps, p) =>
  p.runId !== undefined ? { runId: p.runId, report: await readReport(deps, p.runId) } : readLatestReport(deps, p.mode ?? 'preview'),
);

export const handler = resolver.getDefinitions();
