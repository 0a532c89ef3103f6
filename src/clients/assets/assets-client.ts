/**
 * The Assets client the pipeline and the admin page use: workspace discovery, the schema check (inspect/ensure),
 * the Employee snapshot and the per-object writes, over one transport and one retry policy.
 */
import type { JiraFetch } from '../http';
import type { RetryPolicy } from '../retry-policy';
import { createEmployeeClient, type EmployeeClient } from './employee-client';
import { createSchemaClient, type SchemaClient } from './schema-client';
import { createWorkspaceLookup, type WorkspaceCache } from './workspace';

export type { EmployeeWrite } from './employee-codec';
export type { EmployeePage, EmployeeWriteFailure, EmployeeWriteFailureCode, EmployeeWriteResult } from './employee-client';
export { schemaLayoutSchema, type SchemaEnsureResult, type SchemaInspection, type SchemaLayout } from './schema-layout';
export type { WorkspaceCache } from './workspace';

export interface AssetsClient extends SchemaClient, EmployeeClient {
  getWorkspaceId(): Promise<string>;
}

export function createAssetsClient(deps: { fetch: JiraFetch; policy: RetryPolicy; workspaceCache: WorkspaceCache }): AssetsClient {
  const transport = { fetch: deps.fetch, policy: deps.policy };
  const getWorkspaceId = createWorkspaceLookup(transport, deps.workspaceCache);
  return { getWorkspaceId, ...createSchemaClient(transport, getWorkspaceId), ...createEmployeeClient(transport) };
}
