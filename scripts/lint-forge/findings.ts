/**
 * What every check of `npm run lint:forge` reports, in one shape, so @forge/lint's results and the extra checks
 * print and count the same way. Any finding, error or warning, fails the run.
 */

export type Severity = 'error' | 'warning';

export const CHECK_IDS = [
  'forge-lint',
  'forge-lint-scopes',
  'kvs-scope',
  'egress',
  'queue-keys',
  'resolver-keys',
  'handler-exports',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface Finding {
  readonly check: CheckId;
  readonly severity: Severity;
  /** Path relative to the project root, '/'-separated. */
  readonly file: string;
  /** 1-based; 0 when the finding has no line (e.g. a missing file). */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
  readonly message: string;
  /** @forge/lint's rule reference, when the finding comes from it. */
  readonly reference?: string;
}

export interface CheckOutcome {
  readonly check: CheckId;
  readonly title: string;
  readonly status: 'ran' | 'skipped';
  /** Why it was skipped, or what it checked (shown in the summary). */
  readonly notes: readonly string[];
  readonly findings: readonly Finding[];
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors += 1;
    else warnings += 1;
  }
  return { errors, warnings };
}
