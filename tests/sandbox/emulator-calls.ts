/**
 * Calling the app's resolvers on the emulator as the admin page would, for the emulator tests: the raw answer, the
 * data of a call that must succeed, and the built-in tenant's app registration saved as settings.
 */
import { SIMULATED_TENANT } from '../../fakes/simulation';
import type { Emulator } from '../../sandbox/emulator';

export type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

export async function call(em: Emulator, key: string, payload?: unknown): Promise<Answer> {
  return (await em.invoke(key, payload)) as Answer;
}

/** The data of a call that must succeed; a refusal fails the test with its code and message. */
export async function data(em: Emulator, key: string, payload?: unknown): Promise<Record<string, unknown>> {
  const answer = await call(em, key, payload);
  if (!answer.ok) throw new Error(`${key} failed: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
}

/** Saves the built-in simulated tenant's app registration (a one-day interval) through saveSettings. */
export async function saveBuiltInSettings(em: Emulator): Promise<void> {
  await data(em, 'saveSettings', {
    tenantId: SIMULATED_TENANT.tenantId,
    clientId: SIMULATED_TENANT.clientId,
    clientSecret: SIMULATED_TENANT.clientSecret,
    intervalDays: 1,
  });
}
