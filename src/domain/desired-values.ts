/**
 * What an object should hold for a matched pair, and which attributes of an existing object differ from it, for
 * whatever attributes the definition has. Values Assets cannot hold are cut here, and the comparison uses the cut
 * value, so a resync of unchanged data plans nothing even when Entra keeps sending a 300-character job title.
 */
import { blankToNull, fitText, type ObjectValues, type PlannedValues, valueDiffers } from './object-values';
import { ASSETS_TEXT_MAX_LENGTH, type ObjectTypeDefinition, type ValueSource } from './schema-definition';

/**
 * The values for a pair (or a group), one per attribute of the type. Keys of attributes whose value was longer than Assets
 * allows are pushed onto `cut` (a list the caller owns and empties, so the usual case of nothing cut allocates
 * nothing).
 */
export function desiredValues(type: ObjectTypeDefinition, source: ValueSource, cut: string[]): PlannedValues {
  const values: PlannedValues = {};
  // Runs once per matched user (100k times in a large tenant): no allocation beyond the values object.
  for (const attribute of type.attributes) {
    let value = attribute.desired(source);
    if (typeof value === 'string') {
      value = blankToNull(value);
      if (value !== null && attribute.cut && value.length > ASSETS_TEXT_MAX_LENGTH) {
        value = fitText(value);
        cut.push(attribute.key);
      }
    }
    values[attribute.key] = value;
  }
  return values;
}

/** The attributes of `existing` that differ from `desired`; null when none does. */
export function diffValues(type: ObjectTypeDefinition, existing: ObjectValues, desired: PlannedValues): PlannedValues | null {
  let changes: PlannedValues | null = null;
  for (const attribute of type.attributes) {
    const key = attribute.key;
    const planned = desired[key] ?? null;
    if (valueDiffers(attribute, existing[key], planned)) (changes ??= {})[key] = planned;
  }
  return changes;
}
