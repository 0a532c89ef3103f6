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

/**
 * The Microsoft reads come first: they are the ones paced (90 calls a minute: src/clients/egress-pacer.ts), so they
 * set the length of a run's reading, and the reads that do not call Microsoft can fill their waits (READS_BESIDE).
 */
export const STAGE_ORDER = [
  'entraDirectory',
  'entraGroups',
  'atlassianUsers',
  'assetsSnapshot',
  'plan',
  'writeAssets',
  'finish',
] as const satisfies readonly StageName[];

/** The stage a run starts with. */
export const FIRST_STAGE: StageName = STAGE_ORDER[0];

/**
 * Later reading stages that need nothing from the stage named, and that the step runner may run while that stage
 * waits for a time it asked for (runChain: a pacing window, a Retry-After), so the wait is not idle. Only stages
 * that do not call Microsoft: they cannot use the pacing window they fill.
 */
export const READS_BESIDE: Readonly<Partial<Record<StageName, readonly StageName[]>>> = {
  entraDirectory: ['atlassianUsers', 'assetsSnapshot'],
  entraGroups: ['atlassianUsers', 'assetsSnapshot'],
};

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
  const index = (STAGE_ORDER as readonly StageName[]).indexOf(stage);
  return STAGE_ORDER[index + 1] ?? null;
}
