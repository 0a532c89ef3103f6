/**
 * An Atlassian account as Jira's user search returns it, reduced to what the rules need. The email is the visible
 * emailAddress or, when the profile hides it, the one the email API returned; null when neither is known.
 */
import { z } from 'zod';

export const atlassianAccountSchema = z.object({
  accountId: z.string().min(1),
  /** 'atlassian' | 'app' | 'customer'; kept open because Jira may add types. */
  accountType: z.string(),
  active: z.boolean(),
  email: z.string().nullable(),
});

export type AtlassianAccount = z.infer<typeof atlassianAccountSchema>;
