/**
 * An Entra ID user as the sync rules see it: the Entra object id (the anchor once matched), the keys an Atlassian
 * email is matched against, the attributes written to Assets, and the manager's object id. Nothing else is kept:
 * the cached directory stores exactly this shape.
 */
import { z } from 'zod';

export const entraUserSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable(),
  mail: z.string().nullable(),
  userPrincipalName: z.string().nullable(),
  /** Raw entries as Graph returns them ("SMTP:primary@x", "smtp:alias@x", "X500:..."). */
  proxyAddresses: z.array(z.string()),
  otherMails: z.array(z.string()),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  accountEnabled: z.boolean(),
  /** Entra object id of the manager (a user or an organisational contact), or null when there is none. */
  managerId: z.string().nullable(),
  /**
   * Values of the optional attributes the admin chose (attribute-catalogue.ts), by attribute key. Absent in a
   * directory cached before any was chosen.
   */
  extra: z.record(z.string(), z.string().nullable()).optional(),
  /**
   * Values of the Graph properties the sync scope reads (scope.ts, scopeProfileProperties: userType, companyName,
   * ...), by Graph property name. Absent in a directory cached while no scope needed any.
   */
  profile: z.record(z.string(), z.string().nullable()).optional(),
});

export type EntraUser = z.infer<typeof entraUserSchema>;
