/**
 * The only way the admin page reaches the backend: one typed function per resolver key. Every answer is
 * {ok: true, data} or {ok: false, error}; callers show error.message as is (it is written for admins).
 */
import { invoke } from '@forge/bridge';
import { z } from 'zod';
import { RESOLVER_KEYS } from '../functions/resolver-keys';

export type Answer<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

const answerSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

async function call<T>(key: string, payload?: Record<string, unknown>): Promise<Answer<T>> {
  try {
    const parsed = answerSchema.safeParse(await invoke(key, payload));
    if (!parsed.success) return { ok: false, error: { code: 'RESPONSE_MALFORMED', message: 'The app answered in an unexpected way. Reload the page.' } };
    // The resolver's answer types are declared next to each call below.
    return parsed.data as Answer<T>;
  } catch {
    return { ok: false, error: { code: 'UNREACHABLE', message: 'The app could not be reached. Check your connection and reload the page.' } };
  }
}

export interface StatusView {
  activeRun: { runId: string; number: number; mode: string; status: string; stage: string | null; progress: { processed: number; total: number | null; label: string } } | null;
  lastManual: { entry: { status: string; startedAt: string } } | null;
  lastScheduled: { entry: { status: string; startedAt: string } } | null;
  settings: { tenantId: string; secretStored: boolean } | null;
}

export const api = {
  getStatus: () => call<StatusView>(RESOLVER_KEYS.getStatus),
  startPreview: () => call<{ runId: string }>(RESOLVER_KEYS.startPreview),
  startSync: () => call<{ runId: string }>(RESOLVER_KEYS.startSync),
};
