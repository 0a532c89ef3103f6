/**
 * The writes a sync plan asks for, as data the pipeline can store in chunks and read back (hence the zod schemas).
 * Write order: creates by ascending wave, then updates and inactivations, then managerLinks. A manager that is
 * created in the same run is referenced by its Entra User ID (objectId null) and resolved by the writer from the
 * objects it created earlier in the run; that is why updates and inactivations come after every create.
 */
import { z } from 'zod';

import { plannedValuesSchema, type ReferenceTarget, referenceTargetSchema } from './object-values';
import { OBJECT_TYPE_KEYS } from './schema-definition';

/** The object types an operation can write; stored before this field existed means an Employee. */
const objectTypeField = z.enum(OBJECT_TYPE_KEYS).default('employee');

/** A manager, named as a reference target (kept as its own name: stored plans use it). */
export const managerTargetSchema = referenceTargetSchema;
export type ManagerTarget = ReferenceTarget;

export const createOperationSchema = z.object({
  kind: z.literal('create'),
  objectType: objectTypeField,
  entraUserId: z.string().min(1),
  accountId: z.string().min(1),
  /** Every attribute of the run's definition. */
  values: plannedValuesSchema,
  /** 0: nothing it references is created in this run; n: write after every create of wave n - 1. */
  wave: z.number().int().nonnegative(),
});
export type CreateOperation = z.infer<typeof createOperationSchema>;

export const updateOperationSchema = z.object({
  kind: z.literal('update'),
  objectType: objectTypeField,
  objectId: z.string().min(1),
  objectKey: z.string(),
  entraUserId: z.string().min(1),
  accountId: z.string().min(1),
  changes: plannedValuesSchema,
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
  /** The Entra ID user is read but outside the sync scope (scope.ts). */
  'out-of-scope',
  /** Entra Group objects (plan-groups.ts): the group was deleted in Entra ID. */
  'entra-group-missing',
  /** The group is in Entra ID but group sync no longer selects it. */
  'group-not-selected',
  /** Another Entra Group object has the same Entra Group ID. */
  'duplicate-entra-group-id',
] as const;
export const inactivationReasonSchema = z.enum(INACTIVATION_REASONS);
export type InactivationReason = z.infer<typeof inactivationReasonSchema>;

export const inactivationOperationSchema = z.object({
  kind: z.literal('inactivate'),
  objectType: objectTypeField,
  objectId: z.string().min(1),
  objectKey: z.string(),
  /** The object's Entra id (its type's anchor: Entra User ID, Entra Group ID); null for an object that has none. */
  entraUserId: z.string().nullable(),
  reason: inactivationReasonSchema,
  /** Always holds active: false, plus any other attribute the same write corrects. */
  changes: plannedValuesSchema,
});
export type InactivationOperation = z.infer<typeof inactivationOperationSchema>;

/** Sets the manager of an object created in this run without it (its manager chain is a cycle). */
export const managerLinkOperationSchema = z.object({
  kind: z.literal('manager-link'),
  objectType: objectTypeField,
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
