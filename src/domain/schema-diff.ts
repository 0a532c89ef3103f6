/**
 * Compares the schema the app owns (schema-definition.ts) with what an Assets site has, and says what to do:
 * nothing, a list of actions (create or repair), or stop because something that is not ours holds our key or
 * name. Pure, so the admin page can show the plan ("will create", "will repair") before anything is written,
 * and the Assets client executes exactly the actions shown.
 */
import { type AttributeDefinition, type AttributeKind, type ObjectTypeKey, objectTypeOf, type SchemaDefinition } from './schema-definition';

/** Assets attribute type numbers (objecttypeattribute `type`). */
export const ASSETS_ATTRIBUTE_TYPE = { default: 0, objectReference: 1, user: 2 } as const;
/** Assets default type ids (`defaultTypeId` when type is 0). */
export const ASSETS_DEFAULT_TYPE = {
  text: 0,
  integer: 1,
  boolean: 2,
  double: 3,
  date: 4,
  time: 5,
  dateTime: 6,
  url: 7,
  email: 8,
  textarea: 9,
  select: 10,
  ipAddress: 11,
} as const;

/** Admin-facing names of the Assets default types, as the Assets UI shows them. */
const DEFAULT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Text',
  1: 'Integer',
  2: 'Boolean',
  3: 'Float',
  4: 'Date',
  5: 'Time',
  6: 'DateTime',
  7: 'URL',
  8: 'Email',
  9: 'Textarea',
  10: 'Select',
  11: 'IP Address',
};

/**
 * Which existing Assets types can hold what the app writes for each kind (issue 11 point 9: an attribute the app
 * can use is used as it is, never retyped, and an admin is never told to delete it). Values are strings whatever
 * the type (the Assets object API). Text holds at most 255 characters, Textarea any length, Email and URL
 * validate their values (Atlassian, "Adding attributes to object types": Text, Textarea, Email, URL types; the
 * Data Center page, assumed the same on Cloud), so:
 * - text: Text or Textarea (an Email or URL attribute would reject ordinary text);
 * - email: Email, Text or Textarea (an Email attribute rejects a malformed address: that object's write fails and
 *   is reported like any other rejected value);
 * - boolean: Boolean, or Text/Textarea holding "true"/"false" (the decoder reads both);
 * - date: Date, or Text/Textarea holding the ISO date text (YYYY-MM-DD) the app writes;
 * - user: User only (a Text attribute would hold the account id, but not the Jira user link the attribute exists for);
 * - employee-reference: an object reference to the Employee object type only.
 * The first type listed is the one the app creates.
 */
const ACCEPTED_DEFAULT_TYPES: Readonly<Record<'text' | 'email' | 'boolean' | 'date', readonly number[]>> = {
  text: [ASSETS_DEFAULT_TYPE.text, ASSETS_DEFAULT_TYPE.textarea],
  email: [ASSETS_DEFAULT_TYPE.text, ASSETS_DEFAULT_TYPE.email, ASSETS_DEFAULT_TYPE.textarea],
  boolean: [ASSETS_DEFAULT_TYPE.boolean, ASSETS_DEFAULT_TYPE.text, ASSETS_DEFAULT_TYPE.textarea],
  date: [ASSETS_DEFAULT_TYPE.date, ASSETS_DEFAULT_TYPE.text, ASSETS_DEFAULT_TYPE.textarea],
};

export interface ActualAttribute {
  readonly id: string;
  readonly name: string;
  readonly type: number;
  /** Set when type is 0 (Default): 0 Text, 2 Boolean, ... */
  readonly defaultTypeId: number | null;
  /** For an object reference: the referenced object type id. */
  readonly typeValue: string | null;
  readonly additionalValue: string | null;
  readonly label: boolean;
  readonly unique: boolean;
  /** Key, Created, Updated: owned by Assets, never renamed or matched. */
  readonly system: boolean;
}

export interface ActualSchemaState {
  /** The schema holding our key or, when none does, the one holding our name; null when neither exists. */
  readonly schema: { readonly id: string; readonly name: string; readonly key: string } | null;
  readonly objectType: { readonly id: string; readonly name: string } | null;
  readonly attributes: readonly ActualAttribute[];
}

/** What a repair changes; the client sends the full desired definition of the attribute. */
export interface AttributeFix {
  readonly name?: string;
  readonly label?: true;
  readonly unique?: true;
  readonly kind?: AttributeKind;
}

