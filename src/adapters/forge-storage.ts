/**
 * Forge KVS and secret store behind the pipeline's storage ports. Storage errors (429 RATE_LIMIT_EXCEEDED, 5xx)
 * become STORAGE_FAILED with a retry class, so a consumer reschedules instead of failing the run.
 */
import { kvs } from '@forge/kvs';

import { AppError } from '../domain/errors';
import type { KeyValueStore, SecretStore } from '../pipeline/ports';

function ttl(options?: { ttlSeconds?: number }) {
  return options?.ttlSeconds === undefined ? {} : { ttl: { value: options.ttlSeconds, unit: 'SECONDS' as const } };
}

function storageError(operation: string, cause: unknown): AppError {
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : 'UNKNOWN';
  const throttled = code === 'RATE_LIMIT_EXCEEDED' || code === 'TOO_MANY_REQUESTS';
  return new AppError('STORAGE_FAILED', `Forge storage could not complete a ${operation}; the app will retry.`, {
    context: { operation, storageCode: code },
    cause,
    retry: throttled ? 'later' : 'now',
    retryAfterSeconds: throttled ? 10 : undefined,
  });
}

async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    throw storageError(operation, cause);
  }
}

export function createForgeKeyValueStore(): KeyValueStore {
  return {
    get: (key) => guarded('read', () => kvs.get<unknown>(key)),
    set: (key, value, options) => guarded('write', () => kvs.set(key, value, ttl(options))),
    setIfAbsent: async (key, value, options) => {
      try {
        await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS', ...ttl(options) });
        return true;
      } catch (cause) {
        // The failure code for an existing key is not documented: confirm by reading the key.
        const existing = await guarded('read', () => kvs.get<unknown>(key));
        if (existing !== undefined) return false;
        throw storageError('claim', cause);
      }
    },
    swap: async (key, value, options) =>
      guarded('write', async () => {
        const previous = await kvs.set<unknown>(key, value, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS', ...ttl(options) });
        return previous?.value;
      }),
    delete: (key) => guarded('delete', () => kvs.delete(key)),
  };
}

export function createForgeSecretStore(): SecretStore {
  return {
    get: (key) => guarded('secret read', () => kvs.getSecret<unknown>(key)),
    set: (key, value) => guarded('secret write', () => kvs.setSecret(key, value)),
    delete: (key) => guarded('secret delete', () => kvs.deleteSecret(key)),
  };
}
