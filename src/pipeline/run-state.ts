/**
 * The records that describe runs: the run itself (status, stage, progress: what the admin page polls), the
 * history entry kept for the run-history panel, and the summary of the last manual / scheduled sync.
 * Every record carries a version `v` and is parsed with zod when read back.
 */
import { z } from 'zod';

import { buildSchemaDefinition } from '../domain/attribute-catalogue';
import { GROUP_SYNC_OFF, groupMembershipSchema, groupSelectionSchema, isGroupSyncOn } from '../domain/group-sync';
import { reportCountsSchema } from '../domain/report';
import type { SchemaDefinition } from '../domain/schema-definition';
import { scopeGroupIds, scopeProfileProperties, scopeSchema } from '../domain/scope';
import { runIdSchema, STAGE_ORDER } from './messages';

export const RUN_STATE_VERSION = 1;

/** The run's counts are the report's counts (src/domain/report.ts): one definition. */
export const runCountsSchema = reportCountsSchema;
export type RunCounts = z.infer<typeof runCountsSchema>;

export const RUN_STATUSES = ['queued', 'running', 'awaiting-confirmation', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * 'single-user': the single-user sync (src/services/single-user-sync.ts), one person read and written within one
 * invocation under the run lock; it has no stages. Records stored before it existed hold the other two.
 */
export const runModeSchema = z.enum(['preview', 'sync', 'single-user']);
export type RunMode = z.infer<typeof runModeSchema>;
export const runTriggerSchema = z.enum(['manual', 'scheduled']);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

export const publicErrorSchema = z.object({ code: z.string(), message: z.string() });

export const stageNameSchema = z.enum(STAGE_ORDER);

export const runStateSchema = z.object({
  v: z.literal(RUN_STATE_VERSION),
  runId: runIdSchema,
  /** Monotonic run number of this installation; picks the history slot. */
  number: z.number().int().min(1),
  mode: runModeSchema,
  trigger: runTriggerSchema,
  /** accountId of the admin who started it; null for scheduled runs. */
  startedBy: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  stage: stageNameSchema.nullable(),
  progress: z.object({ processed: z.number().int().min(0), total: z.number().int().min(0).nullable(), label: z.string() }),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: runCountsSchema.nullable(),
  error: publicErrorSchema.nullable(),
  /** Retries so far: "later" (throttling, rescheduled) and "now" (transient errors), for logs and support. */
  retries: z.object({ later: z.number().int().min(0), now: z.number().int().min(0) }).default({ later: 0, now: 0 }),
  /** Queue pushes made by this run's chain (Forge allows 1,000 per originating invocation). */
  pushes: z.number().int().min(0),
  /** Set when the chain stopped pushing near Forge's limit: the step to push when the run is re-seeded. */
  parked: z
    .object({ stage: stageNameSchema, seq: z.number().int().min(0) })
    .nullable()
    .default(null),
  /**
   * The optional attributes of the run's schema definition (buildSchemaDefinition), fixed when the run starts so
   * every stage works from the same definition even if the settings change meanwhile. Absent in runs started
   * before attributes could be chosen: the core definition.
   */
  attributes: z.array(z.string()).default([]),
  /** The directory extension properties of the run's definition, fixed like `attributes`; absent in older runs: none. */
  extensions: z.array(z.object({ property: z.string(), name: z.string() })).default([]),
  /**
   * The sync scope (scope.ts), fixed when the run starts like `attributes`, so the directory read and the plan of a
   * run use the same rules. null: everyone. Absent in runs started before the scope existed: everyone.
   */
  scope: scopeSchema.nullable().default(null),
  /**
   * Group sync (group-sync.ts), fixed when the run starts like `attributes`: which groups become Entra Group objects
   * and whether memberships are direct or transitive. Absent in runs started before group sync existed: off.
   */
  groups: groupSelectionSchema.default(GROUP_SYNC_OFF),
  groupMembership: groupMembershipSchema.default('direct'),
  /** Safety threshold figures when the run stopped for confirmation. */
  safety: z.object({ inactivations: z.number().int(), activeBefore: z.number().int(), threshold: z.number() }).nullable(),
});
export type RunState = z.infer<typeof runStateSchema>;

/** The schema definition the run works from (its attributes were fixed when it started). */
export function runDefinition(run: Pick<RunState, 'attributes'> & Partial<Pick<RunState, 'extensions' | 'groups'>>): SchemaDefinition {
  return buildSchemaDefinition(run.attributes, run.extensions ?? [], { groups: isGroupSyncOn(run.groups) });
}

/**
 * Whether the run reads Entra groups (the entraGroups stage): for group sync, and for a scope with a group
 * membership rule (memberOf) even while group sync is off.
 */
export function runReadsGroups(run: Pick<RunState, 'groups'> & Partial<Pick<RunState, 'scope'>>): boolean {
  return isGroupSyncOn(run.groups) || scopeGroupIds(run.scope ?? null).length > 0;
}

/** The Graph properties the run's scope reads (kept in EntraUser.profile). */
export function runProfile(run: Pick<RunState, 'scope'>): string[] {
  return scopeProfileProperties(run.scope);
}

export const historyEntrySchema = z.object({
  v: z.literal(1),
  runId: runIdSchema,
  number: z.number().int(),
  mode: runModeSchema,
  trigger: runTriggerSchema,
  startedBy: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().min(0).nullable(),
  counts: runCountsSchema.nullable(),
  error: publicErrorSchema.nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const HISTORY_SIZE = 50;

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function toHistoryEntry(run: RunState): HistoryEntry {
  const durationMs = run.finishedAt === null ? null : Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt));
  return {
    v: 1,
    runId: run.runId,
    number: run.number,
    mode: run.mode,
    trigger: run.trigger,
    startedBy: run.startedBy,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs,
    counts: run.counts,
    error: run.error,
  };
}
