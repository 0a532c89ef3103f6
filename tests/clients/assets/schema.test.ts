import { jiraFetchTo } from '../../../fakes/jira/fake-jira-fetch';
import type { FakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import { CORE_SCHEMA } from '../../../src/domain/attribute-catalogue';
import type { AppError } from '../../../src/domain/errors';
import { layoutOfType, type ObjectTypeLayout, type SchemaLayout, schemaLayoutSchema } from '../../../src/domain/schema-layout';
import { jiraUser, rejection } from '../jira/support';
import { type AssetsTestBed, assetsTestBed, EMPLOYEE, served, writesOf } from './assets-support';

const ADA = jiraUser({ accountId: 'acc-ada' });

/** The Employee type's ids in a layout (all of them: the layouts here come from a completed ensure). */
const typeIds = (layout: SchemaLayout): ObjectTypeLayout => layoutOfType(layout, EMPLOYEE, { complete: true });

interface AttributeJson {
  id: string;
  name: string;
  type: number;
  label: boolean;
  uniqueAttribute: boolean;
  defaultType?: { id: number };
  additionalValue?: string;
  referenceObjectTypeId?: string;
  referenceType?: { id: string; name: string };
}

describe('Assets schema ensure and inspect', () => {
  let bed: AssetsTestBed | undefined;
  afterEach(async () => {
    bed?.site.expectNoUnexpected();
    await bed?.site.close();
    bed = undefined;
  });

  async function attributesOn(site: FakeJiraSite, layout: SchemaLayout): Promise<AttributeJson[]> {
    const response = await jiraFetchTo(site.url)({
      method: 'GET',
      url: `/jsm/assets/workspace/${site.workspaceId}/v1/objecttype/${typeIds(layout).objectTypeId}/attributes?redirected=1`, // a direct read: not redirected
    });
    return JSON.parse(await response.text()) as AttributeJson[];
  }

  /** An admin's hand edit in Assets: the attribute `replaces` is deleted and one made from `body` takes its place. */
  async function replaceAttributeByHand(
    site: FakeJiraSite,
    layout: SchemaLayout,
    replaces: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    site.deleteAttribute('Employee', replaces);
    const made = await jiraFetchTo(site.url)({
      method: 'POST',
      url: `/jsm/assets/workspace/${site.workspaceId}/v1/objecttypeattribute/${typeIds(layout).objectTypeId}?redirected=1`, // an admin's edit: not redirected
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(made.status).toBe(201);
  }

  it('creates the schema from scratch with the right attribute types', async () => {
    bed = await assetsTestBed();
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(schemaLayoutSchema.parse(result.layout)).toEqual(result.layout);
    expect(result.created).toEqual([
      'schema "Entra Directory" (key ENTRA)',
      'object type "Employee"',
      'attribute "Full Name" (the label, renamed from "Name")',
      ...EMPLOYEE.attributes.filter((a) => !a.label).map((a) => `attribute "${a.name}"`),
    ]);
    expect(result.repaired).toEqual([]);

    const attributes = await attributesOn(bed.site, result.layout);
    const byName = new Map(attributes.map((a) => [a.name, a]));
    expect(attributes.filter((a) => a.label).map((a) => a.name)).toEqual(['Full Name']);
    expect(byName.has('Name')).toBe(false);
    expect(byName.get('Entra User ID')).toMatchObject({ type: 0, defaultType: { id: 0 }, uniqueAttribute: true });
    expect(byName.get('Active')).toMatchObject({ type: 0, defaultType: { id: 2 } });
    expect(byName.get('Jira User')).toMatchObject({ type: 2, additionalValue: 'SHOW_PROFILE' });
    expect(byName.get('Manager')).toMatchObject({
      type: 1,
      referenceObjectTypeId: typeIds(result.layout).objectTypeId,
      referenceType: { name: 'Reports to' },
    });
    expect(typeIds(result.layout).attributeIds.manager).toBe(byName.get('Manager')?.id);

    const createType = bed.site.requests.find((r) => r.path.endsWith('/objecttype/create'));
    expect(createType?.body).toMatchObject({ name: 'Employee', iconId: '3', objectSchemaId: result.layout.schemaId });
  });

  it('is idempotent: a second ensure reads and writes nothing new', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    const mark = bed.site.requests.length;
    const second = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(second).toEqual({ layout: first.layout, created: [], repaired: [] });
    expect(writesOf(bed.site, mark)).toEqual([]);
    expect(served(bed.site, undefined, mark).map((r) => r.path.replace(/^.*\/v1\//, ''))).toEqual([
      'objectschema/list',
      `objectschema/${first.layout.schemaId}/objecttypes`,
      `objecttype/${typeIds(first.layout).objectTypeId}/attributes`,
    ]);
  });

  it('inspects without writing: the plan on an empty site, then ok with the layout', async () => {
    bed = await assetsTestBed();
    const before = await bed.client.inspectSchema(CORE_SCHEMA);
    expect(before.layout).toBeNull();
    expect(before.diff.kind).toBe('changes');
    expect(writesOf(bed.site)).toEqual([]);
    const { layout } = await bed.client.ensureSchema(CORE_SCHEMA);
    const after = await bed.client.inspectSchema(CORE_SCHEMA);
    expect(after).toMatchObject({ workspaceId: bed.site.workspaceId, diff: { kind: 'ok' }, layout });
  });

  it('recreates a deleted attribute', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    bed.site.deleteAttribute('Employee', 'Department');
    const mark = bed.site.requests.length;
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(result.created).toEqual(['attribute "Department"']);
    expect(result.repaired).toEqual([]);
    expect(typeIds(result.layout).attributeIds.department).not.toBe(typeIds(first.layout).attributeIds.department);
    expect(typeIds(result.layout).attributeIds.fullName).toBe(typeIds(first.layout).attributeIds.fullName);
    expect(writesOf(bed.site, mark)).toEqual([`POST objecttypeattribute/${typeIds(first.layout).objectTypeId}`]);
  });

  it('renames the label back when an admin undid the Full Name rename', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    bed.site.renameAttribute('Employee', 'Full Name', 'Name');
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(result.repaired).toEqual(['attribute "Full Name" (the label, renamed from "Name")']);
    expect(result.created).toEqual([]);
    expect(result.layout).toEqual(first.layout);
  });

  it('repairs a wrongly typed attribute that holds no values', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    await replaceAttributeByHand(bed.site, first.layout, 'Active', { name: 'Active', type: 0, defaultTypeId: 4 });
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(result.repaired).toEqual([
      'attribute "Active" (its type is Date, which cannot hold what the app writes; the app needs Boolean (or Text, Textarea))',
    ]);
    const active = (await attributesOn(bed.site, result.layout)).find((a) => a.name === 'Active');
    expect(active).toMatchObject({ type: 0, defaultType: { id: 2 } });
  });

  it('reports clearly when Assets will not retype an attribute that holds values', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    await replaceAttributeByHand(bed.site, first.layout, 'Jira User', { name: 'Jira User', type: 0, defaultTypeId: 0 });
    bed.site.addObject({ attributes: { 'Full Name': 'Ada', 'Jira User': 'free text' } });
    const error = await rejection(bed.client.ensureSchema(CORE_SCHEMA));
    expect(error).toMatchObject({ code: 'ASSETS_SCHEMA_CONFLICT', retry: 'permanent' });
    const message = (error as AppError).message;
    expect(message).toContain('"Jira User"');
    expect(message).toContain('its type is Text');
    expect(message).toContain('the app needs User');
    expect(message).toContain('Rename that attribute in Assets (for example to "Jira User (old)"; renaming keeps its data)');
    expect(message).not.toMatch(/delete/i);
  });

  // Issue 11 point 9: an existing Email attribute of the Assets Email type, holding data, is used as it is.
  it('accepts an existing Email attribute of the Email type that holds values, and keeps its type and data', async () => {
    bed = await assetsTestBed({ users: [ADA] });
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    await replaceAttributeByHand(bed.site, first.layout, 'Email', { name: 'Email', type: 0, defaultTypeId: 8 });
    bed.site.addObject({ attributes: { 'Full Name': 'Ada', 'Entra User ID': 'e-old', Email: 'ada@example.com' } });
    const mark = bed.site.requests.length;

    const inspection = await bed.client.inspectSchema(CORE_SCHEMA);
    expect(inspection.diff).toEqual({ kind: 'ok' });
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(result).toMatchObject({ created: [], repaired: [] });
    expect(writesOf(bed.site, mark)).toEqual([]);
    const email = (await attributesOn(bed.site, result.layout)).find((a) => a.name === 'Email');
    expect(email).toMatchObject({ type: 0, defaultType: { id: 8 } });

    // The codec writes and reads it like a Text attribute; a malformed address is that object's own failure.
    const layout = result.layout;
    const write = { fullName: 'Grace', entraUserId: 'e-new', email: 'grace@example.com', active: true };
    const ok = await bed.client.createObject(layout, EMPLOYEE, write);
    expect(ok).toMatchObject({ ok: true });
    const bad = await bed.client.createObject(layout, EMPLOYEE, { ...write, entraUserId: 'e-bad', email: 'not an address' });
    expect(bad).toEqual({
      ok: false,
      failure: { code: 'invalid-value', attribute: 'email', message: 'Assets rejected the value of "Email" as invalid.' },
      throttled: 0,
      redirects: 0,
    });
    const page = await bed.client.searchObjects(layout, EMPLOYEE, 0, 50);
    expect(page.objects.map((o) => [o.values.entraUserId, o.values.email]).sort()).toEqual([
      ['e-new', 'grace@example.com'],
      ['e-old', 'ada@example.com'],
    ]);
  });

  it('renames a label of the Textarea type back to Full Name without retyping it', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(CORE_SCHEMA);
    await replaceAttributeByHand(bed.site, first.layout, 'Full Name', { name: 'Name', type: 0, defaultTypeId: 9, label: true });
    bed.site.addObject({ attributes: { Name: 'A long name', 'Entra User ID': 'e-1' } });
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(result.repaired).toEqual(['attribute "Full Name" (the label, renamed from "Name")']);
    expect((await attributesOn(bed.site, result.layout)).find((a) => a.name === 'Full Name')).toMatchObject({
      label: true,
      defaultType: { id: 9 },
    });
  });

  it('stops with a conflict naming the schema that already uses the key ENTRA', async () => {
    bed = await assetsTestBed({ preexistingSchemas: [{ name: 'HR Directory', key: 'ENTRA' }] });
    const error = await rejection(bed.client.ensureSchema(CORE_SCHEMA));
    expect(error).toMatchObject({ code: 'ASSETS_SCHEMA_CONFLICT' });
    expect((error as AppError).message).toContain('"HR Directory"');
    expect((error as AppError).message).toContain('"Entra Directory"');
    expect(writesOf(bed.site)).toEqual([]);
    const inspection = await bed.client.inspectSchema(CORE_SCHEMA);
    expect(inspection.diff).toMatchObject({ kind: 'conflict', schemaName: 'HR Directory' });
  });

  it('stops with a conflict when another schema already has the name', async () => {
    bed = await assetsTestBed({ preexistingSchemas: [{ name: 'Entra Directory', key: 'ENTRAID' }] });
    const error = await rejection(bed.client.ensureSchema(CORE_SCHEMA));
    expect(error).toMatchObject({ code: 'ASSETS_SCHEMA_CONFLICT' });
    expect((error as AppError).message).toContain('ENTRAID');
    expect(writesOf(bed.site)).toEqual([]);
  });

  it('adopts an empty schema that already has our name and key', async () => {
    bed = await assetsTestBed({ preexistingSchemas: [{ name: 'Entra Directory', key: 'ENTRA' }] });
    const result = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(result.created[0]).toBe('object type "Employee"');
    expect(writesOf(bed.site).filter((w) => w.includes('objectschema/create'))).toEqual([]);
  });

  it('pages through the schema list before deciding to create', async () => {
    const others = Array.from({ length: 60 }, (_, i) => ({ name: `Other ${i}`, key: `OTH${i}` }));
    bed = await assetsTestBed({ preexistingSchemas: others });
    await bed.client.ensureSchema(CORE_SCHEMA);
    const lists = served(bed.site).filter((r) => r.path.endsWith('/objectschema/list'));
    expect(lists.slice(0, 2).map((r) => r.query)).toEqual(['startAt=0&maxResults=50', 'startAt=50&maxResults=50']);
  });

  it('falls back to the first icon when the named icon does not exist', async () => {
    bed = await assetsTestBed();
    await bed.client.ensureSchema({ ...CORE_SCHEMA, objectTypes: [{ ...EMPLOYEE, iconName: 'No Such Icon' }] });
    const createType = bed.site.requests.find((r) => r.path.endsWith('/objecttype/create'));
    expect(createType?.body).toMatchObject({ iconId: '1' });
  });

  it('maps a malformed schema list to RESPONSE_MALFORMED and a redirect to a clear error', async () => {
    bed = await assetsTestBed();
    bed.site.failNext({ path: '/objectschema/list', status: 200, body: { values: 'nope' } });
    expect(await rejection(bed.client.ensureSchema(CORE_SCHEMA))).toMatchObject({ code: 'RESPONSE_MALFORMED' });
    bed.site.failNext({ path: '/objectschema/list', status: 303, headers: { Location: '/elsewhere' } });
    const redirect = await rejection(bed.client.ensureSchema(CORE_SCHEMA));
    expect(redirect).toMatchObject({ code: 'ASSETS_REDIRECT_FAILED' });
    expect((redirect as AppError).message).toContain('redirect');
  });
});
