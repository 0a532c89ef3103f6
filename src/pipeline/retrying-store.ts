/**
 * Forge storage answers an occasional 429 (RATE_LIMIT_EXCEEDED) or 5xx. Those are "retry now" errors: retried here,
 * in-process, a few times with a short backoff, so a single hiccup never costs a queue redelivery. Anything that is
 * not a STORAGE_FAILED AppError goes straight through.
 */
import { AppError } from '../domain/errors';
import type { KeyValueStore } from './ports';
import { aroundStoreOps } from './store-ops';

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
  return aroundStoreOps(store, (_op, _key, call) => retrying(call));
}
