/** Test connection: a token and one Graph read with the saved settings; the result is kept for the Overview. */
import { isGroupSyncOn } from '../domain/group-sync';
import { checkConnection } from '../services/connection-check';
import { type ConnectionDeps, createMicrosoftClients } from '../services/connections';
import { requireSettings } from '../services/settings-service';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export interface TestConnectionDeps {
  readonly store: ConnectionDeps['store'];
  readonly clock: ConnectionDeps['clock'];
  readonly connectionDeps: ConnectionDeps;
}

export const testConnectionUseCase = defineUseCase({
  name: 'testConnection',
  input: noInput,
  access: 'jira-admin',
  run: async (deps: TestConnectionDeps) => {
    const settings = await requireSettings(deps);
    // An admin is waiting: interactive priority (no x-ms-throttle-priority: Low), unlike the background sync.
    // With group sync on, the groups permission is required too (GRAPH_GROUPS_FORBIDDEN otherwise); each switched-on
    // write-back capability's permission is reported (not required: the actions are refused without it).
    return checkConnection(deps, createMicrosoftClients(deps.connectionDeps, settings, { priority: 'interactive' }), {
      groupSync: isGroupSyncOn(settings.groups),
      writeBack: settings.writeBack.capabilities,
    });
  },
});
