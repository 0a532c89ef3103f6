import { AUTOMATION_STARTED_BY } from '../../src/domain/run-starter';
import { readLatestReport } from '../../src/pipeline/report-store';
import { startSingleUserRun } from '../../src/pipeline/run-control';
import { finalizeRun, readHistory, readLastRun } from '../../src/pipeline/run-store';
import { reportStoredAccounts } from '../../src/services/privacy-service';
import { startHarness } from '../support/pipeline-harness';

describe('personal data reporting', () => {
  it('reports the account ids the app keeps and erases closed accounts from history and reports', async () => {
    const h = await startHarness({ users: 40 });
    try {
      await h.run('preview');
      await h.run('sync');
      const preview = (await readLatestReport(h.deps, 'preview'))!;
      const namedInReport = preview.report.creates.items[0]!.accountId;
      const starter = '5b10ac8d82e05b22cc7d4ef5'; // the harness's admin
      const reported: string[] = [];
      const result = await reportStoredAccounts({
        ...h.deps,
        privacy: {
          report: async (accounts) => {
            reported.push(...accounts.map((a) => a.accountId));
            return [starter, namedInReport];
          },
        },
      });
      expect(reported).toContain(starter);
      expect(reported).toContain(namedInReport);
      expect(new Set(reported).size).toBe(reported.length);
      expect(result.erased).toBeGreaterThan(0);
      expect((await readHistory(h.deps)).every((e) => e.startedBy === null)).toBe(true);
      expect((await readLastRun(h.deps, 'manual'))!.entry.startedBy).toBeNull();
      expect(await readLatestReport(h.deps, 'preview')).toBeNull();
    } finally {
      await h.close();
    }
  });

  it('does not report the "automation" marker of a single-user run started by an Automation rule as an account id', async () => {
    const h = await startHarness({ users: 10 });
    try {
      const run = await startSingleUserRun(h.deps, { startedBy: AUTOMATION_STARTED_BY });
      await finalizeRun(h.deps, run, 'failed');
      expect((await readHistory(h.deps)).map((e) => e.startedBy)).toEqual([AUTOMATION_STARTED_BY]);
      const reported: string[] = [];
      const result = await reportStoredAccounts({
        ...h.deps,
        privacy: {
          report: async (accounts) => {
            reported.push(...accounts.map((a) => a.accountId));
            return [];
          },
        },
      });
      expect(reported).not.toContain(AUTOMATION_STARTED_BY);
      expect(result).toEqual({ reported: 0, erased: 0 });
    } finally {
      await h.close();
    }
  });
});
