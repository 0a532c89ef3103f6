/**
 * Issue 12, attributes points 2 and 7: the Date kind through the real Assets client against the fake site. Hire Date
 * is created as a Date attribute; the codec writes the ISO date Assets takes and reads it back in the same form (so
 * an unchanged value plans nothing); the fake refuses a date-time by default and accepts it under its friendly
 * switch; an existing Text attribute of the same name is reused as it is; an incompatible one holding values stops
 * the schema check with a message that names it.
 */
import { jiraFetchTo } from '../../../fakes/jira/fake-jira-fetch';
import type { FakeJiraSite } from '../../../fakes/jira/fake-jira-site';
import { buildSchemaDefinition } from '../../../src/domain/attribute-catalogue';
import type { AppError } from '../../../src/domain/errors';
import { valueDiffers } from '../../../src/domain/object-values';
import { attributeOf, objectTypeOf } from '../../../src/domain/schema-definition';
import { layoutOfType, type SchemaLayout } from '../../../src/domain/schema-layout';
import { jiraUser, rejection } from '../jira/support';
import { type AssetsTestBed, assetsTestBed, employeeWrite } from './assets-support';

const ADA = jiraUser({ accountId: 'acc-ada' });
const DEFINITION = buildSchemaDefinition(['hireDate']);
const EMPLOYEE = objectTypeOf(DEFINITION, 'employee');
const HIRE_DATE = attributeOf(EMPLOYEE, 'hireDate')!;

interface AttributeJson {
  name: string;
  type: number;
  defaultType?: { id: number };
}

async function attributesOn(site: FakeJiraSite, layout: SchemaLayout): Promise<AttributeJson[]> {
  const objectTypeId = layoutOfType(layout, EMPLOYEE, { complete: true }).objectTypeId;
  const response = await jiraFetchTo(site.url)({
    method: 'GET',
    url: `/jsm/assets/workspace/${site.workspaceId}/v1/objecttype/${objectTypeId}/attributes?redirected=1`,
  });
  return JSON.parse(await response.text()) as AttributeJson[];
}

/** An admin's hand-made attribute on the Employee type (the app's core schema exists first). */
async function addAttributeByHand(site: FakeJiraSite, layout: SchemaLayout, body: Record<string, unknown>): Promise<void> {
  const objectTypeId = layoutOfType(layout, EMPLOYEE, { complete: false }).objectTypeId;
  const made = await jiraFetchTo(site.url)({
    method: 'POST',
    url: `/jsm/assets/workspace/${site.workspaceId}/v1/objecttypeattribute/${objectTypeId}?redirected=1`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(made.status).toBe(201);
}

describe('the Date attribute kind (Hire Date)', () => {
  let bed: AssetsTestBed | undefined;
  afterEach(async () => {
    bed?.site.expectNoUnexpected();
    await bed?.site.close();
    bed = undefined;
  });

  it('is created as a Date attribute, written as an ISO date and read back unchanged', async () => {
    bed = await assetsTestBed({ users: [ADA] });
    const { layout, created } = await bed.client.ensureSchema(DEFINITION);
    expect(created).toContain('attribute "Hire Date"');
    expect((await attributesOn(bed.site, layout)).find((a) => a.name === 'Hire Date')).toMatchObject({ type: 0, defaultType: { id: 4 } });

    const made = await bed.client.createObject(layout, EMPLOYEE, { ...employeeWrite(ADA.accountId), hireDate: '2021-03-01' });
    expect(made.ok).toBe(true);
    const [object] = (await bed.client.searchObjects(layout, EMPLOYEE, 0, 10)).objects;
    // The fake shows the date as 01/Mar/21 (displayValue); the codec reads the value, the form the app writes.
    expect(object?.values.hireDate).toBe('2021-03-01');
    expect(valueDiffers(HIRE_DATE, object?.values.hireDate, '2021-03-01')).toBe(false);
    expect(valueDiffers(HIRE_DATE, object?.values.hireDate, '2021-03-02')).toBe(true);
  });

  it('is refused as a date-time by default (the strict reading) and kept as its date under the friendly switch', async () => {
    bed = await assetsTestBed({ users: [ADA] });
    let { layout } = await bed.client.ensureSchema(DEFINITION);
    const refused = await bed.client.createObject(layout, EMPLOYEE, { ...employeeWrite(ADA.accountId), hireDate: '2021-03-01T00:00:00Z' });
    expect(refused.ok).toBe(false);
    await bed.site.close();

    bed = await assetsTestBed({ users: [ADA], assetsDateAcceptsDateTime: true });
    ({ layout } = await bed.client.ensureSchema(DEFINITION));
    const accepted = await bed.client.createObject(layout, EMPLOYEE, { ...employeeWrite(ADA.accountId), hireDate: '2021-03-01T00:00:00Z' });
    expect(accepted.ok).toBe(true);
    expect((await bed.client.searchObjects(layout, EMPLOYEE, 0, 10)).objects[0]?.values.hireDate).toBe('2021-03-01');
  });

  it('reuses an existing Text attribute named Hire Date as it is', async () => {
    bed = await assetsTestBed({ users: [ADA] });
    const core = await bed.client.ensureSchema(buildSchemaDefinition());
    await addAttributeByHand(bed.site, core.layout, { name: 'Hire Date', type: 0, defaultTypeId: 0 });
    const inspection = await bed.client.inspectSchema(DEFINITION);
    expect(inspection.diff).toEqual({ kind: 'ok' });
    const { layout } = await bed.client.ensureSchema(DEFINITION);
    expect((await attributesOn(bed.site, layout)).find((a) => a.name === 'Hire Date')).toMatchObject({ defaultType: { id: 0 } });
    expect((await bed.client.createObject(layout, EMPLOYEE, { ...employeeWrite(ADA.accountId), hireDate: '2019-07-15' })).ok).toBe(true);
    expect((await bed.client.searchObjects(layout, EMPLOYEE, 0, 10)).objects[0]?.values.hireDate).toBe('2019-07-15');
  });

  it('stops the schema check, naming the attribute, when Hire Date exists as a Boolean holding values', async () => {
    bed = await assetsTestBed({ users: [ADA] });
    const core = await bed.client.ensureSchema(buildSchemaDefinition());
    await addAttributeByHand(bed.site, core.layout, { name: 'Hire Date', type: 0, defaultTypeId: 2 });
    bed.site.addObject({ attributes: { 'Full Name': 'Ada', 'Hire Date': 'true' } });
    const error = await rejection(bed.client.ensureSchema(DEFINITION));
    expect(error).toMatchObject({ code: 'ASSETS_SCHEMA_CONFLICT', retry: 'permanent' });
    const message = (error as AppError).message;
    expect(message).toContain('"Hire Date"');
    expect(message).toContain('its type is Boolean');
    expect(message).toContain('the app needs Date (or Text, Textarea)');
  });
});
