/**
 * The fake Assets workspace's data and rules: schemas, object types with their default attributes, attributes,
 * reference types, icons and objects, with the validation the real API applies to writes (255-character text,
 * unique attributes, unknown users, missing iconId). Routes turn HTTP into calls on this; tests reach it through
 * the site's control API.
 */
import type { FakeJiraUser } from '../world/types';
import type { AssetsSnapshot } from './site-snapshot';

export interface SchemaRec {
  id: string;
  name: string;
  key: string;
  description: string;
  nextObjectNumber: number;
}

export interface ObjectTypeRec {
  id: string;
  name: string;
  description: string;
  iconId: string;
  schemaId: string;
}

export interface AttributeRec {
  id: string;
  objectTypeId: string;
  name: string;
  description: string;
  type: number;
  defaultTypeId: number | null;
  typeValue: string | null;
  additionalValue: string | null;
  label: boolean;
  unique: boolean;
  system: boolean;
  minimumCardinality: number;
  maximumCardinality: number;
  position: number;
}

export interface ReferenceTypeRec {
  id: string;
  name: string;
  description: string;
  objectSchemaId: string | null;
}

export interface ObjectRec {
  id: string;
  objectKey: string;
  objectTypeId: string;
  /** attribute id -> values (strings, as Assets stores them) */
  values: Map<string, string[]>;
  created: number;
  updated: number;
}

export interface IconRec {
  id: string;
  name: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; errors: Record<string, string>; errorMessages: string[] };

export const ICONS: readonly IconRec[] = [
  { id: '1', name: 'Folder' },
  { id: '2', name: 'Laptop' },
  { id: '3', name: 'User' },
  { id: '4', name: 'Users' },
  { id: '5', name: 'Server' },
];

/** Names Assets is reported to reject in attribute names (verify on a real site). */
const FORBIDDEN_NAME_CHARACTERS = /[=;:?."]/;
const TEXT_MAX = 255;

export const TYPE_DEFAULT = 0;
export const TYPE_REFERENCE = 1;
export const TYPE_USER = 2;
export const DEFAULT_TEXT = 0;
export const DEFAULT_BOOLEAN = 2;
export const DEFAULT_DATE = 4;
export const DEFAULT_DATETIME = 6;
export const DEFAULT_URL = 7;
export const DEFAULT_EMAIL = 8;
export const DEFAULT_TEXTAREA = 9;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const DEFAULT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Text',
  1: 'Integer',
  2: 'Boolean',
  3: 'Double',
  4: 'Date',
  5: 'Time',
  6: 'DateTime',
  7: 'Url',
  8: 'Email',
  9: 'Textarea',
  10: 'Select',
  11: 'IP Address',
};

export interface AttributeInput {
  name?: unknown;
  description?: unknown;
  type?: unknown;
  defaultTypeId?: unknown;
  typeValue?: unknown;
  additionalValue?: unknown;
  label?: unknown;
  uniqueAttribute?: unknown;
  minimumCardinality?: unknown;
  maximumCardinality?: unknown;
}

export interface AttributeValueInput {
  objectTypeAttributeId: string;
  values: string[];
}

export class AssetsState {
  readonly schemas: SchemaRec[] = [];
  readonly objectTypes: ObjectTypeRec[] = [];
  readonly attributes: AttributeRec[] = [];
  readonly referenceTypes: ReferenceTypeRec[] = [
    { id: '1', name: 'Reference', description: 'Global default reference type', objectSchemaId: null },
    { id: '2', name: 'Dependency', description: 'Global default reference type', objectSchemaId: null },
  ];
  readonly objects = new Map<string, ObjectRec>();
  private nextId = { schema: 1, objectType: 10, attribute: 100, referenceType: 3, object: 1000 };
  /**
   * Benchmarks with large workspaces set this: objects are listed per type, and unique values looked up, through
   * indexes that createObject/updateObject/insertObject keep up to date; any other change drops them
   * (invalidateIndexes), and they are rebuilt on next use. Same answers, no scan of every object per write.
   */
  useIndexes = false;
  /** FakeJiraSiteOptions.assetsDateAcceptsDateTime (the friendly reading of Date values). */
  dateAcceptsDateTime = false;
  /** FakeJiraSiteOptions.assetsMultiReferenceUpdate (how an update treats a many-valued reference's list). */
  multiReferenceUpdate: 'replace' | 'merge' = 'replace';
  private byType: Map<string, ObjectRec[]> | null = null;
  /** unique attribute id -> value -> ids of objects that had it (re-checked on use, so stale entries are harmless). */
  private uniqueValues: Map<string, Map<string, Set<string>>> | null = null;

