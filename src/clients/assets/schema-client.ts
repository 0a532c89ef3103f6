/**
 * Reads the app's schema as a site has it, and creates or repairs it to match the definition. The decisions are
 * made by the pure diff (src/domain/schema-diff.ts); this file only reads state and executes the actions the diff
 * lists, so what the admin page previews is exactly what gets written. A second ensure on a complete schema reads
 * and writes nothing else.
 */
import { AppError } from '../../domain/errors';
import { type AttributeDefinition, type ObjectTypeKey, objectTypeOf, type SchemaDefinition } from '../../domain/schema-definition';
import {
  type ActualAttribute,
  type ActualObjectType,
  type ActualSchemaState,
  ASSETS_ATTRIBUTE_TYPE,
  ASSETS_DEFAULT_TYPE,
  describeAttributeKind,
  describeSchemaAction,
  diffSchema,
  findByName,
  type SchemaAction,
} from '../../domain/schema-diff';
import { type SchemaLayout, schemaLayoutSchema } from '../../domain/schema-layout';
import { readJson } from '../http';
import { assetsFailure, assetsJson, assetsSend, type AssetsTransport, segment } from './assets-http';
import {
  type AssetsObjectSchema,
  type AssetsObjectTypeAttribute,
  iconListSchema,
  objectSchemaListSchema,
  objectSchemaSchema,
  objectTypeAttributeListSchema,
  objectTypeAttributeSchema,
  objectTypeListSchema,
  objectTypeSchema,
  referenceTypeListSchema,
  referenceTypeSchema,
} from './assets-schemas';
import type { SchemaEnsureResult, SchemaInspection } from './schema-layout';

const SCHEMA_PAGE_SIZE = 50;
/** A site with more schemas than this is not plausible; the bound keeps a misbehaving server from looping us. */
const MAX_SCHEMA_PAGES = 200;

export interface EnsureSchemaOptions {
  /** Called after each step completes (workspace found, schema read, each create or repair, result checked), in order. */
  readonly onStep?: (step: string, change?: { readonly kind: 'created' | 'repaired'; readonly item: string }) => Promise<void>;
  /**
   * Called before each create or repair is sent: an invocation stopped after Assets applied it but before onStep
   * still leaves the change known (the caller counts it once the schema is complete).
   */
  readonly beforeChange?: (change: { readonly kind: 'created' | 'repaired'; readonly item: string }) => Promise<void>;
}

export interface SchemaClient {
  inspectSchema(def: SchemaDefinition): Promise<SchemaInspection>;
  ensureSchema(def: SchemaDefinition, options?: EnsureSchemaOptions): Promise<SchemaEnsureResult>;
}

