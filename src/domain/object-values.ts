/**
 * Attribute values, keyed by attribute key (schema-definition.ts), in the two forms the app handles:
 * - stored: what an object in Assets holds, decoded (text, a Boolean, a User attribute's accountId, a reference's
 *   referenced object id), null when the object has no value;
 * - planned: what the app wants written, where a reference names its target by Entra id (the target may be created
 *   in the same run, before it has an object id).
 * And the rules for reading, cutting and comparing them, by attribute kind.
 */
import { z } from 'zod';

import { ASSETS_TEXT_MAX_LENGTH, type AttributeDefinition } from './schema-definition';

export const referenceTargetSchema = z.object({
  /**
   * The target's Entra object id: a user's, or a group's for a reference to an Entra Group (the field keeps the name
   * it had when Employee was the only target: stored plans use it; Entra object ids are unique across users and groups).
   */
  entraUserId: z.string().min(1),
  /** The target's object when it exists before this run; null when this run creates it. */
  objectId: z.string().min(1).nullable(),
});
export type ReferenceTarget = z.infer<typeof referenceTargetSchema>;

/** A list: a many-valued reference (an Employee's Groups), the referenced objects' ids in any order. */
export const storedValueSchema = z.union([z.string(), z.boolean(), z.array(z.string()), z.null()]);
export type StoredValue = z.infer<typeof storedValueSchema>;
export const objectValuesSchema = z.record(z.string(), storedValueSchema);
export type ObjectValues = Record<string, StoredValue>;

/**
 * What the app writes to an object: stored-form values (a reference as the referenced object's id), only the
 * attributes to set; null clears one.
 */
export type ObjectWrite = ObjectValues;

/** A list of targets: a many-valued reference, the whole list the attribute should hold (sorted by Entra id). */
export const plannedValueSchema = z.union([z.string(), z.boolean(), referenceTargetSchema, z.array(referenceTargetSchema), z.null()]);
export type PlannedValue = z.infer<typeof plannedValueSchema>;
export const plannedValuesSchema = z.record(z.string(), plannedValueSchema);
/** Only the attributes to write; an absent key keeps the object's current value. */
export type PlannedValues = Record<string, PlannedValue>;

/** '' and whitespace-only mean "no value" on both sides. */
export function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.length === 0) return null;
  // A printable ASCII first character settles it without scanning (the usual case in 100k-user loops).
  const first = value.charCodeAt(0);
  if (first > 32 && first < 127) return value;
  return value.trim().length === 0 ? null : value;
}

/** A planned single reference (not a list, not text). */
export function isReferenceTarget(value: PlannedValue | undefined): value is ReferenceTarget {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A stored value as text: null for no value, a Boolean or a list. */
export function textOf(value: StoredValue | undefined): string | null {
  return typeof value === 'string' ? blankToNull(value) : null;
}

/** Cuts to the Assets limit without splitting a surrogate pair (so the result is at most the limit either way). */
export function fitText(value: string, max = ASSETS_TEXT_MAX_LENGTH): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return value.slice(0, splitsPair ? max - 1 : max);
}

/** Whether what an object holds differs from what the app wants, by the attribute's kind. */
export function valueDiffers(attribute: AttributeDefinition, stored: StoredValue | undefined, planned: PlannedValue): boolean {
  switch (attribute.kind.type) {
    case 'boolean':
      return (stored ?? null) !== planned;
    case 'reference': {
      if (attribute.kind.many === true) return listDiffers(stored, planned);
      const existing = textOf(stored);
      if (planned === null || typeof planned !== 'object' || Array.isArray(planned)) return existing !== null;
      // A target created in this run has no object id yet, so the reference must be written whatever is there now.
      return planned.objectId === null || planned.objectId !== existing;
    }
    default:
      return textOf(stored) !== planned;
  }
}

/**
 * A many-valued reference: differs unless the object holds exactly the planned targets' objects (order aside). A
 * target created in this run has no object id yet, so the list must be written whatever is there now.
 */
function listDiffers(stored: StoredValue | undefined, planned: PlannedValue): boolean {
  const targets = Array.isArray(planned) ? planned : [];
  const existing = Array.isArray(stored) ? new Set(stored) : new Set<string>();
  if (targets.length !== existing.size) return true;
  return targets.some((target) => target.objectId === null || !existing.has(target.objectId));
}
