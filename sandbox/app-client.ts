/**
 * The sandbox command line talks to the app only as the admin page does: through the resolver keys, via the
 * emulator's invoke. Answers are `unknown` until parsed here; a resolver's refusal is a ResolverError carrying the
 * app's own code and message (written for admins, never holding the secret).
 */
import { z } from 'zod';

import { RESOLVER_KEYS } from '../src/functions/resolver-keys';
import type { Emulator } from './emulator';

const answerSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export class ResolverError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const runCountsSchema = z.object({
  atlassianUsers: z.number(),
  matched: z.number(),
  unmatchedAtlassian: z.number(),
  creates: z.number(),
  updates: z.number(),
  inactivations: z.number(),
  unchanged: z.number(),
  missingManagerLinks: z.number(),
  warnings: z.number(),
  writeFailures: z.number(),
  /** Entra ID users read but excluded by the sync scope (0 from a run without a scope). */
  outOfScope: z.number().default(0),
  /** Group sync (0 while it is off). */
  groupCreates: z.number().default(0),
  groupUpdates: z.number().default(0),
  groupInactivations: z.number().default(0),
  membershipChanges: z.number().default(0),
});
export type RunCounts = z.infer<typeof runCountsSchema>;

export const runViewSchema = z.object({
  runId: z.string(),
  number: z.number(),
  mode: z.enum(['preview', 'sync', 'single-user']),
  trigger: z.enum(['manual', 'scheduled']),
  status: z.string(),
  stage: z.string().nullable(),
  progress: z.object({ processed: z.number(), total: z.number().nullable(), label: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: runCountsSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  safety: z.object({ inactivations: z.number(), activeBefore: z.number(), threshold: z.number() }).nullable().optional(),
});
export type RunView = z.infer<typeof runViewSchema>;

export const publicSettingsSchema = z
  .object({
    tenantId: z.string(),
    clientId: z.string(),
    cloud: z.string(),
    intervalDays: z.number(),
    scope: z.string().default(''),
    attributes: z.array(z.string()).default([]),
    groups: z.string().default('off'),
    groupMembership: z.enum(['direct', 'transitive']).default('direct'),
  })
  .passthrough();
export type PublicSettingsView = z.infer<typeof publicSettingsSchema>;

export const lastRunSchema = z
  .object({
    entry: z.object({ runId: z.string(), number: z.number(), status: z.string(), startedAt: z.string(), mode: z.string() }).passthrough(),
    lastSucceededAt: z.string().nullable(),
  })
  .passthrough();
export const statusSchema = z
  .object({
    activeRun: runViewSchema.nullable(),
    lastManual: lastRunSchema.nullable(),
    lastScheduled: lastRunSchema.nullable(),
    settings: publicSettingsSchema.nullable(),
  })
  .passthrough();
export type StatusView = z.infer<typeof statusSchema>;

/** The Create Schema job as createSchema and getSchemaJob answer it (src/services/schema-job.ts). */
export const schemaJobSchema = z
  .object({
    jobId: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    steps: z.array(z.object({ label: z.string(), at: z.string() }).passthrough()),
    result: z.object({ created: z.array(z.string()), repaired: z.array(z.string()) }).nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .passthrough();
export type SchemaJobView = z.infer<typeof schemaJobSchema>;

export function createAppClient(emulator: Pick<Emulator, 'invoke'>) {
  async function call(key: string, payload?: Record<string, unknown>): Promise<unknown> {
    const answer = answerSchema.safeParse(await emulator.invoke(key, payload));
    if (!answer.success)
      throw new ResolverError('RESPONSE_MALFORMED', `The resolver ${key} answered in a shape the sandbox does not understand.`);
    if (!answer.data.ok) throw new ResolverError(answer.data.error.code, answer.data.error.message);
    return answer.data.data;
  }
  async function parsed<S extends z.ZodType>(key: string, schema: S, payload?: Record<string, unknown>): Promise<z.infer<S>> {
    const data = await call(key, payload);
    const result = schema.safeParse(data);
    if (!result.success)
      throw new ResolverError('RESPONSE_MALFORMED', `The resolver ${key} answered in a shape the sandbox does not understand.`);
    return result.data;
  }

  return {
    /** The raw data of a resolver, for --json output. */
    raw: call,
    getSettings: () => parsed(RESOLVER_KEYS.getSettings, publicSettingsSchema.nullable()),
    saveSettings: (settings: Record<string, unknown>) => parsed(RESOLVER_KEYS.saveSettings, publicSettingsSchema, settings),
    testConnection: () => parsed(RESOLVER_KEYS.testConnection, z.object({ userCount: z.number() }).passthrough()),
    /** Starts the Create Schema job (or joins the running one): its state, not its result (see schemaJobSchema). */
    createSchema: () => parsed(RESOLVER_KEYS.createSchema, schemaJobSchema),
    getSchemaJob: () => parsed(RESOLVER_KEYS.getSchemaJob, schemaJobSchema.nullable()),
    startPreview: () => parsed(RESOLVER_KEYS.startPreview, runViewSchema.passthrough()),
    startSync: () => parsed(RESOLVER_KEYS.startSync, runViewSchema.passthrough()),
    getRun: (runId: string) => parsed(RESOLVER_KEYS.getRun, runViewSchema.passthrough().nullable(), { runId }),
    getStatus: () => parsed(RESOLVER_KEYS.getStatus, statusSchema),
    getHistory: () => call(RESOLVER_KEYS.getHistory),
    getReport: (runId: string) => call(RESOLVER_KEYS.getReport, { runId }),
  };
}

export type AppClient = ReturnType<typeof createAppClient>;
