/**
 * Scheduled triggers (manifest.yml scheduledTrigger). They never throw: Forge does not retry a trigger, so every
 * outcome is logged with a reason instead.
 */
import { toAppError } from '../domain/errors';
import { runScheduledTick, runWatchdog } from '../pipeline/scheduler';
import { readSettings } from '../services/settings-service';
import { reportStoredAccounts } from '../services/privacy-service';
import { createForgePrivacyReporter } from '../adapters/forge-privacy';
import { createPipelineDeps } from './wiring';

export async function scheduledSync(): Promise<void> {
  const deps = createPipelineDeps();
  try {
    const result = await runScheduledTick(deps, await readSettings(deps));
    if (result.started) deps.logger.info('schedule.started', { runId: result.run.runId });
    else deps.logger.info('schedule.skipped', { reason: result.reason });
  } catch (error) {
    deps.logger.error('schedule.failed', { code: toAppError(error).code });
  }
}

export async function privacyReport(): Promise<void> {
  const deps = createPipelineDeps();
  try {
    await reportStoredAccounts({ ...deps, privacy: createForgePrivacyReporter() });
  } catch (error) {
    deps.logger.error('privacy.failed', { code: toAppError(error).code });
  }
}

export async function watchdog(): Promise<void> {
  const deps = createPipelineDeps();
  const result = await runWatchdog(deps);
  if (result.reaped || result.reseeded) deps.logger.info('watchdog.acted', result);
}
