/** The Setup tab's saved settings, without the secret (only whether one is stored). */
import { getPublicSettings, type SettingsDeps } from '../services/settings-service';
import { noInput } from './inputs';
import { defineUseCase } from './use-case';

export const getSettingsUseCase = defineUseCase({
  name: 'getSettings',
  input: noInput,
  access: 'jira-admin',
  run: (deps: SettingsDeps) => getPublicSettings(deps),
});
