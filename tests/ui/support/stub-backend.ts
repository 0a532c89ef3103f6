/**
 * A STUB backend for component tests of the admin page: canned resolver answers, changed by the test, and a log of
 * every call. It is not the app's backend (the walk-through tests use the real resolvers in the sandbox emulator);
 * it exists to put the page in states that are slow or awkward to reach for real (a run frozen mid-stage, a capped
 * report, a malformed answer) and to count invocations under fake timers.
 */
import type { HeadlessInvoke } from '../../../sandbox/ui/headless';
import { createReportCollector, type RunReport } from '../../../src/domain/report';

export type StubAnswer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

export const T0 = '2026-03-02T09:00:00.000Z';

export function runView(overrides: Record<string, unknown> = {}) {
  return {
    v: 1,
    runId: '20260302090000-abc123',
    number: 1,
    mode: 'sync',
    trigger: 'manual',
    startedBy: 'admin-1',
    status: 'running',
    stage: 'entraDirectory',
    progress: { processed: 40, total: null, label: 'Reading the Entra directory' },
    startedAt: T0,
    updatedAt: T0,
    finishedAt: null,
    counts: null,
    error: null,
    pushes: 2,
    safety: null,
    ...overrides,
  };
}

export function historyEntry(overrides: Record<string, unknown> = {}) {
  return {
    v: 1,
    runId: '20260302090000-abc123',
    number: 1,
    mode: 'sync',
    trigger: 'manual',
    startedBy: 'admin-1',
    status: 'succeeded',
    startedAt: T0,
    finishedAt: '2026-03-02T09:01:05.000Z',
    durationMs: 65_000,
    counts: counts(),
    error: null,
    ...overrides,
  };
}

export function counts(overrides: Record<string, number> = {}) {
  return {
    atlassianUsers: 10,
    matched: 8,
    unmatchedAtlassian: 2,
    creates: 3,
    updates: 1,
    inactivations: 0,
    unchanged: 4,
    missingManagerLinks: 0,
    warnings: 0,
    writeFailures: 0,
    ...overrides,
  };
}

/** A report made by the real collector: `creates` entries with only `listCap` of them listed. */
export function cappedReport(creates: number, listCap: number): RunReport {
  const collector = createReportCollector(listCap);
  for (let i = 0; i < creates; i++) {
    collector.add('creates', () => ({
      entraUserId: `e-${i}`,
      accountId: `acc-${i}`,
      fullName: `Person ${i}`,
      attributes: [
        { attribute: 'Email', value: null },
        { attribute: 'Job Title', value: 'Engineer' },
        { attribute: 'Department', value: 'R&D' },
      ],
      managerName: null,
    }));
  }
  return collector.build({
    atlassianUsers: creates,
    matched: creates,
    unchanged: 0,
    safety: { tripped: false, inactivations: 0, activeObjects: 0, limit: 5 },
    createColumns: ['Email', 'Job Title', 'Department'],
  });
}

export class StubBackend {
  readonly calls: { key: string; payload: unknown }[] = [];
  readonly answers = new Map<string, StubAnswer | ((payload: unknown) => StubAnswer)>();

  constructor() {
    this.status({ activeRun: null });
    this.answers.set('getOverview', {
      ok: true,
      data: {
        connection: {
          state: 'working',
          message: 'The app signed in to Microsoft and can read 10 users.',
          lastCheck: { at: T0, ok: true, userCount: 10, error: null },
        },
        schema: { state: 'ready', schemaName: 'Entra Directory', schemaKey: 'ENTRA', message: 'ready', pending: [], code: null },
        schedule: { intervalDays: 1, due: false, nextDueAt: '2026-03-03T00:00:00.000Z', lastSucceededAt: null },
      },
    });
    this.answers.set('getHistory', { ok: true, data: [] });
    this.answers.set('getReport', { ok: true, data: null });
  }

  /** Sets what getStatus answers (settings default to a configured installation). */
  status(parts: { activeRun?: unknown; lastManual?: unknown; lastScheduled?: unknown; settings?: unknown }): void {
    this.answers.set('getStatus', {
      ok: true,
      data: {
        activeRun: parts.activeRun ?? null,
        lastManual: parts.lastManual ?? null,
        lastScheduled: parts.lastScheduled ?? null,
        settings:
          parts.settings === undefined
            ? {
                tenantId: 'contoso.onmicrosoft.com',
                clientId: '2b9e7d14-5c3a-4f8e-b1d2-7a6c9e0f4b31',
                cloud: 'global',
                intervalDays: 1,
                secretStored: true,
                secretSetAt: T0,
                updatedAt: T0,
              }
            : parts.settings,
      },
    });
  }

  count(key: string): number {
    return this.calls.filter((c) => c.key === key).length;
  }

  readonly invoke: HeadlessInvoke = async (key, payload) => {
    this.calls.push({ key, payload });
    const answer = this.answers.get(key);
    if (answer === undefined) return { ok: false, error: { code: 'INTERNAL', message: `The stub has no answer for ${key}.` } };
    return typeof answer === 'function' ? answer(payload) : answer;
  };
}
