/**
 * Finds the site's Assets workspace id (one per site) and keeps it: the cache port persists it across
 * invocations, and the client keeps it in memory, so the lookup happens once per site, not once per call.
 * A site without Assets (JSM Standard/Free) answers an empty list: that is said plainly.
 */
import { z } from 'zod';

import { AppError } from '../../domain/errors';
import { readJson, readJsonLoose } from '../http';
import { jiraGet } from '../jira/jira-http';
import { ASSETS_RETRY_RULES, type AssetsTransport } from './assets-http';
import { workspacePageSchema } from './assets-schemas';

export const WORKSPACE_PATH = '/rest/servicedeskapi/assets/workspace';

export interface WorkspaceCache {
  read(): Promise<unknown>;
  write(id: string): Promise<void>;
}

const cachedIdSchema = z.string().min(1);

export function createWorkspaceLookup(transport: AssetsTransport, cache: WorkspaceCache): () => Promise<string> {
  let known: string | null = null;
  let pending: Promise<string> | null = null;

  async function lookup(): Promise<string> {
    const cached = cachedIdSchema.safeParse(await cache.read());
    if (cached.success) return cached.data;
    const id = await fetchWorkspaceId(transport);
    await cache.write(id);
    return id;
  }

  return async () => {
    if (known !== null) return known;
    // Concurrent first calls share one lookup.
    pending ??= lookup().finally(() => {
      pending = null;
    });
    known = await pending;
    return known;
  };
}

async function fetchWorkspaceId(transport: AssetsTransport): Promise<string> {
  const context = { endpoint: 'assets/workspace' };
  const response = await jiraGet(transport.fetch, transport.policy, {
    path: WORKSPACE_PATH,
    rules: { ...ASSETS_RETRY_RULES, service: 'Jira Service Management' },
    context,
  });
  if (response.status === 401 || response.status === 403) {
    const body = await readJsonLoose(response);
    throw new AppError(
      'ASSETS_UNAUTHORIZED',
      `Jira Service Management refused to tell the app the Assets workspace (HTTP ${response.status}). The app needs the ` +
        `scope read:servicedesk-request; check that the installed app version has it.`,
      { context: { ...context, status: response.status }, cause: body },
    );
  }
  if (response.status === 404) {
    await response.text().catch(() => undefined);
    throw notAvailable(404);
  }
  if (response.status !== 200) {
    const body = await readJsonLoose(response);
    throw new AppError('ASSETS_REQUEST_FAILED', `Jira Service Management could not list the Assets workspace (HTTP ${response.status}).`, {
      context: { ...context, status: response.status },
      cause: body,
      retry: response.status >= 500 ? 'later' : 'permanent',
    });
  }
  const page = await readJson(response, workspacePageSchema, 'Jira Service Management (Assets workspace)', context);
  const first = page.values[0];
  if (!first) throw notAvailable(200);
  return first.workspaceId;
}

function notAvailable(status: number): AppError {
  return new AppError(
    'ASSETS_NOT_AVAILABLE',
    'Assets is not enabled on this site: it needs Jira Service Management Premium or Enterprise. Upgrade the site (or ' +
      'enable Assets), then run the schema check again.',
    { context: { endpoint: 'assets/workspace', status } },
  );
}
