/**
 * Queue names and the one message shape every stage consumer receives. Messages carry references only (run id,
 * stage, step sequence), never user lists: they stay a few hundred bytes, far below Forge's 100 KB event limit.
 * A message of an unknown version is rejected by the consumer (old messages can outlive a deploy).
 */
import { z } from 'zod';

export const QUEUES = {
  atlassianUsers: 'sync-atlassian-users',
  entraDirectory: 'sync-entra-directory',
  entraGroups: 'sync-entra-groups',
  assetsSnapshot: 'sync-assets-snapshot',
  plan: 'sync-plan',
  writeAssets: 'sync-write-assets',
  finish: 'sync-finish',
} as const;

export type StageName = keyof typeof QUEUES;
export type QueueKey = (typeof QUEUES)[StageName];

export const STAGE_ORDER: readonly StageName[] = [
  'atlassianUsers',
  'entraDirectory',
  'entraGroups',
  'assetsSnapshot',
  'plan',
  'writeAssets',
  'finish',
];

export const MESSAGE_VERSION = 1;

export const runIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'run id must be 8-64 letters, digits or dashes');

export const stageMessageSchema = z
  .object({
    v: z.literal(MESSAGE_VERSION),
    runId: runIdSchema,
    stage: z.enum(['atlassianUsers', 'entraDirectory', 'entraGroups', 'assetsSnapshot', 'plan', 'writeAssets', 'finish']),
    /** Step sequence within the stage: 0 for the first invocation, +1 for each continuation. */
    seq: z.number().int().min(0).max(100_000),
  })
  .strict();

export type StageMessage = z.infer<typeof stageMessageSchema>;

export function queueFor(stage: StageName): QueueKey {
  return QUEUES[stage];
}

export function nextStage(stage: StageName): StageName | null {
  const index = STAGE_ORDER.indexOf(stage);
  return STAGE_ORDER[index + 1] ?? null;
}