export function createSchemaClient(transport: AssetsTransport, workspaceId: () => Promise<string>): SchemaClient {
  /** One read of the schema list and its object types, then the attributes of each of the definition's types found. */
  async function readActual(ws: string, def: SchemaDefinition): Promise<ActualSchemaState> {
    const schemas = await listSchemas(ws);
    const schema = schemas.find((s) => s.objectSchemaKey === def.key) ?? schemas.find((s) => s.name === def.name) ?? null;
    if (schema === null) return { schema: null, objectTypes: {} };
    const summary = { id: schema.id, name: schema.name, key: schema.objectSchemaKey };
    if (summary.key !== def.key || summary.name !== def.name) return { schema: summary, objectTypes: {} };
    const types = await assetsJson(
      transport,
      ws,
      { method: 'GET', path: `objectschema/${segment(schema.id)}/objecttypes`, what: 'listing the object types of the schema' },
      objectTypeListSchema,
    );
    const objectTypes: Partial<Record<ObjectTypeKey, ActualObjectType>> = {};
    for (const type of def.objectTypes) {
      // An object type of that name is reused whoever made it (an admin's "Entra Group" type becomes the app's).
      const found = findByName(types, type.name);
      if (found === undefined) continue;
      objectTypes[type.key] = { id: found.id, name: found.name, attributes: await listAttributes(ws, found.id, type.name) };
    }
    return { schema: summary, objectTypes };
  }

  async function listSchemas(ws: string): Promise<AssetsObjectSchema[]> {
    const all: AssetsObjectSchema[] = [];
    for (let page = 0; page < MAX_SCHEMA_PAGES; page++) {
      const startAt = all.length;
      const result = await assetsJson(
        transport,
        ws,
        { method: 'GET', path: `objectschema/list?startAt=${startAt}&maxResults=${SCHEMA_PAGE_SIZE}`, what: 'listing object schemas' },
        objectSchemaListSchema,
      );
      all.push(...result.values);
      const pageSize = result.maxResults ?? SCHEMA_PAGE_SIZE;
      if (result.isLast === true || result.values.length === 0 || result.values.length < pageSize) return all;
    }
    return all;
  }

  async function listAttributes(ws: string, objectTypeId: string, typeName: string): Promise<ActualAttribute[]> {
    const raw = await assetsJson(
      transport,
      ws,
      {
        method: 'GET',
        path: `objecttype/${segment(objectTypeId)}/attributes`,
        what: `listing the attributes of the ${typeName} object type`,
      },
      objectTypeAttributeListSchema,
    );
    return raw.map(toActualAttribute);
  }

  async function inspectSchema(def: SchemaDefinition): Promise<SchemaInspection> {
    const ws = await workspaceId();
    const actual = await readActual(ws, def);
    const diff = diffSchema(def, actual);
    return { workspaceId: ws, actual, diff, layout: diff.kind === 'ok' ? layoutOf(ws, def, actual) : null };
  }

  async function ensureSchema(def: SchemaDefinition, options: EnsureSchemaOptions = {}): Promise<SchemaEnsureResult> {
    const step = options.onStep ?? (async () => undefined);
    const ws = await workspaceId();
    await step('Find the Assets workspace');
    const actual = await readActual(ws, def);
    await step(`Read the ${def.key} schema as it is in Assets`);
    const diff = diffSchema(def, actual);
    if (diff.kind === 'conflict') {
      throw new AppError('ASSETS_SCHEMA_CONFLICT', diff.message, { context: { schemaId: actual.schema?.id ?? null } });
    }
    if (diff.kind === 'ok') {
      await step('Check the result');
      return { layout: layoutOf(ws, def, actual), created: [], repaired: [] };
    }

    const run = new ActionRunner(transport, ws, def, actual);
    for (const action of diff.actions) {
      await options.beforeChange?.({ kind: changeKindOf(action), item: describeSchemaAction(action) });
      const repairs = run.repaired.length;
      await run.execute(action);
      const repaired = run.repaired.length > repairs;
      await step(`${repaired ? 'Repair' : 'Create'} ${describeSchemaAction(action)}`, {
        kind: repaired ? 'repaired' : 'created',
        item: describeSchemaAction(action),
      });
    }

    const after = await readActual(ws, def);
    const check = diffSchema(def, after);
    if (check.kind === 'conflict') throw new AppError('ASSETS_SCHEMA_CONFLICT', check.message);
    if (check.kind === 'changes') {
      throw new AppError(
        'ASSETS_SCHEMA_CONFLICT',
        `Assets accepted the schema changes but still does not match what the app needs: ${check.actions.map(describeSchemaAction).join('; ')}. ` +
          `Fix these attributes on the ${typeNames(def)} object type${def.objectTypes.length > 1 ? 's' : ''} in Assets (or rename them, which keeps their data, so the app can ` +
          `create its own), then run the schema check again.`,
        { context: { schemaId: after.schema?.id ?? null } },
      );
    }
    await step('Check the result');
    return { layout: layoutOf(ws, def, after), created: run.created, repaired: run.repaired };
  }

  return { inspectSchema, ensureSchema };
}

/** Whether an action creates or repairs (as ActionRunner.execute records it). */
function changeKindOf(action: SchemaAction): 'created' | 'repaired' {
  switch (action.kind) {
    case 'repair-attribute':
      return 'repaired';
    case 'rename-label':
      return action.attributeId === null ? 'created' : 'repaired';
    default:
      return 'created';
  }
}

/** Executes diff actions in order, remembering ids created on the way (a new schema, object types, reference types). */
class ActionRunner {
  readonly created: string[] = [];
  readonly repaired: string[] = [];
  private schemaId: string | null;
  private readonly objectTypeIds = new Map<ObjectTypeKey, string>();
  private referenceTypeIds = new Map<string, string>();