  constructor(
    private readonly users: () => ReadonlyMap<string, FakeJiraUser>,
    private readonly now: () => number,
  ) {}

  // ---- schemas and types ----

  createSchema(name: unknown, key: unknown, description: unknown): Outcome<SchemaRec> {
    const errors: Record<string, string> = {};
    if (typeof name !== 'string' || name.trim() === '') errors['name'] = 'Name is required';
    if (typeof key !== 'string' || !/^[A-Z][A-Z0-9]{1,9}$/.test(key))
      errors['objectSchemaKey'] = 'Key must be 2-10 uppercase letters or digits';
    if (typeof name === 'string' && this.schemas.some((s) => s.name.toLowerCase() === name.toLowerCase()))
      errors['name'] = 'An object schema with that name already exists';
    if (typeof key === 'string' && this.schemas.some((s) => s.key === key))
      errors['objectSchemaKey'] = 'The key is already in use by another object schema';
    if (Object.keys(errors).length > 0) return { ok: false, status: 400, errors, errorMessages: [] };
    const schema: SchemaRec = {
      id: String(this.nextId.schema++),
      name: String(name),
      key: String(key),
      description: typeof description === 'string' ? description : '',
      nextObjectNumber: 1,
    };
    this.schemas.push(schema);
    return { ok: true, value: schema };
  }

  createObjectType(input: { name?: unknown; description?: unknown; iconId?: unknown; objectSchemaId?: unknown }): Outcome<ObjectTypeRec> {
    const errors: Record<string, string> = {};
    if (typeof input.name !== 'string' || input.name.trim() === '') errors['name'] = 'Name is required';
    const iconId = input.iconId === undefined || input.iconId === null ? null : String(input.iconId);
    if (iconId === null) errors['iconId'] = 'Icon is required';
    else if (!ICONS.some((i) => i.id === iconId)) errors['iconId'] = 'Icon not found';
    const schema = this.schemas.find((s) => s.id === String(input.objectSchemaId));
    if (!schema) errors['objectSchemaId'] = 'Object schema not found';
    if (
      schema &&
      typeof input.name === 'string' &&
      this.typesOf(schema.id).some((t) => t.name.toLowerCase() === String(input.name).toLowerCase())
    ) {
      errors['name'] = 'An object type with that name already exists in the schema';
    }
    if (Object.keys(errors).length > 0 || !schema || iconId === null) return { ok: false, status: 400, errors, errorMessages: [] };
    const type: ObjectTypeRec = {
      id: String(this.nextId.objectType++),
      name: String(input.name),
      description: typeof input.description === 'string' ? input.description : '',
      iconId,
      schemaId: schema.id,
    };
    this.objectTypes.push(type);
    // Every new object type comes with Key (system), Name (the label), Created and Updated.
    this.addAttribute(type.id, { name: 'Key', type: TYPE_DEFAULT, defaultTypeId: DEFAULT_TEXT, system: true });
    this.addAttribute(type.id, {
      name: 'Name',
      type: TYPE_DEFAULT,
      defaultTypeId: DEFAULT_TEXT,
      label: true,
      description: 'The name of the object',
    });
    this.addAttribute(type.id, { name: 'Created', type: TYPE_DEFAULT, defaultTypeId: DEFAULT_DATETIME, system: true });
    this.addAttribute(type.id, { name: 'Updated', type: TYPE_DEFAULT, defaultTypeId: DEFAULT_DATETIME, system: true });
    return { ok: true, value: type };
  }

  typesOf(schemaId: string): ObjectTypeRec[] {
    return this.objectTypes.filter((t) => t.schemaId === schemaId);
  }

