/**
 * The shapes of the resolver answers the admin page reads, as zod schemas: an answer is unknown until parsed (a
 * page left open across an app upgrade can meet a newer backend). They list only what the page shows; extra
 * fields are ignored. The backend's own types live in src/pipeline and src/services, which the page does not import.
 */
import { z } from 'zod';

import { microsoftCloudSchema } from '../domain/microsoft-cloud';
import { reportCountsSchema, runReportSchema } from '../domain/report';
import { WRITE_BACK_CAPABILITIES } from '../domain/write-back';

/** The write-back settings as getSettings answers them (write-back.ts); absent from backends older than issue 17: off. */
export const writeBackView = z.object({
  capabilities: z.array(z.string()),
  attributes: z.array(z.string()),
  groupIds: z.array(z.string()),
  allowGuests: z.boolean(),
  exceptions: z.array(z.string()),
  ratePerMinute: z.number().int(),
});
export type WriteBackView = z.infer<typeof writeBackView>;

export const publicSettingsView = z.object({
  tenantId: z.string(),
  clientId: z.string(),
  cloud: microsoftCloudSchema,
  intervalDays: z.number().int(),
  secretStored: z.boolean(),
  secretSetAt: z.string().nullable(),
  updatedAt: z.string(),
  /** The attribute choice (absent from backends older than it: none). */
  attributes: z.array(z.string()).optional(),
  extensions: z.array(z.object({ property: z.string(), name: z.string() })).optional(),
  /** Group sync in its text form (off, all, ids:<id>,<id>, prefix:<text>) and membership; absent from older backends: off. */
  groups: z.string().optional(),
  groupMembership: z.enum(['direct', 'transitive']).optional(),
  /** The sync scope in its text form ('' = everyone); absent from older backends: everyone. */
  scope: z.string().optional(),
  /** Write-back actions (issue 17); absent from older backends: all off. */
  writeBack: writeBackView.optional(),
});
export type PublicSettingsView = z.infer<typeof publicSettingsView>;

export const RUN_STATUS_VALUES = ['queued', 'running', 'awaiting-confirmation', 'succeeded', 'failed', 'cancelled'] as const;
export const runStatusView = z.enum(RUN_STATUS_VALUES);
export type RunStatusView = z.infer<typeof runStatusView>;
export const runModeView = z.enum(['preview', 'sync', 'single-user']);
export type RunModeView = z.infer<typeof runModeView>;
export const runTriggerView = z.enum(['manual', 'scheduled']);
export type RunTriggerView = z.infer<typeof runTriggerView>;

const publicError = z.object({ code: z.string(), message: z.string() });
export type PublicErrorView = z.infer<typeof publicError>;

export const runView = z.object({
  runId: z.string(),
  number: z.number().int(),
  mode: runModeView,
  trigger: runTriggerView,
  startedBy: z.string().nullable(),
  status: runStatusView,
  stage: z.string().nullable(),
  progress: z.object({ processed: z.number(), total: z.number().nullable(), label: z.string() }),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: reportCountsSchema.nullable(),
  error: publicError.nullable(),
  safety: z.object({ inactivations: z.number(), activeBefore: z.number(), threshold: z.number() }).nullable(),
});
export type RunView = z.infer<typeof runView>;

export const historyEntryView = z.object({
  runId: z.string(),
  number: z.number().int(),
  mode: runModeView,
  trigger: runTriggerView,
  startedBy: z.string().nullable(),
  status: runStatusView,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  counts: reportCountsSchema.nullable(),
  error: publicError.nullable(),
});
export type HistoryEntryView = z.infer<typeof historyEntryView>;

export const lastRunView = z.object({ entry: historyEntryView, lastSucceededAt: z.string().nullable() });
export type LastRunView = z.infer<typeof lastRunView>;

export const statusView = z.object({
  activeRun: runView.nullable(),
  lastManual: lastRunView.nullable(),
  lastScheduled: lastRunView.nullable(),
  settings: publicSettingsView.nullable(),
});
export type StatusView = z.infer<typeof statusView>;

export const schemaStatusView = z.object({
  state: z.enum(['ready', 'missing', 'needs-repair', 'conflict', 'unavailable']),
  schemaName: z.string(),
  schemaKey: z.string(),
  message: z.string(),
  pending: z.array(z.string()),
  code: z.string().nullable(),
});
export type SchemaStatusView = z.infer<typeof schemaStatusView>;

