import { objectEntrySchema } from '../../../src/clients/assets/assets-schemas';
import { validationFailure } from '../../../src/clients/assets/object-client';
import { attributesById, decodeObject, encodeObject } from '../../../src/clients/assets/object-codec';
import { CORE_SCHEMA } from '../../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../../src/domain/schema-definition';
import type { ObjectTypeLayout } from '../../../src/domain/schema-layout';

const EMPLOYEE = objectTypeOf(CORE_SCHEMA, 'employee');

const layout: ObjectTypeLayout = {
  objectTypeId: '10',
  attributeIds: Object.fromEntries(EMPLOYEE.attributes.map((attribute, i) => [attribute.key, String(200 + i)])),
};
/** The Assets attribute id of an attribute key (a key the Employee type lacks is a mistake in the test). */
function idOf(key: string): string {
  const id = layout.attributeIds[key];
  if (id === undefined) throw new Error(`no attribute ${key} on the Employee type`);
  return id;
}

function entry(attributes: { id: string; values: Record<string, unknown>[] }[]) {
  return objectEntrySchema.parse({
    id: 77,
    objectKey: 'ENTRA-7',
    attributes: attributes.map((a) => ({ objectTypeAttributeId: Number(a.id), objectAttributeValues: a.values })),
  });
}

describe('object codec', () => {
  it('decodes User values from user.key (Cloud) or from value, references from referencedObject or value, numeric ids as strings', () => {
    const keys = attributesById(EMPLOYEE, layout);
    const cloud = decodeObject(
      entry([
        { id: idOf('jiraUser'), values: [{ user: { key: 'acc-1', displayName: 'Ada' }, searchValue: 'acc-1', displayValue: 'Ada' }] },
        { id: idOf('manager'), values: [{ referencedObject: { id: 12, objectKey: 'ENTRA-12' }, displayValue: 'Grace' }] },
        { id: idOf('active'), values: [{ value: 'false', displayValue: 'false' }] },
      ]),
      keys,
    );
    expect(cloud).toMatchObject({ objectId: '77', objectKey: 'ENTRA-7', values: { jiraUser: 'acc-1', manager: '12', active: false } });

    const plain = decodeObject(
      entry([
        { id: idOf('jiraUser'), values: [{ value: 'acc-2' }] },
        { id: idOf('manager'), values: [{ value: '13' }] },
        { id: idOf('active'), values: [{ value: true }] },
        { id: idOf('jobTitle'), values: [{ value: '' }] },
        { id: '999', values: [{ value: 'not ours' }] },
      ]),
      keys,
    );
    expect(plain.values).toMatchObject({ jiraUser: 'acc-2', manager: '13', active: true, jobTitle: null });
  });

  it('reads an unexpected Boolean value as unknown (null), not as false', () => {
    const decoded = decodeObject(entry([{ id: idOf('active'), values: [{ value: 'yes' }] }]), attributesById(EMPLOYEE, layout));
    expect(decoded.values.active).toBeNull();
  });

  it('encodes only the fields given; null clears on update and is omitted on create', () => {
    expect(encodeObject(EMPLOYEE, layout, { department: null, active: true }, 'update')).toEqual([
      { objectTypeAttributeId: idOf('department'), objectAttributeValues: [] },
      { objectTypeAttributeId: idOf('active'), objectAttributeValues: [{ value: 'true' }] },
    ]);
    expect(encodeObject(EMPLOYEE, layout, { department: null, manager: '5' }, 'create')).toEqual([
      { objectTypeAttributeId: idOf('manager'), objectAttributeValues: [{ value: '5' }] },
    ]);
  });

  it('maps an error keyed by an unknown field to no attribute, and an empty body to a generic failure', () => {
    expect(validationFailure({ errorMessages: [], errors: { objectTypeId: 'bad' } }, EMPLOYEE, layout.attributeIds)).toMatchObject({
      code: 'invalid-value',
      attribute: null,
    });
    expect(validationFailure({ errorMessages: ['Something'], errors: {} }, EMPLOYEE, layout.attributeIds)).toMatchObject({
      code: 'invalid-value',
      attribute: null,
    });
    expect(validationFailure(undefined, EMPLOYEE, layout.attributeIds)).toMatchObject({ code: 'invalid-value', attribute: null });
    expect(
      validationFailure({ errors: { objectTypeId: 'bad', [idOf('email')]: 'Email has duplicated value' } }, EMPLOYEE, layout.attributeIds),
    ).toMatchObject({ code: 'duplicate-value', attribute: 'email' });
  });
});
