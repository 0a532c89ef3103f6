/**
 * Issue 15 through the emulator: the Automation actions (Look up employee, Get approvers) and the Rovo Directory
 * assistant's actions run as Forge runs them (sandbox/emulator.ts `action`: the payload and context Forge sends)
 * against the built-in world after a sync. Both readings of each platform question are covered: the Automation
 * principal (R1: none | actor) and asUser() in a Rovo action (R2: refused | allowed), and both answers of Assets to
 * a user without access (assetsNoAccessAnswer: empty | forbidden).
 */
import { rmSync } from 'node:fs';

import { type Emulator, type EmulatorOptions, startEmulator } from '../../sandbox/emulator';
import type { AssetsObject } from '../../src/domain/assets-object';
import { tempStateDir } from './cli-harness';
import { data, saveBuiltInSettings } from './emulator-calls';

jest.setTimeout(120_000);

const NO_ASSETS_USER = '712020:00000000-0000-4000-8000-0000000a55e7';
const stateDir = tempStateDir('actions');
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ users: 40, seed: 5, notice: () => undefined, ...options, stateDir });
}

type Errors = { errors: { message: string }[] };
const errorsOf = (answer: unknown) => (answer as Errors).errors?.map((e) => e.message) ?? [];

function people(em: Emulator): AssetsObject[] {
  return em.simulation!.jira.employees().filter((o) => o.values['atlassianAccountId'] !== null && o.values['active'] === true);
}

/** An active person whose manager and manager's manager are active with accounts. */
function withTwoLevels(em: Emulator) {
  const all = em.simulation!.jira.employees();
  const byId = new Map(all.map((o) => [o.objectId, o]));
  for (const person of people(em)) {
    const m1 = byId.get(String(person.values['manager']));
    const m2 = m1 === undefined ? undefined : byId.get(String(m1.values['manager']));
    if (
      m1?.values['active'] === true &&
      m2?.values['active'] === true &&
      m1.values['atlassianAccountId'] &&
      m2.values['atlassianAccountId']
    )
      return { person, m1, m2 };
  }
  throw new Error('the built-in world has no two-level manager chain');
}

