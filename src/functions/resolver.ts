/**
 * The admin page's backend: a table from resolver key to use case (src/usecases), each registered through the
 * resolver boundary (src/functions/boundary/resolver-boundary.ts). The boundary checks that the caller is a Jira
 * administrator, bounds and validates the payload with the use case's zod schema, and answers {ok: true, data} or
 * {ok: false, error: {code, message}}. None ever returns the secret: settings leave only as PublicSettings, errors
 * only as code and message.
 */
import Resolver from '@forge/resolver';

import { cancelRunUseCase } from '../usecases/cancel-run';
import { confirmRunUseCase } from '../usecases/confirm-run';
import { createSchemaUseCase } from '../usecases/create-schema';
import { getHistoryUseCase } from '../usecases/get-history';
import { getOverviewUseCase } from '../usecases/get-overview';
import { getReportUseCase } from '../usecases/get-report';
import { getRunUseCase } from '../usecases/get-run';
import { getSchemaJobUseCase } from '../usecases/get-schema-job';
import { getSchemaStatusUseCase } from '../usecases/get-schema-status';
import { getSettingsUseCase } from '../usecases/get-settings';
import { getStatusUseCase } from '../usecases/get-status';
import { getWriteBackAuditUseCase } from '../usecases/get-write-back-audit';
import { runDiagnosticsUseCase } from '../usecases/run-diagnostics';
import { saveSettingsUseCase } from '../usecases/save-settings';
import { startPreviewUseCase } from '../usecases/start-preview';
import { startSyncUseCase } from '../usecases/start-sync';
import { syncUserUseCase } from '../usecases/sync-user';
import { testConnectionUseCase } from '../usecases/test-connection';
import type { EntryUseCase } from '../usecases/use-case';
import { type ResolverAccess, resolverFunction } from './boundary/resolver-boundary';
import { RESOLVER_KEYS, type ResolverKey } from './resolver-keys';
import { type AppDeps, createPipelineDeps } from './wiring';

/** Exactly one use case per resolver key (the type makes a missing or unknown key a compile error). */
export const RESOLVER_USE_CASES: { readonly [K in ResolverKey]: EntryUseCase<AppDeps, ResolverAccess> } = {
  [RESOLVER_KEYS.getSettings]: getSettingsUseCase,
  [RESOLVER_KEYS.saveSettings]: saveSettingsUseCase,
  [RESOLVER_KEYS.testConnection]: testConnectionUseCase,
  [RESOLVER_KEYS.createSchema]: createSchemaUseCase,
  [RESOLVER_KEYS.getSchemaJob]: getSchemaJobUseCase,
  [RESOLVER_KEYS.getSchemaStatus]: getSchemaStatusUseCase,
  [RESOLVER_KEYS.getOverview]: getOverviewUseCase,
  [RESOLVER_KEYS.startPreview]: startPreviewUseCase,
  [RESOLVER_KEYS.startSync]: startSyncUseCase,
  [RESOLVER_KEYS.cancelRun]: cancelRunUseCase,
  [RESOLVER_KEYS.confirmRun]: confirmRunUseCase,
  [RESOLVER_KEYS.getStatus]: getStatusUseCase,
  [RESOLVER_KEYS.getHistory]: getHistoryUseCase,
  [RESOLVER_KEYS.getRun]: getRunUseCase,
  [RESOLVER_KEYS.getReport]: getReportUseCase,
  [RESOLVER_KEYS.runDiagnostics]: runDiagnosticsUseCase,
  [RESOLVER_KEYS.syncUser]: syncUserUseCase,
  [RESOLVER_KEYS.getWriteBackAudit]: getWriteBackAuditUseCase,
};

const resolver = new Resolver();
for (const key of Object.values(RESOLVER_KEYS)) resolver.define(key, resolverFunction(key, RESOLVER_USE_CASES[key], createPipelineDeps));

export const handler = resolver.getDefinitions();
