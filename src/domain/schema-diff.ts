/**
 * Compares the schema the app owns (schema-definition.ts) with what an Assets site has, and says what to do:
 * nothing, a list of actions (create or repair), or stop because something that is not ours holds our key or
 * name. Pure, so the admin page can show the plan ("will create", "will repair") before anything is written,
 * and the Assets client executes exactly the actions shown.
 */
import {
  type AttributeDefinition,
  type AttributeKind,
  type ObjectTypeDefinition,
  type ObjectTypeKey,
  type SchemaDefinition,
} from './schema-definition';

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
 * - reference: an object reference to the referenced object type only (Manager -> Employee, Groups -> Entra Group);
 *   a many-valued one (Groups) must also allow any number of values (maximumCardinality -1), else it is a conflict
 *   the admin resolves (manyReferenceConflict): the app never lowers an admin's limit or retypes a list.
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
  /**
   * How many values the attribute holds at most: -1 for any number (Assets ObjectTypeAttribute maximumCardinality);
   * null when Assets did not say (then a many-valued reference is taken as able to hold a list: a write Assets
   * refuses is that object's reported failure).
   */
  readonly maximumCardinality: number | null;
  readonly label: boolean;
  readonly unique: boolean;
  /** Key, Created, Updated: owned by Assets, never renamed or matched. */
  readonly system: boolean;
}

/** One object type of the definition as the site has it, with its attributes. */
export interface ActualObjectType {
  readonly id: string;
  readonly name: string;
  readonly attributes: readonly ActualAttribute[];
}