  attributesOf(objectTypeId: string): AttributeRec[] {
    return this.attributes.filter((a) => a.objectTypeId === objectTypeId).sort((a, b) => a.position - b.position);
  }

  createAttribute(objectTypeId: string, input: AttributeInput): Outcome<AttributeRec> {
    this.invalidateIndexes();
    if (!this.objectTypes.some((t) => t.id === objectTypeId))
      return { ok: false, status: 404, errors: {}, errorMessages: ['Object type not found'] };
    const checked = this.checkAttributeInput(objectTypeId, input, null);
    if (!checked.ok) return checked;
    const attribute = this.addAttribute(objectTypeId, checked.value);
    if (attribute.label) this.moveLabel(attribute);
    return { ok: true, value: attribute };
  }

  updateAttribute(objectTypeId: string, attributeId: string, input: AttributeInput): Outcome<AttributeRec> {
    this.invalidateIndexes();
    const attribute = this.attributes.find((a) => a.id === attributeId && a.objectTypeId === objectTypeId);
    if (!attribute) return { ok: false, status: 404, errors: {}, errorMessages: ['Object type attribute not found'] };
    if (attribute.system) return { ok: false, status: 400, errors: { name: 'System attributes cannot be changed' }, errorMessages: [] };
    const merged: AttributeInput = {
      name: input.name ?? attribute.name,
      description: input.description ?? attribute.description,
      type: input.type ?? attribute.type,
      defaultTypeId: input.defaultTypeId ?? attribute.defaultTypeId,
      typeValue: input.typeValue ?? attribute.typeValue,
      additionalValue: input.additionalValue ?? attribute.additionalValue,
      label: input.label ?? attribute.label,
      uniqueAttribute: input.uniqueAttribute ?? attribute.unique,
      minimumCardinality: input.minimumCardinality ?? attribute.minimumCardinality,
      maximumCardinality: input.maximumCardinality ?? attribute.maximumCardinality,
    };
    const checked = this.checkAttributeInput(objectTypeId, merged, attribute);
    if (!checked.ok) return checked;
    const next = checked.value;
    const typeChanged =
      next.type !== attribute.type || next.defaultTypeId !== attribute.defaultTypeId || next.typeValue !== attribute.typeValue;
    if (typeChanged && this.hasValues(attribute.id)) {
      // Assumed: Assets will not convert stored values to another type.
      return { ok: false, status: 400, errors: { type: 'The type of an attribute with values cannot be changed' }, errorMessages: [] };
    }
    if (next.maximumCardinality !== -1 && this.mostValues(attribute.id) > next.maximumCardinality) {
      // Assumed (undocumented), like retyping: Assets will not drop values an object holds to fit a lower limit.
      return {
        ok: false,
        status: 400,
        errors: { maximumCardinality: 'Objects hold more values than the new maximum cardinality allows' },
        errorMessages: [],
      };
    }
    if (next.unique && !attribute.unique && this.hasDuplicates(attribute.id)) {
      return {
        ok: false,
        status: 400,
        errors: { uniqueAttribute: 'The attribute has duplicated values and cannot be made unique' },
        errorMessages: [],
      };
    }
    Object.assign(attribute, next);
    if (attribute.label) this.moveLabel(attribute);
    return { ok: true, value: attribute };
  }

  /** A hand edit in the UI: bypasses validation. */
  removeAttribute(attributeId: string): void {
    this.invalidateIndexes();
    const index = this.attributes.findIndex((a) => a.id === attributeId);
    if (index >= 0) this.attributes.splice(index, 1);
    for (const object of this.objects.values()) object.values.delete(attributeId);
  }

  listReferenceTypes(objectSchemaId: string | null): ReferenceTypeRec[] {
    return this.referenceTypes.filter((r) => r.objectSchemaId === null || r.objectSchemaId === objectSchemaId);
  }

