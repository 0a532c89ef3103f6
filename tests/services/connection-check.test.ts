/**
 * Test connection through the real token provider and Graph client against the fake tenant (issue 11 point 13):
 * the roles claim names the missing application permission, the roles granted are returned and stored, and the
 * interactive test is not sent at low throttle priority (the background sync is).
 */
import { createGraphClient } from '../../src/clients/graph/graph-client';
import type { AppError } from '../../src/domain/errors';
import { checkConnection, readConnectionCheck } from '../../src/services/connection-check';
import { directory, failureOf, nodeFetch, startWorld, TENANT, testPolicy, type World } from '../clients/graph/graph-test-kit';
import { MemoryStore } from '../support/memory-store';

let world: World | undefined;

afterEach(async () => {
  world?.fake.expectNoUnexpected();
  await world?.close();
  world = undefined;
});

/** The clients as the resolver builds them for Test connection: interactive priority. */
function interactiveProbe(w: World) {
  let n = 0;
  const graph = createGraphClient({
    fetch: nodeFetch,
    endpoints: w.endpoints,
    tokens: w.tokens,
    policy: testPolicy(w.clock),
    newRequestId: () => `3f2504e0-4f89-41d3-9a0c-${(++n).toString(16).padStart(12, '0')}`,
    priority: 'interactive',
  });
  return { graph, tokens: w.tokens };
}

