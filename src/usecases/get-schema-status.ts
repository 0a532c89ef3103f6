/** A read-only check of the ENTRA schema in Assets. */
import { type ConnectionDeps, createAssets } from '../services/connections';
import { readSchemaStatus } from '../services/schema-status';
import { readSchemaDefinition } from '../services/settings-service';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const getSchemaStatusUseCase = defineUseCase({
  name: 'getSchemaStatus',
  input: noInput,
  access: 'jira-admin',
  run: async (deps: { readonly connectionDeps: ConnectionDeps }) =>
    readSchemaStatus(createAssets(deps.connectionDeps), await readSchemaDefinition(deps.connectionDeps)),
});
