import { paceEgress } from '../../src/clients/egress-pacer';
import type { ExternalFetch } from '../../src/clients/http';
import { AppError } from '../../src/domain/errors';

function setup(maxInlineWaitMs: number) {
  let now = 0;
  const sentAt: number[] = [];
  const inner: ExternalFetch = async () => {
    sentAt.push(now);
    return { status: 200, headers: { get: () => null }, text: async () => '' };
  };
  const slept: number[] = [];
  const fetch = paceEgress(inner, {
    maxPerMinute: 3,
    maxInlineWaitMs,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  });
  return { fetch, sentAt, slept, advance: (ms: number) => (now += ms) };
}

const request = { method: 'GET' as const, url: 'https://graph.microsoft.com/v1.0/users' };

describe('paceEgress', () => {
  it('never sends more than the limit in any 60-second window, sleeping short waits', async () => {
    const s = setup(60_000);
    for (let i = 0; i < 7; i++) {
      await s.fetch(request);
      s.advance(1_000);
    }
    for (let i = 0; i < s.sentAt.length; i++) {
      const inWindow = s.sentAt.filter((t) => t > s.sentAt[i]! - 60_000 && t <= s.sentAt[i]!);
      expect(inWindow.length).toBeLessThanOrEqual(3);
    }
    expect(s.slept.length).toBeGreaterThan(0);
  });

  it('hands a long wait back as retry later instead of sleeping', async () => {
    const s = setup(5_000);
    for (let i = 0; i < 3; i++) await s.fetch(request);
    const error = await s.fetch(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ retry: 'later', retryAfterSeconds: 60 });
    expect(s.slept).toEqual([]);
    expect(s.sentAt).toHaveLength(3);
  });
});
