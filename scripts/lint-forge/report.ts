/**
 * Turns check outcomes into what a developer reads: each finding as `file:line:col  severity  [check] message`,
 * then one line per check (ran or skipped, counts, notes) and a verdict. Any finding fails the run.
 */
import { type CheckOutcome, countBySeverity, type Finding } from './findings';

export function formatReport(outcomes: readonly CheckOutcome[]): string {
  const out: string[] = [];
  const findings = outcomes.flatMap((o) => o.findings);
  const sorted = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  for (const finding of sorted) out.push(formatFinding(finding));
  if (sorted.length > 0) out.push('');

  out.push('lint:forge summary');
  for (const outcome of outcomes) {
    const { errors, warnings } = countBySeverity(outcome.findings);
    const status = outcome.status === 'skipped' ? 'SKIPPED' : errors + warnings === 0 ? 'ok' : 'FAILED';
    out.push(`  ${status.padEnd(7)} ${outcome.title} [${outcome.check}]: ${errors} error(s), ${warnings} warning(s)`);
    for (const note of outcome.notes) out.push(`          - ${note}`);
  }
  const { errors, warnings } = countBySeverity(findings);
  out.push(
    errors + warnings === 0 ? 'lint:forge passed.' : `lint:forge FAILED: ${errors} error(s), ${warnings} warning(s) (warnings fail too).`,
  );
  return out.join('\n');
}

export function formatFinding(f: Finding): string {
  const where = f.line > 0 ? `${f.file}:${f.line}:${f.column}` : f.file;
  const reference = f.reference === undefined ? '' : ` (${f.reference})`;
  return `${where}  ${f.severity}  [${f.check}] ${f.message}${reference}`;
}

export function exitCodeOf(outcomes: readonly CheckOutcome[]): number {
  return outcomes.some((o) => o.findings.length > 0) ? 1 : 0;
}
