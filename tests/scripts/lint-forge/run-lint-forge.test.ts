import * as path from 'node:path';

import type { Finding } from '../../../scripts/lint-forge/findings';
import { findSpecs } from '../../../scripts/lint-forge/forge-lint-environment';
import { runLintForge } from '../../../scripts/lint-forge/run-lint-forge';
import { fixtureProject } from './fixture-project';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

function brief(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.check} ${f.severity} ${f.file}:${f.line} ${f.message}`);
}

describe('runLintForge without @forge/lint', () => {
  it('passes the valid fixture and says @forge/lint was skipped', async () => {
    const fixture = fixtureProject();
    try {
      const result = await runLintForge({ root: fixture.root, skipForgeLint: true });
      expect(result.exitCode).toBe(0);
      expect(result.report).toContain('SKIPPED @forge/lint (client-side linters) [forge-lint]');
      expect(result.report.split('\n').at(-1)).toBe('lint:forge passed.');
    } finally {
      fixture.remove();
    }
  });

  it('fails with one clear finding when manifest.yml cannot be parsed', async () => {
    const fixture = fixtureProject({ manifest: 'modules: [unclosed\n' });
    try {
      const result = await runLintForge({ root: fixture.root, skipForgeLint: true });
      expect(result.exitCode).toBe(1);
      expect(brief(result.outcomes.flatMap((o) => o.findings))).toEqual([
        expect.stringMatching(/^forge-lint error manifest.yml:0 manifest.yml could not be read: /),
      ]);
    } finally {
      fixture.remove();
    }
  });
});

// The one test that runs the real @forge/lint (~15 s and ~1 GB on a quiet machine). It uses the API specs when they
// are present (../shared/specs or FORGE_LINT_SPECS_DIR) and checks the skip path otherwise.
describe('runLintForge with @forge/lint', () => {
  const specs = findSpecs(PROJECT_ROOT);
  const scopeCase = specs.found ? 'the permission-scope linter runs on the local specs' : 'scope checks are reported as skipped (no specs)';

  it(`lints TypeScript in spite of a folder include in tsconfig, offline; ${scopeCase}`, async () => {
    const fixture = fixtureProject({
      // A folder include, as this project has: without the shadow tsconfig @forge/lint would skip every file.
      tsconfig: { compilerOptions: { strict: true }, include: ['src'] },
      files: {
        'src/functions/consumers.ts': 'export async function planStage(): Promise<void> {}\n',
        'src/clients/jira.ts':
          "import api, { route } from '@forge/api';\nexport const users = () => api.asApp().requestJira(route`/rest/api/3/users/search`);\n",
      },
    });
    const cwd = process.cwd();
    const env = specs.found ? { FORGE_LINT_SPECS_DIR: specs.dir } : {};
    try {
      const result = await runLintForge({ root: fixture.root, env });
      const forge = result.outcomes.find((o) => o.check === 'forge-lint');
      const found = brief(forge?.findings ?? []);
      console.log(`@forge/lint on the fixture:\n${found.join('\n')}`);

      expect(found).toContain(
        'forge-lint warning src/functions/consumers.ts:0 Cannot find exported function "plan", which is required by module "stage-plan" handler defined in your app\'s manifest.yml file',
      );
      expect(found.filter((f) => f.includes('network'))).toEqual([]);
      expect(forge?.notes.join('\n')).toContain('src -> src/**/*');
      const scopeFinding =
        'forge-lint error src/clients/jira.ts:2 Jira endpoint: GET /rest/api/3/users/search requires "read:jira-user" scope';
      const scopes = result.outcomes.find((o) => o.check === 'forge-lint-scopes');
      if (specs.found) {
        expect(found).toContain(scopeFinding);
        expect(scopes?.status).toBe('ran');
      } else {
        expect(found).not.toContain(scopeFinding);
        expect(scopes?.status).toBe('skipped');
      }
      expect(brief(result.outcomes.find((o) => o.check === 'handler-exports')?.findings ?? [])).toHaveLength(1);
      expect(result.exitCode).toBe(1);
      expect(process.cwd()).toBe(cwd);
      expect(process.env.USE_LOCAL_SWAGGER).toBeUndefined();
    } finally {
      fixture.remove();
    }
  }, 300_000);
});
