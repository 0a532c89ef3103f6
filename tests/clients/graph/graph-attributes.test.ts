/**
 * Issue 12, attributes points 1 and 6: the catalogue's Graph sources through the real Graph client against the fake
 * tenant. The client selects every chosen property (nested ones by their parent, directory extension properties by
 * name); the fake returns them in Graph's shapes only when selected; the catalogue reads businessPhones[0],
 * employeeOrgData.*, onPremisesExtensionAttributes.* and employeeHireDate (as its UTC day) from the list and from
 * delta alike; an extension property the tenant does not have is refused by Graph, as the real one does.
 */
import { createGraphClient, graphUserFields } from '../../../src/clients/graph/graph-client';
import { buildSchemaDefinition, extensionKey, OPTIONAL_ATTRIBUTE_KEYS } from '../../../src/domain/attribute-catalogue';
import { objectTypeOf } from '../../../src/domain/schema-definition';
import { failureOf, graphUser, nodeFetch, readDeltaRound, startWorld, TENANT, testPolicy, type World } from './graph-test-kit';

const PROPERTY = 'extension_0123456789abcdef0123456789abcdef_costCentre';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function clientFor(w: World, extensions: { property: string; name: string }[]) {
  const type = objectTypeOf(buildSchemaDefinition(OPTIONAL_ATTRIBUTE_KEYS, extensions), 'employee');
  return createGraphClient(
    { fetch: nodeFetch, endpoints: w.endpoints, tokens: w.tokens, policy: testPolicy(w.clock), newRequestId: () => 'req-attributes' },
    graphUserFields(type),
  );
}

const FULL = graphUser({
  employeeId: ' E-1 ',
  employeeType: 'Contractor',
  companyName: 'Contoso Ltd',
  officeLocation: 'Oslo',
  city: '  Oslo ',
  country: 'Norway',
  usageLocation: 'NO',
  mobilePhone: '+47 555 0000',
  businessPhones: ['+47 555 0001', '+47 555 0002'],
  employeeHireDate: '2019-07-15T23:30:00Z',
  employeeOrgData: { costCenter: 'CC-9', division: 'Products' },
  onPremisesExtensionAttributes: { extensionAttribute1: 'B-1', extensionAttribute15: '   ' },
  extensions: { [PROPERTY]: 'HR-42' },
});
const EMPTY = graphUser({ userType: 'Guest', officeLocation: null });

const EXPECTED_FULL: Record<string, string | null> = {
  employeeId: 'E-1',
  employeeType: 'Contractor',
  companyName: 'Contoso Ltd',
  officeLocation: 'Oslo',
  city: 'Oslo',
  country: 'Norway',
  usageLocation: 'NO',
  mobilePhone: '+47 555 0000',
  businessPhone: '+47 555 0001',
  hireDate: '2019-07-15',
  costCenter: 'CC-9',
  division: 'Products',
  userType: 'Member',
  userPrincipalName: FULL.userPrincipalName,
  extensionAttribute1: 'B-1',
  [extensionKey(PROPERTY)]: 'HR-42',
};

describe('catalogue attributes read from Graph', () => {
  it('selects every source and reads the values, nested ones included, from the list and from delta', async () => {
    world = await startWorld({ users: [FULL, EMPTY], tenant: { ...TENANT, extensionProperties: [PROPERTY] } });
    const graph = clientFor(world, [{ property: PROPERTY, name: 'HR Cost Centre' }]);
    const page = await graph.listUsersPage(null);
    const select = String(world.graphRequests()[0]?.query['$select']).split(',');
    for (const property of [
      'employeeType',
      'businessPhones',
      'employeeHireDate',
      'employeeOrgData',
      'onPremisesExtensionAttributes',
      PROPERTY,
    ])
      expect(select).toContain(property);

    const expected = { ...Object.fromEntries(Object.keys(EXPECTED_FULL).map((k) => [k, null])), ...EXPECTED_FULL };
    for (let i = 2; i <= 15; i++) expected[`extensionAttribute${i}`] = null;
    const full = page.users.find((u) => u.id === FULL.id)!;
    expect(full.extra).toEqual(expected);
    const empty = page.users.find((u) => u.id === EMPTY.id)!;
    expect(Object.entries(empty.extra ?? {}).filter(([, v]) => v !== null)).toEqual([
      ['userType', 'Guest'],
      ['userPrincipalName', EMPTY.userPrincipalName],
    ]);

    const round = await readDeltaRound(graph, null);
    const fromDelta = round.changes.find((c) => c.kind === 'upsert' && c.id === FULL.id);
    expect(fromDelta).toMatchObject({ fields: { extra: expected } });
  });

  it('is refused by Graph for an extension property the tenant does not have', async () => {
    world = await startWorld({ users: [FULL] });
    const graph = clientFor(world, [{ property: 'extension_0123456789abcdef0123456789abcdef_noSuchField', name: 'Nothing' }]);
    expect(await failureOf(graph.listUsersPage(null))).toBeDefined();
    expect(world.graphRequests()[0]?.status).toBe(400);
  });
});
