/**
 * One Forge key-value store (app storage or the secret store) kept on disk: one file per key, written atomically,
 * so a sandbox killed at any instant loses nothing it acknowledged and a large state stays fast (a write touches one
 * small file). Everything is also held in memory; the directory is read once at start. Expired keys read as absent
 * (and are removed when touched). Queries can lag behind writes by `queryDelayMs`, because kvs.query is only
 * eventually consistent on Forge while get is strongly consistent.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from './atomic-file';

const entrySchema = z.object({
  v: z.literal(1),
  key: z.string(),
  value: z.unknown(),
  createdAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number().nullable(),
});
export type StoredEntry = z.infer<typeof entrySchema>;

export class FileKeyValueStore {
  private readonly entries = new Map<string, StoredEntry>();
  /** For eventually consistent queries: what a key held before its latest change, and when it changed. */
  private readonly recent = new Map<string, { before: StoredEntry | undefined; at: number }>();

  constructor(
    private readonly dir: string,
    private readonly now: () => number,
    private readonly queryDelayMs = 0,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (name.endsWith('.tmp')) {
        rmSync(file, { force: true });
        continue;
      }
      const parsed = entrySchema.safeParse(safeJson(readFileSync(file, 'utf8')));
      if (!parsed.success) throw new Error(`The sandbox storage file ${file} is unreadable; delete the state directory to start over.`);
      this.entries.set(parsed.data.key, parsed.data);
    }
  }

  get(key: string): StoredEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  /** Writes a value; returns what the key held before (undefined when absent or expired). */
  set(key: string, value: unknown, ttlMs: number | null): StoredEntry | undefined {
    const previous = this.get(key);
    const now = this.now();
    const entry: StoredEntry = {
      v: 1,
      key,
      value,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      expiresAt: ttlMs === null ? null : now + ttlMs,
    };
    writeFileAtomic(this.fileOf(key), JSON.stringify(entry));
    this.remember(key, previous);
    this.entries.set(key, entry);
    return previous;
  }

  /** True when a live value was deleted. */
  delete(key: string): boolean {
    const previous = this.get(key);
    if (previous === undefined) return false;
    this.remember(key, previous);
    this.remove(key);
    return true;
  }

  /** Keys in ascending order, as a query would see them now (possibly a little stale). */
  query(prefix: string | null, after: string | null, limit: number): { data: StoredEntry[]; last: boolean } {
    const now = this.now();
    const visible = new Map<string, StoredEntry>();
    for (const key of new Set([...this.entries.keys(), ...this.recent.keys()])) {
      const lag = this.recent.get(key);
      const entry = lag !== undefined && now - lag.at < this.queryDelayMs ? lag.before : this.get(key);
      if (lag !== undefined && now - lag.at >= this.queryDelayMs) this.recent.delete(key);
      if (entry === undefined || (entry.expiresAt !== null && entry.expiresAt <= now)) continue;
      if (prefix !== null && !key.startsWith(prefix)) continue;
      if (after !== null && key <= after) continue;
      visible.set(key, entry);
    }
    const sorted = [...visible.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { data: sorted.slice(0, limit), last: sorted.length <= limit };
  }

  /** Every live key (for tests and support). */
  keys(): string[] {
    return [...this.entries.keys()].filter((key) => this.get(key) !== undefined).sort();
  }

  private remember(key: string, before: StoredEntry | undefined): void {
    if (this.queryDelayMs > 0 && !this.recent.has(key)) this.recent.set(key, { before, at: this.now() });
    else if (this.queryDelayMs > 0) this.recent.set(key, { before: this.recent.get(key)?.before, at: this.now() });
  }

  private remove(key: string): void {
    rmSync(this.fileOf(key), { force: true });
    this.entries.delete(key);
  }

  /** Keys may hold ':', '#', spaces and dots; file names get a safe, bounded form. */
  private fileOf(key: string): string {
    const encoded = encodeURIComponent(key);
    const name = encoded.length <= 180 ? `k_${encoded}` : `h_${createHash('sha256').update(key).digest('hex')}`;
    return join(this.dir, `${name}.json`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
