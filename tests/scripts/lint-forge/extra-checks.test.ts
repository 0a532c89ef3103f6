import { runExtraChecks } from '../../../scripts/lint-forge/extra-checks';
import type { CheckId, CheckOutcome, Finding } from '../../../scripts/lint-forge/findings';
import { loadManifest } from '../../../scripts/lint-forge/manifest';
import { listLintFiles } from '../../../scripts/lint-forge/project-files';
import { DEFAULT_FILES, type FixtureOptions, fixtureProject, manifestWith } from './fixture-project';

async function lintFixture(options: FixtureOptions = {}): Promise<CheckOutcome[]> {
  const fixture = fixtureProject(options);
  try {
    const loaded = loadManifest(fixture.root);
    const files = await listLintFiles(fixture.root, loaded.facts.nativeResourcePaths);
    return runExtraChecks({ root: fixture.root, files, manifest: loaded.facts, manifestText: loaded.text });
  } finally {
    fixture.remove();
  }
}

function findings(outcomes: readonly CheckOutcome[], check?: CheckId): Finding[] {
  return outcomes.flatMap((o) => o.findings).filter((f) => check === undefined || f.check === check);
}

function notes(outcomes: readonly CheckOutcome[], check: CheckId): string[] {
  return outcomes.find((o) => o.check === check)?.notes.slice() ?? [];
}

/** Just the parts a reader cares about, so a failing test prints something readable. */
function brief(list: readonly Finding[]): string[] {
  return list.map((f) => `${f.severity} ${f.file}:${f.line} ${f.message}`);
}

describe('extra checks on the valid default fixture', () => {
  it('find nothing, and every check ran', async () => {
    const outcomes = await lintFixture();
    expect(brief(findings(outcomes))).toEqual([]);
    expect(outcomes.map((o) => [o.check, o.status])).toEqual([
      ['kvs-scope', 'ran'],
      ['egress', 'ran'],
      ['queue-keys', 'ran'],
      ['resolver-keys', 'ran'],
      ['handler-exports', 'ran'],
    ]);
  });
});

describe('kvs-scope', () => {
  it('reports @forge/kvs imported without storage:app, at the import', async () => {
    const outcomes = await lintFixture({ manifest: manifestWith('    - storage:app\n', '    - read:jira-user\n') });
    expect(brief(findings(outcomes, 'kvs-scope'))).toEqual([
      'error src/adapters/store.ts:1 Imports @forge/kvs, but manifest.yml permissions.scopes lacks storage:app: add "- storage:app" under permissions.scopes.',
    ]);
  });

  it('sees require() and dynamic import() of @forge/kvs too', async () => {
    const outcomes = await lintFixture({
      manifest: manifestWith('    - storage:app\n', '    - read:jira-user\n'),
      files: {
        'src/adapters/store.ts': null,
        'src/adapters/lazy.ts': `export const load = () => import('@forge/kvs');\nconst legacy = require('@forge/kvs');\nexport { legacy };\n`,
      },
    });
    expect(findings(outcomes, 'kvs-scope').map((f) => f.line)).toEqual([1, 2]);
  });
});

describe('egress', () => {
  it('reports a host in a template literal that is not declared, at the literal', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/clients/token.ts':
          'export const tokenUrl = (tenant: string) =>\n  `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`;\n',
      },
    });
    const reported = findings(outcomes, 'egress');
    expect(brief(reported)).toHaveLength(1);
    expect(reported[0]).toMatchObject({ severity: 'error', file: 'src/clients/token.ts', line: 2, column: 3 });
    expect(reported[0]?.message).toContain('https://login.microsoftonline.com is not declared egress');
  });

  it('warns on a declared host no code uses and on the deprecated plain-string form', async () => {
    const outcomes = await lintFixture({
      manifest: manifestWith(
        '        - address: https://graph.microsoft.com\n',
        '        - address: https://graph.microsoft.com\n        - https://graph.microsoft.us\n',
      ),
    });
    const reported = findings(outcomes, 'egress');
    expect(reported.map((f) => [f.severity, f.file, f.line])).toEqual([
      ['warning', 'manifest.yml', 32],
      ['warning', 'manifest.yml', 32],
    ]);
    expect(reported[0]?.message).toContain('deprecated plain-string form');
    expect(reported[1]?.message).toContain('declared but no https://graph.microsoft.us appears in src/');
  });

  it('accepts wildcard declarations and hosts in plain strings, and ignores comments', async () => {
    const outcomes = await lintFixture({
      manifest: manifestWith(
        '        - address: https://graph.microsoft.com\n',
        '        - address: https://graph.microsoft.com\n        - address: https://*.atlassian.net\n',
      ),
      files: {
        'src/clients/site.ts':
          '// https://undeclared.example.com is only a comment\nexport const site = "https://acme.atlassian.net/wiki";\n',
      },
    });
    expect(brief(findings(outcomes, 'egress'))).toEqual([]);
  });

  it('lets a marked line keep a host that is never fetched (a link shown to admins)', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/ui/help.tsx':
          '// lint-forge-ignore-next-line egress -- a link, never fetched\nexport const portal = "https://entra.microsoft.com";\nexport const other = "https://portal.azure.com";\n',
      },
    });
    expect(findings(outcomes, 'egress').map((f) => [f.file, f.line])).toEqual([['src/ui/help.tsx', 3]]);
    expect(notes(outcomes, 'egress')).toContain('1 finding(s) silenced by lint-forge-ignore-next-line');
  });
});

