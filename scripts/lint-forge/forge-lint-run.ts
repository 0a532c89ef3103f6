/**
 * Runs @forge/lint's client-side linters as `forge lint` would (same manifest object, same file list), offline:
 * with local specs the permission-scope linter runs too; without them it is left out (it would download the
 * specs) and the summary says so. @forge/lint is loaded on demand: it takes seconds and about a gigabyte.
 */
import type * as ForgeLintModule from '@forge/lint';
import type { ManifestSchema } from '@forge/manifest';

import type { CheckOutcome, Finding, Severity } from './findings';
import { prepareOfflineEnvironment, type SpecsLookup } from './forge-lint-environment';

export interface ForgeLintInput {
  readonly root: string;
  readonly files: readonly string[];
  readonly manifest: ManifestSchema;
  readonly specs: SpecsLookup;
  /** Forge environment the linters are told about. */
  readonly environment?: string;
}

type ForgeLint = typeof ForgeLintModule;
type Statsig = Parameters<ForgeLint['lint']>[4];

/**
 * In client-side mode @forge/lint reads nothing from its statsig service but getDeprecatedRuntimes (checked in
 * @forge/lint 6.3.1's sources); the Forge CLI's real service needs a login.
 */
const offlineStatsig = { getDeprecatedRuntimes: async (): Promise<string[]> => [] } as unknown as Statsig;

export async function runForgeLint(input: ForgeLintInput): Promise<CheckOutcome[]> {
  const { specs } = input;
  const messages: string[] = [];
  const logger = { info: (message: string): void => void messages.push(message) };
  const offline = prepareOfflineEnvironment(input.root, specs);
  const previousCwd = process.cwd();
  const findings: Finding[] = [];
  try {
    // Loaded after the environment is prepared: its config cache reads XDG_CONFIG_HOME.
    const forgeLint: ForgeLint = await import('@forge/lint');
    process.chdir(offline.workDir);
    const environment = input.environment ?? 'development';
    const linters = (await forgeLint.getClientSideLintersOnly(input.manifest, environment, logger, offlineStatsig)).filter(
      (linter) => specs.found || !(linter instanceof forgeLint.PermissionLinter),
    );
    const results = await forgeLint.lint([...input.files], input.manifest, environment, logger, offlineStatsig, {
      linter: { mode: 'client-side' },
      linters,
    });
    for (const result of results) {
      const file = result.file.replace(/\\/g, '/');
      const add = (severity: Severity, prefix: string) => (rule: { line: number; column: number; message: string; reference: string }) =>
        findings.push({
          check: 'forge-lint',
          severity,
          file,
          line: rule.line,
          column: rule.column,
          message: `${prefix}${rule.message}`,
          reference: rule.reference,
        });
      result.errors.forEach(add('error', ''));
      result.warnings.forEach(add('warning', ''));
      result.approvals.forEach(add('error', 'Needs approval: '));
    }
  } catch (error) {
    findings.push({
      check: 'forge-lint',
      severity: 'error',
      file: 'manifest.yml',
      line: 0,
      column: 0,
      message: `@forge/lint failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    process.chdir(previousCwd);
    offline.restore();
  }

  for (const url of offline.blockedRequests) {
    findings.push({
      check: 'forge-lint',
      severity: 'error',
      file: 'manifest.yml',
      line: 0,
      column: 0,
      message: `@forge/lint tried to reach the network (${url}); lint:forge must run offline.`,
    });
  }
  const notes = [
    `${input.files.length} file(s) from src/ and UI Kit resource folders`,
    ...offline.notes,
    ...messages.map((m) => `@forge/lint: ${m}`),
  ];
  const scopes: CheckOutcome = specs.found
    ? {
        check: 'forge-lint-scopes',
        title: '@forge/lint permission scopes',
        status: 'ran',
        notes: [`specs from ${specs.dir} (stubs for Jira Software, Confluence, Bitbucket)`],
        findings: [],
      }
    : {
        check: 'forge-lint-scopes',
        title: '@forge/lint permission scopes',
        status: 'skipped',
        notes: [`SKIPPED: no API specs: ${specs.reason}. Scopes and egress of fetch() calls were not checked by @forge/lint.`],
        findings: [],
      };
  return [{ check: 'forge-lint', title: '@forge/lint (client-side linters)', status: 'ran', notes, findings }, scopes];
}