  createReferenceType(input: { name?: unknown; description?: unknown; objectSchemaId?: unknown }): Outcome<ReferenceTypeRec> {
    if (typeof input.name !== 'string' || input.name.trim() === '')
      return { ok: false, status: 400, errors: { name: 'Name is required' }, errorMessages: [] };
    const schemaId = input.objectSchemaId === undefined || input.objectSchemaId === null ? null : String(input.objectSchemaId);
    if (schemaId !== null && !this.schemas.some((s) => s.id === schemaId)) {
      return { ok: false, status: 400, errors: { objectSchemaId: 'Object schema not found' }, errorMessages: [] };
    }
    const name = input.name;
    if (this.listReferenceTypes(schemaId).some((r) => r.name.toLowerCase() === name.toLowerCase())) {
      return { ok: false, status: 400, errors: { name: 'A reference type with that name already exists' }, errorMessages: [] };
    }
    const rec: ReferenceTypeRec = {
      id: String(this.nextId.referenceType++),
      name,
      description: typeof input.description === 'string' ? input.description : '',
      objectSchemaId: schemaId,
    };
    this.referenceTypes.push(rec);
    return { ok: true, value: rec };
  }

  // ---- objects ----

  createObject(objectTypeId: string, values: AttributeValueInput[]): Outcome<ObjectRec> {
    const type = this.objectTypes.find((t) => t.id === objectTypeId);
    if (!type) return { ok: false, status: 404, errors: {}, errorMessages: ['Object type not found'] };
    const schema = this.schemas.find((s) => s.id === type.schemaId);
    if (!schema) return { ok: false, status: 404, errors: {}, errorMessages: ['Object schema not found'] };
    const errors = this.validateValues(type.id, values, null);
    if (Object.keys(errors).length > 0) return { ok: false, status: 400, errors, errorMessages: [] };
    const now = this.now();
    const object: ObjectRec = {
      id: String(this.nextId.object++),
      objectKey: `${schema.key}-${schema.nextObjectNumber++}`,
      objectTypeId,
      values: new Map(),
      created: now,
      updated: now,
    };
    for (const v of values) if (v.values.length > 0) object.values.set(v.objectTypeAttributeId, this.storedValues(v));
    this.objects.set(object.id, object);
    this.indexObject(object, true);
    return { ok: true, value: object };
  }

  updateObject(objectId: string, objectTypeId: string | null, values: AttributeValueInput[]): Outcome<ObjectRec> {
    const object = this.objects.get(objectId);
    if (!object) return { ok: false, status: 404, errors: {}, errorMessages: [`Object with id ${objectId} was not found`] };
    if (objectTypeId !== null && objectTypeId !== object.objectTypeId) {
      return { ok: false, status: 400, errors: { objectTypeId: 'The object type cannot be changed' }, errorMessages: [] };
    }
    const errors = this.validateValues(object.objectTypeId, values, object.id);
    if (Object.keys(errors).length > 0) return { ok: false, status: 400, errors, errorMessages: [] };
    for (const v of values) {
      if (v.values.length === 0) object.values.delete(v.objectTypeAttributeId);
      else object.values.set(v.objectTypeAttributeId, this.updatedValues(object, v));
    }
    object.updated = this.now();
    this.indexObject(object, false);
    return { ok: true, value: object };
  }

  /** A hand-made object (test setup, an import): no validation, like data that got there some other way. */
  insertObject(objectTypeId: string, values: ReadonlyMap<string, string[]>): ObjectRec {
    const type = this.objectTypes.find((t) => t.id === objectTypeId);
    const schema = this.schemas.find((s) => s.id === type?.schemaId);
    if (!type || !schema) throw new Error(`fake Assets: object type ${objectTypeId} does not exist`);
    const now = this.now();
    const object: ObjectRec = {
      id: String(this.nextId.object++),
      objectKey: `${schema.key}-${schema.nextObjectNumber++}`,
      objectTypeId,
      values: new Map([...values].filter(([, v]) => v.length > 0)),
      created: now,
      updated: now,
    };
    this.objects.set(object.id, object);
    this.indexObject(object, true);
    return object;
  }

  /** Objects of a type, in id order (stable paging). */
  objectsOfType(objectTypeId: string): ObjectRec[] {
    if (this.useIndexes) return [...this.typeList(objectTypeId)];
    return [...this.objects.values()].filter((o) => o.objectTypeId === objectTypeId).sort((a, b) => Number(a.id) - Number(b.id));
  }