describe('Automation actions and the Rovo agent, default readings (no Automation principal, asUser refused)', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await start();
    await saveBuiltInSettings(em);
    await data(em, 'createSchema');
    await em.drain();
    await data(em, 'startSync');
    await em.drain();
  });
  afterAll(async () => em.close());

  it('Look up employee answers the Employee object by account id and by email, and inDirectory false for a stranger', async () => {
    const { person, m1 } = withTwoLevels(em);
    const byAccount = (await em.action('look-up-employee', { accountId: person.values['atlassianAccountId'] })) as Record<string, unknown>;
    expect(byAccount).toEqual({
      inDirectory: true,
      objectKey: person.objectKey,
      fullName: person.values['fullName'],
      department: person.values['department'],
      jobTitle: person.values['jobTitle'],
      active: true,
      managerAccountId: m1.values['atlassianAccountId'],
    });
    const byEmail = await em.action('look-up-employee', { email: person.values['email'], accountId: '' });
    expect(byEmail).toEqual(byAccount);
    expect(await em.action('look-up-employee', { accountId: '557058:ffffffff-ffff-4fff-8fff-ffffffffffff' })).toMatchObject({
      inDirectory: false,
      objectKey: null,
    });
  });

  it.each([
    [{}, 'exactly one of accountId or email'],
    [{ accountId: 'a', email: 'x@example.com' }, 'exactly one of accountId or email'],
    [{ accountId: 'not an id!' }, 'accountId is not an Atlassian account id'],
    [{ accountId: 42 }, 'accountId must be an Atlassian account id'],
    [{ email: 'nobody' }, 'email is not an email address'],
    [{ accountId: '557058:abc', colour: 'red' }, 'unknown input "colour"'],
  ])('Look up employee refuses %j with a clear message for the audit log', async (input, expected) => {
    const messages = errorsOf(await em.action('look-up-employee', input));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
    expect(messages[0]).toContain('[INPUT_INVALID]');
  });

  it('Get approvers follows the Manager references up the chain and stops at the levels asked', async () => {
    const { person, m1, m2 } = withTwoLevels(em);
    const answer = await em.action('get-approvers', { accountId: person.values['atlassianAccountId'], levels: '2' });
    expect(answer).toMatchObject({
      approvers: `${m1.values['atlassianAccountId']},${m2.values['atlassianAccountId']}`,
      approverCount: 2,
      firstApprover: m1.values['atlassianAccountId'],
      stoppedBecause: 'levels',
    });
  });

  it.each([
    [{ accountId: '557058:abc' }, 'levels must be a whole number from 1 to 5'],
    [{ accountId: '557058:abc', levels: 0 }, 'levels must be a whole number from 1 to 5'],
    [{ accountId: '557058:abc', levels: 6 }, 'levels must be a whole number from 1 to 5'],
    [{ accountId: '557058:abc', levels: 1.5 }, 'levels must be a whole number from 1 to 5'],
    [{ accountId: '557058:abc', levels: 'two' }, 'levels must be a whole number from 1 to 5'],
    [{ levels: 1 }, 'accountId'],
    [{ accountId: '', levels: 1 }, 'accountId is empty'],
  ])('Get approvers refuses %j with a clear message', async (input, expected) => {
    const messages = errorsOf(await em.action('get-approvers', input));
    expect(messages[0]).toContain(expected);
    expect(messages[0]).toContain('[INPUT_INVALID]');
  });

  it('a person without a manager: Get approvers stops at the top and says so', async () => {
    const top = people(em).find((o) => o.values['manager'] === null)!;
    const answer = await em.action('get-approvers', { accountId: top.values['atlassianAccountId'], levels: 3 });
    expect(answer).toMatchObject({ approvers: '', approverCount: 0, firstApprover: '', stoppedBecause: 'top' });
    expect(await em.action('look-up-employee', { accountId: top.values['atlassianAccountId'] })).toMatchObject({ managerAccountId: null });
  });

  it('a manager chain with a loop is detected and reported, each manager once', async () => {
    const { person, m1 } = withTwoLevels(em);
    const before = m1.values['manager'];
    em.simulation!.jira.editObject(m1.objectId, 'Manager', person.objectId);
    try {
      const answer = await em.action('get-approvers', { accountId: person.values['atlassianAccountId'], levels: 5 });
      expect(answer).toMatchObject({ approvers: m1.values['atlassianAccountId'], approverCount: 1, stoppedBecause: 'loop' });
      expect((answer as { detail: string }).detail).toContain('loops back at level 2');
    } finally {
      em.simulation!.jira.editObject(m1.objectId, 'Manager', before as string);
    }
  });

  it('a missing link (the manager object is gone) stops the chain and says which level', async () => {
    const { person, m1 } = withTwoLevels(em);
    em.simulation!.jira.editObject(person.objectId, 'Manager', '999999');
    try {
      const answer = await em.action('get-approvers', { accountId: person.values['atlassianAccountId'], levels: 2 });
      expect(answer).toMatchObject({ approverCount: 0, stoppedBecause: 'missing-link' });
      expect((answer as { detail: string }).detail).toContain('level 1');
    } finally {
      em.simulation!.jira.editObject(person.objectId, 'Manager', m1.objectId);
    }
  });

  it('when Assets refuses the app, the actions answer the reason for the audit log instead of crashing', async () => {
    const { person } = withTwoLevels(em);
    em.simulation!.jira.failNext({ path: 'object/aql', status: 401, body: { errorMessages: ['Unauthorized'], errors: {} }, times: 5 });
    const messages = errorsOf(await em.action('look-up-employee', { accountId: person.values['atlassianAccountId'] }));
    expect(messages[0]).toContain('[ASSETS_UNAUTHORIZED]');
  });

  it('R2 refused: the Directory assistant does not fall back to the app and answers ACTION_USER_UNAVAILABLE', async () => {
    const { person } = withTwoLevels(em);
    const answer = await em.action('directory-manager', { person: person.values['email'] });
    expect(answer).toMatchObject({ ok: false, error: { code: 'ACTION_USER_UNAVAILABLE' } });
  });
});

