import type { CheckOutcome, Finding } from '../../../scripts/lint-forge/findings';
import { exitCodeOf, formatFinding, formatReport } from '../../../scripts/lint-forge/report';

function finding(overrides: Partial<Finding> = {}): Finding {
  return { check: 'egress', severity: 'error', file: 'src/a.ts', line: 3, column: 7, message: 'Something is wrong.', ...overrides };
}

function outcome(overrides: Partial<CheckOutcome> = {}): CheckOutcome {
  return { check: 'egress', title: 'egress check', status: 'ran', notes: [], findings: [], ...overrides };
}

describe('formatReport', () => {
  it('prints each finding with its place, then a summary line per check, and passes when there is nothing', () => {
    const report = formatReport([
      outcome({ notes: ['3 hosts'] }),
      outcome({ check: 'forge-lint-scopes', title: 'scopes', status: 'skipped', notes: ['SKIPPED: no specs'] }),
    ]);
    expect(report).toBe(
      [
        'lint:forge summary',
        '  ok      egress check [egress]: 0 error(s), 0 warning(s)',
        '          - 3 hosts',
        '  SKIPPED scopes [forge-lint-scopes]: 0 error(s), 0 warning(s)',
        '          - SKIPPED: no specs',
        'lint:forge passed.',
      ].join('\n'),
    );
  });

  it('fails on warnings as well as errors, listing findings sorted by file and line', () => {
    const outcomes = [
      outcome({
        findings: [finding({ file: 'src/b.ts', line: 1 }), finding({ severity: 'warning', file: 'manifest.yml', line: 0, column: 0 })],
      }),
      outcome({
        check: 'forge-lint',
        title: '@forge/lint',
        findings: [finding({ check: 'forge-lint', file: 'src/a.ts', reference: 'valid-module-required' })],
      }),
    ];
    const lines = formatReport(outcomes).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'manifest.yml  warning  [egress] Something is wrong.',
      'src/a.ts:3:7  error  [forge-lint] Something is wrong. (valid-module-required)',
      'src/b.ts:1:7  error  [egress] Something is wrong.',
    ]);
    expect(lines.at(-1)).toBe('lint:forge FAILED: 2 error(s), 1 warning(s) (warnings fail too).');
    expect(exitCodeOf(outcomes)).toBe(1);
  });

  it('exits 0 only when no check found anything', () => {
    expect(exitCodeOf([outcome(), outcome({ status: 'skipped' })])).toBe(0);
    expect(exitCodeOf([outcome({ findings: [finding({ severity: 'warning' })] })])).toBe(1);
  });

  it('formats a finding without a line as the file alone', () => {
    expect(formatFinding(finding({ line: 0 }))).toBe('src/a.ts  error  [egress] Something is wrong.');
  });
});