  countOfType(objectTypeId: string): number {
    return this.useIndexes ? this.typeList(objectTypeId).length : this.objectsOfType(objectTypeId).length;
  }

  /** Call after changing objects other than through createObject/updateObject/insertObject (hand edits, deletes). */
  invalidateIndexes(): void {
    this.byType = null;
    this.uniqueValues = null;
  }

  labelOf(object: ObjectRec): string {
    const label = this.attributesOf(object.objectTypeId).find((a) => a.label);
    return (label && object.values.get(label.id)?.[0]) ?? '';
  }

  // ---- snapshot (the sandbox keeps the workspace across processes) ----

  snapshot(): AssetsSnapshot {
    return {
      schemas: this.schemas.map((x) => ({ ...x })),
      objectTypes: this.objectTypes.map((x) => ({ ...x })),
      attributes: this.attributes.map((x) => ({ ...x })),
      referenceTypes: this.referenceTypes.map((x) => ({ ...x })),
      objects: [...this.objects.values()].map((o) => ({
        ...o,
        values: [...o.values].map(([id, v]) => [id, [...v]] as [string, string[]]),
      })),
      nextId: { ...this.nextId },
    };
  }

  /** Replaces the whole workspace with a snapshot. */
  restore(snapshot: AssetsSnapshot): void {
    this.schemas.splice(0, this.schemas.length, ...snapshot.schemas.map((x) => ({ ...x })));
    this.objectTypes.splice(0, this.objectTypes.length, ...snapshot.objectTypes.map((x) => ({ ...x })));
    this.attributes.splice(0, this.attributes.length, ...snapshot.attributes.map((x) => ({ ...x })));
    this.referenceTypes.splice(0, this.referenceTypes.length, ...snapshot.referenceTypes.map((x) => ({ ...x })));
    this.objects.clear();
    for (const o of snapshot.objects) this.objects.set(o.id, { ...o, values: new Map(o.values.map(([id, v]) => [id, [...v]])) });
    this.nextId = { ...snapshot.nextId };
    this.invalidateIndexes();
  }

  // ---- internals ----

  private addAttribute(
    objectTypeId: string,
    input: Partial<Omit<AttributeRec, 'id' | 'objectTypeId' | 'position'>> & { name: string; type: number },
  ): AttributeRec {
    const attribute: AttributeRec = {
      id: String(this.nextId.attribute++),
      objectTypeId,
      name: input.name,
      description: input.description ?? '',
      type: input.type,
      defaultTypeId: input.defaultTypeId ?? null,
      typeValue: input.typeValue ?? null,
      additionalValue: input.additionalValue ?? null,
      label: input.label ?? false,
      unique: input.unique ?? false,
      system: input.system ?? false,
      minimumCardinality: input.minimumCardinality ?? 0,
      maximumCardinality: input.maximumCardinality ?? 1,
      position: this.attributesOf(objectTypeId).length,
    };
    this.attributes.push(attribute);
    return attribute;
  }

  private moveLabel(label: AttributeRec): void {
    for (const a of this.attributesOf(label.objectTypeId)) if (a.id !== label.id) a.label = false;
  }