describe('queue-keys', () => {
  it('reports a typo in a new Queue key with a suggestion, and the manifest queue left unused', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/pipeline/queues.ts': null,
        'src/adapters/queue.ts': `import { Queue } from '@forge/events';\nexport const planQueue = new Queue({ key: 'sync-plna' });\n`,
      },
    });
    expect(brief(findings(outcomes, 'queue-keys'))).toEqual([
      'error src/adapters/queue.ts:2 Queue key "sync-plna" (new Queue) is not the queue of any consumer in manifest.yml: events pushed to it are never delivered. Did you mean "sync-plan"?',
      'error manifest.yml:11 Queue "sync-plan" (consumer plan-consumer) is never used in code: no new Queue({ key }) or QUEUES registry value names it. Did you mean "sync-plna"?',
    ]);
  });

  it('reads keys from an exported QUEUES registry in src/pipeline, and reports a typo there', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/pipeline/queues.ts': `export const STAGE_QUEUES = {\n  plan: 'sync-plan',\n  write: 'sync-writ-assets',\n} as const;\n`,
        'src/adapters/queue.ts': `import { Queue } from '@forge/events';\nexport const queueFor = (key: string) => new Queue({ key });\n`,
      },
    });
    expect(brief(findings(outcomes, 'queue-keys'))).toEqual([
      'error src/pipeline/queues.ts:3 Queue key "sync-writ-assets" (registry) is not the queue of any consumer in manifest.yml: events pushed to it are never delivered.',
    ]);
    expect(notes(outcomes, 'queue-keys')).toContain(
      'not checked: new Queue({ key: key }) at src/adapters/queue.ts:2 (key not a literal or constant)',
    );
  });

  it('does not treat QUEUE-named constants outside src/pipeline and src/functions as keys', async () => {
    const outcomes = await lintFixture({ files: { 'src/domain/limits.ts': `export const QUEUE_LABELS = { plan: 'Planning' };\n` } });
    expect(brief(findings(outcomes, 'queue-keys'))).toEqual([]);
  });
});

