import { CORE_SCHEMA } from '../../src/domain/attribute-catalogue';
import { AppError } from '../../src/domain/errors';
import {
  addWarning,
  createReportCollector,
  DEFAULT_REPORT_LIST_CAP,
  fitReport,
  makeWarning,
  MEMBERSHIP_NAMES_MAX,
  recordWriteFailures,
  REPORT_LIST_NAMES,
  REPORT_MAX_BYTES,
  type ReportCollector,
  reportSizeBytes,
  type RunReport,
  runReportSchema,
  type SafetyCheck,
  WARNING_SUBJECT_IDS_MAX,
} from '../../src/domain/report';
import { objectTypeOf } from '../../src/domain/schema-definition';

const EMPLOYEE_ATTRIBUTES = objectTypeOf(CORE_SCHEMA, 'employee').attributes;
const shown = (email: string | null, jobTitle: string | null, department: string | null) => [
  { attribute: 'Email', value: email },
  { attribute: 'Job Title', value: jobTitle },
  { attribute: 'Department', value: department },
];

const SAFETY: SafetyCheck = { tripped: false, inactivations: 0, activeObjects: 0, limit: 5 };

/** Fills every list with `entries` entries whose strings all come from `s(n)`. */
function fill(collector: ReportCollector, entries: number, s: (n: number) => string): void {
  for (let n = 0; n < entries; n++) {
    collector.add('creates', () => ({
      entraUserId: s(n),
      accountId: s(n),
      fullName: s(n),
      attributes: shown(s(n), s(n), s(n)),
      managerName: s(n),
    }));
    collector.add('updates', () => ({
      objectKey: s(n),
      objectId: s(n),
      fullName: s(n),
      accountId: s(n),
      changes: EMPLOYEE_ATTRIBUTES.map((attribute) => ({ attribute: attribute.name, from: s(n), to: s(n) })),
    }));
    collector.add('inactivations', () => ({
      objectKey: s(n),
      objectId: s(n),
      fullName: s(n),
      entraUserId: s(n),
      reason: 'no-longer-matched',
      reasonText: s(n),
    }));
    collector.add('unmatchedAtlassian', () => ({ accountId: s(n), email: s(n), reason: 'ambiguous', reasonText: s(n) }));
    collector.add('missingManagerLinks', () => ({
      entraUserId: s(n),
      fullName: s(n),
      managerEntraUserId: s(n),
      reason: 'manager-not-matched',
      reasonText: s(n),
    }));
    collector.add('warnings', () =>
      makeWarning(
        'value-truncated',
        s(n),
        Array.from({ length: 20 }, () => s(n)),
      ),
    );
    collector.add('writeFailures', () => ({ objectKey: s(n), entraUserId: s(n), attribute: s(n), code: s(n), message: s(n) }));
    collector.add('scopeLeaving', () => ({ objectKey: s(n), objectId: s(n), fullName: s(n), entraUserId: s(n) }));
    collector.add('scopeEntering', () => ({ entraUserId: s(n), fullName: s(n), accountId: s(n), action: 'reactivate' }));
    collector.add('groupChanges', () => ({ action: 'update', entraGroupId: s(n), name: s(n), objectKey: s(n), detail: s(n) }));
    collector.add('membershipChanges', () => ({
      entraUserId: s(n),
      fullName: s(n),
      objectKey: s(n),
      gained: Array.from({ length: MEMBERSHIP_NAMES_MAX }, () => s(n)),
      lost: Array.from({ length: MEMBERSHIP_NAMES_MAX }, () => s(n)),
      more: 190,
    }));
  }
}

function build(collector: ReportCollector): RunReport {
  return collector.build({
    atlassianUsers: 100_000,
    matched: 90_000,
    unchanged: 80_000,
    safety: SAFETY,
    createColumns: ['Email', 'Job Title', 'Department'],
  });
}

const ascii255 = (n: number) => `${n}`.padEnd(255, 'x');
const cjk255 = (n: number) => `${n}`.padEnd(255, '\u8a9e');
const emoji255 = (n: number) => `${n}`.padEnd(254, '\u{1F600}').padEnd(255, 'y');

