/** Automation action "Revoke Entra sessions" (write-back, issue 17: src/services/write-back.ts). */
import { simpleWriteBack } from './write-back-actions';

export const revokeEntraSessionsUseCase = simpleWriteBack('revokeEntraSessions', 'revokeSessions');
