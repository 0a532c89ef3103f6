import { CORE_SCHEMA } from '../../src/domain/attribute-catalogue';
import { type AttributeDefinition, objectTypeOf } from '../../src/domain/schema-definition';

const ENTRA_SCHEMA = CORE_SCHEMA;
const EMPLOYEE = objectTypeOf(CORE_SCHEMA, 'employee');
import {
  type ActualAttribute,
  type ActualSchemaState,
  describeSchemaAction,
  diffSchema,
  type SchemaAction,
} from '../../src/domain/schema-diff';

const OBJECT_TYPE_ID = '42';

function attributeFor(def: AttributeDefinition, overrides: Partial<ActualAttribute> = {}): ActualAttribute {
  const base: ActualAttribute = {
    id: `attr-${def.key}`,
    name: def.name,
    type: 0,
    defaultTypeId: 0,
    typeValue: null,
    additionalValue: null,
    label: def.label,
    unique: def.unique,
    system: false,
  };
  switch (def.kind.type) {
    case 'boolean':
      return { ...base, defaultTypeId: 2, ...overrides };
    case 'user':
      return { ...base, type: 2, defaultTypeId: null, additionalValue: 'SHOW_PROFILE', ...overrides };
    case 'reference':
      return { ...base, type: 1, defaultTypeId: null, typeValue: OBJECT_TYPE_ID, additionalValue: '7', ...overrides };
    default:
      return { ...base, ...overrides };
  }
}

const systemAttributes: ActualAttribute[] = ['Key', 'Created', 'Updated'].map((name, i) => ({
  id: `sys-${i}`,
  name,
  type: 0,
  defaultTypeId: name === 'Key' ? 0 : 6,
  typeValue: null,
  additionalValue: null,
  label: false,
  unique: false,
  system: true,
}));

/** The state of a site where the schema is exactly as defined. */
function completeState(edit: (attributes: ActualAttribute[]) => ActualAttribute[] = (a) => a): ActualSchemaState {
  return {
    schema: { id: '1', name: ENTRA_SCHEMA.name, key: ENTRA_SCHEMA.key },
    objectType: { id: OBJECT_TYPE_ID, name: 'Employee' },
    attributes: edit([...systemAttributes, ...EMPLOYEE.attributes.map((def) => attributeFor(def))]),
  };
}

function defOf(key: AttributeDefinition['key']): AttributeDefinition {
  const def = EMPLOYEE.attributes.find((a) => a.key === key);
  if (!def) throw new Error(key);
  return def;
}

function actionsOf(state: ActualSchemaState): readonly SchemaAction[] {
  const diff = diffSchema(ENTRA_SCHEMA, state);
  if (diff.kind !== 'changes') throw new Error(`expected changes, got ${diff.kind}`);
  return diff.actions;
}

