/**
 * The Assets client the pipeline and the admin page use: workspace discovery, the schema check (inspect/ensure),
 * the object snapshots and the per-object writes, over one transport and one retry policy.
 */
import type { JiraFetch } from '../http';
import type { RetryPolicy } from '../retry-policy';
import { createObjectClient, type ObjectClient } from './object-client';
import { createSchemaClient, type SchemaClient } from './schema-client';
import { createWorkspaceLookup, type WorkspaceCache } from './workspace';

export type { ObjectPage, ObjectWriteFailure, ObjectWriteFailureCode, ObjectWriteResult } from './object-client';
export type { SchemaEnsureResult, SchemaInspection } from './schema-layout';
export type { WorkspaceCache } from './workspace';

export interface AssetsClient extends SchemaClient, ObjectClient {
  getWorkspaceId(): Promise<string>;
}

export function createAssetsClient(deps: { fetch: JiraFetch; policy: RetryPolicy; workspaceCache: WorkspaceCache }): AssetsClient {
  const transport = { fetch: deps.fetch, policy: deps.policy };
  const getWorkspaceId = createWorkspaceLookup(transport, deps.workspaceCache);
  return { getWorkspaceId, ...createSchemaClient(transport, getWorkspaceId), ...createObjectClient(transport) };
}
