/**
 * Issue 12, attributes points 3 and 4: the attribute choice in the settings, through the real saveSettings and
 * getPublicSettings over the harness's storage. Good choices are stored and returned; every bad one (unknown or
 * repeated key, malformed extension property, bad or clashing name, too many extensions) is INPUT_INVALID with a
 * message naming the field and the problem, and nothing is stored.
 */
import { WORLD_EXTENSION_PROPERTIES } from '../../fakes/world/world-data';
import { MAX_EXTENSIONS } from '../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../src/domain/schema-definition';
import { keys } from '../../src/pipeline/keys';
import { getPublicSettings, readSchemaDefinition } from '../../src/services/settings-service';
import { type Harness, startHarness } from '../support/pipeline-harness';

const PROPERTY = WORLD_EXTENSION_PROPERTIES.costCentre;
const ext = (n: number) => `extension_${'ab'.repeat(16)}_field${n}`;

describe('settings: attributes and extension properties', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: 10, seed: 3 });
  });
  afterAll(() => h.close());

  it('stores a good choice, returns it, and builds the definition from it; absent keeps it', async () => {
    const saved = await h.configure({
      attributes: ['hireDate', 'employeeId'],
      extensions: [{ property: PROPERTY, name: '  HR Cost Centre ' }],
    });
    expect(saved).toMatchObject({ attributes: ['hireDate', 'employeeId'], extensions: [{ property: PROPERTY, name: 'HR Cost Centre' }] });
    expect(await getPublicSettings(h.deps)).toMatchObject({ attributes: ['hireDate', 'employeeId'] });
    const names = objectTypeOf(await readSchemaDefinition(h.deps), 'employee').attributes.map((a) => a.name);
    expect(names.slice(-3)).toEqual(['Employee ID', 'Hire Date', 'HR Cost Centre']);
    // The connection form alone (no attributes, no extensions) keeps the choice.
    expect(await h.configure({ intervalDays: 3 })).toMatchObject({ attributes: ['hireDate', 'employeeId'], intervalDays: 3 });
  });

  it.each([
    [{ attributes: ['employeeId', 'costCentre'] }, 'Attributes: "costCentre" is not an attribute the app can sync'],
    [{ attributes: ['city', 'city'] }, 'Attributes: "city" is chosen more than once'],
    [
      { extensions: [{ property: 'extension_costCentre', name: 'Cost' }] },
      'row 1: "extension_costCentre" is not a directory extension property',
    ],
    [{ extensions: [{ property: PROPERTY, name: '   ' }] }, 'row 1: the Assets attribute name must have 1 to 60 characters'],
    [{ extensions: [{ property: PROPERTY, name: 'x'.repeat(61) }] }, 'row 1: the Assets attribute name must have 1 to 60 characters'],
    [
      { extensions: [{ property: PROPERTY, name: 'cost center' }] },
      'the name "cost center" is already used by the attribute "Cost Center"',
    ],
    [{ extensions: [{ property: PROPERTY, name: 'Full name' }] }, 'already used by the attribute "Full Name"'],
    [
      {
        extensions: [
          { property: ext(1), name: 'Badge' },
          { property: ext(2), name: 'BADGE' },
        ],
      },
      'row 2: the name "BADGE" is already used by the attribute "Badge"',
    ],
    [
      {
        extensions: [
          { property: ext(1), name: 'A' },
          { property: ext(1), name: 'B' },
        ],
      },
      `row 2: ${ext(1)} is listed more than once`,
    ],
    [
      { extensions: Array.from({ length: MAX_EXTENSIONS + 1 }, (_, i) => ({ property: ext(i), name: `Field ${i}` })) },
      `at most ${MAX_EXTENSIONS} can be synced (11 given)`,
    ],
  ])('refuses %j with INPUT_INVALID and stores nothing', async (choice, message) => {
    const before = await h.store.get(keys.settings());
    const error = await h.configure({ ...choice, intervalDays: 9 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INPUT_INVALID' });
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain('Nothing was saved.');
    expect(await h.store.get(keys.settings())).toEqual(before);
  });
});