  constructor(
    private readonly transport: AssetsTransport,
    private readonly ws: string,
    private readonly def: SchemaDefinition,
    actual: ActualSchemaState,
  ) {
    this.schemaId = actual.schema?.id ?? null;
    for (const [key, type] of Object.entries(actual.objectTypes) as [ObjectTypeKey, ActualObjectType | undefined][]) {
      if (type !== undefined) this.objectTypeIds.set(key, type.id);
    }
  }

  async execute(action: SchemaAction): Promise<void> {
    switch (action.kind) {
      case 'create-schema':
        this.schemaId = await this.createSchema(action);
        this.created.push(describeSchemaAction(action));
        return;
      case 'create-object-type':
        this.objectTypeIds.set(action.objectType, await this.createObjectType(action));
        this.created.push(describeSchemaAction(action));
        return;
      case 'rename-label':
        await this.renameLabel(action);
        (action.attributeId === null ? this.created : this.repaired).push(describeSchemaAction(action));
        return;
      case 'create-attribute':
        await this.createAttribute(action.objectType, action.definition);
        this.created.push(describeSchemaAction(action));
        return;
      case 'repair-attribute':
        await this.repairAttribute(action);
        this.repaired.push(describeSchemaAction(action));
        return;
    }
  }

  private async createSchema(action: Extract<SchemaAction, { kind: 'create-schema' }>): Promise<string> {
    const call = {
      method: 'POST' as const,
      path: 'objectschema/create',
      body: { name: action.name, objectSchemaKey: action.key, description: action.description },
      what: `creating the schema "${action.name}"`,
    };
    const response = await assetsSend(this.transport, this.ws, call);
    if (response.status === 400) {
      // Key or name taken by a schema the list did not show (created meanwhile, or not visible to the app).
      const failure = await assetsFailure(response, call);
      throw new AppError(
        'ASSETS_SCHEMA_CONFLICT',
        `Assets would not create the schema "${action.name}" with key ${action.key}: the name or key is already used by another ` +
          `schema. Rename or re-key that schema in Assets, then run the schema check again.`,
        { context: failure.context, cause: failure },
      );
    }
    if (response.status < 200 || response.status >= 300) throw await assetsFailure(response, call);
    return (await readJson(response, objectSchemaSchema, `Assets (${call.what})`)).id;
  }

  private async createObjectType(action: Extract<SchemaAction, { kind: 'create-object-type' }>): Promise<string> {
    const schemaId = this.requireSchemaId();
    const icons = await assetsJson(
      this.transport,
      this.ws,
      { method: 'GET', path: 'icon/global', what: 'listing the Assets icons' },
      iconListSchema,
    );
    const icon = findByName(icons, action.iconName) ?? icons[0];
    if (!icon) {
      throw new AppError(
        'ASSETS_REQUEST_FAILED',
        'Assets offers no icons, and an object type cannot be created without one. Report this to the app vendor.',
      );
    }
    const created = await assetsJson(
      this.transport,
      this.ws,
      {
        method: 'POST',
        path: 'objecttype/create',
        body: { name: action.name, description: action.description, iconId: icon.id, objectSchemaId: schemaId },
        what: `creating the object type "${action.name}"`,
      },
      objectTypeSchema,
    );
    return created.id;
  }

  private async renameLabel(action: Extract<SchemaAction, { kind: 'rename-label' }>): Promise<void> {
    const definition = this.definitionOf(action.objectType, action.key);
    const objectTypeId = this.requireObjectTypeId(action.objectType);
    let attributeId = action.attributeId;
    if (attributeId === null) {
      const attributes = await assetsJson(
        this.transport,
        this.ws,
        { method: 'GET', path: `objecttype/${segment(objectTypeId)}/attributes`, what: 'listing the attributes of the new object type' },
        objectTypeAttributeListSchema,
      );
      attributeId = attributes.find((a) => a.label === true && a.system !== true)?.id ?? null;
    }
    if (attributeId === null) {
      await this.createAttribute(action.objectType, definition);
      return;
    }
    await this.putAttribute(
      action.objectType,
      attributeId,
      definition,
      `renaming the label attribute "${action.from}" to "${action.to}"`,
      action.current ?? null,
    );
  }

