/**
 * Issue 13 (groups), the Assets side: the schema check over Employee and Entra Group, the many-valued Groups
 * reference written and read through the real client against the fake Assets site, under both readings of how an
 * update treats the list (FakeJiraSiteOptions.assetsMultiReferenceUpdate).
 */
import { jiraFetchTo } from '../../../fakes/jira/fake-jira-fetch';
import type { FakeJiraSite, FakeJiraSiteOptions } from '../../../fakes/jira/fake-jira-site';
import type { HttpMethod } from '../../../src/clients/http';
import { buildSchemaDefinition, CORE_SCHEMA } from '../../../src/domain/attribute-catalogue';
import type { AppError } from '../../../src/domain/errors';
import { GROUP_OBJECT_TYPE } from '../../../src/domain/group-catalogue';
import type { ObjectWrite } from '../../../src/domain/object-values';
import { objectTypeOf, type SchemaDefinition } from '../../../src/domain/schema-definition';
import { layoutOfType, type SchemaLayout } from '../../../src/domain/schema-layout';
import { readSchemaStatus } from '../../../src/services/schema-status';
import { jiraUser, rejection } from '../jira/support';
import { type AssetsTestBed, assetsTestBed, employeeWrite, served, writesOf } from './assets-support';

const WITH_GROUPS = buildSchemaDefinition([], [], { groups: true });
const EMPLOYEE = objectTypeOf(WITH_GROUPS, 'employee');
const GROUP = objectTypeOf(WITH_GROUPS, 'group');
const ADA = jiraUser({ accountId: 'acc-ada' });

interface AttributeJson {
  id: string;
  name: string;
  type: number;
  maximumCardinality: number;
  referenceObjectTypeId?: string;
  referenceType?: { id: string; name: string };
}

function groupWrite(n: number, overrides: ObjectWrite = {}): ObjectWrite {
  return {
    name: `Group ${n}`,
    entraGroupId: `9a000000-0000-4000-8000-00000000000${n}`,
    email: `group${n}@example.com`,
    description: null,
    groupType: 'Security',
    active: true,
    ...overrides,
  };
}

