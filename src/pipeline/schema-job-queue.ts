/**
 * The Create Schema job's queue (manifest.yml: consumer schema-job-consumer -> function schema-job) and its one
 * message shape. The message only names the job; everything else is in the job record (src/services/schema-job.ts).
 */
import { z } from 'zod';

export const SCHEMA_JOB_QUEUE = 'schema-job' as const;

export const schemaJobMessageSchema = z.object({ v: z.literal(1), jobId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/) }).strict();
export type SchemaJobMessage = z.infer<typeof schemaJobMessageSchema>;

/** Pushes a schema job message; throws AppError QUEUE_PUSH_FAILED when Forge refuses it. */
export type SchemaJobQueue = (message: SchemaJobMessage) => Promise<void>;
