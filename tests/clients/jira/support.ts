/**
 * Test support shared by the Jira and Assets client tests: a fake clock whose sleep advances time (so waits of
 * minutes take no real time and the fake site's recorded times show them), a retry policy on that clock, and
 * builders with valid defaults.
 */
import type { FakeJiraUser } from '../../../fakes/world/types';
import type { RetryPolicy } from '../../../src/clients/retry-policy';
import { testPolicy } from '../../support/test-retry-policy';

export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly slept: number[];
}

export function fakeClock(start = Date.parse('2026-03-02T09:00:00Z')): FakeClock {
  let current = start;
  const slept: number[] = [];
  return {
    now: () => current,
    sleep: async (ms) => {
      slept.push(ms);
      current += ms;
    },
    slept,
  };
}

export { testPolicy };

/** A policy that sleeps (on the fake clock) through waits of minutes, to observe a retry after the wait. */
export function patientPolicy(clock: FakeClock, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return testPolicy(clock, { maxInlineWaitMs: 120_000, maxTotalInlineWaitMs: 600_000, ...overrides });
}

let sequence = 0;

export function jiraUser(overrides: Partial<FakeJiraUser> = {}): FakeJiraUser {
  sequence += 1;
  const n = String(sequence).padStart(6, '0');
  return {
    accountId: `712020:0000-${n}`,
    accountType: 'atlassian',
    active: true,
    displayName: `User ${n}`,
    email: `user${n}@example.com`,
    emailHidden: false,
    ...overrides,
  };
}

export function jiraUsers(count: number, overrides: (index: number) => Partial<FakeJiraUser> = () => ({})): FakeJiraUser[] {
  return Array.from({ length: count }, (_, i) => jiraUser(overrides(i)));
}

/** Runs a promise expected to reject and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
