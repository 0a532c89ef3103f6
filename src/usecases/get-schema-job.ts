/** The Create Schema job's state, polled by the Setup tab while it runs. */
import { getSchemaJob, type SchemaJobDeps } from '../services/schema-job';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const getSchemaJobUseCase = defineUseCase({
  name: 'getSchemaJob',
  input: noInput,
  access: 'jira-admin',
  run: (deps: SchemaJobDeps) => getSchemaJob(deps),
});