export const connectionCheckView = z.object({
  at: z.string(),
  ok: z.boolean(),
  userCount: z.number().nullable(),
  error: publicError.nullable(),
  roles: z.array(z.string()).nullable().default(null),
  /** Whether the roles read groups and members; null when unknown (and absent from older backends). */
  groupsGranted: z.boolean().nullable().default(null),
});
export type ConnectionCheckView = z.infer<typeof connectionCheckView>;

export const overviewView = z.object({
  connection: z.object({
    state: z.enum(['not-configured', 'secret-missing', 'untested', 'working', 'failing']),
    message: z.string(),
    lastCheck: connectionCheckView.nullable(),
  }),
  schema: schemaStatusView,
  schedule: z
    .object({ intervalDays: z.number(), due: z.boolean(), nextDueAt: z.string(), lastSucceededAt: z.string().nullable() })
    .nullable(),
  /** Optional so an answer from a backend without it still parses (the page then leaves the line out). */
  directory: z
    .object({
      lastFullReadAt: z.string().nullable(),
      nextFullReadDueAt: z.string().nullable(),
      fullReadDue: z.boolean(),
      fullReadEveryDays: z.number(),
      users: z.number().nullable(),
    })
    .nullable()
    .default(null),
});
export type OverviewView = z.infer<typeof overviewView>;

export const connectionTestView = z.object({
  userCount: z.number().int(),
  checkedAt: z.string(),
  roles: z.array(z.string()).nullable().default(null),
  /** Whether the token's roles read groups (null: roles unreadable) and whether group sync requires it; absent from older backends. */
  groupsPermission: z.object({ granted: z.boolean().nullable(), required: z.boolean() }).nullable().default(null),
  /**
   * Write-back (issue 17): per capability its least permission, whether it is switched on and whether the token's
   * roles allow it (null: roles unreadable); absent from backends older than it: none.
   */
  writeBack: z
    .array(
      z.object({
        capability: z.enum(WRITE_BACK_CAPABILITIES),
        permission: z.string(),
        switchedOn: z.boolean(),
        granted: z.boolean().nullable(),
      }),
    )
    .default([]),
});
export type ConnectionTestView = z.infer<typeof connectionTestView>;
export const schemaResultView = z.object({ created: z.array(z.string()), repaired: z.array(z.string()) });
export type SchemaResultView = z.infer<typeof schemaResultView>;

/** Diagnostics (src/services/diagnostics.ts): each check with its result, and the support report. */
export const diagnosticsView = z.object({
  checkedAt: z.string(),
  checks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(['pass', 'fail', 'unknown']),
      detail: z.string(),
      action: z.string().nullable(),
      code: z.string().nullable(),
    }),
  ),
  summary: z.object({ pass: z.number().int(), fail: z.number().int(), unknown: z.number().int() }),
  report: z.string(),
});
export type DiagnosticsView = z.infer<typeof diagnosticsView>;

/** The Create Schema job (createSchema starts or joins it, getSchemaJob reads it): its steps as they complete and how it ended. */
export const schemaJobView = z.object({
  jobId: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  steps: z.array(z.object({ label: z.string(), at: z.string() })),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: schemaResultView.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SchemaJobView = z.infer<typeof schemaJobView>;

export const reportAnswerView = z
  .object({ runId: z.string(), report: runReportSchema.nullable(), run: runView.nullable().default(null) })
  .nullable();
export type ReportAnswerView = z.infer<typeof reportAnswerView>;

/** One write-back attempt of the audit trail (src/services/write-back.ts AuditEntry), as the History tab's Actions panel shows it. */
export const auditEntryView = z.object({
  seq: z.number().int(),
  at: z.string(),
  rule: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  capability: z.string(),
  target: z.object({ accountId: z.string().nullable(), entraUserId: z.string().nullable(), objectKey: z.string().nullable() }),
  before: z.string().nullable(),
  after: z.string().nullable(),
  result: z.enum(['changed', 'no change', 'refused', 'failed']),
  code: z.string().nullable(),
  graphRequestId: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

/** syncUser's answer (src/services/single-user-sync.ts SyncUserResult). */
export const syncUserView = z.object({
  runId: z.string(),
  runNumber: z.number().int(),
  written: z.boolean(),
  outcome: z.enum(['created', 'updated', 'inactivated', 'unchanged', 'failed']),
  objectKey: z.string().nullable(),
  matchLevel: z.string().nullable(),
  changes: z.array(z.object({ attribute: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  steps: z.array(z.object({ step: z.string(), status: z.enum(['ok', 'warning', 'failed', 'skipped']), detail: z.string() })),
  error: publicError.nullable(),
});
export type SyncUserView = z.infer<typeof syncUserView>;
