/**
 * Translates between Assets objects and the domain's Employee values. Assets values are strings whatever the
 * attribute type: Boolean 'true'/'false', a User attribute the accountId, an object reference the referenced
 * object's id. Reading is lenient where Assets varies (a User value may come as `value` or only as `user.key`),
 * writing is exact.
 */
import type { EmployeeAttributeKey, EmployeeObject, EmployeeValues } from '../../domain/employee';
import { EMPLOYEE_ATTRIBUTE_KEYS, emptyEmployeeValues } from '../../domain/employee';
import { ENTRA_SCHEMA } from '../../domain/schema-definition';
import type { AssetsObjectAttributeValue, AssetsObjectEntry } from './assets-schemas';
import type { SchemaLayout } from './schema-layout';

/** What the app writes: the Employee values, the manager given as the referenced object's id. */
export type EmployeeWrite = EmployeeValues;

type ValueKind = 'text' | 'boolean' | 'user' | 'reference';

/** Which EmployeeValues field each attribute holds, and how its value is encoded. */
export const EMPLOYEE_FIELDS: Readonly<Record<EmployeeAttributeKey, { readonly field: keyof EmployeeValues; readonly kind: ValueKind }>> = {
  fullName: { field: 'fullName', kind: 'text' },
  entraUserId: { field: 'entraUserId', kind: 'text' },
  email: { field: 'email', kind: 'text' },
  jobTitle: { field: 'jobTitle', kind: 'text' },
  department: { field: 'department', kind: 'text' },
  atlassianAccountId: { field: 'atlassianAccountId', kind: 'text' },
  jiraUser: { field: 'jiraUser', kind: 'user' },
  active: { field: 'active', kind: 'boolean' },
  manager: { field: 'managerObjectId', kind: 'reference' },
  managerAtlassianAccountId: { field: 'managerAtlassianAccountId', kind: 'text' },
};

/** The admin-facing attribute name ("Job Title") for messages. */
export function attributeName(key: EmployeeAttributeKey): string {
  return ENTRA_SCHEMA.attributes.find((a) => a.key === key)?.name ?? key;
}

export interface AttributeWrite {
  readonly objectTypeAttributeId: string;
  readonly objectAttributeValues: { readonly value: string }[];
}

/**
 * The `attributes` list of an object create/update body, holding only the fields present in `values`.
 * null clears the attribute (an empty value list; verify on a real site) on update and is left out on create.
 */
export function encodeEmployee(layout: SchemaLayout, values: Partial<EmployeeWrite>, mode: 'create' | 'update'): AttributeWrite[] {
  const attributes: AttributeWrite[] = [];
  for (const key of EMPLOYEE_ATTRIBUTE_KEYS) {
    const { field } = EMPLOYEE_FIELDS[key];
    if (!(field in values)) continue;
    const value = values[field];
    if (value === undefined) continue;
    if (value === null) {
      if (mode === 'update') attributes.push({ objectTypeAttributeId: layout.attributeIds[key], objectAttributeValues: [] });
      continue;
    }
    attributes.push({ objectTypeAttributeId: layout.attributeIds[key], objectAttributeValues: [{ value: typeof value === 'boolean' ? String(value) : value }] });
  }
  return attributes;
}

/** Builds the lookup once per page: attribute id -> key. */
export function attributeKeysById(layout: SchemaLayout): Map<string, EmployeeAttributeKey> {
  return new Map(EMPLOYEE_ATTRIBUTE_KEYS.map((key) => [layout.attributeIds[key], key]));
}

export function decodeEmployee(entry: AssetsObjectEntry, keysById: ReadonlyMap<string, EmployeeAttributeKey>): EmployeeObject {
  const values: EmployeeValues = emptyEmployeeValues();
  for (const attribute of entry.attributes ?? []) {
    const key = keysById.get(attribute.objectTypeAttributeId);
    const first = attribute.objectAttributeValues[0];
    if (key === undefined || first === undefined) continue;
    const { field, kind } = EMPLOYEE_FIELDS[key];
    if (field === 'active') values.active = decodeBoolean(first);
    else values[field] = decodeString(first, kind);
  }
  return { objectId: entry.id, objectKey: entry.objectKey, values };
}

function decodeBoolean(value: AssetsObjectAttributeValue): boolean | null {
  const raw = value.value;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return null;
}

function decodeString(value: AssetsObjectAttributeValue, kind: ValueKind): string | null {
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
