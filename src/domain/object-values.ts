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
  /** The target's Entra object id (the key is named for the Employee type, the only reference target so far). */
  entraUserId: z.string().min(1),
  /** The target's object when it exists before this run; null when this run creates it. */
  objectId: z.string().min(1).nullable(),
});
export type ReferenceTarget = z.infer<typeof referenceTargetSchema>;

export const storedValueSchema = z.union([z.string(), z.boolean(), z.null()]);
export type StoredValue = z.infer<typeof storedValueSchema>;
export const objectValuesSchema = z.record(z.string(), storedValueSchema);
export type ObjectValues = Record<string, StoredValue>;

/**
 * What the app writes to an object: stored-form values (a reference as the referenced object's id), only the
 * attributes to set; null clears one.
 */
export type ObjectWrite = ObjectValues;

export const plannedValueSchema = z.union([z.string(), z.boolean(), referenceTargetSchema, z.null()]);
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

/** A stored value as text: null for no value or a Boolean. */
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
      const existing = textOf(stored);
      if (planned === null || typeof planned !== 'object') return existing !== null;
      // A target created in this run has no object id yet, so the reference must be written whatever is there now.
      return planned.objectId === null || planned.objectId !== existing;
    }
    default:
      return textOf(stored) !== planned;
  }
}
