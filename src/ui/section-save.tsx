/**
 * What the Setup sections that save one part of the settings (attributes, group sync, who is synced) share: the
 * Save button's state and call, and the refusal shown above the button. Each section builds its payload from the
 * stored connection values and its own choice (settings-form-model.ts, scope-form-model.ts), so the connection and
 * the other sections' choices are never changed by it; a payload of null (the section's values do not pass the
 * backend's schema) sends nothing.
 */
import React, { useState } from 'react';

import { api, type SettingsPayload } from './invoke';
import { ErrorNotice } from './notices';
import type { PublicSettingsView } from './views';

/** The backend's refusal of a save: its stable error code and the message an admin can act on. */
export type SaveRefusal = { code: string; message: string };

export function useSectionSave(
  settings: PublicSettingsView | null,
  onSaved: (saved: PublicSettingsView) => void,
): {
  readonly saving: boolean;
  readonly failure: SaveRefusal | null;
  /** True from a successful save until the admin changes something (`edited`). */
  readonly saved: boolean;
  readonly edited: () => void;
  /** Sends the payload built from the stored settings; nothing while no settings are stored or the payload is null. */
  readonly save: (payload: (settings: PublicSettingsView) => SettingsPayload | null) => Promise<void>;
} {
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<SaveRefusal | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (payload: (settings: PublicSettingsView) => SettingsPayload | null): Promise<void> => {
    if (settings === null) return;
    const body = payload(settings);
    if (body === null) return;
    setSaving(true);
    setFailure(null);
    const answer = await api.saveSettings(body);
    setSaving(false);
    if (answer.ok) {
      setSaved(true);
      onSaved(answer.data);
    } else setFailure(answer.error);
  };

  return { saving, failure, saved, edited: () => setSaved(false), save };
}

/**
 * The backend's refusal of the last save, above the Save button. `invalidTitle` titles a refusal of the values
 * themselves (INPUT_INVALID, e.g. a group id Entra ID does not know); any other code gets its usual title.
 */
export function SaveRefusalNotice({ failure, invalidTitle }: { failure: SaveRefusal | null; invalidTitle?: string }) {
  if (failure === null) return null;
  return (
    <ErrorNotice
      code={failure.code}
      message={failure.message}
      {...(invalidTitle !== undefined && failure.code === 'INPUT_INVALID' ? { title: invalidTitle } : {})}
    />
  );
}
