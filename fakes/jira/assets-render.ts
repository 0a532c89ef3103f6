/**
 * The JSON the fake Assets API answers with, in the shapes of Atlassian's Assets REST reference (ids as strings,
 * User values carried in `user` with the accountId in `key`, references in `referencedObject`), so the client's
 * parsing is exercised against realistic bodies, including fields it ignores.
 */
import type { FakeJiraUser } from '../world/types';
import {
  type AssetsState,
  type AttributeRec,
  DEFAULT_DATE,
  DEFAULT_TYPE_NAMES,
  ICONS,
  type ObjectRec,
  type ObjectTypeRec,
  type ReferenceTypeRec,
  type SchemaRec,
  TYPE_DEFAULT,
  TYPE_REFERENCE,
  TYPE_USER,
} from './assets-state';

const ISO_EPOCH = '2026-01-01T00:00:00.000Z';

export class AssetsRenderer {
  /** FakeJiraSiteOptions.assetsDateReadForm: what a Date attribute's `value` holds on read. */
  dateReadForm: 'iso' | 'display' = 'iso';

  constructor(
    private readonly state: AssetsState,
    private readonly workspaceId: string,
    private readonly origin: () => string,
    private readonly users: () => ReadonlyMap<string, FakeJiraUser>,
  ) {}

  schema(s: SchemaRec): Record<string, unknown> {
    return {
      workspaceId: this.workspaceId,
      globalId: `${this.workspaceId}:${s.id}`,
      id: s.id,
      name: s.name,
      objectSchemaKey: s.key,
      description: s.description,
      status: 'Ok',
      created: ISO_EPOCH,
      updated: ISO_EPOCH,
      objectCount: this.state.typesOf(s.id).reduce((n, t) => n + this.state.countOfType(t.id), 0),
      objectTypeCount: this.state.typesOf(s.id).length,
      canManage: true,
    };
  }

  objectType(t: ObjectTypeRec): Record<string, unknown> {
    const icon = ICONS.find((i) => i.id === t.iconId) ?? ICONS[0];
    return {
      workspaceId: this.workspaceId,
      globalId: `${this.workspaceId}:${t.id}`,
      id: t.id,
      name: t.name,
      description: t.description,
      icon: icon ? this.icon(icon) : undefined,
      position: this.state.typesOf(t.schemaId).indexOf(t),
      created: ISO_EPOCH,
      updated: ISO_EPOCH,
      objectCount: this.state.countOfType(t.id),
      objectSchemaId: t.schemaId,
      inherited: false,
      abstractObjectType: false,
      parentObjectTypeInherited: false,
    };
  }

  icon(i: { id: string; name: string }): Record<string, unknown> {
    return { id: i.id, name: i.name, url16: `${this.origin()}/icons/${i.id}/16.png`, url48: `${this.origin()}/icons/${i.id}/48.png` };
  }

  referenceType(r: ReferenceTypeRec): Record<string, unknown> {
    return {
      workspaceId: this.workspaceId,
      globalId: `${this.workspaceId}:${r.id}`,
      id: r.id,
      name: r.name,
      description: r.description,
      color: '#4C9AFF',
      url16: `${this.origin()}/reference/${r.id}.png`,
      removable: r.objectSchemaId !== null,
      ...(r.objectSchemaId === null ? {} : { objectSchemaId: r.objectSchemaId }),
    };
  }

  attribute(a: AttributeRec): Record<string, unknown> {
    const body: Record<string, unknown> = {
      workspaceId: this.workspaceId,
      globalId: `${this.workspaceId}:${a.id}`,
      id: a.id,
      name: a.name,
      label: a.label,
      type: a.type,
      description: a.description,
      editable: !a.system,
      system: a.system,
      sortable: true,
      summable: false,
      indexed: true,
      minimumCardinality: a.minimumCardinality,
      maximumCardinality: a.maximumCardinality,
      removable: !a.system,
      hidden: false,
      includeChildObjectTypes: false,
      uniqueAttribute: a.unique,
      options: '',
      position: a.position,
    };
    if (a.type === TYPE_DEFAULT && a.defaultTypeId !== null)
      body['defaultType'] = { id: a.defaultTypeId, name: DEFAULT_TYPE_NAMES[a.defaultTypeId] };
    if (a.type === TYPE_REFERENCE) {
      const ref = this.state.referenceTypes.find((r) => r.id === a.additionalValue);
      const target = this.state.objectTypes.find((t) => t.id === a.typeValue);
      if (ref) body['referenceType'] = this.referenceType(ref);
      body['referenceObjectTypeId'] = a.typeValue;
      if (target) body['referenceObjectType'] = this.objectType(target);
    }
    if (a.type === TYPE_USER) body['additionalValue'] = a.additionalValue ?? 'SHOW_PROFILE';
    return body;
  }

