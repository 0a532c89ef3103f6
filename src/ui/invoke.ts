/**
 * The only way the admin page reaches the backend: one typed function per resolver key (RESOLVER_KEYS), each answer
 * parsed with the zod schema of what the page reads (views.ts). Every call resolves to {ok: true, data} or
 * {ok: false, error}; callers show error.message as is (the backend writes it for admins). Nothing here throws.
 */
import { invoke } from '@forge/bridge';
import { z } from 'zod';

import type { GroupMembership, GroupSelection } from '../domain/group-sync';
import { RESOLVER_KEYS, type ResolverKey } from '../functions/resolver-keys';
import {
  auditEntryView,
  connectionTestView,
  diagnosticsView,
  historyEntryView,
  overviewView,
  publicSettingsView,
  reportAnswerView,
  runView,
  schemaJobView,
  schemaStatusView,
  statusView,
  syncUserView,
} from './views';

export type Answer<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** What each resolver answers in `data`. */
const DATA = {
  [RESOLVER_KEYS.getSettings]: publicSettingsView.nullable(),
  [RESOLVER_KEYS.saveSettings]: publicSettingsView,
  [RESOLVER_KEYS.testConnection]: connectionTestView,
  [RESOLVER_KEYS.createSchema]: schemaJobView,
  [RESOLVER_KEYS.getSchemaJob]: schemaJobView.nullable(),
  [RESOLVER_KEYS.runDiagnostics]: diagnosticsView,
  [RESOLVER_KEYS.getSchemaStatus]: schemaStatusView,
  [RESOLVER_KEYS.getOverview]: overviewView,
  [RESOLVER_KEYS.startPreview]: runView,
  [RESOLVER_KEYS.startSync]: runView,
  [RESOLVER_KEYS.cancelRun]: runView,
  [RESOLVER_KEYS.confirmRun]: runView,
  [RESOLVER_KEYS.getStatus]: statusView,
  [RESOLVER_KEYS.getHistory]: z.array(historyEntryView),
  [RESOLVER_KEYS.getRun]: runView.nullable(),
  [RESOLVER_KEYS.getReport]: reportAnswerView,
  [RESOLVER_KEYS.syncUser]: syncUserView,
  // The write-back audit trail (issue 17); the History tab's Actions panel reads it.
  [RESOLVER_KEYS.getWriteBackAudit]: z.array(auditEntryView),
} as const satisfies Record<ResolverKey, z.ZodType>;

export type DataOf<K extends ResolverKey> = z.infer<(typeof DATA)[K]>;

const envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

const MALFORMED = {
  code: 'RESPONSE_MALFORMED',
  message: 'The app answered in an unexpected way. Reload the page; if this repeats, the app may be updating.',
};
const UNREACHABLE = { code: 'UNREACHABLE', message: 'The app could not be reached. Check your connection and reload the page.' };

async function call<K extends ResolverKey>(key: K, payload?: Record<string, unknown>): Promise<Answer<DataOf<K>>> {
  let raw: unknown;
  try {
    raw = await invoke(key, payload);
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
  const answer = envelope.safeParse(raw);
  if (!answer.success) return { ok: false, error: MALFORMED };
  if (!answer.data.ok) return { ok: false, error: answer.data.error };
  const data = DATA[key].safeParse(answer.data.data);
  if (!data.success) return { ok: false, error: MALFORMED };
  return { ok: true, data: data.data as DataOf<K> };
}

type RunRef = { runId: string };
/** What the settings form sends: text fields as typed, the cloud id, the interval as typed (digits). */
export type SettingsPayload = {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  cloud: string;
  intervalDays: string | number;
  /** Absent: the stored attribute choice stays (the connection form leaves it alone). */
  attributes?: string[];
  extensions?: { property: string; name: string }[];
  /** Absent: the stored group sync stays (the other sections leave it alone). */
  groups?: GroupSelection;
  groupMembership?: GroupMembership;
  /** The sync scope in its text form (scope.ts); absent: the stored scope stays; '': everyone. */
  scope?: string;
  /** Write-back actions (issue 17); absent: the stored choice stays. */
  writeBack?: {
    capabilities: string[];
    attributes: string[];
    groupIds: string[];
    allowGuests: boolean;
    exceptions: string[];
    ratePerMinute: number;
  };
};

export const api = {
  getSettings: () => call(RESOLVER_KEYS.getSettings),
  saveSettings: (settings: SettingsPayload) => call(RESOLVER_KEYS.saveSettings, settings),
  testConnection: () => call(RESOLVER_KEYS.testConnection),
  createSchema: () => call(RESOLVER_KEYS.createSchema),
  getSchemaJob: () => call(RESOLVER_KEYS.getSchemaJob),
  runDiagnostics: () => call(RESOLVER_KEYS.runDiagnostics),
  getSchemaStatus: () => call(RESOLVER_KEYS.getSchemaStatus),
  getOverview: () => call(RESOLVER_KEYS.getOverview),
  startPreview: () => call(RESOLVER_KEYS.startPreview),
  startSync: () => call(RESOLVER_KEYS.startSync),
  cancelRun: (ref: RunRef) => call(RESOLVER_KEYS.cancelRun, ref),
  confirmRun: (ref: RunRef) => call(RESOLVER_KEYS.confirmRun, ref),
  getStatus: () => call(RESOLVER_KEYS.getStatus),
  getHistory: () => call(RESOLVER_KEYS.getHistory),
  getRun: (ref: RunRef) => call(RESOLVER_KEYS.getRun, ref),
  getReport: (ref: { runId: string } | { mode: 'preview' | 'sync' }) => call(RESOLVER_KEYS.getReport, ref),
  /** Exactly one of the three names the person. */
  syncUser: (who: { accountId: string } | { email: string } | { entraId: string }) => call(RESOLVER_KEYS.syncUser, who),
  /** The latest 100 attempts, or up to `limit` (at most the 1,000 kept). */
  getWriteBackAudit: (options?: { limit: number }) => call(RESOLVER_KEYS.getWriteBackAudit, options),
} satisfies { [K in ResolverKey]: (...args: never[]) => Promise<Answer<DataOf<K>>> };

export type Api = typeof api;