  private async createAttribute(typeKey: ObjectTypeKey, definition: AttributeDefinition): Promise<void> {
    const objectTypeId = this.requireObjectTypeId(typeKey);
    await assetsJson(
      this.transport,
      this.ws,
      {
        method: 'POST',
        path: `objecttypeattribute/${segment(objectTypeId)}`,
        body: await this.attributeBody(definition),
        what: `creating the attribute "${definition.name}"`,
      },
      objectTypeAttributeSchema,
    );
  }

  private async repairAttribute(action: Extract<SchemaAction, { kind: 'repair-attribute' }>): Promise<void> {
    try {
      await this.putAttribute(
        action.objectType,
        action.attributeId,
        action.definition,
        `repairing the attribute "${action.definition.name}"`,
        action.fix.kind === undefined ? action.current : null,
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'ASSETS_REQUEST_FAILED' || error.retry !== 'permanent') throw error;
      throw new AppError(
        'ASSETS_SCHEMA_CONFLICT',
        `The attribute "${action.definition.name}" on the "${objectTypeOf(this.def, action.objectType).name}" object type is not usable by the app ` +
          `(${action.reason}) and Assets would not change it (an attribute that holds values keeps its type). Rename that ` +
          `attribute in Assets (for example to "${action.definition.name} (old)"; renaming keeps its data) so the app can create ` +
          `its own "${action.definition.name}" as ${describeAttributeKind(action.definition.kind)}, then run the schema check again.`,
        { context: { ...error.context, attributeId: action.attributeId }, cause: error },
      );
    }
  }

  /** `keep`: an existing attribute whose type the app accepts; its type is sent back unchanged (Email stays Email). */
  private async putAttribute(
    typeKey: ObjectTypeKey,
    attributeId: string,
    definition: AttributeDefinition,
    what: string,
    keep: ActualAttribute | null,
  ): Promise<void> {
    const objectTypeId = this.requireObjectTypeId(typeKey);
    await assetsJson(
      this.transport,
      this.ws,
      {
        method: 'PUT',
        path: `objecttypeattribute/${segment(objectTypeId)}/${segment(attributeId)}`,
        body: await this.attributeBody(definition, keep),
        what,
      },
      objectTypeAttributeSchema,
    );
  }

  /**
   * The full desired definition: a repair sends all of it, so Assets ends up with exactly what a creation would make,
   * except the type of an attribute the app accepts as it is (`keep`), which is sent back unchanged.
   */
  private async attributeBody(definition: AttributeDefinition, keep: ActualAttribute | null = null): Promise<Record<string, unknown>> {
    const common: Record<string, unknown> = {
      name: definition.name,
      description: definition.description,
      uniqueAttribute: definition.unique,
      ...(definition.label ? { label: true } : {}),
    };
    if (
      keep !== null &&
      keep.type === ASSETS_ATTRIBUTE_TYPE.default &&
      keep.defaultTypeId !== null &&
      definition.kind.type !== 'user' &&
      definition.kind.type !== 'reference'
    ) {
      return { ...common, type: ASSETS_ATTRIBUTE_TYPE.default, defaultTypeId: keep.defaultTypeId };
    }
    switch (definition.kind.type) {
      case 'text':
      case 'email':
        return { ...common, type: ASSETS_ATTRIBUTE_TYPE.default, defaultTypeId: ASSETS_DEFAULT_TYPE.text };
      case 'boolean':
        return { ...common, type: ASSETS_ATTRIBUTE_TYPE.default, defaultTypeId: ASSETS_DEFAULT_TYPE.boolean };
      case 'date':
        return { ...common, type: ASSETS_ATTRIBUTE_TYPE.default, defaultTypeId: ASSETS_DEFAULT_TYPE.date };
      case 'user':
        return {
          ...common,
          type: ASSETS_ATTRIBUTE_TYPE.user,
          additionalValue: 'SHOW_PROFILE',
          minimumCardinality: 0,
          maximumCardinality: 1,
        };
      case 'reference':
        // typeValue: the referenced object type (created before any reference to it: schema-diff.ts orders the
        // actions); a list (Groups) allows any number of values, -1 (jira-and-assets.md: objecttypeattribute).
        return {
          ...common,
          type: ASSETS_ATTRIBUTE_TYPE.objectReference,
          typeValue: this.requireObjectTypeId(definition.kind.objectType),
          additionalValue: await this.referenceTypeId(definition.kind.referenceTypeName),
          minimumCardinality: 0,
          maximumCardinality: definition.kind.many === true ? -1 : 1,
        };
    }
  }

