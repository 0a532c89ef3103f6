/** Automation action "Disable Entra account" (write-back, issue 17: src/services/write-back.ts). */
import { simpleWriteBack } from './write-back-actions';

export const disableEntraAccountUseCase = simpleWriteBack('disableEntraAccount', 'disable');
