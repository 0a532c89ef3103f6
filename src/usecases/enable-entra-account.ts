/** Automation action "Enable Entra account" (write-back, issue 17: src/services/write-back.ts). */
import { simpleWriteBack } from './write-back-actions';

export const enableEntraAccountUseCase = simpleWriteBack('enableEntraAccount', 'enable');
