/**
 * The daily scheduled trigger: starts a scheduled sync when the configured interval has passed (see
 * src/pipeline/scheduler.ts), and logs what it did: schedule.started with the run id, or schedule.skipped with the
 * reason. The sandbox's schedule-tick command reads these two lines (sandbox/cli-schedule.ts).
 */
import type { PipelineDeps } from '../pipeline/deps';
import { runScheduledTick } from '../pipeline/scheduler';
import { readSettings } from '../services/settings-service';
import { noTriggerInput } from './inputs';
import { defineUseCase } from './use-case';

export const scheduledSyncUseCase = defineUseCase({
  name: 'scheduledSync',
  input: noTriggerInput,
  access: 'scheduled-trigger',
  run: async (deps: PipelineDeps) => {
    const result = await runScheduledTick(deps, await readSettings(deps));
    if (result.started) deps.logger.info('schedule.started', { runId: result.run.runId });
    else deps.logger.info('schedule.skipped', { reason: result.reason });
    return result;
  },
});