describe('diffSchema', () => {
  it('plans the whole schema on an empty site, renaming the default label instead of adding a second one', () => {
    const actions = actionsOf({ schema: null, objectType: null, attributes: [] });
    expect(actions.map((a) => a.kind)).toEqual([
      'create-schema',
      'create-object-type',
      'rename-label',
      ...Array.from({ length: EMPLOYEE.attributes.length - 1 }, () => 'create-attribute'),
    ]);
    expect(actions[2]).toEqual({ kind: 'rename-label', key: 'fullName', attributeId: null, from: 'Name', to: 'Full Name' });
    expect(actions.filter((a) => a.kind === 'create-attribute').map((a) => a.key)).toEqual(
      EMPLOYEE.attributes.filter((a) => !a.label).map((a) => a.key),
    );
  });

  it('plans the object type and its attributes when only the schema exists', () => {
    const actions = actionsOf({ schema: { id: '1', name: 'Entra Directory', key: 'ENTRA' }, objectType: null, attributes: [] });
    expect(actions[0]?.kind).toBe('create-object-type');
    expect(actions.some((a) => a.kind === 'create-schema')).toBe(false);
  });

  it('finds nothing to do on a complete schema', () => {
    expect(diffSchema(ENTRA_SCHEMA, completeState())).toEqual({ kind: 'ok' });
  });

  it('stops with a conflict naming the schema that holds the key under another name', () => {
    const diff = diffSchema(ENTRA_SCHEMA, { schema: { id: '9', name: 'HR Directory', key: 'ENTRA' }, objectType: null, attributes: [] });
    expect(diff).toMatchObject({ kind: 'conflict', schemaName: 'HR Directory' });
    if (diff.kind !== 'conflict') throw new Error('conflict expected');
    expect(diff.message).toContain('"HR Directory"');
    expect(diff.message).toContain('rename it to "Entra Directory"');
  });

  it('stops with a conflict when our name is held by a schema with another key', () => {
    const diff = diffSchema(ENTRA_SCHEMA, {
      schema: { id: '9', name: 'Entra Directory', key: 'ENTRA2' },
      objectType: null,
      attributes: [],
    });
    expect(diff).toMatchObject({ kind: 'conflict', schemaName: 'Entra Directory' });
    if (diff.kind !== 'conflict') throw new Error('conflict expected');
    expect(diff.message).toContain('ENTRA2');
  });

  it('creates a missing attribute', () => {
    const actions = actionsOf(completeState((a) => a.filter((x) => x.name !== 'Department')));
    expect(actions).toEqual([{ kind: 'create-attribute', key: 'department', definition: defOf('department') }]);
  });

  it('renames the label back when the Full Name rename was undone', () => {
    const state = completeState((a) => a.map((x) => (x.name === 'Full Name' ? { ...x, name: 'Name' } : x)));
    const actions = actionsOf(state);
    const current = state.attributes.find((x) => x.name === 'Name');
    expect(actions).toEqual([
      { kind: 'rename-label', key: 'fullName', attributeId: 'attr-fullName', from: 'Name', to: 'Full Name', current },
    ]);
  });

  it('does not rename one of our own attributes that became the label; it creates Full Name instead', () => {
    const actions = actionsOf(
      completeState((a) => a.filter((x) => x.name !== 'Full Name').map((x) => (x.name === 'Email' ? { ...x, label: true } : x))),
    );
    expect(actions).toEqual([{ kind: 'create-attribute', key: 'fullName', definition: defOf('fullName') }]);
  });

  it('repairs an attribute whose type cannot hold what the app writes, saying which type it has and which it needs', () => {
    const state = completeState((a) => a.map((x) => (x.name === 'Active' ? { ...x, defaultTypeId: 4 } : x)));
    const actions = actionsOf(state);
    expect(actions).toEqual([
      {
        kind: 'repair-attribute',
        key: 'active',
        attributeId: 'attr-active',
        definition: defOf('active'),
        reason: 'its type is Date, which cannot hold what the app writes; the app needs Boolean (or Text, Textarea)',
        fix: { kind: { type: 'boolean' } },
        current: state.attributes.find((x) => x.name === 'Active'),
      },
    ]);
    expect(describeSchemaAction(actions[0]!)).not.toMatch(/delete/i);
  });

  // Issue 11 point 9: an attribute whose type can hold what the app writes is used as it is, never retyped.
  it.each([
    ['Email', 8, 'Email'],
    ['Email', 9, 'Textarea'],
    ['Job Title', 9, 'Textarea'],
    ['Entra User ID', 9, 'Textarea'],
    ['Active', 0, 'Text'],
    ['Active', 9, 'Textarea'],
  ])('accepts "%s" typed %s (%s) as it is', (name, defaultTypeId) => {
    const state = completeState((a) => a.map((x) => (x.name === name ? { ...x, defaultTypeId } : x)));
    expect(diffSchema(ENTRA_SCHEMA, state)).toEqual({ kind: 'ok' });
  });

  it.each([
    ['Job Title', 8, 'Email', 'Text (or Textarea)'],
    ['Department', 7, 'URL', 'Text (or Textarea)'],
    ['Email', 7, 'URL', 'Email (or Text, Textarea)'],
    ['Active', 1, 'Integer', 'Boolean (or Text, Textarea)'],
  ])('repairs "%s" typed %s (%s): the app needs %s', (name, defaultTypeId, has, needs) => {
    const actions = actionsOf(completeState((a) => a.map((x) => (x.name === name ? { ...x, defaultTypeId } : x))));
    expect(actions).toEqual([
      expect.objectContaining({
        kind: 'repair-attribute',
        reason: `its type is ${has}, which cannot hold what the app writes; the app needs ${needs}`,
      }),
    ]);
  });

  it('keeps the accepted type when it repairs something else on the attribute', () => {
    const state = completeState((a) => a.map((x) => (x.name === 'Email' ? { ...x, name: 'email', defaultTypeId: 8 } : x)));
    const actions = actionsOf(state);
    expect(actions).toEqual([expect.objectContaining({ kind: 'repair-attribute', key: 'email', fix: { name: 'Email' } })]);
    expect(actions[0]).toMatchObject({ current: { defaultTypeId: 8 } });
  });

  it('does not accept a Text attribute for the Jira User (a User attribute is the point of it)', () => {
    const actions = actionsOf(
      completeState((a) => a.map((x) => (x.name === 'Jira User' ? { ...x, type: 0, defaultTypeId: 0, additionalValue: null } : x))),
    );
    expect(actions).toEqual([
      expect.objectContaining({ key: 'jiraUser', reason: 'its type is Text, which cannot hold what the app writes; the app needs User' }),
    ]);
  });

  it('repairs a reference that points at another object type, a lost unique flag and a lost label', () => {
    const actions = actionsOf(
      completeState((a) =>
        a.map((x) => {
          if (x.name === 'Manager') return { ...x, typeValue: '99' };
          if (x.name === 'Entra User ID') return { ...x, unique: false };
          if (x.name === 'Full Name') return { ...x, label: false };
          return x;
        }),
      ),
    );
    expect(actions.map((a) => (a.kind === 'repair-attribute' ? [a.key, a.reason] : a.kind))).toEqual([
      ['fullName', 'was not the label'],
      ['entraUserId', 'was not unique'],
      ['manager', 'it refers to another object type, the app needs an object reference to Employee'],
    ]);
  });

  it('matches names case-insensitively and repairs the spelling', () => {
    const actions = actionsOf(completeState((a) => a.map((x) => (x.name === 'Job Title' ? { ...x, name: 'job title' } : x))));
    expect(actions).toEqual([
      expect.objectContaining({ kind: 'repair-attribute', key: 'jobTitle', reason: 'name was "job title"', fix: { name: 'Job Title' } }),
    ]);
  });

  it('ignores extra attributes an admin added', () => {
    const extra: ActualAttribute = { ...attributeFor(defOf('email')), id: 'x', name: 'Cost Centre' };
    expect(
      diffSchema(
        ENTRA_SCHEMA,
        completeState((a) => [...a, extra]),
      ),
    ).toEqual({ kind: 'ok' });
  });

  it('describes actions in words an admin reads', () => {
    const actions = actionsOf({ schema: null, objectType: null, attributes: [] });
    expect(actions.slice(0, 4).map(describeSchemaAction)).toEqual([
      'schema "Entra Directory" (key ENTRA)',
      'object type "Employee"',
      'attribute "Full Name" (the label, renamed from "Name")',
      'attribute "Entra User ID"',
    ]);
  });
});
