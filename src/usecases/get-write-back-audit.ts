/**
 * The write-back audit trail (issue 17) for the History tab's "Actions" panel: the latest attempts, newest first;
 * 100 unless `limit` asks for more (the Export asks for every attempt kept, AUDIT_KEEP).
 */
import { z } from 'zod';

import type { KeyValueStore } from '../pipeline/ports';
import { AUDIT_KEEP, type AuditEntry, readAudit } from '../services/write-back';
import { defineUseCase } from './use-case';

export const AUDIT_PAGE = 100;

const auditInput = z
  .object({
    limit: z
      .number({ error: 'limit must be a whole number.' })
      .int({ error: 'limit must be a whole number.' })
      .min(1, { error: 'limit must be at least 1.' })
      .max(AUDIT_KEEP, { error: `limit can be at most ${AUDIT_KEEP}.` }),
  })
  .strict()
  .partial()
  .optional();

export const getWriteBackAuditUseCase = defineUseCase({
  name: 'getWriteBackAudit',
  input: auditInput,
  access: 'jira-admin',
  run: async (deps: { readonly store: KeyValueStore }, input): Promise<AuditEntry[]> => readAudit(deps.store, input?.limit ?? AUDIT_PAGE),
});
