/**
 * The cached Entra group directory (src/domain/group-directory.ts): every group with the properties the sync writes
 * and its direct members by kind, kept between runs with the groups delta link so a resync asks Graph only for what
 * changed. Like the user directory (directory-cache.ts) it is one generation of chunks plus a meta record; a new
 * generation is written in full before the meta switches to it, so a crash never leaves a half-merged directory.
 *
 * Members are stored compactly: one record per group and member kind, [groupId, kind, memberIds], a large group
 * split over several records (MEMBER_IDS_PER_RECORD), so 150k memberships take about 6 MB (30 chunks) instead of
 * the 13 MB one tuple per edge would.
 */
import { z } from 'zod';

import { entraGroupSchema, GROUP_MEMBER_KINDS, type GroupMemberEdge, type GroupMemberKind } from '../domain/entra-group';
import { fromStoredGroups, type GroupDirectory, toStoredGroups } from '../domain/group-directory';
import { readChunks, writeChunks } from './chunked-store';
import { keys } from './keys';
import type { KeyValueStore } from './ports';
import { RETENTION_SECONDS } from './retention';

/** Member ids in one stored record (about 76 KB of ids: several records fit in a 200 KiB chunk). */
export const MEMBER_IDS_PER_RECORD = 2_000;

export const groupDirectoryMetaSchema = z.object({
  v: z.literal(1),
  generation: z.string(),
  groupChunks: z.number().int().min(0),
  memberChunks: z.number().int().min(0),
  groups: z.number().int().min(0),
  /** Direct membership edges (all kinds). */
  edges: z.number().int().min(0),
  deltaLink: z.string().nullable(),
  /** When every group was last read (the next full read is due FULL_READ_MAX_AGE_DAYS later, as for users). */
  fullReadAt: z.string(),
  updatedAt: z.string(),
});
export type GroupDirectoryMeta = z.infer<typeof groupDirectoryMetaSchema>;

/** The chunks of one generation. */
export type GroupGeneration = Pick<GroupDirectoryMeta, 'generation' | 'groupChunks' | 'memberChunks'>;

const memberRecordSchema = z.tuple([z.string().min(1), z.enum(GROUP_MEMBER_KINDS), z.array(z.string().min(1)).min(1)]);
type MemberRecord = z.infer<typeof memberRecordSchema>;

export async function readGroupDirectoryMeta(store: KeyValueStore): Promise<GroupDirectoryMeta | null> {
  const parsed = groupDirectoryMetaSchema.safeParse(await store.get(keys.groupDirectoryMeta()));
  return parsed.success ? parsed.data : null;
}

export async function writeGroupDirectoryMeta(store: KeyValueStore, meta: GroupDirectoryMeta): Promise<void> {
  await store.set(keys.groupDirectoryMeta(), meta, { ttlSeconds: RETENTION_SECONDS.groupDirectory });
}

export async function readGroupDirectory(store: KeyValueStore, meta: GroupGeneration): Promise<GroupDirectory> {
  const groups = await readChunks(store, (i) => keys.groupDirectoryChunk(meta.generation, 'groups', i), meta.groupChunks, entraGroupSchema);
  const records = await readChunks(
    store,
    (i) => keys.groupDirectoryChunk(meta.generation, 'members', i),
    meta.memberChunks,
    memberRecordSchema,
  );
  const edges: GroupMemberEdge[] = [];
  for (const [groupId, kind, ids] of records) for (const id of ids) edges.push([groupId, kind, id]);
  return fromStoredGroups(groups, edges);
}

/** Writes a generation of the directory; returns its chunk counts and sizes. */
export async function writeGroupDirectory(
  store: KeyValueStore,
  generation: string,
  directory: GroupDirectory,
): Promise<GroupGeneration & { groups: number; edges: number }> {
  const { groups, edges } = toStoredGroups(directory);
  const options = { ttlSeconds: RETENTION_SECONDS.groupDirectory };
  const groupChunks = await writeChunks(store, (i) => keys.groupDirectoryChunk(generation, 'groups', i), groups, options);
  const memberChunks = await writeChunks(store, (i) => keys.groupDirectoryChunk(generation, 'members', i), memberRecords(edges), options);
  return { generation, groupChunks, memberChunks, groups: groups.length, edges: edges.length };
}

export async function deleteGroupGeneration(store: KeyValueStore, generation: GroupGeneration): Promise<void> {
  for (let i = 0; i < generation.groupChunks; i++) await store.delete(keys.groupDirectoryChunk(generation.generation, 'groups', i));
  for (let i = 0; i < generation.memberChunks; i++) await store.delete(keys.groupDirectoryChunk(generation.generation, 'members', i));
}

/** Edges sorted by group (toStoredGroups) -> records of one group and kind, at most MEMBER_IDS_PER_RECORD ids each. */
function memberRecords(edges: readonly GroupMemberEdge[]): MemberRecord[] {
  const records: MemberRecord[] = [];
  let groupId: string | null = null;
  let open = new Map<GroupMemberKind, string[]>();
  const flush = () => {
    for (const [kind, ids] of open) {
      for (let i = 0; i < ids.length; i += MEMBER_IDS_PER_RECORD) records.push([groupId!, kind, ids.slice(i, i + MEMBER_IDS_PER_RECORD)]);
    }
    open = new Map();
  };
  for (const [group, kind, id] of edges) {
    if (group !== groupId) {
      flush();
      groupId = group;
    }
    const ids = open.get(kind);
    if (ids === undefined) open.set(kind, [id]);
    else ids.push(id);
  }
  flush();
  return records;
}