/** A direct call to the fake's Assets API, as an admin's hand edit would be (not redirected). */
async function assetsCall(
  site: FakeJiraSite,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await jiraFetchTo(site.url)({
    method,
    url: `/jsm/assets/workspace/${site.workspaceId}/v1/${path}${path.includes('?') ? '&' : '?'}redirected=1`,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function attributesOf(site: FakeJiraSite, objectTypeId: string): Promise<AttributeJson[]> {
  return (await assetsCall(site, 'GET', `objecttype/${objectTypeId}/attributes`)).json as AttributeJson[];
}

describe('Assets schema check with group sync on (Employee and Entra Group)', () => {
  let bed: AssetsTestBed | undefined;
  afterEach(async () => {
    bed?.site.expectNoUnexpected();
    await bed?.site.close();
    bed = undefined;
  });

  /** Creates an "Entra Group" object type in the ENTRA schema by hand (an admin, or an earlier tool). */
  async function entraGroupTypeByHand(site: FakeJiraSite, schemaId: string): Promise<string> {
    const made = await assetsCall(site, 'POST', 'objecttype/create', { name: 'Entra Group', iconId: '4', objectSchemaId: schemaId });
    expect(made.status).toBe(201);
    return (made.json as { id: string }).id;
  }

  it('creates both object types from nothing, the types before any attribute and Groups as a list of Entra Group references', async () => {
    bed = await assetsTestBed();
    const result = await bed.client.ensureSchema(WITH_GROUPS);

    expect(result.created.slice(0, 3)).toEqual([
      'schema "Entra Directory" (key ENTRA)',
      'object type "Employee"',
      'object type "Entra Group"',
    ]);
    expect(result.created).toContain('attribute "Groups"');
    expect(result.created).toContain('attribute "Entra Group ID" on "Entra Group"');
    // Both object types are created before any attribute (so every reference finds its target type).
    const writes = writesOf(bed.site);
    const lastTypeCreate = writes.lastIndexOf('POST objecttype/create');
    const firstAttribute = writes.findIndex((w) => w.startsWith('POST objecttypeattribute/') || w.startsWith('PUT objecttypeattribute/'));
    expect(writes.filter((w) => w === 'POST objecttype/create')).toHaveLength(2);
    expect(lastTypeCreate).toBeLessThan(firstAttribute);

    const employee = layoutOfType(result.layout, EMPLOYEE, { complete: true });
    const group = layoutOfType(result.layout, GROUP, { complete: true });
    expect(employee.objectTypeId).not.toBe(group.objectTypeId);
    const groups = (await attributesOf(bed.site, employee.objectTypeId)).find((a) => a.name === 'Groups');
    expect(groups).toMatchObject({
      id: employee.attributeIds.groups,
      type: 1,
      referenceObjectTypeId: group.objectTypeId,
      maximumCardinality: -1,
      referenceType: { name: 'Member of' },
    });
    const manager = (await attributesOf(bed.site, employee.objectTypeId)).find((a) => a.name === 'Manager');
    expect(manager).toMatchObject({ referenceObjectTypeId: employee.objectTypeId, maximumCardinality: 1 });
    const groupAttributes = await attributesOf(bed.site, group.objectTypeId);
    expect(groupAttributes.filter((a) => !['Key', 'Created', 'Updated'].includes(a.name)).map((a) => a.name)).toEqual(
      GROUP_OBJECT_TYPE.attributes.map((a) => a.name),
    );

    // A second check reads both types and writes nothing.
    const mark = bed.site.requests.length;
    expect(await bed.client.ensureSchema(WITH_GROUPS)).toEqual({ layout: result.layout, created: [], repaired: [] });
    expect(writesOf(bed.site, mark)).toEqual([]);
    expect(served(bed.site, undefined, mark).filter((r) => r.path.endsWith('/attributes'))).toHaveLength(2);
    expect((await bed.client.inspectSchema(WITH_GROUPS)).diff).toEqual({ kind: 'ok' });
  });

  it('adds group sync to an existing Employee schema, reusing an Entra Group type that is already there', async () => {
    bed = await assetsTestBed();
    const core = await bed.client.ensureSchema(CORE_SCHEMA);
    const handMade = await entraGroupTypeByHand(bed.site, core.layout.schemaId);
    const mark = bed.site.requests.length;

    const before = await readSchemaStatus(bed.client, WITH_GROUPS);
    expect(before).toMatchObject({ state: 'needs-repair' });
    expect(before.pending).toContain('attribute "Groups"');
    expect(before.pending).not.toContain('object type "Entra Group"');

    const result = await bed.client.ensureSchema(WITH_GROUPS);
    expect(writesOf(bed.site, mark).filter((w) => w === 'POST objecttype/create')).toEqual([]);
    expect(result.created).toEqual([
      'attribute "Groups"',
      ...GROUP_OBJECT_TYPE.attributes.filter((a) => !a.label).map((a) => `attribute "${a.name}" on "Entra Group"`),
    ]);
    expect(layoutOfType(result.layout, GROUP, { complete: true }).objectTypeId).toBe(handMade);
    expect(layoutOfType(result.layout, EMPLOYEE, { complete: true }).objectTypeId).toBe(
      layoutOfType(core.layout, EMPLOYEE, { complete: false }).objectTypeId,
    );
    expect(await readSchemaStatus(bed.client, WITH_GROUPS)).toMatchObject({
      state: 'ready',
      message: 'The "Entra Directory" (ENTRA) schema and its Employee and Entra Group object types are ready.',
    });

    // Group sync turned off: the definition lacks the type and Groups, and the check leaves both alone.
    const off = bed.site.requests.length;
    const back = await bed.client.ensureSchema(CORE_SCHEMA);
    expect(back).toMatchObject({ created: [], repaired: [] });
    expect(writesOf(bed.site, off)).toEqual([]);
    expect(
      (await attributesOf(bed.site, layoutOfType(result.layout, EMPLOYEE, { complete: true }).objectTypeId)).map((a) => a.name),
    ).toContain('Groups');
  });

  it('resumes an interrupted check: the second run creates neither type again and finishes both', async () => {
    bed = await assetsTestBed();
    bed.site.failNext({
      method: 'POST',
      path: '/objecttypeattribute/',
      status: 400,
      body: { errorMessages: [], errors: { name: 'Refused once' } },
    });
    expect(await rejection(bed.client.ensureSchema(WITH_GROUPS))).toMatchObject({ code: 'ASSETS_REQUEST_FAILED' });
    expect(writesOf(bed.site).filter((w) => w === 'POST objecttype/create')).toHaveLength(2);
    const mark = bed.site.requests.length;
    const result = await bed.client.ensureSchema(WITH_GROUPS);
    expect(writesOf(bed.site, mark).filter((w) => w === 'POST objecttype/create')).toEqual([]);
    expect(result.created).toContain('attribute "Groups"');
    expect(result.created).toContain('attribute "Active" on "Entra Group"');
    expect((await bed.client.inspectSchema(WITH_GROUPS)).diff).toEqual({ kind: 'ok' });
  });

  it('recreates a deleted Groups attribute as a list of Entra Group references', async () => {
    bed = await assetsTestBed();
    const first = await bed.client.ensureSchema(WITH_GROUPS);
    bed.site.deleteAttribute('Employee', 'Groups');
    const mark = bed.site.requests.length;
    const result = await bed.client.ensureSchema(WITH_GROUPS);
    expect(result).toMatchObject({ created: ['attribute "Groups"'], repaired: [] });
    const employee = layoutOfType(first.layout, EMPLOYEE, { complete: true });
    expect(writesOf(bed.site, mark)).toEqual([`POST objecttypeattribute/${employee.objectTypeId}`]);
    const body = served(bed.site, undefined, mark).find((r) => r.method === 'POST')?.body;
    expect(body).toMatchObject({
      name: 'Groups',
      type: 1,
      typeValue: layoutOfType(first.layout, GROUP, { complete: true }).objectTypeId,
      maximumCardinality: -1,
    });
    expect(layoutOfType(result.layout, EMPLOYEE, { complete: true }).attributeIds.groups).not.toBe(employee.attributeIds.groups);
  });

  it.each([
    ['holds at most one value', 'group', 1, 'it holds at most 1 value'],
    ['refers to the Employee type', 'employee', -1, 'it refers to another object type, not "Entra Group"'],
  ] as const)('stops when an existing Groups attribute %s, naming it and what to change', async (_case, target, cardinality, reason) => {
    bed = await assetsTestBed();
    const core = await bed.client.ensureSchema(CORE_SCHEMA);
    const groupTypeId = await entraGroupTypeByHand(bed.site, core.layout.schemaId);
    const employeeTypeId = layoutOfType(core.layout, EMPLOYEE, { complete: false }).objectTypeId;
    const made = await assetsCall(bed.site, 'POST', `objecttypeattribute/${employeeTypeId}`, {
      name: 'Groups',
      type: 1,
      typeValue: target === 'group' ? groupTypeId : employeeTypeId,
      additionalValue: '1',
      maximumCardinality: cardinality,
    });
    expect(made.status).toBe(201);
    const mark = bed.site.requests.length;

    const error = await rejection(bed.client.ensureSchema(WITH_GROUPS));
    expect(error).toMatchObject({ code: 'ASSETS_SCHEMA_CONFLICT', retry: 'permanent' });
    const message = (error as AppError).message;
    expect(message).toContain('The attribute "Groups" on the "Employee" object type cannot hold what the app writes');
    expect(message).toContain(reason);
    expect(message).toContain('for example to "Groups (old)"; renaming keeps its data)');
    expect(message).not.toMatch(/delete/i);
    expect(writesOf(bed.site, mark)).toEqual([]);
    expect(await readSchemaStatus(bed.client, WITH_GROUPS)).toMatchObject({ state: 'conflict', code: 'ASSETS_SCHEMA_CONFLICT', message });
  });
});

describe.each([['replace'], ['merge']] as const)('Employee Groups through the object client (fake updates %s the list)', (reading) => {
  let bed: AssetsTestBed | undefined;
  let layout: SchemaLayout;
  afterEach(async () => {
    bed?.site.expectNoUnexpected();
    await bed?.site.close();
    bed = undefined;
  });

  /** Starts the site (kept in `bed`, so it is closed even when the schema check fails) and runs the schema check. */
  async function start(options: FakeJiraSiteOptions = {}, definition: SchemaDefinition = WITH_GROUPS): Promise<AssetsTestBed> {
    const made = await assetsTestBed({ users: [ADA], assetsMultiReferenceUpdate: reading, ...options });
    bed = made;
    layout = (await made.client.ensureSchema(definition)).layout;
    return made;
  }

  async function createdId(b: AssetsTestBed, type: typeof GROUP, values: ObjectWrite): Promise<string> {
    const result = await b.client.createObject(layout, type, values);
    if (!result.ok) throw new Error(`create refused: ${result.failure.message}`);
    return result.objectId;
  }

  async function groupsOf(b: AssetsTestBed, objectId: string): Promise<readonly string[]> {
    const page = await b.client.searchObjects(layout, EMPLOYEE, 0, 50);
    const found = page.objects.find((o) => o.objectId === objectId);
    const groups = found?.values.groups;
    if (!Array.isArray(groups)) throw new Error(`Groups read as ${JSON.stringify(groups)}`);
    return [...groups].sort();
  }

  it('round-trips a list: create with 3 groups, update to 1, update to none (an empty list clears)', async () => {
    bed = await start();
    const groups = [
      await createdId(bed, GROUP, groupWrite(1)),
      await createdId(bed, GROUP, groupWrite(2)),
      await createdId(bed, GROUP, groupWrite(3)),
    ];
    const ada = await createdId(bed, EMPLOYEE, employeeWrite('acc-ada', { groups }));
    expect(await groupsOf(bed, ada)).toEqual([...groups].sort());
    const create = served(bed.site, 'object/create').at(-1)?.body as {
      attributes: { objectTypeAttributeId: string; objectAttributeValues: unknown[] }[];
    };
    const groupsId = layoutOfType(layout, EMPLOYEE, { complete: true }).attributeIds.groups;
    expect(create.attributes.find((a) => a.objectTypeAttributeId === groupsId)?.objectAttributeValues).toEqual(
      groups.map((value) => ({ value })),
    );

    const mark = bed.site.requests.length;
    expect(await bed.client.updateObject(layout, EMPLOYEE, ada, { groups: [groups[1]!] })).toMatchObject({ ok: true, objectId: ada });
    expect(await groupsOf(bed, ada)).toEqual([groups[1]]);
    // Under 'merge' the first update left the two others in place: the client saw it in the answer, cleared the
    // list and wrote it again. Under 'replace' one request does it.
    expect(writesOf(bed.site, mark)).toEqual(Array.from({ length: reading === 'merge' ? 3 : 1 }, () => `PUT object/${ada}`));

    expect(await bed.client.updateObject(layout, EMPLOYEE, ada, { groups: [] })).toMatchObject({ ok: true });
    expect(await groupsOf(bed, ada)).toEqual([]);

    // Adding to the list: one request under both readings.
    const add = bed.site.requests.length;
    expect(await bed.client.updateObject(layout, EMPLOYEE, ada, { groups: [groups[0]!, groups[2]!] })).toMatchObject({ ok: true });
    expect(await groupsOf(bed, ada)).toEqual([groups[0], groups[2]].sort());
    expect(writesOf(bed.site, add)).toEqual([`PUT object/${ada}`]);
  });

  it('refuses a reference to a missing object or to an object of the wrong type, and a second value where one is allowed', async () => {
    bed = await start();
    const group = await createdId(bed, GROUP, groupWrite(1));
    const other = await createdId(bed, EMPLOYEE, employeeWrite('acc-ada', { entraUserId: 'e-other' }));
    const refusal = {
      ok: false,
      failure: { code: 'invalid-value', attribute: 'groups', message: 'Assets rejected the value of "Groups" as invalid.' },
    };
    expect(await bed.client.createObject(layout, EMPLOYEE, employeeWrite('acc-ada', { groups: [group, '999999'] }))).toMatchObject(refusal);
    expect(await bed.client.createObject(layout, EMPLOYEE, employeeWrite('acc-ada', { groups: [group, other] }))).toMatchObject(refusal);
    expect(await bed.client.updateObject(layout, EMPLOYEE, other, { groups: [other] })).toMatchObject(refusal);
    // Manager holds one value (maximumCardinality 1): two are refused.
    expect(
      await bed.client.createObject(layout, EMPLOYEE, employeeWrite('acc-ada', { entraUserId: 'e-2', manager: [other, other] })),
    ).toMatchObject({
      ok: false,
      failure: { attribute: 'manager' },
    });
    expect(await groupsOf(bed, other)).toEqual([]);
  });

  it('finds Entra Group objects by their anchor (Entra Group ID), not by the first unique attribute', async () => {
    // A definition where the label (Name) is unique too and comes first: the anchor must still be Entra Group ID.
    const uniqueName = {
      ...WITH_GROUPS,
      objectTypes: WITH_GROUPS.objectTypes.map((type) =>
        type.key === 'group' ? { ...type, attributes: type.attributes.map((a) => (a.key === 'name' ? { ...a, unique: true } : a)) } : type,
      ),
    };
    bed = await start({}, uniqueName);
    const groupType = objectTypeOf(uniqueName, 'group');
    const ids = [1, 2, 3].map((n) => groupWrite(n).entraGroupId as string);
    for (const n of [1, 2, 3]) await createdId(bed, groupType, groupWrite(n));
    await createdId(bed, EMPLOYEE, employeeWrite('acc-ada'));

    const found = await bed.client.findObjectsByAnchor(layout, groupType, [ids[0]!, ids[2]!, 'not-a-group']);
    expect(found.map((o) => o.values.entraGroupId).sort()).toEqual([ids[0], ids[2]].sort());
    expect(found.map((o) => o.values.name).sort()).toEqual(['Group 1', 'Group 3']);
    const query = (served(bed.site, 'object/aql').at(-1)?.body as { qlQuery: string }).qlQuery;
    expect(query).toBe(
      `objectTypeId = ${layoutOfType(layout, groupType, { complete: true }).objectTypeId} AND "Entra Group ID" IN ("${ids[0]}", "${ids[2]}", "not-a-group")`,
    );
    // Every object of the type, and only those (AQL objectTypeId = N, decoded by the group type's layout).
    const page = await bed.client.searchObjects(layout, groupType, 0, 50);
    expect(page.objects.map((o) => [o.values.name, o.values.groupType, o.values.active])).toEqual([
      ['Group 1', 'Security', true],
      ['Group 2', 'Security', true],
      ['Group 3', 'Security', true],
    ]);
  });
});
