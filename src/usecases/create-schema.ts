/** Starts the Create Schema job (or joins the running one) and answers its state at once; see src/services/schema-job.ts. */
import type { SchemaJobQueue } from '../pipeline/schema-job-queue';
import { type SchemaJobDeps, startSchemaJob } from '../services/schema-job';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export interface CreateSchemaDeps extends SchemaJobDeps {
  /** The job's queue (Forge's in src/adapters/forge-schema-queue.ts, built in src/functions/wiring.ts). */
  readonly schemaJobQueue: SchemaJobQueue;
}

export const createSchemaUseCase = defineUseCase({
  name: 'createSchema',
  input: noInput,
  access: 'jira-admin',
  run: (deps: CreateSchemaDeps) => startSchemaJob(deps, deps.schemaJobQueue),
});
