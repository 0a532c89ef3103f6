import { buildSchemaDefinition, CORE_SCHEMA } from '../../src/domain/attribute-catalogue';
import { GROUP_OBJECT_TYPE } from '../../src/domain/group-catalogue';
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
    maximumCardinality: def.kind.type === 'reference' && def.kind.many === true ? -1 : 1,
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
  maximumCardinality: 1,
  label: false,
  unique: false,
  system: true,
}));

/** The state of a site where the schema is exactly as defined. */
function completeState(edit: (attributes: ActualAttribute[]) => ActualAttribute[] = (a) => a): ActualSchemaState {
  return {
    schema: { id: '1', name: ENTRA_SCHEMA.name, key: ENTRA_SCHEMA.key },
    objectTypes: {
      employee: {
        id: OBJECT_TYPE_ID,
        name: 'Employee',
        attributes: edit([...systemAttributes, ...EMPLOYEE.attributes.map((def) => attributeFor(def))]),
      },
    },
  };
}

/** The Employee type's attributes in a state. */
function employeeAttributes(state: ActualSchemaState): readonly ActualAttribute[] {
  return state.objectTypes.employee?.attributes ?? [];
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
    const actions = actionsOf({ schema: null, objectTypes: {} });
    expect(actions.map((a) => a.kind)).toEqual([
      'create-schema',
      'create-object-type',
      'rename-label',
      ...Array.from({ length: EMPLOYEE.attributes.length - 1 }, () => 'create-attribute'),
    ]);
    expect(actions[2]).toEqual({
      kind: 'rename-label',
      objectType: 'employee',
      key: 'fullName',
      attributeId: null,
      from: 'Name',
      to: 'Full Name',
    });
    expect(actions.filter((a) => a.kind === 'create-attribute').map((a) => a.key)).toEqual(
      EMPLOYEE.attributes.filter((a) => !a.label).map((a) => a.key),
    );
  });

  it('plans the object type and its attributes when only the schema exists', () => {
    const actions = actionsOf({ schema: { id: '1', name: 'Entra Directory', key: 'ENTRA' }, objectTypes: {} });
    expect(actions[0]?.kind).toBe('create-object-type');
    expect(actions.some((a) => a.kind === 'create-schema')).toBe(false);
  });

  it('finds nothing to do on a complete schema', () => {
    expect(diffSchema(ENTRA_SCHEMA, completeState())).toEqual({ kind: 'ok' });
  });

  it('stops with a conflict naming the schema that holds the key under another name', () => {
    const diff = diffSchema(ENTRA_SCHEMA, { schema: { id: '9', name: 'HR Directory', key: 'ENTRA' }, objectTypes: {} });
    expect(diff).toMatchObject({ kind: 'conflict', schemaName: 'HR Directory' });
    if (diff.kind !== 'conflict') throw new Error('conflict expected');
    expect(diff.message).toContain('"HR Directory"');
    expect(diff.message).toContain('rename it to "Entra Directory"');
  });

  it('stops with a conflict when our name is held by a schema with another key', () => {
    const diff = diffSchema(ENTRA_SCHEMA, {
      schema: { id: '9', name: 'Entra Directory', key: 'ENTRA2' },
      objectTypes: {},
    });
    expect(diff).toMatchObject({ kind: 'conflict', schemaName: 'Entra Directory' });
    if (diff.kind !== 'conflict') throw new Error('conflict expected');
    expect(diff.message).toContain('ENTRA2');
  });

  it('creates a missing attribute', () => {
    const actions = actionsOf(completeState((a) => a.filter((x) => x.name !== 'Department')));
    expect(actions).toEqual([{ kind: 'create-attribute', objectType: 'employee', key: 'department', definition: defOf('department') }]);
  });

  it('renames the label back when the Full Name rename was undone', () => {
    const state = completeState((a) => a.map((x) => (x.name === 'Full Name' ? { ...x, name: 'Name' } : x)));
    const actions = actionsOf(state);
    const current = employeeAttributes(state).find((x) => x.name === 'Name');
    expect(actions).toEqual([
      {
        kind: 'rename-label',
        objectType: 'employee',
        key: 'fullName',
        attributeId: 'attr-fullName',
        from: 'Name',
        to: 'Full Name',
        current,
      },
    ]);
  });

  it('does not rename one of our own attributes that became the label; it creates Full Name instead', () => {
    const actions = actionsOf(
      completeState((a) => a.filter((x) => x.name !== 'Full Name').map((x) => (x.name === 'Email' ? { ...x, label: true } : x))),
    );
    expect(actions).toEqual([{ kind: 'create-attribute', objectType: 'employee', key: 'fullName', definition: defOf('fullName') }]);
  });

  it('repairs an attribute whose type cannot hold what the app writes, saying which type it has and which it needs', () => {
    const state = completeState((a) => a.map((x) => (x.name === 'Active' ? { ...x, defaultTypeId: 4 } : x)));
    const actions = actionsOf(state);
    expect(actions).toEqual([
      {
        kind: 'repair-attribute',
        objectType: 'employee',
        key: 'active',
        attributeId: 'attr-active',
        definition: defOf('active'),
        reason: 'its type is Date, which cannot hold what the app writes; the app needs Boolean (or Text, Textarea)',
        fix: { kind: { type: 'boolean' } },
        current: employeeAttributes(state).find((x) => x.name === 'Active'),
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
    const actions = actionsOf({ schema: null, objectTypes: {} });
    expect(actions.slice(0, 4).map(describeSchemaAction)).toEqual([
      'schema "Entra Directory" (key ENTRA)',
      'object type "Employee"',
      'attribute "Full Name" (the label, renamed from "Name")',
      'attribute "Entra User ID"',
    ]);
  });
});

// Issue 13 (groups), point 1: the schema check over every object type of the definition.
describe('diffSchema with group sync on (Employee and Entra Group)', () => {
  const WITH_GROUPS = buildSchemaDefinition([], [], { groups: true });
  const EMPLOYEE_G = objectTypeOf(WITH_GROUPS, 'employee');
  const GROUP_TYPE_ID = '77';

  function groupsAttribute(overrides: Partial<ActualAttribute> = {}): ActualAttribute {
    const def = EMPLOYEE_G.attributes.find((a) => a.key === 'groups');
    if (!def) throw new Error('no Groups attribute');
    return attributeFor(def, { typeValue: GROUP_TYPE_ID, ...overrides });
  }

  /** Both types complete; `groups` edits Employee's Groups attribute (null: absent). */
  function bothTypes(groups: ActualAttribute | null = groupsAttribute()): ActualSchemaState {
    const employee = completeState().objectTypes.employee!;
    return {
      schema: { id: '1', name: WITH_GROUPS.name, key: WITH_GROUPS.key },
      objectTypes: {
        employee: { ...employee, attributes: [...employee.attributes, ...(groups === null ? [] : [groups])] },
        group: {
          id: GROUP_TYPE_ID,
          name: 'Entra Group',
          attributes: [
            ...systemAttributes,
            ...GROUP_OBJECT_TYPE.attributes.map((def) => ({ ...attributeFor(def), id: `group-${def.key}` })),
          ],
        },
      },
    };
  }

  function conflictMessage(state: ActualSchemaState): string {
    const diff = diffSchema(WITH_GROUPS, state);
    if (diff.kind !== 'conflict') throw new Error(`expected a conflict, got ${diff.kind}`);
    return diff.message;
  }

  it('plans both object types before any attribute, so Groups is created after the Entra Group type exists', () => {
    const diff = diffSchema(WITH_GROUPS, { schema: null, objectTypes: {} });
    if (diff.kind !== 'changes') throw new Error(diff.kind);
    const kinds = diff.actions.map((a) => (a.kind === 'create-object-type' ? `type ${a.objectType}` : a.kind));
    expect(kinds.slice(0, 3)).toEqual(['create-schema', 'type employee', 'type group']);
    expect(kinds.slice(3).every((k) => !k.startsWith('type'))).toBe(true);
    const groups = diff.actions.findIndex((a) => a.kind === 'create-attribute' && a.key === 'groups');
    const groupType = diff.actions.findIndex((a) => a.kind === 'create-object-type' && a.objectType === 'group');
    expect(groups).toBeGreaterThan(groupType);
    // Entra Group's label is called Name like the default one: kept, not renamed to itself.
    expect(diff.actions.filter((a) => a.kind === 'rename-label').map((a) => a.objectType)).toEqual(['employee']);
    expect(
      diff.actions
        .filter((a) => a.kind === 'create-attribute' && a.objectType === 'group')
        .map((a) => (a.kind === 'create-attribute' ? a.key : '')),
    ).toEqual(['entraGroupId', 'email', 'description', 'groupType', 'active']);
    expect(diff.actions.map(describeSchemaAction)).toContain('attribute "Email" on "Entra Group"');
    expect(diff.actions.map(describeSchemaAction)).toContain('attribute "Groups"');
  });

  it('finds nothing to do when both types are complete', () => {
    expect(diffSchema(WITH_GROUPS, bothTypes())).toEqual({ kind: 'ok' });
  });

  it('reuses an existing Entra Group type and adds only what it lacks', () => {
    const state = bothTypes(null);
    const group = state.objectTypes.group!;
    const trimmed: ActualSchemaState = {
      ...state,
      objectTypes: { ...state.objectTypes, group: { ...group, attributes: group.attributes.filter((a) => a.name !== 'Group Type') } },
    };
    const diff = diffSchema(WITH_GROUPS, trimmed);
    if (diff.kind !== 'changes') throw new Error(diff.kind);
    expect(diff.actions.map((a) => [a.kind, 'objectType' in a ? a.objectType : null, 'key' in a ? a.key : null])).toEqual([
      ['create-attribute', 'employee', 'groups'],
      ['create-attribute', 'group', 'groupType'],
    ]);
  });

  it('leaves the Entra Group type and Groups alone when group sync is off (the definition lacks them)', () => {
    expect(diffSchema(CORE_SCHEMA, bothTypes())).toEqual({ kind: 'ok' });
  });

  it('stops when Groups holds at most one value, naming it and saying what to change', () => {
    const message = conflictMessage(bothTypes(groupsAttribute({ maximumCardinality: 1 })));
    expect(message).toContain('The attribute "Groups" on the "Employee" object type cannot hold what the app writes');
    expect(message).toContain('it holds at most 1 value');
    expect(message).toContain('set the maximum number of values of "Groups" to unlimited');
    expect(message).toContain('rename it (for example to "Groups (old)"');
    expect(message).not.toMatch(/delete/i);
  });

  it('stops when Groups refers to another object type', () => {
    const message = conflictMessage(bothTypes(groupsAttribute({ typeValue: OBJECT_TYPE_ID })));
    expect(message).toContain('"Groups"');
    expect(message).toContain('it refers to another object type, not "Entra Group"');
    expect(message).toContain('an object reference to Entra Group allowing any number of values');
    expect(message).toContain('Rename that attribute in Assets');
  });

  it('stops when Groups is not a reference at all', () => {
    const message = conflictMessage(bothTypes(groupsAttribute({ type: 0, defaultTypeId: 0, typeValue: null, additionalValue: null })));
    expect(message).toContain('its type is Text');
  });

  it('takes a Groups reference whose cardinality Assets did not report as able to hold the list', () => {
    expect(diffSchema(WITH_GROUPS, bothTypes(groupsAttribute({ maximumCardinality: null })))).toEqual({ kind: 'ok' });
  });
});
