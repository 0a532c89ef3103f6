/** Automation action "Add to Entra group" (write-back, issue 17: src/services/write-back.ts). */
import { groupWriteBack } from './write-back-actions';

export const addToEntraGroupUseCase = groupWriteBack('addToEntraGroup', 'addToGroup');
