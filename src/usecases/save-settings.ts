/** Saves the Setup tab's settings; the secret goes to the secret store only (src/services/settings-service.ts). */
import { z } from 'zod';

import { saveSettings, type SettingsDeps } from '../services/settings-service';
import { defineUseCase } from './use-case';

/** The settings form as a plain object; its fields are validated (with per-field messages) by saveSettings. */
const settingsForm = z.record(z.string(), z.unknown());

export const saveSettingsUseCase = defineUseCase({
  name: 'saveSettings',
  input: settingsForm,
  access: 'jira-admin',
  run: (deps: SettingsDeps, form) => saveSettings(deps, form),
});
