/**
 * The run status the whole page shares (one getStatus answer: active run, last manual and scheduled sync, settings).
 * Loaded once when the page opens; polled every few seconds only while a run moves on its own (queued or running),
 * so an idle page or a run waiting for confirmation costs no invocations. Polling stops when the page unmounts.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { isMoving } from './format';
import { api } from './invoke';
import { POLL_INTERVAL_MS } from './page-config';
import type { StatusView } from './views';

export interface StatusHandle {
  readonly status: StatusView | null;
  /** The last load's failure, shown until a load succeeds. */
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Reload now (after an action), and resume polling if a run is moving. */
  readonly refresh: () => Promise<void>;
  /** Changes when a run starts, stops for confirmation or ends: what shows run results reloads on it. */
  readonly runKey: string;
  /**
   * The page started (or acted on) this run. A short run can start and end between two status loads (a small
   * preview runs every stage in its first invocation), so the status alone never shows it moving; noting it
   * changes `runKey` once the run is idle, and what shows its results reloads.
   */
  readonly noteRun: (runId: string) => void;
}

export function useStatus(): StatusHandle {
  const [status, setStatus] = useState<StatusView | null>(null);
  const [error, setError] = useState<StatusHandle['error']>(null);
  const mounted = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(0);
  const moving = useRef(false);
  const [notedRun, setNotedRun] = useState('');

  const load = useCallback(async (): Promise<void> => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const seq = ++latest.current;
    const answer = await api.getStatus();
    // A later load (a refresh after a click) supersedes this one and owns the next poll.
    if (!mounted.current || seq !== latest.current) return;
    if (answer.ok) {
      setStatus(answer.data);
      setError(null);
      moving.current = answer.data.activeRun !== null && isMoving(answer.data.activeRun.status);
    } else {
      setError(answer.error);
    }
    if (moving.current) timer.current = setTimeout(() => void load(), POLL_INTERVAL_MS);
  }, []);

  useEffect(() => {
    mounted.current = true;
    void load();
    return () => {
      mounted.current = false;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [load]);

  const active = status?.activeRun ?? null;
  // Queued -> running changes nothing a tab loads; a start, a stop for confirmation or an end does.
  const runKey =
    active === null
      ? `idle:${status?.lastManual?.entry.runId ?? ''}:${status?.lastScheduled?.entry.runId ?? ''}:${notedRun}`
      : `${active.runId}:${active.status === 'awaiting-confirmation' ? 'waiting' : 'moving'}`;
  return { status, error, refresh: load, runKey, noteRun: setNotedRun };
}