  /** Objects of one answer; object type JSON is built once per type (it counts objects, which is not free). */
  objects(list: readonly ObjectRec[], includeAttributes = true): Record<string, unknown>[] {
    const types = new Map<string, Record<string, unknown>>();
    return list.map((o) => this.object(o, includeAttributes, types));
  }

  object(o: ObjectRec, includeAttributes = true, types = new Map<string, Record<string, unknown>>()): Record<string, unknown> {
    const body: Record<string, unknown> = {
      workspaceId: this.workspaceId,
      globalId: `${this.workspaceId}:${o.id}`,
      id: o.id,
      label: this.state.labelOf(o),
      objectKey: o.objectKey,
      avatar: { objectId: o.id },
      objectType: this.objectTypeOf(o.objectTypeId, types),
      created: new Date(o.created).toISOString(),
      updated: new Date(o.updated).toISOString(),
      hasAvatar: false,
      timestamp: o.updated,
      _links: { self: `${this.origin()}/jira/servicedesk/assets/object/${o.id}` },
    };
    if (includeAttributes) body['attributes'] = this.objectAttributes(o, types);
    return body;
  }

  private objectTypeOf(id: string, types: Map<string, Record<string, unknown>>): Record<string, unknown> {
    let json = types.get(id);
    if (json === undefined) {
      const type = this.state.objectTypes.find((t) => t.id === id);
      json = type ? this.objectType(type) : { id };
      types.set(id, json);
    }
    return json;
  }

  private objectAttributes(o: ObjectRec, types: Map<string, Record<string, unknown>>): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const a of this.state.attributesOf(o.objectTypeId)) {
      const values = a.system ? this.systemValues(a, o) : (o.values.get(a.id) ?? []);
      if (values.length === 0) continue;
      out.push({
        workspaceId: this.workspaceId,
        globalId: `${this.workspaceId}:${o.id}:${a.id}`,
        id: `${o.id}${a.id}`,
        objectTypeAttributeId: a.id,
        objectAttributeValues: values.map((v) => this.value(a, v, types)),
        objectId: o.id,
      });
    }
    return out;
  }

  private systemValues(a: AttributeRec, o: ObjectRec): string[] {
    if (a.name === 'Key') return [o.objectKey];
    if (a.name === 'Created') return [new Date(o.created).toISOString()];
    if (a.name === 'Updated') return [new Date(o.updated).toISOString()];
    return [];
  }

  private value(a: AttributeRec, v: string, types: Map<string, Record<string, unknown>>): Record<string, unknown> {
    if (a.type === TYPE_USER) {
      const user = this.users().get(v);
      const name = user?.displayName ?? 'Unknown user';
      // Cloud sends no `value` for User attributes: the accountId is user.key (and searchValue).
      return {
        user: { avatarUrl: `${this.origin()}/avatar/${v}.png`, displayName: name, name, key: v, renderedLink: '', isDeleted: false },
        searchValue: v,
        referencedType: false,
        displayValue: name,
      };
    }
    if (a.type === TYPE_REFERENCE) {
      const target = this.state.objects.get(v);
      return {
        referencedObject: target ? this.object(target, false, types) : { id: v },
        searchValue: target?.objectKey ?? v,
        referencedType: true,
        displayValue: target ? this.state.labelOf(target) : v,
      };
    }
    if (a.type === TYPE_DEFAULT && a.defaultTypeId === DEFAULT_DATE) {
      // Modelled choice (undocumented): `value` holds the ISO date as written, displayValue the site's display form
      // (Jira's default "dd/MMM/yy"), so a client that reads displayValue would see a different text.
      return {
        value: this.dateReadForm === 'iso' ? v : displayDate(v),
        displayValue: displayDate(v),
        searchValue: v,
        referencedType: false,
      };
    }
    return { value: v, displayValue: v, searchValue: v, referencedType: false };
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function displayDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${MONTHS[Number(month) - 1] ?? month}/${(year ?? '').slice(2)}`;
}