export type SchemaAction =
  | { readonly kind: 'create-schema'; readonly name: string; readonly key: string; readonly description: string }
  | { readonly kind: 'create-object-type'; readonly name: string; readonly description: string; readonly iconName: string }
  /**
   * A new object type comes with a "Name" label attribute: it is renamed rather than a second label created.
   * attributeId is null when the object type is created in the same run (its label id is not known yet).
   */
  | {
      readonly kind: 'rename-label';
      readonly key: string;
      readonly attributeId: string | null;
      readonly from: string;
      readonly to: string;
      /** The existing label (null when the object type is new): the rename keeps its type (Textarea stays Textarea). */
      readonly current?: ActualAttribute | null;
    }
  | { readonly kind: 'create-attribute'; readonly key: string; readonly definition: AttributeDefinition }
  | {
      readonly kind: 'repair-attribute';
      readonly key: string;
      readonly attributeId: string;
      readonly definition: AttributeDefinition;
      readonly reason: string;
      readonly fix: AttributeFix;
      /** The attribute as it is: a repair that does not change the type keeps it (Email stays Email). */
      readonly current: ActualAttribute;
    };

export type SchemaDiff =
  | { readonly kind: 'conflict'; readonly schemaName: string; readonly message: string }
  | { readonly kind: 'ok' }
  | { readonly kind: 'changes'; readonly actions: readonly SchemaAction[] };

/** Object type names as messages say them. */
const REFERENCE_TYPE_NAMES: Readonly<Record<ObjectTypeKey, string>> = { employee: 'Employee', group: 'Entra Group' };

/** The name a fresh Assets object type gives its label attribute. */
export const DEFAULT_LABEL_NAME = 'Name';

/**
 * The diff of the schema and one of its object types (`actual` describes that type as the site has it): the Assets
 * client runs it per object type of the definition.
 */
export function diffSchema(def: SchemaDefinition, actual: ActualSchemaState, typeKey: ObjectTypeKey = 'employee'): SchemaDiff {
  const type = objectTypeOf(def, typeKey);
  const conflict = schemaConflict(def, actual.schema);
  if (conflict) return conflict;

  const actions: SchemaAction[] = [];
  if (actual.schema === null) {
    actions.push({ kind: 'create-schema', name: def.name, key: def.key, description: def.description });
  }
  if (actual.schema === null || actual.objectType === null) {
    actions.push({ kind: 'create-object-type', name: type.name, description: type.description, iconName: type.iconName });
    for (const attribute of type.attributes) {
      actions.push(
        attribute.label
          ? { kind: 'rename-label', key: attribute.key, attributeId: null, from: DEFAULT_LABEL_NAME, to: attribute.name }
          : { kind: 'create-attribute', key: attribute.key, definition: attribute },
      );
    }
    return { kind: 'changes', actions };
  }

  const objectTypeId = actual.objectType.id;
  const candidates = actual.attributes.filter((a) => !a.system);
  const ownNames = new Set(type.attributes.map((a) => normaliseName(a.name)));
  for (const attribute of type.attributes) {
    const found = findByName(candidates, attribute.name);
    if (found) {
      const repair = repairFor(attribute, found, objectTypeId);
      if (repair) actions.push(repair);
      continue;
    }
    if (attribute.label) {
      // A label that is not one of ours (the default "Name", or a rename undone by hand) becomes ours again.
      const label = candidates.find((a) => a.label && !ownNames.has(normaliseName(a.name)));
      if (label && kindMatches(attribute.kind, label, objectTypeId)) {
        actions.push({
          kind: 'rename-label',
          key: attribute.key,
          attributeId: label.id,
          from: label.name,
          to: attribute.name,
          current: label,
        });
        continue;
      }
    }
    actions.push({ kind: 'create-attribute', key: attribute.key, definition: attribute });
  }
  return actions.length === 0 ? { kind: 'ok' } : { kind: 'changes', actions };
}

/** One line an admin can read, for the "created" / "repaired" lists and the preview of a plan. */
export function describeSchemaAction(action: SchemaAction): string {
  switch (action.kind) {
    case 'create-schema':
      return `schema "${action.name}" (key ${action.key})`;
    case 'create-object-type':
      return `object type "${action.name}"`;
    case 'rename-label':
      return `attribute "${action.to}" (the label, renamed from "${action.from}")`;
    case 'create-attribute':
      return `attribute "${action.definition.name}"`;
    case 'repair-attribute':
      return `attribute "${action.definition.name}" (${action.reason})`;
  }
}