describe('readings R1 actor and R2 allowed, a user without Assets access answered empty', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await start({
      automationPrincipal: 'actor',
      rovoAsUser: 'allowed',
      simulation: { jira: { assetsUsersWithoutAccess: [NO_ASSETS_USER] } },
    });
  });
  afterAll(async () => em.close());

  it('Automation actions answer the same with the rule actor as principal', async () => {
    const { person, m1 } = withTwoLevels(em);
    expect(await em.action('get-approvers', { accountId: person.values['atlassianAccountId'], levels: 1 })).toMatchObject({
      approvers: m1.values['atlassianAccountId'],
      stoppedBecause: 'levels',
    });
  });

  it('the assistant answers manager, reports, department and job title, and a department list, read as the user', async () => {
    const { person, m1 } = withTwoLevels(em);
    const manager = (await em.action('directory-manager', { person: person.values['email'] })) as {
      ok: boolean;
      data: { manager: { accountId: string }; note: string };
    };
    expect(manager.ok).toBe(true);
    expect(manager.data.manager.accountId).toBe(m1.values['atlassianAccountId']);
    expect(manager.data.note).toContain('your own Assets permissions');

    const reports = (await em.action('directory-reports', { person: m1.values['atlassianAccountId'] })) as {
      data: { people: { accountId: string; active: boolean }[] };
    };
    expect(reports.data.people.map((p) => p.accountId)).toContain(person.values['atlassianAccountId']);
    expect(reports.data.people.every((p) => p.active)).toBe(true);

    expect(await em.action('directory-person', { person: person.values['atlassianAccountId'] })).toMatchObject({
      ok: true,
      data: { person: { department: person.values['department'], jobTitle: person.values['jobTitle'] } },
    });

    const department = String(person.values['department']);
    const members = (await em.action('directory-department', { department })) as {
      data: { people: { department: string; active: boolean }[]; truncated: boolean };
    };
    const expected = em.simulation!.jira.employees().filter((o) => o.values['department'] === department && o.values['active'] === true);
    expect(members.data.people).toHaveLength(Math.min(expected.length, 25));
    expect(members.data.truncated).toBe(expected.length > 25);
  });

  it('inactive people are never shown unless asked', async () => {
    const inactive = em.simulation!.jira.employees().find((o) => o.values['active'] === false && o.values['email'] !== null);
    if (inactive === undefined) {
      const { person } = withTwoLevels(em);
      em.simulation!.jira.editObject(person.objectId, 'Active', 'false');
    }
    const target = em.simulation!.jira.employees().find((o) => o.values['active'] === false && o.values['email'] !== null)!;
    const hidden = (await em.action('directory-person', { person: target.values['email'] })) as { data: { found: boolean } };
    expect(hidden.data.found).toBe(false);
    const asked = (await em.action('directory-person', { person: target.values['email'], includeInactive: 'true' })) as {
      data: { found: boolean; person: { active: boolean } };
    };
    expect(asked.data).toMatchObject({ found: true, person: { active: false } });
  });

  it('bad assistant inputs are refused with the input named', async () => {
    expect(await em.action('directory-person', {})).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await em.action('directory-department', { department: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'INPUT_INVALID', message: expect.stringContaining('department is empty') },
    });
    expect(await em.action('directory-manager', { person: 'x', includeInactive: 'maybe' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('includeInactive must be true or false') },
    });
  });

  it('a user without Assets access (answered empty) is told what the agent could not see, and learns nothing', async () => {
    const { person } = withTwoLevels(em);
    const answer = (await em.action('directory-manager', { person: person.values['email'] }, { accountId: NO_ASSETS_USER })) as {
      ok: boolean;
      data: { found: boolean; note: string };
    };
    expect(answer.ok).toBe(true);
    expect(answer.data.found).toBe(false);
    expect(answer.data.note).toContain('your Assets permissions do not let you see them');
    expect(JSON.stringify(answer)).not.toContain(String(person.values['fullName']));
  });
});

describe('a user without Assets access answered 403', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await start({
      rovoAsUser: 'allowed',
      simulation: { jira: { assetsUsersWithoutAccess: [NO_ASSETS_USER], assetsNoAccessAnswer: 'forbidden' } },
    });
  });
  afterAll(async () => em.close());

  it('answers DIRECTORY_ACCESS_DENIED saying which role would let them see it', async () => {
    const { person } = withTwoLevels(em);
    expect(await em.action('directory-person', { person: person.values['email'] }, { accountId: NO_ASSETS_USER })).toMatchObject({
      ok: false,
      error: { code: 'DIRECTORY_ACCESS_DENIED', message: expect.stringContaining('Object viewers') },
    });
    // Everyone else still gets answers.
    expect(await em.action('directory-person', { person: person.values['email'] })).toMatchObject({ ok: true, data: { found: true } });
  });
});
