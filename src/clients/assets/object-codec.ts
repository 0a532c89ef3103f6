/**
 * Translates between Assets objects and the domain's attribute values, by the object type's definition. Assets values are strings whatever the
 * attribute type: Boolean 'true'/'false', a User attribute the accountId, an object reference the referenced
 * object's id, Date the ISO 8601 date YYYY-MM-DD (the domain's form, written as it is). Reading is lenient where Assets varies (a User value may come as `value` or only as `user.key`),
 * writing is exact.
 */
import type { AssetsObject } from '../../domain/assets-object';
import type { ObjectValues, ObjectWrite } from '../../domain/object-values';
import type { AttributeDefinition, ObjectTypeDefinition } from '../../domain/schema-definition';
import type { ObjectTypeLayout } from '../../domain/schema-layout';
import type { AssetsObjectAttributeValue, AssetsObjectEntry } from './assets-schemas';

export interface AttributeWrite {
  readonly objectTypeAttributeId: string;
  readonly objectAttributeValues: { readonly value: string }[];
}

/**
 * The `attributes` list of an object create/update body, holding only the attributes present in `values`, in the
 * definition's order. null clears the attribute (an empty value list; verify on a real site) on update and is left
 * out on create.
 */
export function encodeObject(
  type: ObjectTypeDefinition,
  ids: ObjectTypeLayout,
  values: Readonly<ObjectWrite>,
  mode: 'create' | 'update',
): AttributeWrite[] {
  const attributes: AttributeWrite[] = [];
  for (const { key } of type.attributes) {
    const value = values[key];
    const attributeId = ids.attributeIds[key];
    if (value === undefined || attributeId === undefined) continue;
    if (value === null) {
      if (mode === 'update') attributes.push({ objectTypeAttributeId: attributeId, objectAttributeValues: [] });
      continue;
    }
    if (Array.isArray(value)) {
      // A many-valued reference: the whole list, every time (an empty list clears it, on create it is left out).
      if (value.length === 0 && mode === 'create') continue;
      attributes.push({ objectTypeAttributeId: attributeId, objectAttributeValues: value.map((id) => ({ value: id })) });
      continue;
    }
    attributes.push({
      objectTypeAttributeId: attributeId,
      objectAttributeValues: [{ value: typeof value === 'boolean' ? String(value) : value }],
    });
  }
  return attributes;
}

/** Builds the lookup once per page: Assets attribute id -> the attribute. */
export function attributesById(type: ObjectTypeDefinition, ids: ObjectTypeLayout): Map<string, AttributeDefinition> {
  const byId = new Map<string, AttributeDefinition>();
  for (const attribute of type.attributes) {
    const attributeId = ids.attributeIds[attribute.key];
    if (attributeId !== undefined) byId.set(attributeId, attribute);
  }
  return byId;
}

export function decodeObject(entry: AssetsObjectEntry, byId: ReadonlyMap<string, AttributeDefinition>): AssetsObject {
  const values: ObjectValues = {};
  for (const attribute of byId.values())
    values[attribute.key] = attribute.kind.type === 'reference' && attribute.kind.many === true ? [] : null;
  for (const attribute of entry.attributes ?? []) {
    const definition = byId.get(attribute.objectTypeAttributeId);
    if (definition !== undefined && definition.kind.type === 'reference' && definition.kind.many === true) {
      values[definition.key] = attribute.objectAttributeValues.map((value) => decodeString(value, 'reference')).filter((id) => id !== null);
      continue;
    }
    const first = attribute.objectAttributeValues[0];
    if (definition === undefined || first === undefined) continue;
    const kind = definition.kind.type;
    values[definition.key] = kind === 'boolean' ? decodeBoolean(first) : kind === 'date' ? decodeDate(first) : decodeString(first, kind);
  }
  return { objectId: entry.id, objectKey: entry.objectKey, values };
}

/**
 * A Date attribute's value as the ISO date the app writes, so an unchanged value compares equal: Assets requires
 * ISO 8601 on write (Atlassian KB "Creating Asset object via REST API fails with error"); what it answers on read is
 * not documented, so an ISO date-time is read as its date part and displayValue (the site's display form) is
 * never used. A Text attribute holding other text keeps it, so the planner corrects it.
 */
function decodeDate(value: AssetsObjectAttributeValue): string | null {
  const raw = scalar(value.value);
  if (raw === null) return null;
  const iso = /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]00:?00)?)?$/.exec(raw.trim());
  return iso?.[1] ?? raw;
}

function decodeBoolean(value: AssetsObjectAttributeValue): boolean | null {
  const raw = value.value;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return null;
}

function decodeString(value: AssetsObjectAttributeValue, kind: AttributeDefinition['kind']['type']): string | null {
  switch (kind) {
    case 'user':
      return nonEmpty(value.user?.key) ?? nonEmpty(value.user?.accountId) ?? scalar(value.value) ?? scalar(value.searchValue);
    case 'reference':
      return value.referencedObject?.id ?? scalar(value.value);
    default:
      return scalar(value.value);
  }
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') return nonEmpty(value);
  if (typeof value === 'number') return String(value);
  return null;
}

function nonEmpty(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}
