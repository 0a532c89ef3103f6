/**
 * One wrapper for every operation of a KeyValueStore: the storage retries (retrying-store.ts), the benchmark's KVS
 * round trips (bench/sync/platform-model.ts) and the tests' hooks each say what happens around an operation once,
 * instead of spelling out the five operations again.
 */
import type { KeyValueStore } from './ports';

export type StoreOp = 'get' | 'set' | 'setIfAbsent' | 'swap' | 'delete';

/** Runs each operation of `store` through `around` (its name, its key, and the call to the wrapped store). */
export function aroundStoreOps(
  store: KeyValueStore,
  around: <T>(op: StoreOp, key: string, call: () => Promise<T>) => Promise<T>,
): KeyValueStore {
  return {
    get: (key) => around('get', key, () => store.get(key)),
    set: (key, value, options) => around('set', key, () => store.set(key, value, options)),
    setIfAbsent: (key, value, options) => around('setIfAbsent', key, () => store.setIfAbsent(key, value, options)),
    swap: (key, value, options) => around('swap', key, () => store.swap(key, value, options)),
    delete: (key) => around('delete', key, () => store.delete(key)),
  };
}
