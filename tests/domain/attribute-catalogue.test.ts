/**
 * The attribute catalogue: the definition built from a choice, and an optional attribute end to end (chosen in the
 * settings -> created by the schema check -> read from Graph -> written to Assets -> corrected after a change),
 * through the real pipeline against the fake tenant and site. Nothing else in the app names the attribute.
 */
import {
  buildSchemaDefinition,
  CORE_SCHEMA,
  EMPLOYEE_ATTRIBUTE_CATALOGUE,
  OPTIONAL_ATTRIBUTE_KEYS,
} from '../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../src/domain/schema-definition';
import { storedSettingsSchema } from '../../src/domain/settings';
import { keys } from '../../src/pipeline/keys';
import { readLayout } from '../../src/pipeline/layout-store';
import { createAssets } from '../../src/services/connections';
import { startHarness } from '../support/pipeline-harness';

describe('the attribute catalogue', () => {
  it('has unique keys and names, and a core definition without optional attributes', () => {
    const keysSeen = EMPLOYEE_ATTRIBUTE_CATALOGUE.map((entry) => entry.key);
    const names = EMPLOYEE_ATTRIBUTE_CATALOGUE.map((entry) => entry.name.toLowerCase());
    expect(new Set(keysSeen).size).toBe(keysSeen.length);
    expect(new Set(names).size).toBe(names.length);
    const core = objectTypeOf(CORE_SCHEMA, 'employee').attributes.map((a) => a.key);
    for (const key of OPTIONAL_ATTRIBUTE_KEYS) expect(core).not.toContain(key);
  });

  it('builds a definition with the chosen attributes, in catalogue order, and refuses an unknown key', () => {
    const chosen = objectTypeOf(buildSchemaDefinition(['employeeId']), 'employee').attributes.map((a) => a.key);
    expect(chosen).toEqual([...objectTypeOf(CORE_SCHEMA, 'employee').attributes.map((a) => a.key), 'employeeId']);
    expect(() => buildSchemaDefinition(['noSuchAttribute'])).toThrow(expect.objectContaining({ code: 'SETTINGS_INVALID' }));
  });
});

describe('an optional attribute, end to end', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  afterEach(() => h?.close());

  it('Employee ID: chosen, created by the sync schema check, filled from Entra, corrected after a change', async () => {
    h = await startHarness({ users: 40, seed: 18 });
    await h.run('sync');
    const settings = storedSettingsSchema.parse(await h.store.get(keys.settings()));
    await h.store.set(keys.settings(), { ...settings, attributes: ['employeeId'] });

    const first = await h.run('sync');
    expect(first.run.status).toBe('succeeded');
    const definition = buildSchemaDefinition(['employeeId']);
    const employee = objectTypeOf(definition, 'employee');
    const layout = await readLayout(h.store);
    expect(layout?.objectTypes.employee?.attributeIds.employeeId).toBeDefined();

    const readAll = async () => (await createAssets(h.connectionDeps).searchObjects(layout!, employee, 0, 500)).objects;
    const entraById = new Map(h.world.entra.users.map((u) => [u.id, u]));
    const objects = await readAll();
    expect(objects.length).toBeGreaterThan(0);
    const withId = objects.filter((o) => entraById.get(o.values.entraUserId as string)?.employeeId);
    expect(withId.length).toBeGreaterThan(0);
    for (const o of objects) expect(o.values.employeeId).toBe(entraById.get(o.values.entraUserId as string)?.employeeId ?? null);

    // A change in Entra reaches Assets through the delta read; a resync without changes writes nothing.
    const target = withId[0]!;
    const user = h.world.entra.users.find((u) => u.id === target.values.entraUserId)!;
    h.sim.entra.upsertUser({ ...user, employeeId: 'E-CHANGED' });
    const second = await h.run('sync');
    expect(second.run.counts?.updates).toBe(1);
    expect((await readAll()).find((o) => o.objectId === target.objectId)?.values.employeeId).toBe('E-CHANGED');
    const third = await h.run('sync');
    expect(third.run.counts).toMatchObject({ creates: 0, updates: 0, inactivations: 0 });
  });
});