describe('report size bound (R1)', () => {
  it.each([
    ['ASCII', ascii255],
    ['CJK (3 bytes per character)', cjk255],
    ['emoji (surrogate pairs)', emoji255],
  ])('a worst-case report with every string at 255 %s characters stays under 200 KiB', (_label, s) => {
    const collector = createReportCollector();
    fill(collector, 1000, s);
    const report = build(collector);
    const bytes = reportSizeBytes(report);
    expect(bytes).toBeLessThanOrEqual(REPORT_MAX_BYTES);
    expect(Buffer.byteLength(JSON.stringify(report), 'utf8')).toBe(bytes);
    for (const name of REPORT_LIST_NAMES) {
      expect(report[name].truncated).toBe(true);
      expect(report[name].items.length).toBeGreaterThan(0);
    }
    expect(report.counts).toMatchObject({ creates: 1000, updates: 1000, warnings: 1000, writeFailures: 1000 });
    expect(report.warnings.items[0]?.subjectIds).toHaveLength(WARNING_SUBJECT_IDS_MAX);
  });

  it('keeps the ASCII worst case at a useful length: every list keeps the same number of entries', () => {
    const collector = createReportCollector();
    fill(collector, 1000, ascii255);
    const report = build(collector);
    const lengths = new Set(REPORT_LIST_NAMES.map((name) => report[name].items.length));
    expect(lengths.size).toBe(1);
    const kept = report.creates.items.length;
    // Eleven lists (the scope and group lists included; a membership change names up to 2 x 10 groups) of
    // 255-character strings: 8 entries each still fit.
    expect(kept).toBeGreaterThanOrEqual(8);
    // One more entry per list would not fit: the cut is as long as it can be.
    const oneMore = <T>(list: { items: T[]; truncated: boolean }) => ({ ...list, items: [...list.items, list.items[0] as T] });
    const longer: RunReport = {
      ...report,
      creates: oneMore(report.creates),
      updates: oneMore(report.updates),
      inactivations: oneMore(report.inactivations),
      unmatchedAtlassian: oneMore(report.unmatchedAtlassian),
      missingManagerLinks: oneMore(report.missingManagerLinks),
      warnings: oneMore(report.warnings),
      writeFailures: oneMore(report.writeFailures),
      scopeLeaving: oneMore(report.scopeLeaving),
      scopeEntering: oneMore(report.scopeEntering),
      groupChanges: oneMore(report.groupChanges),
      membershipChanges: oneMore(report.membershipChanges),
    };
    expect(reportSizeBytes(longer)).toBeGreaterThan(REPORT_MAX_BYTES);
  });

  it('keeps all listCap entries of a realistic report (GUIDs, names, titles)', () => {
    const collector = createReportCollector();
    const realistic = (n: number) =>
      ['6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'Ada Lovelace', 'Senior Engineer', 'ENTRA-12345'][n % 4] as string;
    for (let n = 0; n < 150; n++) {
      collector.add('creates', () => ({
        entraUserId: realistic(0),
        accountId: '5b10ac8d82e05b22cc7d4ef5',
        fullName: realistic(1),
        attributes: shown('ada.lovelace@contoso.com', realistic(2), 'Research'),
        managerName: 'Grace Hopper',
      }));
      collector.add('updates', () => ({
        objectKey: realistic(3),
        objectId: '12345',
        fullName: realistic(1),
        accountId: '5b10ac8d82e05b22cc7d4ef5',
        changes: [{ attribute: 'Job Title', from: 'Engineer', to: 'Senior Engineer' }],
      }));
      collector.add('warnings', () =>
        makeWarning(
          'atlassian-email-missing',
          'Atlassian account 5b10ac8d82e05b22cc7d4ef5 has no email the app can read, so it cannot be matched to an Entra ID user.',
          ['5b10ac8d82e05b22cc7d4ef5'],
        ),
      );
    }
    const report = build(collector);
    expect(report.creates.items).toHaveLength(DEFAULT_REPORT_LIST_CAP);
    expect(report.updates.items).toHaveLength(DEFAULT_REPORT_LIST_CAP);
    expect(report.warnings.items).toHaveLength(DEFAULT_REPORT_LIST_CAP);
    expect(reportSizeBytes(report)).toBeLessThan(REPORT_MAX_BYTES);
  });

  it('fitReport leaves a report that fits untouched and never changes counts', () => {
    const collector = createReportCollector(5);
    fill(collector, 3, (n) => `v${n}`);
    const report = build(collector);
    expect(fitReport(report)).toBe(report);
    const squeezed = fitReport(report, 2000);
    expect(reportSizeBytes(squeezed)).toBeLessThanOrEqual(2000);
    expect(squeezed.counts).toEqual(report.counts);
    expect(squeezed.creates.truncated).toBe(true);
  });
});

describe('collector', () => {
  it('counts every entry but builds only the first listCap', () => {
    const collector = createReportCollector(2);
    let built = 0;
    for (let n = 0; n < 5; n++) {
      collector.add('unmatchedAtlassian', () => {
        built++;
        return { accountId: `a${n}`, email: null, reason: 'no-email', reasonText: 'x' };
      });
    }
    const report = build(collector);
    expect(built).toBe(2);
    expect(report.unmatchedAtlassian).toEqual({
      items: [expect.objectContaining({ accountId: 'a0' }), expect.objectContaining({ accountId: 'a1' })],
      truncated: true,
    });
    expect(report.counts.unmatchedAtlassian).toBe(5);
    expect(collector.count('unmatchedAtlassian')).toBe(5);
  });

  it('rejects a negative or fractional listCap, and a cap of 0 keeps counts only', () => {
    expect(() => createReportCollector(-1)).toThrow(AppError);
    expect(() => createReportCollector(1.5)).toThrow(AppError);
    const collector = createReportCollector(0);
    collector.add('warnings', () => makeWarning('manager-cycle', 'loop'), 'first');
    expect(build(collector).warnings).toEqual({ items: [], truncated: true });
  });
});

describe('addWarning and recordWriteFailures (R2)', () => {
  function baseReport(listCap = 3): RunReport {
    const collector = createReportCollector(listCap);
    collector.add('warnings', () => makeWarning('atlassian-email-missing', 'first'));
    collector.add('warnings', () => makeWarning('atlassian-email-missing', 'second'));
    return build(collector);
  }

  it('puts a pipeline warning first, counts it and keeps the input report unchanged', () => {
    const report = baseReport(2);
    const snapshot = JSON.stringify(report);
    const next = addWarning(report, { code: 'hidden-emails-unavailable', message: 'Hidden emails could not be read.', subjectIds: [] });
    expect(next.warnings.items.map((w) => w.message)).toEqual(['Hidden emails could not be read.', 'first']);
    expect(next.warnings.truncated).toBe(true);
    expect(next.counts.warnings).toBe(3);
    expect(JSON.stringify(report)).toBe(snapshot);
  });

  it('cuts long messages and subject lists', () => {
    const next = addWarning(baseReport(), {
      code: 'manager-cycle',
      message: 'm'.repeat(5000),
      subjectIds: Array.from({ length: 50 }, (_, i) => `id-${i}`),
    });
    expect(next.warnings.items[0]?.message).toHaveLength(1000);
    expect(next.warnings.items[0]?.subjectIds).toHaveLength(WARNING_SUBJECT_IDS_MAX);
  });

  it('appends write failures with admin labels, up to listCap, counting all', () => {
    const report = baseReport(2);
    const failures = ['a', 'b', 'c'].map((id) => ({
      objectKey: id === 'a' ? null : `ENTRA-${id}`,
      entraUserId: id,
      attribute: id === 'b' ? null : 'Job Title',
      code: 'ASSETS_WRITE_FAILED',
      message: id === 'c' ? 'x'.repeat(3000) : 'Job Title must be less than 255 characters',
    }));
    const once = recordWriteFailures(report, failures.slice(0, 1));
    const twice = recordWriteFailures(once, failures.slice(1));
    expect(twice.writeFailures.items).toEqual([
      {
        objectKey: null,
        entraUserId: 'a',
        attribute: 'Job Title',
        code: 'ASSETS_WRITE_FAILED',
        message: 'Job Title must be less than 255 characters',
      },
      {
        objectKey: 'ENTRA-b',
        entraUserId: 'b',
        attribute: null,
        code: 'ASSETS_WRITE_FAILED',
        message: 'Job Title must be less than 255 characters',
      },
    ]);
    expect(twice.writeFailures.truncated).toBe(true);
    expect(twice.counts.writeFailures).toBe(3);
    expect(recordWriteFailures(report, [])).toBe(report);
  });
});

describe('runReportSchema', () => {
  it('parses a report read back from storage, and rejects another version', () => {
    const collector = createReportCollector();
    fill(collector, 3, (n) => `value ${n}`);
    const report = build(collector);
    const stored: unknown = JSON.parse(JSON.stringify(report));
    expect(runReportSchema.parse(stored)).toEqual(report);
    expect(runReportSchema.safeParse({ ...report, v: 3 }).success).toBe(false);
  });

  it('reads a version 1 report (fixed create columns) as the same report in version 2', () => {
    const collector = createReportCollector();
    collector.add('creates', () => ({
      entraUserId: 'e-1',
      accountId: 'a-1',
      fullName: 'Ada',
      attributes: shown('ada@contoso.com', 'Engineer', null),
      managerName: null,
    }));
    const current = build(collector);
    const { createColumns: _columns, ...rest } = current;
    const v1 = {
      ...rest,
      v: 1,
      creates: {
        ...current.creates,
        items: [
          {
            entraUserId: 'e-1',
            accountId: 'a-1',
            fullName: 'Ada',
            email: 'ada@contoso.com',
            jobTitle: 'Engineer',
            department: null,
            managerName: null,
          },
        ],
      },
    };
    expect(runReportSchema.parse(JSON.parse(JSON.stringify(v1)))).toEqual(current);
  });

  it('labels attributes as the admin sees them', () => {
    expect(EMPLOYEE_ATTRIBUTES.map((attribute) => attribute.name)).toEqual([
      'Full Name',
      'Entra User ID',
      'Email',
      'Job Title',
      'Department',
      'Atlassian Account ID',
      'Jira User',
      'Active',
      'Manager',
      'Manager Atlassian Account ID',
    ]);
  });
});
