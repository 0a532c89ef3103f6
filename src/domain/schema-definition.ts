/**
 * The Assets schema this app owns, as data: the schema, its object types, and per object type the attributes with
 * everything the app needs to know about each (its Assets type, where its value comes from, how it is compared, cut
 * and shown). The definition is built from the settings (attribute-catalogue.ts: the core attributes plus the ones
 * the admin chose), and everything that touches attributes takes it: the schema diff, the Assets codec, the planner,
 * the report, the Graph field list and the admin page's tables. A run records the chosen attribute keys it started
 * with, so every stage of that run works from the same definition.
 */
import type { AtlassianAccount } from './atlassian-account';
import type { EntraGroup } from './entra-group';
import type { EntraUser } from './entra-user';
import { AppError } from './errors';
import type { PlannedValue, ReferenceTarget } from './object-values';

export type AttributeKind =
  | { readonly type: 'text' }
  /** An email address: created as Text; an existing Email (or Text, Textarea) attribute is used as it is. */
  | { readonly type: 'email' }
  | { readonly type: 'boolean' }
  /**
   * A calendar date, held as the ISO 8601 text YYYY-MM-DD on both sides (what Assets takes and gives for a Date
   * attribute: object-codec.ts). Created as Date; an existing Text or Textarea attribute holds the same text.
   */
  | { readonly type: 'date' }
  | { readonly type: 'user' }
  /**
   * A reference to another object of an object type of this schema. `many`: the attribute holds a list of
   * references (Assets maximumCardinality -1: an Employee's Groups); values are then lists (object-values.ts), and
   * every update writes the whole list (jira-and-assets.md: whether Cloud replaces or merges a partial list is not
   * documented, so the app never relies on it).
   */
  | { readonly type: 'reference'; readonly objectType: ObjectTypeKey; readonly referenceTypeName: string; readonly many?: boolean };

/**
 * The object types the app owns: Employee always, Entra Group when group sync is on (settings `groups`, docs/adr/0007).
 * The schema check creates every object type before any reference attribute that points at one, and the writer
 * writes group objects before Employee objects, so a group exists before an Employee's Groups names it.
 */
export const OBJECT_TYPE_KEYS = ['employee', 'group'] as const;
export type ObjectTypeKey = (typeof OBJECT_TYPE_KEYS)[number];

/** What the planner knows about one matched pair when it works out an Employee attribute's value. */
export interface PairContext {
  readonly entraUser: EntraUser;
  readonly account: AtlassianAccount;
  /** The Atlassian email the pair was matched on. */
  readonly matchedEmail: string;
  /** The manager's Employee object (or the create that makes it), null when the user has none in the directory. */
  readonly manager: ReferenceTarget | null;
  readonly managerAccountId: string | null;
  /**
   * The Entra Group objects the user should be listed in (group sync: its direct or transitive memberships among the
   * synced active groups, sorted by Entra id); empty when group sync is off.
   */
  readonly groups: readonly ReferenceTarget[];
}

/** What the group planner knows about one synced Entra group when it works out an Entra Group attribute's value. */
export interface GroupSource {
  readonly group: EntraGroup;
  /** False for a group that left Entra ID or the selection (its object is inactivated, never deleted). */
  readonly active: boolean;
}

/**
 * The source an attribute's value comes from: a matched pair for an Employee attribute, a group for an Entra Group
 * attribute. Each catalogue narrows `desired` to its own (attribute-catalogue.ts, group-catalogue.ts) and each
 * planner passes its own: an attribute is only ever asked by the planner of its object type.
 */
export type ValueSource = PairContext | GroupSource;

export interface AttributeDefinition {
  /** Stable key: values, stored plans and layouts are keyed by it. Never rename one. */
  readonly key: string;
  /** The Assets attribute name (also the admin-facing label). */
  readonly name: string;
  readonly description: string;
  readonly kind: AttributeKind;
  readonly label: boolean;
  readonly unique: boolean;
  /**
   * Text values longer than Assets holds are cut (and reported). False for anchors, which must never change
   * (an Entra object id is a GUID anyway).
   */
  readonly cut: boolean;
  /**
   * Key of the reference attribute whose target this attribute describes (the manager's account id describes the
   * Manager reference): when that reference cannot be written, this one is cleared with it.
   */
  readonly describes?: string;
  /** Shown as a column of the "to create" table of previews and run reports. */
  readonly showOnCreate: boolean;
  /**
   * What an admin must know before choosing this attribute (the permission it needs, how changes arrive), shown next
   * to the choice on the Setup tab and in the sandbox's configure help. Core attributes have none.
   */
  readonly note?: string;
  /** The value the object should have in Assets. */
  desired(source: ValueSource): PlannedValue;
  /** The Graph user properties `desired` reads ($select), beyond the ones the matching rules always read. */
  readonly graphSelect: readonly string[];
  /**
   * For a value the matching rules do not read: takes it from the Graph user (as Graph returns it) into
   * EntraUser.extra[key], where `desired` finds it. Absent for values the EntraUser shape already holds.
   */
  readonly fromGraph?: (user: Readonly<Record<string, unknown>>) => string | null;
}

export interface ObjectTypeDefinition {
  readonly key: ObjectTypeKey;
  readonly name: string;
  readonly description: string;
  /** Name of the icon from GET icon/global; the first icon is used when no icon has this name. */
  readonly iconName: string;
  /**
   * Key of the attribute that holds the object's Entra object id (unique): how the app finds its objects again
   * ('entraUserId' for Employee, 'entraGroupId' for Entra Group). Operations name their object by this id.
   */
  readonly anchor: string;
  /** In the order the schema declares them. */
  readonly attributes: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly name: string;
  readonly key: string;
  readonly description: string;
  readonly objectTypes: readonly ObjectTypeDefinition[];
}

/** Assets text attributes hold at most this many characters. */
export const ASSETS_TEXT_MAX_LENGTH = 255;

export function objectTypeOf(definition: SchemaDefinition, key: ObjectTypeKey): ObjectTypeDefinition {
  const found = definition.objectTypes.find((type) => type.key === key);
  // The definition is built by buildSchemaDefinition, which always includes every OBJECT_TYPE_KEYS entry.
  if (found === undefined)
    throw new AppError('INTERNAL', `The schema definition has no object type ${key}.`, { context: { objectType: key } });
  return found;
}

export function attributeOf(type: ObjectTypeDefinition, key: string): AttributeDefinition | undefined {
  return type.attributes.find((attribute) => attribute.key === key);
}
