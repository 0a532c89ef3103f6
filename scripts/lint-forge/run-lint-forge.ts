/**
 * The whole lint:forge run for one project: read the manifest, list the files, run the extra checks, then
 * @forge/lint (unless skipped), and report. Kept apart from the command-line entry so a test can run it on a
 * fixture project.
 */
import * as path from 'node:path';

import { runExtraChecks } from './extra-checks';
import type { CheckOutcome } from './findings';
import { findSpecs } from './forge-lint-environment';
import { runForgeLint } from './forge-lint-run';
import { loadManifest, MANIFEST_FILE } from './manifest';
import { listLintFiles } from './project-files';
import { exitCodeOf, formatReport } from './report';

export interface LintForgeOptions {
  readonly root: string;
  /** Run only the extra checks (fast); the summary says @forge/lint was skipped. */
  readonly skipForgeLint?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface LintForgeResult {
  readonly outcomes: readonly CheckOutcome[];
  readonly report: string;
  readonly exitCode: number;
}

export async function runLintForge(options: LintForgeOptions): Promise<LintForgeResult> {
  const root = path.resolve(options.root);
  let loaded: ReturnType<typeof loadManifest>;
  try {
    loaded = loadManifest(root);
  } catch (error) {
    const message = `${MANIFEST_FILE} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return finish([
      {
        check: 'forge-lint',
        title: 'manifest',
        status: 'ran',
        notes: [],
        findings: [{ check: 'forge-lint', severity: 'error', file: MANIFEST_FILE, line: 0, column: 0, message }],
      },
    ]);
  }
  const files = await listLintFiles(root, loaded.facts.nativeResourcePaths);
  const extra = runExtraChecks({ root, files, manifest: loaded.facts, manifestText: loaded.text });
  const forge: CheckOutcome[] = options.skipForgeLint
    ? [
        {
          check: 'forge-lint',
          title: '@forge/lint (client-side linters)',
          status: 'skipped',
          notes: ['SKIPPED: --skip-forge-lint'],
          findings: [],
        },
      ]
    : await runForgeLint({ root, files, manifest: loaded.manifest, specs: findSpecs(root, options.env) });
  return finish([...forge, ...extra]);
}

function finish(outcomes: CheckOutcome[]): LintForgeResult {
  return { outcomes, report: formatReport(outcomes), exitCode: exitCodeOf(outcomes) };
}
