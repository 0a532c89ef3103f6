/**
 * `npm run lint:forge`: what `forge lint` checks, offline and without a login, plus checks for its blind spots
 * (see docs/lint-forge.md). Works from any working directory: the project root is found from this file's place.
 * Exit code 1 on any error or warning, 2 when the run itself breaks.
 */
import { findProjectRoot } from './lint-forge/project-files';
import { runLintForge } from './lint-forge/run-lint-forge';

const USAGE = `Usage: npm run lint:forge [-- --skip-forge-lint]
  --skip-forge-lint  run only the extra checks (seconds instead of ~15 s and ~1.5 GB)
Environment: FORGE_LINT_SPECS_DIR  folder with jira-platform.swagger-v3.json and jira-service-management.swagger-v3.json
                                   (default: ../shared/specs beside the project); without them scope checks are skipped.`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--skip-forge-lint');
  if (unknown.length > 0) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const root = findProjectRoot(__dirname);
  const result = await runLintForge({ root, skipForgeLint: argv.includes('--skip-forge-lint') });
  console.log(result.report);
  return result.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('lint:forge could not run:', error);
    process.exitCode = 2;
  },
);