  private checkAttributeInput(
    objectTypeId: string,
    input: AttributeInput,
    existing: AttributeRec | null,
  ): Outcome<Omit<AttributeRec, 'id' | 'objectTypeId' | 'position' | 'system'> & { name: string; type: number }> {
    const errors: Record<string, string> = {};
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') errors['name'] = 'Name is required';
    else if (FORBIDDEN_NAME_CHARACTERS.test(name)) errors['name'] = 'Name contains a character that is not allowed';
    else if (this.attributesOf(objectTypeId).some((a) => a.id !== existing?.id && a.name.toLowerCase() === name.toLowerCase())) {
      errors['name'] = 'An attribute with that name already exists on the object type';
    }
    const type = typeof input.type === 'number' ? input.type : Number.NaN;
    let defaultTypeId: number | null = null;
    let typeValue: string | null = null;
    let additionalValue: string | null = typeof input.additionalValue === 'string' ? input.additionalValue : null;
    if (type === TYPE_DEFAULT) {
      defaultTypeId = typeof input.defaultTypeId === 'number' ? input.defaultTypeId : Number.NaN;
      if (!(defaultTypeId in DEFAULT_TYPE_NAMES)) errors['defaultTypeId'] = 'A valid defaultTypeId is required for Default attributes';
      additionalValue = null;
    } else if (type === TYPE_REFERENCE) {
      typeValue = input.typeValue === undefined || input.typeValue === null ? null : String(input.typeValue);
      if (typeValue === null || !this.objectTypes.some((t) => t.id === typeValue))
        errors['typeValue'] = 'The referenced object type was not found';
      const referenceTypeId = additionalValue;
      if (referenceTypeId === null || !this.referenceTypes.some((r) => r.id === referenceTypeId))
        errors['additionalValue'] = 'The reference type was not found';
    } else if (type === TYPE_USER) {
      if (additionalValue !== null && additionalValue !== 'SHOW_PROFILE' && additionalValue !== 'HIDE_PROFILE')
        errors['additionalValue'] = 'Must be SHOW_PROFILE or HIDE_PROFILE';
    } else {
      errors['type'] = 'The fake Assets site supports attribute types 0 (Default), 1 (Object reference) and 2 (User) only';
    }
    // maximumCardinality: -1 is "any number of values" (Assets REST ObjectTypeAttribute; jira-and-assets.md: the
    // many-valued object reference), else at least 1 and not below minimumCardinality. The exact rule and message
    // are undocumented: the fake refuses anything else rather than guess what Assets would store.
    const minimumCardinality = typeof input.minimumCardinality === 'number' ? input.minimumCardinality : 0;
    const maximumCardinality = typeof input.maximumCardinality === 'number' ? input.maximumCardinality : 1;
    if (!Number.isInteger(minimumCardinality) || minimumCardinality < 0)
      errors['minimumCardinality'] = 'minimumCardinality must be 0 or more';
    if (!Number.isInteger(maximumCardinality) || (maximumCardinality !== -1 && maximumCardinality < Math.max(1, minimumCardinality)))
      errors['maximumCardinality'] = 'maximumCardinality must be -1 (unlimited) or at least 1 and at least minimumCardinality';
    if (Object.keys(errors).length > 0) return { ok: false, status: 400, errors, errorMessages: [] };
    return {
      ok: true,
      value: {
        name,
        description: typeof input.description === 'string' ? input.description : '',
        type,
        defaultTypeId,
        typeValue,
        additionalValue,
        label: input.label === true,
        unique: input.uniqueAttribute === true,
        minimumCardinality,
        maximumCardinality,
      },
    };
  }

  private validateValues(objectTypeId: string, values: AttributeValueInput[], selfId: string | null): Record<string, string> {
    const errors: Record<string, string> = {};
    const attributes = this.attributesOf(objectTypeId);
    const users = this.users();
    for (const v of values) {
      const attribute = attributes.find((a) => a.id === v.objectTypeAttributeId);
      const id = v.objectTypeAttributeId;
      if (!attribute) {
        errors[id] = `Object type attribute with id ${id} was not found on the object type`;
        continue;
      }
      if (attribute.system) {
        errors[id] = `${attribute.name} cannot be set`;
        continue;
      }
      // More values than the attribute allows is refused (maximumCardinality -1: any number). A multi-valued
      // object reference takes one objectAttributeValue per referenced object (jira-and-assets.md, objects).
      if (attribute.maximumCardinality > 0 && v.values.length > attribute.maximumCardinality) {
        errors[id] = `${attribute.name} accepts at most ${attribute.maximumCardinality} value(s)`;
        continue;
      }
      if (
        attribute.type === TYPE_REFERENCE &&
        new Set(v.values.map((value) => this.referenced(value)?.id ?? value)).size < v.values.length
      ) {
        // Undocumented: the same object twice in one list is refused (the less friendly reading; the app sends each once).
        errors[id] = `${attribute.name} references the same object more than once`;
        continue;
      }
      for (const value of v.values) {
        const problem = this.valueProblem(attribute, value, users);
        if (problem) {
          errors[id] = problem;
          break;
        }
      }
      if (errors[id] === undefined && attribute.unique && v.values.length > 0) {
        const taken = this.useIndexes
          ? this.uniqueValueTaken(attribute.id, objectTypeId, v.values, selfId)
          : [...this.objects.values()].some(
              (o) =>
                o.id !== selfId && o.objectTypeId === objectTypeId && (o.values.get(attribute.id) ?? []).some((x) => v.values.includes(x)),
            );
        if (taken) errors[id] = `${attribute.name} has duplicated value`;
      }
    }
    return errors;
  }

