/** The app's retry policy on a test clock: waits advance the clock instead of sleeping; jitter fixed at the middle. */
import { defaultRetryPolicy, type RetryPolicy } from '../../src/clients/retry-policy';

export function testPolicy(
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
  overrides: Partial<RetryPolicy> = {},
): RetryPolicy {
  return { ...defaultRetryPolicy, sleep: clock.sleep, now: clock.now, random: () => 0.5, ...overrides };
}
