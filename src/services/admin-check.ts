/**
 * The admin page's resolvers must not trust that only admins can reach them: every call checks that the caller
 * holds the Jira global permission ADMINISTER (POST /rest/api/3/permissions/check, as the app, for the caller).
 */
import { z } from 'zod';
import type { JiraFetch } from '../clients/http';
import { readJson } from '../clients/http';
import { AppError } from '../domain/errors';

const answerSchema = z.object({ globalPermissions: z.array(z.string()).default([]) });

export async function requireJiraAdmin(fetch: JiraFetch, accountId: string | undefined): Promise<void> {
  if (accountId === undefined || accountId.length === 0) {
    throw new AppError('PERMISSION_DENIED', 'Only Jira administrators can use Entra ID Sync.');
  }
  const response = await fetch({
    method: 'POST',
    url: '/rest/api/3/permissions/check',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ accountId, globalPermissions: ['ADMINISTER'] }),
  });
  if (response.status !== 200) {
    throw new AppError('PERMISSION_DENIED', 'Jira could not confirm that you are an administrator. Reload the page and try again.', { context: { status: response.status } });
  }
  const answer = await readJson(response, answerSchema, 'Jira permission check');
  if (!answer.globalPermissions.includes('ADMINISTER')) {
    throw new AppError('PERMISSION_DENIED', 'Only Jira administrators can use Entra ID Sync.');
  }
}