  /**
   * What an update leaves in the attribute. A many-valued object reference (maximumCardinality -1): whether an update
   * REPLACES the list with the values sent or ADDS them to it is not documented for Cloud (jira-and-assets.md,
   * "Checked later": documented for Data Center only; Atlassian KB "How to create Assets objects via REST API based
   * on different attribute type" shows the same body for create and update without saying). 'replace' (default)
   * keeps exactly the values sent, so an app must always send the whole list; 'merge' (the switch) adds them to the
   * list the object holds, so a value left out is NOT removed. An empty list clears the attribute under both
   * readings (jira-and-assets.md: "empty list clears").
   */
  private updatedValues(object: ObjectRec, v: AttributeValueInput): string[] {
    const written = this.storedValues(v);
    const attribute = this.attributes.find((a) => a.id === v.objectTypeAttributeId);
    if (this.multiReferenceUpdate !== 'merge' || attribute?.type !== TYPE_REFERENCE || attribute.maximumCardinality === 1) return written;
    const kept = object.values.get(v.objectTypeAttributeId) ?? [];
    return [...kept, ...written.filter((value) => !kept.includes(value))];
  }

  /** The object a reference value names: by id, or by object key. */
  private referenced(value: string): ObjectRec | undefined {
    return this.objects.get(value) ?? [...this.objects.values()].find((o) => o.objectKey === value);
  }

  /**
   * What the object keeps: a Date attribute its calendar date (validated before), an object reference the
   * referenced object's id (a value written as a key is stored as the object it names), other values as written.
   */
  private storedValues(v: AttributeValueInput): string[] {
    const attribute = this.attributes.find((a) => a.id === v.objectTypeAttributeId);
    if (attribute?.type === TYPE_REFERENCE) return v.values.map((value) => this.referenced(value)?.id ?? value);
    if (attribute?.type !== TYPE_DEFAULT || attribute.defaultTypeId !== DEFAULT_DATE) return [...v.values];
    return v.values.map((value) => dateValue(value, this.dateAcceptsDateTime) ?? value);
  }

  private valueProblem(attribute: AttributeRec, value: string, users: ReadonlyMap<string, FakeJiraUser>): string | null {
    if (attribute.type === TYPE_DEFAULT) {
      if (attribute.defaultTypeId === DEFAULT_BOOLEAN)
        return value === 'true' || value === 'false' ? null : `${attribute.name} must be true or false`;
      if (attribute.defaultTypeId === DEFAULT_DATE && dateValue(value, this.dateAcceptsDateTime) === null)
        // The answer Atlassian's KB quotes for a value that is not ISO 8601 ("... is not valid (DateTime) for ISO8601 date ... as input").
        return `${value} is not valid (Date) for ISO8601 date ${value} as input.`;
      if (attribute.defaultTypeId === DEFAULT_TEXT && value.length > TEXT_MAX)
        return `${attribute.name} must be less than ${TEXT_MAX} characters`;
      // Email and URL attributes validate their values; Textarea has no 255 limit (Atlassian, "Adding attributes to
      // object types", attribute types table: Email "an email field", URL "an URL field", Textarea "unlimited
      // characters"; the Data Center page, the Cloud API accepts the same defaultTypeIds). The exact rule and message
      // are undocumented: a plain local@domain.tld check, and a message that names the attribute, not the value.
      if (attribute.defaultTypeId === DEFAULT_EMAIL && !EMAIL_SHAPE.test(value)) return `${attribute.name} is not a valid email address`;
      if (attribute.defaultTypeId === DEFAULT_URL && !/^https?:\/\/[^\s]+$/i.test(value)) return `${attribute.name} is not a valid URL`;
      return null;
    }
    if (attribute.type === TYPE_USER) return users.has(value) ? null : `User(s) ${value} not found`;
    if (attribute.type === TYPE_REFERENCE) {
      // Each value an existing object OF THE REFERENCED TYPE (typeValue), named by its id or its key
      // (jira-and-assets.md: "Object reference = the referenced object's id (or key)"); else a 400 per attribute.
      const target = this.referenced(value);
      return target && target.objectTypeId === attribute.typeValue ? null : `Referenced object(s) ${value} not found`;
    }
    return null;
  }

