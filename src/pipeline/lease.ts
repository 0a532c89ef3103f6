/**
 * Leases: "only one holder at a time, and a dead holder cannot block forever". Used for the one-run-per-installation
 * lock and for the per-stage lease that makes duplicate or redelivered queue events harmless.
 *
 * Acquire is a FAIL_IF_EXISTS claim with a TTL. When the key exists but its lease has run out (the holder died and
 * storage has not expired the key yet), it is taken over with an atomic swap; if the swap shows that somebody else
 * took it first, their lease is put back and we back off. kvs.query is never used: it is eventually consistent.
 */
import { z } from 'zod';

import type { KeyValueStore } from './ports';

export const leaseSchema = z.object({
  holder: z.string(),
  expiresAt: z.number(),
});
export type Lease = z.infer<typeof leaseSchema>;

const KEEP_AFTER_EXPIRY_SECONDS = 24 * 60 * 60;

export type AcquireResult = { acquired: true } | { acquired: false; holder: string; expiresAt: number };

export async function acquireLease(store: KeyValueStore, key: string, holder: string, ttlMs: number, now: number): Promise<AcquireResult> {
  const mine: Lease = { holder, expiresAt: now + ttlMs };
  // The key outlives the lease by a day so a dead holder is still visible (and can be reaped) after expiry.
  const ttlSeconds = Math.ceil(ttlMs / 1000) + KEEP_AFTER_EXPIRY_SECONDS;
  if (await store.setIfAbsent(key, mine, { ttlSeconds })) return { acquired: true };

  const current = leaseSchema.safeParse(await store.get(key));
  if (current.success && current.data.holder === holder) {
    await store.set(key, mine, { ttlSeconds });
    return { acquired: true };
  }
  if (current.success && current.data.expiresAt > now) {
    return { acquired: false, holder: current.data.holder, expiresAt: current.data.expiresAt };
  }
  // Expired (or unreadable): take it over atomically and check that we replaced what we saw.
  const previous = leaseSchema.safeParse(await store.swap(key, mine, { ttlSeconds }));
  const sawSame =
    previous.success &&
    current.success &&
    previous.data.holder === current.data.holder &&
    previous.data.expiresAt === current.data.expiresAt;
  const wasGone = !previous.success;
  if (sawSame || wasGone || (previous.success && previous.data.expiresAt <= now)) return { acquired: true };
  // Somebody else took it between our read and our swap: give it back.
  await store.set(key, previous.data, { ttlSeconds: Math.max(60, Math.ceil((previous.data.expiresAt - now) / 1000) + 60) });
  return { acquired: false, holder: previous.data.holder, expiresAt: previous.data.expiresAt };
}

/** Extends a lease we hold; false when it is no longer ours (we must stop working). */
export async function renewLease(store: KeyValueStore, key: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
  const current = leaseSchema.safeParse(await store.get(key));
  if (current.success && current.data.holder !== holder && current.data.expiresAt > now) return false;
  await store.set(key, { holder, expiresAt: now + ttlMs } satisfies Lease, {
    ttlSeconds: Math.ceil(ttlMs / 1000) + KEEP_AFTER_EXPIRY_SECONDS,
  });
  return true;
}

export async function releaseLease(store: KeyValueStore, key: string, holder: string): Promise<void> {
  const current = leaseSchema.safeParse(await store.get(key));
  if (current.success && current.data.holder === holder) await store.delete(key);
}

export async function readLease(store: KeyValueStore, key: string): Promise<Lease | null> {
  const current = leaseSchema.safeParse(await store.get(key));
  return current.success ? current.data : null;
}
