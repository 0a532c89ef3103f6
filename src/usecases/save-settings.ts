/** Saves the Setup tab's settings; the secret goes to the secret store only (src/services/settings-service.ts). */
import { z } from 'zod';

import { type ConnectionDeps, createExtensionChecker, createGroupFinder } from '../services/connections';
import { saveSettings, type SettingsDeps } from '../services/settings-service';
import { defineUseCase } from './use-case';

/** The settings form as a plain object; its fields are validated (with per-field messages) by saveSettings. */
const settingsForm = z.record(z.string(), z.unknown());

export const saveSettingsUseCase = defineUseCase({
  name: 'saveSettings',
  input: settingsForm,
  access: 'jira-admin',
  // Chosen Entra groups and directory extension properties are looked up in Graph with the settings being saved
  // (nothing is stored if one is missing).
  run: (deps: SettingsDeps & { readonly connectionDeps: ConnectionDeps }, form) =>
    saveSettings(
      {
        ...deps,
        findGroups: createGroupFinder(deps.connectionDeps),
        findUnknownExtensions: createExtensionChecker(deps.connectionDeps),
      },
      form,
    ),
});