describe('Test connection', () => {
  it('returns the count and the roles granted, stores both, and sends no low throttle priority', async () => {
    world = await startWorld({ users: directory(7) });
    const store = new MemoryStore(world.clock.now);
    const result = await checkConnection({ store, clock: world.clock }, interactiveProbe(world));
    expect(result).toMatchObject({ userCount: 7, roles: ['GroupMember.Read.All', 'User.Read.All'] });
    expect(await readConnectionCheck(store)).toMatchObject({ ok: true, userCount: 7, roles: ['GroupMember.Read.All', 'User.Read.All'] });
    const count = world.graphRequests().find((r) => r.path === '/v1.0/users/$count');
    expect(count?.headers['x-ms-throttle-priority']).toBeUndefined();
  });

  it('the background sync keeps x-ms-throttle-priority: Low (plain requests and $batch items)', async () => {
    world = await startWorld({ users: directory(3) });
    await world.graph.deltaPage(null);
    await world.graph.getUsersByIds([directory(1)[0]!.id]);
    const sent = world.graphRequests();
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const r of sent) expect(r.headers['x-ms-throttle-priority']).toBe('Low');
  });

  it('no consent: the token carries no roles; the test says User.Read.All is missing, after one fresh sign-in, without calling Graph', async () => {
    world = await startWorld({ users: directory(3), tenant: { ...TENANT, consentGranted: false } });
    const store = new MemoryStore(world.clock.now);
    const error = (await failureOf(checkConnection({ store, clock: world.clock }, interactiveProbe(world)))) as AppError;
    expect(error).toMatchObject({ code: 'GRAPH_CONSENT_MISSING', retry: 'permanent' });
    expect(error.message).toContain('carries no Microsoft Graph application permissions');
    expect(error.message).toContain('User.Read.All');
    expect(error.message).toContain('Directory.Read.All also works');
    expect(world.tokenRequests()).toHaveLength(2);
    expect(world.graphRequests()).toHaveLength(0);
    expect(await readConnectionCheck(store)).toMatchObject({ ok: false, roles: [], error: { code: 'GRAPH_CONSENT_MISSING' } });
  });

  it('consent to an unrelated permission only: the test names what the token holds and what is missing', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.setConsent(true, ['Mail.Read']);
    const store = new MemoryStore(world.clock.now);
    const error = (await failureOf(checkConnection({ store, clock: world.clock }, interactiveProbe(world)))) as AppError;
    expect(error.code).toBe('GRAPH_CONSENT_MISSING');
    expect(error.message).toContain('carries only Mail.Read; reading users needs the Microsoft Graph application permission User.Read.All');
  });

  it('Directory.Read.All also reads users: the test passes and lists it', async () => {
    world = await startWorld({ users: directory(4) });
    world.fake.setConsent(true, ['Directory.Read.All']);
    const store = new MemoryStore(world.clock.now);
    await expect(checkConnection({ store, clock: world.clock }, interactiveProbe(world))).resolves.toMatchObject({
      userCount: 4,
      roles: ['Directory.Read.All'],
    });
  });

  it('consent granted after the cached token was issued: the test signs in again and passes', async () => {
    world = await startWorld({ users: directory(3) });
    world.fake.setConsent(false);
    await world.tokens.getToken();
    world.fake.setConsent(true);
    const store = new MemoryStore(world.clock.now);
    await expect(checkConnection({ store, clock: world.clock }, interactiveProbe(world))).resolves.toMatchObject({
      userCount: 3,
      roles: ['GroupMember.Read.All', 'User.Read.All'],
    });
    expect(world.tokenRequests()).toHaveLength(2);
  });

  it('reports the groups permission on its own line: granted with the built-in tenant, required only when group sync is on', async () => {
    world = await startWorld({ users: directory(3) });
    const store = new MemoryStore(world.clock.now);
    await expect(checkConnection({ store, clock: world.clock }, interactiveProbe(world), { groupSync: true })).resolves.toMatchObject({
      groupsPermission: { granted: true, required: true },
    });
    expect(await readConnectionCheck(store)).toMatchObject({ ok: true, groupsGranted: true });
  });

  it('counts a ReadWrite form (granted for write-back) as the groups permission too', async () => {
    world = await startWorld({ users: directory(3), tenant: { ...TENANT, grantedRoles: ['User.Read.All', 'GroupMember.ReadWrite.All'] } });
    const store = new MemoryStore(world.clock.now);
    await expect(checkConnection({ store, clock: world.clock }, interactiveProbe(world), { groupSync: true })).resolves.toMatchObject({
      groupsPermission: { granted: true, required: true },
    });
  });

  it('without GroupMember.Read.All and group sync off: the test passes and says the permission is not granted', async () => {
    world = await startWorld({ users: directory(3), tenant: { ...TENANT, grantedRoles: ['User.Read.All'] } });
    const store = new MemoryStore(world.clock.now);
    await expect(checkConnection({ store, clock: world.clock }, interactiveProbe(world))).resolves.toMatchObject({
      userCount: 3,
      groupsPermission: { granted: false, required: false },
    });
  });

  it('without GroupMember.Read.All and group sync on: GRAPH_GROUPS_FORBIDDEN naming the permission, after one fresh sign-in', async () => {
    world = await startWorld({ users: directory(3), tenant: { ...TENANT, grantedRoles: ['User.Read.All'] } });
    const store = new MemoryStore(world.clock.now);
    const error = (await failureOf(
      checkConnection({ store, clock: world.clock }, interactiveProbe(world), { groupSync: true }),
    )) as AppError;
    expect(error).toMatchObject({ code: 'GRAPH_GROUPS_FORBIDDEN', retry: 'permanent' });
    expect(error.message).toContain('carries only User.Read.All');
    expect(error.message).toContain('GroupMember.Read.All, then Grant admin consent');
    expect(world.tokenRequests()).toHaveLength(2);
    expect(await readConnectionCheck(store)).toMatchObject({ ok: false, groupsGranted: false, error: { code: 'GRAPH_GROUPS_FORBIDDEN' } });
  });

  it('write-back: per capability, its least permission, whether it is on and granted; a missing one signs in afresh once and does not fail the test', async () => {
    world = await startWorld({
      users: directory(3),
      tenant: { ...TENANT, grantedRoles: ['User.Read.All', 'User.RevokeSessions.All', 'GroupMember.ReadWrite.All'] },
    });
    const store = new MemoryStore(world.clock.now);
    const result = await checkConnection({ store, clock: world.clock }, interactiveProbe(world), {
      groupSync: false,
      writeBack: ['accountStatus', 'revokeSessions'],
    });
    expect(result.writeBack).toEqual([
      { capability: 'accountStatus', permission: 'User.EnableDisableAccount.All', switchedOn: true, granted: false },
      { capability: 'revokeSessions', permission: 'User.RevokeSessions.All', switchedOn: true, granted: true },
      { capability: 'updateAttributes', permission: 'User.ReadWrite.All', switchedOn: false, granted: false },
      { capability: 'groupMembership', permission: 'GroupMember.ReadWrite.All', switchedOn: false, granted: true },
    ]);
    expect(result.userCount).toBe(3);
    // The switched-on accountStatus lacked its permission: the cached token may predate the consent, so one fresh sign-in.
    expect(world.tokenRequests()).toHaveLength(2);
  });

  it('write-back: User.ReadWrite.All grants every user capability; all granted and on: one sign-in', async () => {
    world = await startWorld({ users: directory(3), tenant: { ...TENANT, grantedRoles: ['User.ReadWrite.All', 'Group.ReadWrite.All'] } });
    const store = new MemoryStore(world.clock.now);
    const result = await checkConnection({ store, clock: world.clock }, interactiveProbe(world), {
      groupSync: true,
      writeBack: ['accountStatus', 'revokeSessions', 'updateAttributes', 'groupMembership'],
    });
    expect(result.writeBack.map((line) => [line.capability, line.switchedOn, line.granted])).toEqual([
      ['accountStatus', true, true],
      ['revokeSessions', true, true],
      ['updateAttributes', true, true],
      ['groupMembership', true, true],
    ]);
    expect(world.tokenRequests()).toHaveLength(1);
  });
});
