/** The write-back audit trail (issue 17) for the History tab's "Actions" panel: the latest attempts, newest first. */
import type { KeyValueStore } from '../pipeline/ports';
import { type AuditEntry, readAudit } from '../services/write-back';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const getWriteBackAuditUseCase = defineUseCase({
  name: 'getWriteBackAudit',
  input: noInput,
  access: 'jira-admin',
  run: async (deps: { readonly store: KeyValueStore }): Promise<AuditEntry[]> => readAudit(deps.store),
});
