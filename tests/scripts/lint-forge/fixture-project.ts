/**
 * Builder for small Forge projects on disk (manifest.yml, package.json, tsconfig.json, src files) with valid
 * defaults: the default project passes every extra check, so each test changes one thing and expects one finding.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_MANIFEST = `modules:
  jira:adminPage:
    - key: admin-page
      resource: admin-ui
      resolver:
        function: resolver
      render: native
      title: Admin
  consumer:
    - key: plan-consumer
      queue: sync-plan
      function: stage-plan
  function:
    - key: resolver
      handler: functions/resolver.handler
    - key: stage-plan
      handler: functions/consumers.plan
resources:
  - key: admin-ui
    path: src/ui/index.tsx
app:
  id: ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000
  runtime:
    name: nodejs22.x
permissions:
  scopes:
    - storage:app
  external:
    fetch:
      backend:
        - address: https://graph.microsoft.com
`;

export const DEFAULT_FILES: Readonly<Record<string, string>> = {
  'src/pipeline/queues.ts': `export const QUEUES = { plan: 'sync-plan' } as const;\n`,
  'src/adapters/queue.ts': [
    `import { Queue } from '@forge/events';`,
    `import { QUEUES } from '../pipeline/queues';`,
    `export const planQueue = new Queue({ key: QUEUES.plan });`,
    '',
  ].join('\n'),
  'src/adapters/store.ts': `import { kvs } from '@forge/kvs';\nexport const read = (key: string) => kvs.get(key);\n`,
  'src/clients/graph.ts': `export const usersUrl = (base = 'https://graph.microsoft.com') => \`\${base}/v1.0/users\`;\n`,
  'src/functions/consumers.ts': `export async function plan(): Promise<void> {}\n`,
  'src/functions/resolver.ts': [
    `import Resolver from '@forge/resolver';`,
    `const resolver = new Resolver();`,
    `resolver.define('getSettings', async () => ({}));`,
    `resolver.define('startSync', async () => ({}));`,
    `export const handler = resolver.getDefinitions();`,
    '',
  ].join('\n'),
  'src/ui/index.tsx': [
    `import { invoke } from '@forge/bridge';`,
    `export const load = () => invoke<{ a: string }>('getSettings');`,
    `export const start = () => invoke('startSync', { mode: 'sync' });`,
    '',
  ].join('\n'),
};

export interface FixtureOptions {
  readonly manifest?: string;
  /** Files to add or replace; null removes a default file. */
  readonly files?: Readonly<Record<string, string | null>>;
  readonly tsconfig?: unknown;
}

export interface Fixture {
  readonly root: string;
  write(relative: string, content: string): void;
  remove(): void;
}

export function fixtureProject(options: FixtureOptions = {}): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-forge-fixture-'));
  const write = (relative: string, content: string): void => {
    const target = path.join(root, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  };
  write('manifest.yml', options.manifest ?? DEFAULT_MANIFEST);
  write('package.json', JSON.stringify({ name: 'fixture', version: '0.0.0', private: true }));
  write('tsconfig.json', JSON.stringify(options.tsconfig ?? { compilerOptions: { strict: true, jsx: 'react-jsx' }, include: ['src'] }));
  const files: Record<string, string | null> = { ...DEFAULT_FILES, ...options.files };
  for (const [relative, content] of Object.entries(files)) if (content !== null) write(relative, content);
  return { root, write, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** The manifest with one text replaced; fails loudly when the text is not there, so a test cannot silently pass. */
export function manifestWith(search: string, replacement: string, manifest = DEFAULT_MANIFEST): string {
  if (!manifest.includes(search)) throw new Error(`manifestWith: "${search}" not in the manifest`);
  return manifest.replace(search, replacement);
}
