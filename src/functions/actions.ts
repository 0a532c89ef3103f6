/**
 * The app's Forge `action` functions (issue 15): one per action module in manifest.yml, each a use case behind the
 * action boundary (src/functions/boundary/action-boundary.ts). The Jira Automation actions
 * (automation:actionProvider) read the directory as the app; the Rovo Directory assistant's actions (rovo:agent) read
 * it as the asking user.
 */
import { addToEntraGroupUseCase } from '../usecases/add-to-entra-group';
import { departmentMembersUseCase } from '../usecases/directory-department';
import { whoIsManagerUseCase } from '../usecases/directory-manager-of';
import { personDetailsUseCase } from '../usecases/directory-person';
import { reportsOfUseCase } from '../usecases/directory-reports-of';
import { disableEntraAccountUseCase } from '../usecases/disable-entra-account';
import { enableEntraAccountUseCase } from '../usecases/enable-entra-account';
import { getApproversUseCase } from '../usecases/get-approvers';
import { lookUpEmployeeUseCase } from '../usecases/look-up-employee';
import { removeFromEntraGroupUseCase } from '../usecases/remove-from-entra-group';
import { revokeEntraSessionsUseCase } from '../usecases/revoke-entra-sessions';
import { syncUserNowUseCase } from '../usecases/sync-user-now';
import { updateEntraUserUseCase } from '../usecases/update-entra-user';
import { automationActionFunction, rovoActionFunction } from './boundary/action-boundary';
import { createPipelineDeps } from './wiring';

export const lookUpEmployee = automationActionFunction('look-up-employee', lookUpEmployeeUseCase, createPipelineDeps);
export const getApprovers = automationActionFunction('get-approvers', getApproversUseCase, createPipelineDeps);
export const syncUserNow = automationActionFunction('sync-user-now', syncUserNowUseCase, createPipelineDeps);
// Write-back (issue 17): off until a Jira administrator switches each capability on (src/services/write-back.ts).
export const disableEntraAccount = automationActionFunction('disable-entra-account', disableEntraAccountUseCase, createPipelineDeps);
export const enableEntraAccount = automationActionFunction('enable-entra-account', enableEntraAccountUseCase, createPipelineDeps);
export const revokeEntraSessions = automationActionFunction('revoke-entra-sessions', revokeEntraSessionsUseCase, createPipelineDeps);
export const updateEntraUser = automationActionFunction('update-entra-user', updateEntraUserUseCase, createPipelineDeps);
export const addToEntraGroup = automationActionFunction('add-to-entra-group', addToEntraGroupUseCase, createPipelineDeps);
export const removeFromEntraGroup = automationActionFunction('remove-from-entra-group', removeFromEntraGroupUseCase, createPipelineDeps);
export const directoryManager = rovoActionFunction('directory-manager', whoIsManagerUseCase, createPipelineDeps);
export const directoryReports = rovoActionFunction('directory-reports', reportsOfUseCase, createPipelineDeps);
export const directoryPerson = rovoActionFunction('directory-person', personDetailsUseCase, createPipelineDeps);
export const directoryDepartment = rovoActionFunction('directory-department', departmentMembersUseCase, createPipelineDeps);