  private async referenceTypeId(name: string): Promise<string> {
    const known = this.referenceTypeIds.get(name);
    if (known !== undefined) return known;
    const schemaId = this.requireSchemaId();
    const types = await assetsJson(
      this.transport,
      this.ws,
      { method: 'GET', path: `config/referencetype?objectSchemaId=${segment(schemaId)}`, what: 'listing reference types' },
      referenceTypeListSchema,
    );
    const found = findByName(types, name);
    const id =
      found?.id ??
      (
        await assetsJson(
          this.transport,
          this.ws,
          {
            method: 'POST',
            path: `config/referencetype?objectSchemaId=${segment(schemaId)}`,
            body: { name, description: 'Created by the Entra ID to Assets Sync app', objectSchemaId: schemaId },
            what: `creating the reference type "${name}"`,
          },
          referenceTypeSchema,
        )
      ).id;
    this.referenceTypeIds.set(name, id);
    return id;
  }

  private definitionOf(typeKey: ObjectTypeKey, key: string): AttributeDefinition {
    const found = objectTypeOf(this.def, typeKey).attributes.find((a) => a.key === key);
    if (!found) throw new AppError('INTERNAL', `The schema definition has no attribute ${key}.`);
    return found;
  }

  private requireSchemaId(): string {
    if (this.schemaId === null) throw new AppError('INTERNAL', 'The schema id is unknown before the schema was created.');
    return this.schemaId;
  }

  private requireObjectTypeId(typeKey: ObjectTypeKey): string {
    const id = this.objectTypeIds.get(typeKey);
    if (id === undefined)
      throw new AppError('INTERNAL', `The ${typeKey} object type id is unknown before the object type was created.`, {
        context: { objectType: typeKey },
      });
    return id;
  }
}

export function toActualAttribute(raw: AssetsObjectTypeAttribute): ActualAttribute {
  return {
    id: raw.id,
    name: raw.name,
    type: raw.type ?? -1,
    defaultTypeId: raw.defaultType?.id ?? null,
    typeValue: raw.referenceObjectTypeId ?? raw.typeValue,
    additionalValue: raw.referenceType?.id ?? raw.additionalValue,
    maximumCardinality: raw.maximumCardinality ?? null,
    label: raw.label === true,
    unique: raw.uniqueAttribute === true,
    system: raw.system === true,
  };
}

function layoutOf(ws: string, def: SchemaDefinition, actual: ActualSchemaState): SchemaLayout {
  if (actual.schema === null) {
    throw new AppError('ASSETS_SCHEMA_MISSING', `The Assets schema "${def.name}" is incomplete. Run the schema check to create it.`);
  }
  const objectTypes: Record<string, { objectTypeId: string; attributeIds: Record<string, string> }> = {};
  for (const type of def.objectTypes) {
    const found = actual.objectTypes[type.key];
    if (found === undefined) {
      throw new AppError(
        'ASSETS_SCHEMA_MISSING',
        `The "${type.name}" object type is missing from the Assets schema "${def.name}". Run the schema check to create it.`,
        { context: { objectType: type.key } },
      );
    }
    const candidates = found.attributes.filter((a) => !a.system);
    const idOf = (definition: AttributeDefinition): [string, string] => {
      const attribute = findByName(candidates, definition.name);
      if (!attribute) {
        throw new AppError(
          'ASSETS_SCHEMA_MISSING',
          `The attribute for "${definition.name}" is missing from the ${type.name} object type in Assets. Run the schema check to repair it.`,
          { context: { objectType: type.key } },
        );
      }
      return [definition.key, attribute.id];
    };
    objectTypes[type.key] = { objectTypeId: found.id, attributeIds: Object.fromEntries(type.attributes.map(idOf)) };
  }
  return schemaLayoutSchema.parse({ workspaceId: ws, schemaId: actual.schema.id, objectTypes });
}

/** The definition's object types as a message names them: "Employee" and "Entra Group". */
function typeNames(def: SchemaDefinition): string {
  return def.objectTypes.map((type) => `"${type.name}"`).join(' and ');
}
