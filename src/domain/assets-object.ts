/**
 * An object of one of the app's object types as read from Assets, with its attribute values decoded and keyed by
 * attribute key (object-values.ts). Values the object does not have are null or absent.
 */
import { z } from 'zod';

import { objectValuesSchema } from './object-values';

/**
 * Snapshots stored before attribute keys named the values held the manager reference as `managerObjectId`; they
 * are read as the `manager` attribute, so a run in flight across an upgrade still plans right.
 */
const valuesSchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null || !('managerObjectId' in raw) || 'manager' in raw) return raw;
  const { managerObjectId, ...rest } = raw as Record<string, unknown>;
  return { ...rest, manager: managerObjectId };
}, objectValuesSchema);

export const assetsObjectSchema = z.object({
  objectId: z.string().min(1),
  objectKey: z.string(),
  values: valuesSchema,
});

export type AssetsObject = z.infer<typeof assetsObjectSchema>;
