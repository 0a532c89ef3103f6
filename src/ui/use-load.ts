/**
 * Loads one resolver answer when a component mounts (and again when `key` changes), never per render. A reload
 * keeps the previous data on screen until the new answer arrives, so tables do not flash to a spinner.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import type { Answer } from './invoke';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly data: T }
  | { readonly state: 'error'; readonly message: string };

export function useLoad<T>(
  loader: () => Promise<Answer<T>>,
  key = '',
): { readonly loaded: Loaded<T>; readonly reload: () => Promise<void> } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const mounted = useRef(false);
  const latest = useRef(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;

  const reload = useCallback(async (): Promise<void> => {
    const seq = ++latest.current;
    const answer = await loaderRef.current();
    if (!mounted.current || seq !== latest.current) return;
    setLoaded(answer.ok ? { state: 'ready', data: answer.data } : { state: 'error', message: answer.error.message });
  }, []);

  useEffect(() => {
    mounted.current = true;
    void reload();
    return () => {
      mounted.current = false;
    };
  }, [reload, key]);

  return { loaded, reload };
}
