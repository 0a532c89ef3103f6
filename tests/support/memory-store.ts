/**
 * In-memory KeyValueStore and SecretStore with Forge's rules: the key pattern, 240 KiB values, TTLs,
 * FAIL_IF_EXISTS claims, atomic swap. Values are stored as JSON so callers never share object references.
 * `hooks.beforeOp` lets a test inject storage errors or crash an invocation at an exact operation.
 */
import type { KeyValueStore, SecretStore } from '../../src/pipeline/ports';

export const FORGE_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
export const FORGE_MAX_VALUE_BYTES = 240 * 1024;

interface Entry {
  json: string;
  expiresAt: number | null;
}

export type StoreOp = 'get' | 'set' | 'setIfAbsent' | 'swap' | 'delete';

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, Entry>();
  /** Largest value written, in bytes. */
  largestValueBytes = 0;
  bytesWritten = 0;
  operations = 0;
  hooks: { beforeOp?: (op: StoreOp, key: string) => void } = {};

  constructor(private readonly now: () => number) {}

  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  private before(op: StoreOp, key: string): void {
    this.operations++;
    if (key.length > 500 || !FORGE_KEY_PATTERN.test(key)) throw new Error(`invalid Forge storage key: ${key}`);
    this.hooks.beforeOp?.(op, key);
  }

  private encode(value: unknown, options?: { ttlSeconds?: number }): Entry {
    const json = JSON.stringify(value);
    if (json === undefined) throw new Error('value is not JSON');
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > FORGE_MAX_VALUE_BYTES) throw new Error(`value of ${bytes} bytes exceeds Forge's 240 KiB limit`);
    this.largestValueBytes = Math.max(this.largestValueBytes, bytes);
    this.bytesWritten += bytes;
    return { json, expiresAt: options?.ttlSeconds === undefined ? null : this.now() + options.ttlSeconds * 1000 };
  }

  async get(key: string): Promise<unknown> {
    this.before('get', key);
    const entry = this.live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as unknown);
  }

  async set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void> {
    this.before('set', key);
    this.data.set(key, this.encode(value, options));
  }

  async setIfAbsent(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<boolean> {
    this.before('setIfAbsent', key);
    if (this.live(key) !== undefined) return false;
    this.data.set(key, this.encode(value, options));
    return true;
  }

  async swap(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<unknown> {
    this.before('swap', key);
    const previous = this.live(key);
    this.data.set(key, this.encode(value, options));
    return previous === undefined ? undefined : (JSON.parse(previous.json) as unknown);
  }

  async delete(key: string): Promise<void> {
    this.before('delete', key);
    this.data.delete(key);
  }

  /** Every stored value as text, for scanning (e.g. for a secret). */
  dump(): string[] {
    return [...this.data.entries()].map(([key, entry]) => `${key}=${entry.json}`);
  }
}

export class MemorySecretStore implements SecretStore {
  readonly data = new Map<string, string>();
  async get(key: string): Promise<unknown> {
    const json = this.data.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as unknown);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}
