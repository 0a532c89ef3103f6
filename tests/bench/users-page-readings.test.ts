/**
 * Issue 16, a no-change resync's Jira calls, through the benchmark's pipeline runner on a 300-user world: the
 * no-change Jira target is checked with Jira serving the 1,000 accounts a page the app asks for (usersPageCap null),
 * and the same resync with Jira serving 100 a page (the fake's default reading) is run after it and held to its own
 * floor; neither asks the email API (the hidden emails are cached between runs).
 */
import type { ScenarioFigures } from '../../bench/sync/figures';
import { DEFAULT_APIS, runPipelineScenarios, USERS_100_A_PAGE } from '../../bench/sync/pipeline-runner';
import { DEFAULT_PLATFORM } from '../../bench/sync/platform-model';
import { checkTargets } from '../../bench/sync/targets';
import { generateWorld } from '../../fakes/world/generate-world';

describe('the no-change resync under both users/search page readings', () => {
  const world = generateWorld({ users: 300, seed: 20_260_302 });
  const accounts = world.jira.users.length;
  let results: ScenarioFigures[];

  beforeAll(async () => {
    results = await runPipelineScenarios(
      { size: 300, world, churnSeed: 1 },
      {
        k: 20,
        apis: DEFAULT_APIS,
        gc: () => undefined,
        scenarios: ['first-sync', 'first-resync', 'no-change'],
        platform: DEFAULT_PLATFORM,
      },
    );
  }, 120_000);

  const noChange = (variant: string): ScenarioFigures => {
    const found = results.find((f) => f.scenario === 'no-change' && f.variant === variant);
    if (found === undefined) throw new Error(`no no-change figures for ${variant}`);
    return found;
  };

  it('reads the accounts in pages of 1,000 and asks the email API nothing, meeting ceil(N / 1,000) + 5', () => {
    const f = noChange('main');
    expect(f.status).toBe('succeeded');
    // The pages of accounts, then an empty one (the client ends the list there).
    expect(f.jira.byEndpoint['users/search']).toBe(Math.ceil(accounts / 1_000) + 1);
    expect(f.jira.byEndpoint['user/email/bulk'] ?? 0).toBe(0);
    const checks = checkTargets([f], null).filter((c) => c.target.startsWith('Jira requests') || c.target.startsWith('email API'));
    expect(checks.map((c) => [c.target.split(' =')[0], c.pass])).toEqual([
      [`Jira requests <= ceil(${f.entraUsers} / 1,000) + 5`, true],
      ['email API calls', true],
    ]);
  });

  it('runs the same resync with Jira serving 100 a page and holds it to that reading floor', () => {
    const f = noChange(USERS_100_A_PAGE);
    expect(f.status).toBe('succeeded');
    expect(f.jira.byEndpoint['users/search']).toBe(Math.ceil(accounts / 100) + 1);
    expect(f.jira.byEndpoint['user/email/bulk'] ?? 0).toBe(0);
    expect(f.assets.writeRequests).toBe(0);
    const checks = checkTargets([f], null);
    expect(checks.some((c) => c.target.startsWith('Jira requests <= ceil('))).toBe(false);
    const floor = checks.find((c) => c.target.startsWith('Jira requests at 100 a page'));
    expect(floor).toMatchObject({ pass: true });
    expect(floor?.target).toContain(`ceil(${f.entraUsers} / 100)`);
  });
});
