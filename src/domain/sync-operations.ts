/**
 * The writes a sync plan asks for, as data the pipeline can store in chunks and read back (hence the zod schemas).
 * Write order: creates by ascending wave, then updates and inactivations, then managerLinks. A manager that is
 * created in the same run is referenced by its Entra User ID (objectId null) and resolved by the writer from the
 * objects it created earlier in the run; that is why updates and inactivations come after every create.
 */
import { z } from 'zod';

export const managerTargetSchema = z.object({
  entraUserId: z.string().min(1),
  /** The manager's Employee object when it exists before this run; null when this run creates it. */
  objectId: z.string().min(1).nullable(),
});
export type ManagerTarget = z.infer<typeof managerTargetSchema>;

/** Every attribute the app owns, as the writer must set it. */
export const plannedValuesSchema = z.object({
  fullName: z.string().nullable(),
  entraUserId: z.string().min(1),
  email: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  atlassianAccountId: z.string().nullable(),
  jiraUser: z.string().nullable(),
  active: z.boolean(),
  manager: managerTargetSchema.nullable(),
  managerAtlassianAccountId: z.string().nullable(),
});
export type PlannedValues = z.infer<typeof plannedValuesSchema>;

/** Only the attributes to write; an absent key keeps the object's current value. */
export const plannedChangesSchema = plannedValuesSchema.partial();
export type PlannedChanges = z.infer<typeof plannedChangesSchema>;

export const createOperationSchema = z.object({
  kind: z.literal('create'),
  entraUserId: z.string().min(1),
  accountId: z.string().min(1),
  values: plannedValuesSchema,
  /** 0: nothing it references is created in this run; n: write after every create of wave n - 1. */
  wave: z.number().int().nonnegative(),
});
export type CreateOperation = z.infer<typeof createOperationSchema>;

export const updateOperationSchema = z.object({
  kind: z.literal('update'),
  objectId: z.string().min(1),
  objectKey: z.string(),
  entraUserId: z.string().min(1),
  accountId: z.string().min(1),
  changes: plannedChangesSchema,
});
export type UpdateOperation = z.infer<typeof updateOperationSchema>;

export const INACTIVATION_REASONS = [
  'entra-user-disabled',
  'entra-user-missing',
  'atlassian-account-inactive',
  'atlassian-account-missing',
  'no-longer-matched',
  'missing-entra-user-id',
  'duplicate-entra-user-id',
] as const;
export const inactivationReasonSchema = z.enum(INACTIVATION_REASONS);
export type InactivationReason = z.infer<typeof inactivationReasonSchema>;

export const inactivationOperationSchema = z.object({
  kind: z.literal('inactivate'),
  objectId: z.string().min(1),
  objectKey: z.string(),
  /** The object's Entra User ID; null for an object that has none. */
  entraUserId: z.string().nullable(),
  reason: inactivationReasonSchema,
  /** Always holds active: false, plus any other attribute the same write corrects. */
  changes: plannedChangesSchema,
});
export type InactivationOperation = z.infer<typeof inactivationOperationSchema>;

/** Sets the manager of an object created in this run without it (its manager chain is a cycle). */
export const managerLinkOperationSchema = z.object({
  kind: z.literal('manager-link'),
  /** The object to write, created in this run: the writer finds it by Entra User ID. */
  entraUserId: z.string().min(1),
  manager: managerTargetSchema,
  managerAtlassianAccountId: z.string().nullable(),
});
export type ManagerLinkOperation = z.infer<typeof managerLinkOperationSchema>;

export const syncOperationSchema = z.discriminatedUnion('kind', [
  createOperationSchema,
  updateOperationSchema,
  inactivationOperationSchema,
  managerLinkOperationSchema,
]);
export type SyncOperation = z.infer<typeof syncOperationSchema>;