describe('resolver-keys', () => {
  it('reports an invoked key no resolver defines (with a suggestion) and warns on the defined key left unused', async () => {
    const outcomes = await lintFixture({
      files: { 'src/ui/index.tsx': DEFAULT_FILES['src/ui/index.tsx']?.replace("'getSettings'", "'getSetings'") ?? '' },
    });
    expect(brief(findings(outcomes, 'resolver-keys'))).toEqual([
      'error src/ui/index.tsx:2 Resolver key "getSetings" is invoked but no resolver defines it (.define(\'getSetings\', ...)): the call fails at run time. Did you mean "getSettings"?',
      'warning src/functions/resolver.ts:3 Resolver key "getSettings" is defined but nothing under src/ui invokes it (and it is not in RESOLVER_KEYS): remove it or fix the caller\'s key. Did you mean "getSetings"?',
    ]);
  });

  const registry = `export const RESOLVER_KEYS = {\n  getSettings: 'getSettings',\n  startSync: 'startSync',\n} as const;\nexport type ResolverKey = (typeof RESOLVER_KEYS)[keyof typeof RESOLVER_KEYS];\n`;
  const typedUi = `import { invoke } from '@forge/bridge';\nimport { RESOLVER_KEYS } from '../functions/resolver-keys';\nexport const call = (key: string) => invoke(key);\nexport const load = () => call(RESOLVER_KEYS.getSettings);\n`;

  it('takes RESOLVER_KEYS values as invoked and checks each is defined', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/functions/resolver-keys.ts': registry,
        'src/ui/index.tsx': typedUi,
        'src/functions/resolver.ts': [
          `import Resolver from '@forge/resolver';`,
          `import { RESOLVER_KEYS } from './resolver-keys';`,
          `const resolver = new Resolver();`,
          `resolver.define(RESOLVER_KEYS.getSettings, async () => ({}));`,
          `export const handler = resolver.getDefinitions();`,
          '',
        ].join('\n'),
      },
    });
    expect(brief(findings(outcomes, 'resolver-keys'))).toEqual([
      'error src/functions/resolver-keys.ts:3 Resolver key "startSync" is invoked but no resolver defines it (.define(\'startSync\', ...)): the call fails at run time.',
    ]);
  });

  it('counts every RESOLVER_KEYS value as defined when the resolver loops over the registry', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/functions/resolver-keys.ts': registry,
        'src/ui/index.tsx': typedUi,
        'src/functions/resolver.ts': [
          `import Resolver from '@forge/resolver';`,
          `import { RESOLVER_KEYS } from './resolver-keys';`,
          `const resolver = new Resolver();`,
          `for (const key of Object.values(RESOLVER_KEYS)) resolver.define(key, async () => ({}));`,
          `export const handler = resolver.getDefinitions();`,
          '',
        ].join('\n'),
      },
    });
    expect(brief(findings(outcomes, 'resolver-keys'))).toEqual([]);
    expect(notes(outcomes, 'resolver-keys')[0]).toContain('(resolver defines from RESOLVER_KEYS)');
  });
});

describe('handler-exports', () => {
  it('reports a handler whose export is missing, at the manifest line', async () => {
    const outcomes = await lintFixture({
      files: { 'src/functions/consumers.ts': 'export async function planStage(): Promise<void> {}\n' },
    });
    expect(brief(findings(outcomes, 'handler-exports'))).toEqual([
      'error manifest.yml:17 Function stage-plan: src/functions/consumers.ts does not export "plan" (handler "functions/consumers.plan").',
    ]);
  });

  it('reports a handler file that does not exist and a handler not in file.export form', async () => {
    const outcomes = await lintFixture({
      manifest: manifestWith('handler: functions/resolver.handler', 'handler: functions/resolver').replace(
        'functions/consumers.plan',
        'functions/stages.plan',
      ),
    });
    expect(brief(findings(outcomes, 'handler-exports'))).toEqual([
      'error manifest.yml:15 Function resolver: handler "functions/resolver" must be "<file>.<export>", e.g. "functions/resolver.handler".',
      'error manifest.yml:17 Function stage-plan: handler file src/functions/stages.ts(x) does not exist.',
    ]);
  });

  it('follows re-exports and accepts exported consts, renamed and star exports', async () => {
    const outcomes = await lintFixture({
      files: {
        'src/functions/consumers.ts': `export * from './stages/plan';\n`,
        'src/functions/stages/plan.ts': `const run = async () => undefined;\nexport { run as plan };\n`,
      },
    });
    expect(brief(findings(outcomes, 'handler-exports'))).toEqual([]);
  });
});

describe('lint-forge-ignore-next-line', () => {
  it('only silences the named check on the next line', async () => {
    const outcomes = await lintFixture({
      manifest: manifestWith('    - storage:app\n', '    - read:jira-user\n'),
      files: {
        'src/adapters/store.ts': `// lint-forge-ignore-next-line egress -- wrong check named\nimport { kvs } from '@forge/kvs';\nexport const read = (key: string) => kvs.get(key);\n`,
      },
    });
    expect(findings(outcomes, 'kvs-scope')).toHaveLength(1);
  });

  it('works in manifest.yml too', async () => {
    const outcomes = await lintFixture({
      manifest: manifestWith(
        '        - address: https://graph.microsoft.com\n',
        '        - address: https://graph.microsoft.com\n        # lint-forge-ignore-next-line egress -- used by a script outside src\n        - address: https://graph.microsoft.us\n',
      ),
    });
    expect(brief(findings(outcomes, 'egress'))).toEqual([]);
    expect(notes(outcomes, 'egress')).toContain('1 finding(s) silenced by lint-forge-ignore-next-line');
  });
});
