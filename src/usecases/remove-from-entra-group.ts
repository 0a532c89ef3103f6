/** Automation action "Remove from Entra group" (write-back, issue 17: src/services/write-back.ts). */
import { groupWriteBack } from './write-back-actions';

export const removeFromEntraGroupUseCase = groupWriteBack('removeFromEntraGroup', 'removeFromGroup');
