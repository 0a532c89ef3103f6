/**
 * Every KVS key the app uses, in one place. Keys are deterministic, made only of ids the app mints or Atlassian/
 * Entra object ids, and never contain emails, '@' or '/' (Forge's key pattern forbids them).
 */
import { AppError } from '../domain/errors';
import type { StageName } from './messages';

export const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;

function checked(key: string): string {
  if (key.length > 500 || !KEY_PATTERN.test(key)) {
    // A programming error (ids are minted by the app or validated before use): retrying cannot help.
    throw new AppError('INTERNAL', 'The app built a storage key Forge would refuse.', {
      context: { length: key.length },
      retry: 'permanent',
    });
  }
  return key;
}

export const keys = {
  settings: () => 'settings',
  connectionCheck: () => 'connection:last-check',
  schemaLayout: () => 'assets:layout',
  workspace: () => 'assets:workspace',
  runLock: () => 'lock:run',
  runCounter: () => 'runs:counter',
  run: (runId: string) => checked(`run:${runId}`),
  runCancel: (runId: string) => checked(`run:${runId}:cancel`),
  checkpoint: (runId: string, stage: StageName) => checked(`run:${runId}:cp:${stage}`),
  chunk: (runId: string, dataset: RunDataset, index: number) => checked(`run:${runId}:${dataset}:${index}`),
  directoryMeta: () => 'dir:meta',
  directoryChunk: (generation: string, index: number) => checked(`dir:${generation}:${index}`),
  /** The cached Entra group directory (src/pipeline/group-cache.ts): its meta, and its group and member chunks. */
  groupDirectoryMeta: () => 'grp:meta',
  groupDirectoryChunk: (generation: string, part: 'groups' | 'members', index: number) => checked(`grp:${generation}:${part}:${index}`),
  /** The cached Assets objects of one object type (src/pipeline/assets-cache.ts): its meta, and its chunks. */
  assetsCacheMeta: (type: 'employee' | 'group') => `acache:meta:${type}`,
  assetsCacheChunk: (type: 'employee' | 'group', generation: string, index: number) => checked(`acache:${type}:${generation}:${index}`),
  /** The hidden-email cache (src/pipeline/email-cache.ts): its meta, and its chunks (the values hold emails, the keys never). */
  emailCacheMeta: () => 'ecache:meta',
  emailCacheChunk: (generation: string, index: number) => checked(`ecache:${generation}:${index}`),
  historySlot: (slot: number) => checked(`history:${slot}`),
  /** Write-back audit trail (issue 17): the next sequence number and one entry per attempt. */
  writeBackAuditNext: () => 'writeback:audit:next',
  writeBackAudit: (seq: number) => checked(`writeback:audit:${seq}`),
  /** One claim per write-back action in a minute (the per-site rate). */
  writeBackRateSlot: (minute: number, slot: number) => checked(`writeback:rate:${minute}:${slot}`),
  lastRun: (trigger: 'manual' | 'scheduled') => `last:${trigger}`,
  latestReport: (mode: 'preview' | 'sync') => `report:latest:${mode}`,
  scheduleClaim: (day: string) => checked(`schedule:${day}`),
  privacyLastReport: () => 'privacy:last-report',
  platformObservations: () => 'platform:observations',
  /** The Create Schema job's state (steps, result), and the lease of the invocation working on it (schema-job.ts). */
  schemaJob: () => 'schema:job',
  schemaJobLease: () => 'schema:job:lease',
  /** A positive admin check of one account, kept 5 minutes (src/services/admin-check.ts). */
  adminCheck: (accountId: string) => checked(`admin:${accountId}`),
} as const;

export type RunDataset =
  | 'accounts'
  | 'assets'
  | 'assetsGroups'
  | 'assetsChanges'
  | 'assetsGroupsChanges'
  | 'plan'
  | 'created'
  | 'failures'
  | 'report'
  | 'delta'
  | 'groupDelta';

/** Secret-store keys. */
export const secretKeys = {
  clientSecret: () => 'entra:client-secret',
  graphToken: () => 'entra:graph-token',
} as const;
