import { AppError } from '../../src/domain/errors';
import { scheduledSyncStatus } from '../../src/domain/schedule';

const at = (iso: string) => new Date(iso);

describe('scheduledSyncStatus (S1)', () => {
  it('is due when never synced, with nextDueAt = now', () => {
    expect(scheduledSyncStatus({ intervalDays: 7, lastScheduledSyncAt: null, now: at('2025-03-10T06:00:00.000Z') })).toEqual({
      due: true,
      nextDueAt: '2025-03-10T06:00:00.000Z',
    });
  });

  it('counts a trigger a few minutes earlier than 24 h later as the next day', () => {
    const status = scheduledSyncStatus({
      intervalDays: 1,
      lastScheduledSyncAt: '2025-03-10T06:03:00.000Z',
      now: at('2025-03-11T05:58:00.000Z'),
    });
    expect(status).toEqual({ due: true, nextDueAt: '2025-03-11T00:00:00.000Z' });
  });

  it('is never due a second time the same UTC day', () => {
    for (const now of ['2025-03-10T06:03:01.000Z', '2025-03-10T23:59:59.999Z']) {
      expect(scheduledSyncStatus({ intervalDays: 1, lastScheduledSyncAt: '2025-03-10T00:00:00.000Z', now: at(now) }).due).toBe(false);
    }
  });

  it('decides by UTC calendar days, not 24-hour periods, at the midnight edge', () => {
    const last = '2025-03-10T23:59:00.000Z';
    expect(scheduledSyncStatus({ intervalDays: 1, lastScheduledSyncAt: last, now: at('2025-03-10T23:59:59.999Z') }).due).toBe(false);
    expect(scheduledSyncStatus({ intervalDays: 1, lastScheduledSyncAt: last, now: at('2025-03-11T00:00:00.000Z') }).due).toBe(true);
  });

  it('waits intervalDays calendar days', () => {
    const last = '2025-03-10T06:00:00.000Z';
    const status = (now: string) => scheduledSyncStatus({ intervalDays: 7, lastScheduledSyncAt: last, now: at(now) });
    expect(status('2025-03-16T23:59:59.000Z')).toEqual({ due: false, nextDueAt: '2025-03-17T00:00:00.000Z' });
    expect(status('2025-03-17T05:55:00.000Z').due).toBe(true);
    expect(status('2025-04-30T05:55:00.000Z').due).toBe(true);
  });

  it('reads timestamps with an offset in UTC', () => {
    // 01:30 on the 11th in UTC+02:00 is 23:30 on the 10th in UTC.
    const status = scheduledSyncStatus({
      intervalDays: 1,
      lastScheduledSyncAt: '2025-03-11T01:30:00+02:00',
      now: at('2025-03-10T23:45:00.000Z'),
    });
    expect(status.due).toBe(false);
    expect(status.nextDueAt).toBe('2025-03-11T00:00:00.000Z');
  });

  it('treats an unreadable last sync as never synced', () => {
    expect(scheduledSyncStatus({ intervalDays: 3, lastScheduledSyncAt: 'not a date', now: at('2025-03-10T06:00:00.000Z') }).due).toBe(true);
  });

  it('is not due when the last sync is in the future (clock skew)', () => {
    expect(
      scheduledSyncStatus({ intervalDays: 1, lastScheduledSyncAt: '2025-03-12T06:00:00.000Z', now: at('2025-03-11T06:00:00.000Z') }).due,
    ).toBe(false);
  });

  it.each([0, 101, 1.5, Number.NaN])('rejects the interval %p with SETTINGS_INVALID', (intervalDays) => {
    expect(() => scheduledSyncStatus({ intervalDays, lastScheduledSyncAt: null, now: at('2025-03-10T06:00:00.000Z') })).toThrow(AppError);
  });

  it('rejects an invalid now', () => {
    expect(() => scheduledSyncStatus({ intervalDays: 1, lastScheduledSyncAt: null, now: new Date(Number.NaN) })).toThrow(
      'The current time is not a valid date.',
    );
  });
});