  // ---- indexes (useIndexes) ----

  private typeList(objectTypeId: string): ObjectRec[] {
    if (this.byType === null) {
      this.byType = new Map();
      const sorted = [...this.objects.values()].sort((a, b) => Number(a.id) - Number(b.id));
      for (const object of sorted) this.listOf(object.objectTypeId).push(object);
    }
    return this.byType.get(objectTypeId) ?? [];
  }

  private listOf(objectTypeId: string): ObjectRec[] {
    const lists = this.byType ?? (this.byType = new Map());
    let list = lists.get(objectTypeId);
    if (list === undefined) lists.set(objectTypeId, (list = []));
    return list;
  }

  private uniqueIndex(): Map<string, Map<string, Set<string>>> {
    if (this.uniqueValues === null) {
      this.uniqueValues = new Map(this.attributes.filter((a) => a.unique).map((a) => [a.id, new Map()]));
      for (const object of this.objects.values()) this.addUniqueValues(object);
    }
    return this.uniqueValues;
  }

  private addUniqueValues(object: ObjectRec): void {
    if (this.uniqueValues === null) return;
    for (const [attributeId, byValue] of this.uniqueValues) {
      for (const value of object.values.get(attributeId) ?? []) {
        let ids = byValue.get(value);
        if (ids === undefined) byValue.set(value, (ids = new Set()));
        ids.add(object.id);
      }
    }
  }

  private indexObject(object: ObjectRec, isNew: boolean): void {
    if (!this.useIndexes) return;
    if (isNew && this.byType !== null) {
      const list = this.listOf(object.objectTypeId);
      const last = list[list.length - 1];
      if (last === undefined || Number(last.id) < Number(object.id)) list.push(object);
      else this.byType = null;
    }
    this.addUniqueValues(object);
  }

  private uniqueValueTaken(attributeId: string, objectTypeId: string, values: readonly string[], selfId: string | null): boolean {
    let byValue = this.uniqueIndex().get(attributeId);
    if (byValue === undefined) {
      this.uniqueValues = null;
      byValue = this.uniqueIndex().get(attributeId) ?? new Map<string, Set<string>>();
    }
    for (const value of values) {
      for (const id of byValue.get(value) ?? []) {
        const o = this.objects.get(id);
        if (o !== undefined && o.id !== selfId && o.objectTypeId === objectTypeId && (o.values.get(attributeId) ?? []).includes(value))
          return true;
      }
    }
    return false;
  }

  private hasValues(attributeId: string): boolean {
    return [...this.objects.values()].some((o) => (o.values.get(attributeId) ?? []).length > 0);
  }

  private mostValues(attributeId: string): number {
    let most = 0;
    for (const o of this.objects.values()) most = Math.max(most, (o.values.get(attributeId) ?? []).length);
    return most;
  }

  private hasDuplicates(attributeId: string): boolean {
    const seen = new Set<string>();
    for (const o of this.objects.values()) {
      for (const v of o.values.get(attributeId) ?? []) {
        if (seen.has(v)) return true;
        seen.add(v);
      }
    }
    return false;
  }
}

/**
 * The calendar date a Date attribute stores for a written value, or null when Assets refuses it: an ISO 8601 date
 * (YYYY-MM-DD, a real day), or with `acceptsDateTime` an ISO date-time whose date part is kept
 * (FakeJiraSiteOptions.assetsDateAcceptsDateTime).
 */
export function dateValue(value: string, acceptsDateTime: boolean): string | null {
  const match = (
    acceptsDateTime ? /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/ : /^(\d{4})-(\d{2})-(\d{2})$/
  ).exec(value);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return value.slice(0, 10);
}