/** Admin-readable name of an attribute kind, e.g. for repair reasons. */
export function describeAttributeKind(kind: AttributeKind): string {
  switch (kind.type) {
    case 'text':
      return 'Text (or Textarea)';
    case 'email':
      return 'Email (or Text, Textarea)';
    case 'boolean':
      return 'Boolean (or Text, Textarea)';
    case 'date':
      return 'Date (or Text, Textarea)';
    case 'user':
      return 'User';
    case 'reference':
      return `an object reference to ${REFERENCE_TYPE_NAMES[kind.objectType]}`;
  }
}

/** Admin-readable type of an existing attribute: "Text", "Email", "User", "an object reference", ... */
export function describeActualType(attribute: Pick<ActualAttribute, 'type' | 'defaultTypeId'>): string {
  if (attribute.type === ASSETS_ATTRIBUTE_TYPE.default)
    return DEFAULT_TYPE_NAMES[attribute.defaultTypeId ?? -1] ?? `Default (${attribute.defaultTypeId ?? '?'})`;
  if (attribute.type === ASSETS_ATTRIBUTE_TYPE.objectReference) return 'an object reference';
  if (attribute.type === ASSETS_ATTRIBUTE_TYPE.user) return 'User';
  return `type ${attribute.type}`;
}

function schemaConflict(def: SchemaDefinition, schema: ActualSchemaState['schema']): SchemaDiff | null {
  if (schema === null) return null;
  if (schema.key !== def.key) {
    return {
      kind: 'conflict',
      schemaName: schema.name,
      message:
        `The Assets schema "${schema.name}" (key ${schema.key}) already uses the name "${def.name}", so the app cannot create its ` +
        `schema with key ${def.key}. Rename that schema in Assets (Schema configuration), then run the schema check again.`,
    };
  }
  if (schema.name !== def.name) {
    return {
      kind: 'conflict',
      schemaName: schema.name,
      message:
        `The Assets schema "${schema.name}" already uses the key ${def.key} that this app needs. Either change that schema's key ` +
        `in Assets (Schema configuration) so the app can create its own, or, if it is meant for this app, rename it to ` +
        `"${def.name}" to let the app adopt it. Then run the schema check again.`,
    };
  }
  return null;
}

function repairFor(def: AttributeDefinition, found: ActualAttribute, objectTypeId: string): SchemaAction | null {
  const reasons: string[] = [];
  let fix: AttributeFix = {};
  if (found.name !== def.name) {
    reasons.push(`name was "${found.name}"`);
    fix = { ...fix, name: def.name };
  }
  if (!kindMatches(def.kind, found, objectTypeId)) {
    const referenceElsewhere = def.kind.type === 'reference' && found.type === ASSETS_ATTRIBUTE_TYPE.objectReference;
    reasons.push(
      referenceElsewhere
        ? `it refers to another object type, the app needs ${describeAttributeKind(def.kind)}`
        : `its type is ${describeActualType(found)}, which cannot hold what the app writes; the app needs ${describeAttributeKind(def.kind)}`,
    );
    fix = { ...fix, kind: def.kind };
  }
  if (def.label && !found.label) {
    reasons.push('was not the label');
    fix = { ...fix, label: true };
  }
  if (def.unique && !found.unique) {
    reasons.push('was not unique');
    fix = { ...fix, unique: true };
  }
  if (reasons.length === 0) return null;
  return {
    kind: 'repair-attribute',
    key: def.key,
    attributeId: found.id,
    definition: def,
    reason: reasons.join('; '),
    fix,
    current: found,
  };
}

/**
 * Whether an attribute can hold the values the app writes for this kind (ACCEPTED_DEFAULT_TYPES). The reference
 * type (additionalValue) is not checked: any one works.
 */
export function kindMatches(kind: AttributeKind, attribute: ActualAttribute, objectTypeId: string): boolean {
  switch (kind.type) {
    case 'text':
    case 'email':
    case 'boolean':
    case 'date':
      return (
        attribute.type === ASSETS_ATTRIBUTE_TYPE.default &&
        attribute.defaultTypeId !== null &&
        ACCEPTED_DEFAULT_TYPES[kind.type].includes(attribute.defaultTypeId)
      );
    case 'user':
      return attribute.type === ASSETS_ATTRIBUTE_TYPE.user;
    case 'reference':
      // The only reference so far is to the object type itself (Manager): its id is the one being diffed.
      return attribute.type === ASSETS_ATTRIBUTE_TYPE.objectReference && attribute.typeValue === objectTypeId;
  }
}

/** Assets treats attribute names case-insensitively; an exact match wins over a case-insensitive one. */
export function findByName<A extends { readonly name: string }>(attributes: readonly A[], name: string): A | undefined {
  return attributes.find((a) => a.name === name) ?? attributes.find((a) => normaliseName(a.name) === normaliseName(name));
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase();
}
