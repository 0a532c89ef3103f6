import { AUTOMATION_STARTED_BY } from '../../src/domain/run-starter';
import { readLatestReport } from '../../src/pipeline/report-store';
import { startSingleUserRun } from '../../src/pipeline/run-control';
import { finalizeRun, readHistory, readLastRun } from '../../src/pipeline/run-store';
import { reportStoredAccounts } from '../../src/services/privacy-service';
import { appendAudit, AUDIT_KEEP, readAudit } from '../../src/services/write-back';
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

  it('reports the actors and targets of the write-back audit trail and erases a closed one, keeping the Entra ids', async () => {
    const h = await startHarness({ users: 10 });
    try {
      const entry = (actor: string, target: string, at: string) => ({
        at,
        rule: 'Offboarding',
        actor,
        action: 'disable' as const,
        capability: 'accountStatus' as const,
        target: { accountId: target, entraUserId: '3f1b2c4d-0000-4000-8000-000000000001', objectKey: 'ENTRA-7' },
        before: 'accountEnabled: true',
        after: 'accountEnabled: false',
        result: 'changed' as const,
        code: null,
        graphRequestId: 'req-1',
      });
      await appendAudit(h.deps.store, entry('actor-open', 'target-closed', '2026-11-01T10:00:00.000Z'));
      await appendAudit(h.deps.store, entry('actor-closed', 'target-open', '2026-11-02T10:00:00.000Z'));
      await appendAudit(h.deps.store, entry(AUTOMATION_STARTED_BY, 'target-open', '2026-11-03T10:00:00.000Z'));
      const reported: { accountId: string; updatedAt: string }[] = [];
      const result = await reportStoredAccounts({
        ...h.deps,
        privacy: {
          report: async (accounts) => {
            reported.push(...accounts);
            return ['target-closed', 'actor-closed'];
          },
        },
      });
      expect(reported.map((a) => a.accountId).sort()).toEqual(['actor-closed', 'actor-open', 'target-closed', 'target-open']);
      expect(reported.find((a) => a.accountId === 'target-open')!.updatedAt).toBe('2026-11-03T10:00:00.000Z');
      expect(result.erased).toBe(2);
      const audit = await readAudit(h.deps.store);
      expect(audit.map((e) => [e.actor, e.target.accountId, e.target.entraUserId])).toEqual([
        [AUTOMATION_STARTED_BY, 'target-open', '3f1b2c4d-0000-4000-8000-000000000001'],
        ['erased', 'target-open', '3f1b2c4d-0000-4000-8000-000000000001'],
        ['actor-open', null, '3f1b2c4d-0000-4000-8000-000000000001'],
      ]);
      // A second report does not report the erased marker as an account.
      const again: string[] = [];
      await reportStoredAccounts({
        ...h.deps,
        privacy: { report: async (accounts) => (again.push(...accounts.map((a) => a.accountId)), []) },
      });
      expect(again).not.toContain('erased');
    } finally {
      await h.close();
    }
  });

  it('keeps the latest AUDIT_KEEP audit entries: appending one more deletes the oldest kept', async () => {
    const h = await startHarness({ users: 10 });
    try {
      const base = {
        at: '2026-11-01T10:00:00.000Z',
        rule: null,
        actor: AUTOMATION_STARTED_BY,
        action: 'revokeSessions' as const,
        capability: 'revokeSessions' as const,
        target: { accountId: null, entraUserId: null, objectKey: null },
        before: null,
        after: null,
        result: 'refused' as const,
        code: 'WRITE_BACK_RATE_LIMITED',
        graphRequestId: null,
      };
      for (let i = 0; i < AUDIT_KEEP + 3; i++) await appendAudit(h.deps.store, base);
      const kept = await readAudit(h.deps.store, AUDIT_KEEP + 10);
      expect(kept).toHaveLength(AUDIT_KEEP);
      expect(kept.at(-1)!.seq).toBe(4);
      expect(await h.deps.store.get('writeback:audit:3')).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
