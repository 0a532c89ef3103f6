/**
 * The stored settings as the pipeline and the services read them: unknown until parsed, null when absent or
 * unreadable (the settings service writes them; run control copies the run's attributes and scope from them).
 */
import { type StoredSettings, storedSettingsSchema } from '../domain/settings';
import { keys } from './keys';
import type { KeyValueStore } from './ports';

export async function readStoredSettings(store: KeyValueStore): Promise<StoredSettings | null> {
  const parsed = storedSettingsSchema.safeParse(await store.get(keys.settings()));
  return parsed.success ? parsed.data : null;
}