export interface ActualSchemaState {
  /** The schema holding our key or, when none does, the one holding our name; null when neither exists. */
  readonly schema: { readonly id: string; readonly name: string; readonly key: string } | null;
  /** The definition's object types found in the schema (by name), by key; a type not found is absent. */
  readonly objectTypes: Partial<Record<ObjectTypeKey, ActualObjectType>>;
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
  | {
      readonly kind: 'create-object-type';
      readonly objectType: ObjectTypeKey;
      readonly name: string;
      readonly description: string;
      readonly iconName: string;
    }
  /**
   * A new object type comes with a "Name" label attribute: it is renamed rather than a second label created.
   * attributeId is null when the object type is created in the same run (its label id is not known yet).
   */
  | {
      readonly kind: 'rename-label';
      readonly objectType: ObjectTypeKey;
      readonly key: string;
      readonly attributeId: string | null;
      readonly from: string;
      readonly to: string;
      /** The existing label (null when the object type is new): the rename keeps its type (Textarea stays Textarea). */
      readonly current?: ActualAttribute | null;
    }
  | {
      readonly kind: 'create-attribute';
      readonly objectType: ObjectTypeKey;
      readonly key: string;
      readonly definition: AttributeDefinition;
    }
  | {
      readonly kind: 'repair-attribute';
      readonly objectType: ObjectTypeKey;
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
 * The diff of the schema and every object type of the definition (Employee, and Entra Group when group sync is on).
 * The actions come in an order the Assets client can execute one by one: the schema, then every missing object
 * type, then each type's attributes in the definition's order. So the object type a reference points at always
 * exists before the reference is created (Manager -> Employee, Groups -> Entra Group). An object type the site
 * already has (by name) is reused; one the definition lacks (Entra Group after group sync is turned off) is left
 * alone.
 */
export function diffSchema(def: SchemaDefinition, actual: ActualSchemaState): SchemaDiff {
  const conflict = schemaConflict(def, actual.schema);
  if (conflict) return conflict;

  const typeIds: Partial<Record<ObjectTypeKey, string>> = {};
  for (const type of def.objectTypes) {
    const found = actual.schema === null ? undefined : actual.objectTypes[type.key];
    if (found !== undefined) typeIds[type.key] = found.id;
  }
  for (const type of def.objectTypes) {
    const found = actual.schema === null ? undefined : actual.objectTypes[type.key];
    if (found === undefined) continue;
    const stop = manyReferenceConflict(def, type, found, typeIds);
    if (stop) return stop;
  }

  const actions: SchemaAction[] = [];
  if (actual.schema === null) {
    actions.push({ kind: 'create-schema', name: def.name, key: def.key, description: def.description });
  }
  for (const type of def.objectTypes) {
    if (typeIds[type.key] === undefined) {
      actions.push({
        kind: 'create-object-type',
        objectType: type.key,
        name: type.name,
        description: type.description,
        iconName: type.iconName,
      });
    }
  }
  for (const type of def.objectTypes) {
    const found = actual.schema === null ? undefined : actual.objectTypes[type.key];
    actions.push(...(found === undefined ? newTypeActions(type) : typeActions(type, found, typeIds)));
  }
  return actions.length === 0 ? { kind: 'ok' } : { kind: 'changes', actions };
}

/**
 * A new object type comes with a "Name" label (Text, not unique): the definition's label takes it over (renamed when
 * its name differs; kept as it is when it is a plain "Name" too, as Entra Group's is).
 */
function newTypeActions(type: ObjectTypeDefinition): SchemaAction[] {
  const actions: SchemaAction[] = [];
  for (const attribute of type.attributes) {
    if (attribute.label && attribute.name === DEFAULT_LABEL_NAME && attribute.kind.type === 'text' && !attribute.unique) continue;
    actions.push(
      attribute.label
        ? {
            kind: 'rename-label',
            objectType: type.key,
            key: attribute.key,
            attributeId: null,
            from: DEFAULT_LABEL_NAME,
            to: attribute.name,
          }
        : { kind: 'create-attribute', objectType: type.key, key: attribute.key, definition: attribute },
    );
  }
  return actions;
}

function typeActions(type: ObjectTypeDefinition, found: ActualObjectType, typeIds: Partial<Record<ObjectTypeKey, string>>): SchemaAction[] {
  const actions: SchemaAction[] = [];
  const candidates = found.attributes.filter((a) => !a.system);
  const ownNames = new Set(type.attributes.map((a) => normaliseName(a.name)));
  for (const attribute of type.attributes) {
    const existing = findByName(candidates, attribute.name);
    if (existing) {
      const repair = repairFor(type.key, attribute, existing, typeIds);
      if (repair) actions.push(repair);
      continue;
    }
    if (attribute.label) {
      // A label that is not one of ours (the default "Name", or a rename undone by hand) becomes ours again.
      const label = candidates.find((a) => a.label && !ownNames.has(normaliseName(a.name)));
      if (label && kindMatches(attribute.kind, label, typeIds)) {
        actions.push({
          kind: 'rename-label',
          objectType: type.key,
          key: attribute.key,
          attributeId: label.id,
          from: label.name,
          to: attribute.name,
          current: label,
        });
        continue;
      }
    }
    actions.push({ kind: 'create-attribute', objectType: type.key, key: attribute.key, definition: attribute });
  }
  return actions;
}

/**
 * An existing attribute named like one of the app's many-valued references (Employee "Groups") that cannot hold the
 * list: a reference to another object type, a limit on the number of values, or another type altogether. The check
 * stops and names it instead of repairing it: retyping or widening an attribute an admin made is theirs to decide
 * (and Assets will not retype one that holds values), so the message says what to change.
 */
function manyReferenceConflict(
  def: SchemaDefinition,
  type: ObjectTypeDefinition,
  found: ActualObjectType,
  typeIds: Partial<Record<ObjectTypeKey, string>>,
): SchemaDiff | null {
  const candidates = found.attributes.filter((a) => !a.system);
  for (const attribute of type.attributes) {
    if (attribute.kind.type !== 'reference' || attribute.kind.many !== true) continue;
    const existing = findByName(candidates, attribute.name);
    if (existing === undefined || kindMatches(attribute.kind, existing, typeIds)) continue;
    const target = REFERENCE_TYPE_NAMES[attribute.kind.objectType];
    const limited =
      existing.type === ASSETS_ATTRIBUTE_TYPE.objectReference && existing.typeValue === (typeIds[attribute.kind.objectType] ?? null);
    const problem = limited
      ? `it holds at most ${existing.maximumCardinality ?? 1} value${existing.maximumCardinality === 1 ? '' : 's'}, and a user can be in many groups`
      : existing.type === ASSETS_ATTRIBUTE_TYPE.objectReference
        ? `it refers to another object type, not "${target}"`
        : `its type is ${describeActualType(existing)}`;
    const change = limited
      ? `In Assets (schema "${def.name}", object type "${type.name}"), set the maximum number of values of "${existing.name}" to unlimited, ` +
        `or rename it (for example to "${attribute.name} (old)"; renaming keeps its data) so the app can create its own`
      : `Rename that attribute in Assets (schema "${def.name}", object type "${type.name}"; for example to "${attribute.name} (old)"; ` +
        `renaming keeps its data) so the app can create its own "${attribute.name}" as ${describeAttributeKind(attribute.kind)}`;
    return {
      kind: 'conflict',
      schemaName: def.name,
      message:
        `The attribute "${existing.name}" on the "${type.name}" object type cannot hold what the app writes (${problem}; the app needs ` +
        `${describeAttributeKind(attribute.kind)}). ${change}, then run the schema check again.`,
    };
  }
  return null;
}

/** One line an admin can read, for the "created" / "repaired" lists and the preview of a plan. */
export function describeSchemaAction(action: SchemaAction): string {
  switch (action.kind) {
    case 'create-schema':
      return `schema "${action.name}" (key ${action.key})`;
    case 'create-object-type':
      return `object type "${action.name}"`;
    case 'rename-label':
      return `attribute "${action.to}"${onType(action.objectType)} (the label, renamed from "${action.from}")`;
    case 'create-attribute':
      return `attribute "${action.definition.name}"${onType(action.objectType)}`;
    case 'repair-attribute':
      return `attribute "${action.definition.name}"${onType(action.objectType)} (${action.reason})`;
  }
}

/** Employee attributes are named as before; another type's say which type they are on ("Email" is on both). */
function onType(key: ObjectTypeKey): string {
  return key === 'employee' ? '' : ` on "${REFERENCE_TYPE_NAMES[key]}"`;
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
      return `an object reference to ${REFERENCE_TYPE_NAMES[kind.objectType]}${kind.many === true ? ' allowing any number of values' : ''}`;
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

function repairFor(
  typeKey: ObjectTypeKey,
  def: AttributeDefinition,
  found: ActualAttribute,
  typeIds: Partial<Record<ObjectTypeKey, string>>,
): SchemaAction | null {
  const reasons: string[] = [];
  let fix: AttributeFix = {};
  if (found.name !== def.name) {
    reasons.push(`name was "${found.name}"`);
    fix = { ...fix, name: def.name };
  }
  if (!kindMatches(def.kind, found, typeIds)) {
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
    objectType: typeKey,
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
 * type (additionalValue) is not checked: any one works. `typeIds`: the site's id of each object type of the
 * definition that exists (a reference must point at its type's id).
 */
export function kindMatches(kind: AttributeKind, attribute: ActualAttribute, typeIds: Partial<Record<ObjectTypeKey, string>>): boolean {
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
    case 'reference': {
      const target = typeIds[kind.objectType];
      if (attribute.type !== ASSETS_ATTRIBUTE_TYPE.objectReference || target === undefined || attribute.typeValue !== target) return false;
      // A list needs room for any number of values (-1); unknown (null) is given the benefit of the doubt.
      return kind.many !== true || attribute.maximumCardinality === null || attribute.maximumCardinality === -1;
    }
  }
}

/** Assets treats attribute names case-insensitively; an exact match wins over a case-insensitive one. */
export function findByName<A extends { readonly name: string }>(attributes: readonly A[], name: string): A | undefined {
  return attributes.find((a) => a.name === name) ?? attributes.find((a) => normaliseName(a.name) === normaliseName(name));
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase();
}
