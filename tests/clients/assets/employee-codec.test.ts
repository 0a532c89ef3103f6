import { attributeKeysById, decodeEmployee, encodeEmployee } from '../../../src/clients/assets/employee-codec';
import { objectEntrySchema } from '../../../src/clients/assets/assets-schemas';
import { validationFailure } from '../../../src/clients/assets/employee-client';
import type { SchemaLayout } from '../../../src/clients/assets/schema-layout';
import { EMPLOYEE_ATTRIBUTE_KEYS } from '../../../src/domain/employee';

const layout: SchemaLayout = {
  workspaceId: 'ws',
  schemaId: '1',
  objectTypeId: '10',
  attributeIds: Object.fromEntries(EMPLOYEE_ATTRIBUTE_KEYS.map((key, i) => [key, String(200 + i)])) as SchemaLayout['attributeIds'],
};
const ids = layout.attributeIds;

function entry(attributes: { id: string; values: Record<string, unknown>[] }[]) {
  return objectEntrySchema.parse({
    id: 77,
    objectKey: 'ENTRA-7',
    attributes: attributes.map((a) => ({ objectTypeAttributeId: Number(a.id), objectAttributeValues: a.values })),
  });
}

describe('employee codec', () => {
  it('decodes User values from user.key (Cloud) or from value, references from referencedObject or value, numeric ids as strings', () => {
    const keys = attributeKeysById(layout);
    const cloud = decodeEmployee(
      entry([
        { id: ids.jiraUser, values: [{ user: { key: 'acc-1', displayName: 'Ada' }, searchValue: 'acc-1', displayValue: 'Ada' }] },
        { id: ids.manager, values: [{ referencedObject: { id: 12, objectKey: 'ENTRA-12' }, displayValue: 'Grace' }] },
        { id: ids.active, values: [{ value: 'false', displayValue: 'false' }] },
      ]),
      keys,
    );
    expect(cloud).toMatchObject({ objectId: '77', objectKey: 'ENTRA-7', values: { jiraUser: 'acc-1', managerObjectId: '12', active: false } });

    const plain = decodeEmployee(
      entry([
        { id: ids.jiraUser, values: [{ value: 'acc-2' }] },
        { id: ids.manager, values: [{ value: '13' }] },
        { id: ids.active, values: [{ value: true }] },
        { id: ids.jobTitle, values: [{ value: '' }] },
        { id: '999', values: [{ value: 'not ours' }] },
      ]),
      keys,
    );
    expect(plain.values).toMatchObject({ jiraUser: 'acc-2', managerObjectId: '13', active: true, jobTitle: null });
  });

  it('reads an unexpected Boolean value as unknown (null), not as false', () => {
    const decoded = decodeEmployee(entry([{ id: ids.active, values: [{ value: 'yes' }] }]), attributeKeysById(layout));
    expect(decoded.values.active).toBeNull();
  });

  it('encodes only the fields given; null clears on update and is omitted on create', () => {
    expect(encodeEmployee(layout, { department: null, active: true }, 'update')).toEqual([
      { objectTypeAttributeId: ids.department, objectAttributeValues: [] },
      { objectTypeAttributeId: ids.active, objectAttributeValues: [{ value: 'true' }] },
    ]);
    expect(encodeEmployee(layout, { department: null, managerObjectId: '5' }, 'create')).toEqual([
      { objectTypeAttributeId: ids.manager, objectAttributeValues: [{ value: '5' }] },
    ]);
  });

  it('maps an error keyed by an unknown field to no attribute, and an empty body to a generic failure', () => {
    expect(validationFailure({ errorMessages: [], errors: { objectTypeId: 'bad' } }, layout)).toMatchObject({ code: 'invalid-value', attribute: null });
    expect(validationFailure({ errorMessages: ['Something'], errors: {} }, layout)).toMatchObject({ code: 'invalid-value', attribute: null });
    expect(validationFailure(undefined, layout)).toMatchObject({ code: 'invalid-value', attribute: null });
    expect(
      validationFailure({ errors: { objectTypeId: 'bad', [ids.email]: 'Email has duplicated value' } }, layout),
    ).toMatchObject({ code: 'duplicate-value', attribute: 'email' });
  });
});
