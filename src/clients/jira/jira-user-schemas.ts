/**
 * The shapes of Jira's user search and email API responses, reduced to what the sync rules need. The display
 * name is deliberately not kept: the rules do not use it and it is personal data.
 */
import { z } from 'zod';

/** One account from GET /rest/api/3/users/search. emailAddress is absent or null when profile visibility hides it. */
export const jiraAccountRecordSchema = z
  .object({
    accountId: z.string().min(1),
    /** 'atlassian' | 'app' | 'customer' | 'unknown'; absent is read as 'unknown' so the rules ignore the account. */
    accountType: z.string().optional(),
    active: z.boolean(),
    emailAddress: z.string().nullable().optional(),
  })
  .transform((raw) => ({
    accountId: raw.accountId,
    accountType: raw.accountType ?? 'unknown',
    active: raw.active,
    emailAddress: nonBlank(raw.emailAddress),
  }));

export type JiraAccountRecord = z.output<typeof jiraAccountRecordSchema>;

export const usersSearchPageSchema = z.array(jiraAccountRecordSchema);

const emailEntrySchema = z.object({
  accountId: z.string().min(1),
  email: z.string().nullable().optional(),
});

/** GET /rest/api/3/user/email/bulk: the spec types it as one object, Jira answers an array (verify): accept both. */
export const emailBulkSchema = z
  .union([z.array(emailEntrySchema), emailEntrySchema])
  .transform((value) => (Array.isArray(value) ? value : [value]));

function nonBlank(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  return value.trim() === '' ? null : value;
}
