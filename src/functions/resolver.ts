/**
 * The admin page's backend. Every resolver checks that the caller is a Jira administrator, bounds and validates its
 * payload with zod, and answers {ok: true, data} or {ok: false, error: {code, message}}. None ever returns the
 * secret: settings leave only as PublicSettings, errors only as code and message.
 */
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { AppError, toAppError } from '../domain/errors';
import { runIdSchema } from '../pipeline/messages';
import { activeRun, cancelRun, confirmRun, startRun } from '../pipeline/run-control';
import { readHistory, readLastRun, loadRun } from '../pipeline/run-store';
import { readLatestReport, readReport } from '../pipeline/report-store';
import { createForgeSchemaJobQueue } from '../adapters/forge-schema-queue';
import { requireJiraAdmin } from '../services/admin-check';
import { checkConnection } from '../services/connection-check';
import { createAssets, createMicrosoftClients } from '../services/connections';
import { readOverview } from '../services/overview-service';
import { getSchemaJob, startSchemaJob } from '../services/schema-job';
import { readSchemaStatus } from '../services/schema-status';
import { runDiagnostics } from '../services/diagnostics';
import { createDiagnosticsProbes } from '../services/diagnostics-probes';
import { getPublicSettings, requireSettings, saveSettings } from '../services/settings-service';
import { MAX_RESOLVER_PAYLOAD_CHARS, RESOLVER_KEYS, type ResolverKey } from './resolver-keys';
import { createPipelineDeps, type AppDeps } from './wiring';

type Answer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

const empty = z.object({}).strict().optional();
const runRef = z.object({ runId: runIdSchema }).strict();
const reportRef = z.object({ runId: runIdSchema.optional(), mode: z.enum(['preview', 'sync']).optional() }).strict();
/** The settings form as a plain object; its fields are validated (with per-field messages) by saveSettings. */
const settingsForm = z.record(z.string(), z.unknown());

const INPUT_INVALID_MESSAGE = 'The request from the page was not understood. Reload the page and try again.';
const INPUT_TOO_LARGE_MESSAGE = 'The request from the page is too large. Reload the page and try again.';

const resolver = new Resolver();

function payloadChars(payload: unknown): number {
  try {
    return JSON.stringify(payload ?? null).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function define<S extends z.ZodType>(key: ResolverKey, schema: S, run: (deps: AppDeps, payload: z.infer<S>, accountId: string) => Promise<unknown>) {
  resolver.define(key, async ({ payload, context }): Promise<Answer> => {
    const deps = createPipelineDeps();
    try {
      const accountId = (context as { accountId?: string }).accountId;
      // Asked as the caller (asUser): the app itself may not check another user's permissions.
      await requireJiraAdmin({ userFetch: deps.userJiraFetch, store: deps.store, now: deps.clock.now }, accountId);
      if (payloadChars(payload) > MAX_RESOLVER_PAYLOAD_CHARS) throw new AppError('INPUT_INVALID', INPUT_TOO_LARGE_MESSAGE, { context: { resolver: key } });
      const parsed = schema.safeParse(payload ?? undefined);
      if (!parsed.success) throw new AppError('INPUT_INVALID', INPUT_INVALID_MESSAGE, { context: { resolver: key } });
      return { ok: true, data: await run(deps, parsed.data, accountId!) };
    } catch (error) {
      const appError = toAppError(error);
      deps.logger.warn('resolver.error', { resolver: key, code: appError.code });
      return { ok: false, error: appError.toPublic() };
    }
  });
}

define(RESOLVER_KEYS.getSettings, empty, (deps) => getPublicSettings(deps));
define(RESOLVER_KEYS.saveSettings, settingsForm, (deps, payload) => saveSettings(deps, payload));
define(RESOLVER_KEYS.testConnection, empty, async (deps) => {
  const settings = await requireSettings(deps);
  // An admin is waiting: interactive priority (no x-ms-throttle-priority: Low), unlike the background sync.
  return checkConnection(deps, createMicrosoftClients(deps.connectionDeps, settings, { priority: 'interactive' }));
});
/** Starts the Create Schema job (or joins the running one) and answers its state at once; see src/services/schema-job.ts. */
define(RESOLVER_KEYS.createSchema, empty, (deps) => startSchemaJob(deps, createForgeSchemaJobQueue()));
define(RESOLVER_KEYS.getSchemaJob, empty, (deps) => getSchemaJob(deps));
define(RESOLVER_KEYS.getSchemaStatus, empty, (deps) => readSchemaStatus(createAssets(deps.connectionDeps)));
define(RESOLVER_KEYS.getOverview, empty, (deps) =>
  readOverview({ ...deps, assets: createAssets(deps.connectionDeps), lastScheduled: () => readLastRun(deps, 'scheduled') }),
);
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
/** A run's report (or the latest of a mode) with the run it belongs to, so the page can say when and how it ended. */
define(RESOLVER_KEYS.getReport, reportRef, async (deps, p) => {
  const found = p.runId !== undefined ? { runId: p.runId, report: await readReport(deps, p.runId) } : await readLatestReport(deps, p.mode ?? 'preview');
  if (found === null) return null;
  return { runId: found.runId, report: found.report, run: await loadRun(deps, found.runId) };
});

/** Read-only checks of what only the live site and tenant can answer; see docs/platform-assumptions.md. */
define(RESOLVER_KEYS.runDiagnostics, empty, (deps, _p, accountId) =>
  runDiagnostics(createDiagnosticsProbes({ connectionDeps: deps.connectionDeps, userJiraFetch: deps.userJiraFetch, accountId })),
);

export const handler = resolver.getDefinitions();
