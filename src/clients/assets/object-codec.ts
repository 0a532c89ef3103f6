/**
 * Translates between Assets objects and the domain's attribute values, by the object type's definition. Assets values are strings whatever the
 * attribute type: Boolean 'true'/'false', a User attribute the accountId, an object reference the referenced
 * object's id. Reading is lenient where Assets varies (a User value may come as `value` or only as `user.key`),
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
  for (const attribute of byId.values()) values[attribute.key] = null;
  for (const attribute of entry.attributes ?? []) {
    const definition = byId.get(attribute.objectTypeAttributeId);
    const first = attribute.objectAttributeValues[0];
    if (definition === undefined || first === undefined) continue;
    values[definition.key] = definition.kind.type === 'boolean' ? decodeBoolean(first) : decodeString(first, definition.kind.type);
  }
  return { objectId: entry.id, objectKey: entry.objectKey, values };
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
