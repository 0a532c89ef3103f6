/**
 * Forge storage answers an occasional 429 (RATE_LIMIT_EXCEEDED) or 5xx. Those are "retry now" errors: retried here,
 * in-process, a few times with a short backoff, so a single hiccup never costs a queue redelivery. Anything that is
 * not a STORAGE_FAILED AppError goes straight through.
 */
import { AppError } from '../domain/errors';
import type { KeyValueStore } from './ports';

export interface StorageRetryOptions {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export function withStorageRetries(store: KeyValueStore, options: StorageRetryOptions): KeyValueStore {
  async function retrying<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'STORAGE_FAILED' || attempt >= options.attempts) throw error;
        await options.sleep(options.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }
  return {
    get: (key) => retrying(() => store.get(key)),
    set: (key, value, o) => retrying(() => store.set(key, value, o)),
    setIfAbsent: (key, value, o) => retrying(() => store.setIfAbsent(key, value, o)),
    swap: (key, value, o) => retrying(() => store.swap(key, value, o)),
    delete: (key) => retrying(() => store.delete(key)),
  };
}
