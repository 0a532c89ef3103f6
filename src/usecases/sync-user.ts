/**
 * Sync one user now (Sync tab, sandbox `sync-user`): one person named by exactly one of an Atlassian account id, an
 * email or an Entra object id, read, decided with the sync rules and written (src/services/single-user-sync.ts).
 */
import { z } from 'zod';

import { type SingleUserSyncDeps, syncOneUser, type SyncUserInput } from '../services/single-user-sync';
import { defineUseCase } from './use-case';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Exactly one way to name the person; anything else is refused (INPUT_INVALID at the boundary). */
export const syncUserInput: z.ZodType<SyncUserInput> = z.union([
  z.object({ accountId: text(128) }).strict(),
  z.object({ email: text(254).email() }).strict(),
  z.object({ entraId: text(64).regex(/^[0-9a-fA-F-]+$/) }).strict(),
]);

export const syncUserUseCase = defineUseCase({
  name: 'syncUser',
  input: syncUserInput,
  access: 'jira-admin',
  run: (deps: SingleUserSyncDeps, input, caller) => syncOneUser(deps, input, caller.accountId),
});
