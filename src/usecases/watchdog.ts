/** The hourly watchdog: marks a stale run failed and re-seeds a parked one; logs watchdog.acted when it did either. */
import type { PipelineDeps } from '../pipeline/deps';
import { runWatchdog } from '../pipeline/scheduler';
import { noTriggerInput } from './inputs';
import { defineUseCase } from './use-case';

export const watchdogUseCase = defineUseCase({
  name: 'watchdog',
  input: noTriggerInput,
  access: 'scheduled-trigger',
  run: async (deps: PipelineDeps) => {
    const result = await runWatchdog(deps);
    if (result.reaped || result.reseeded) deps.logger.info('watchdog.acted', result);
    return result;
  },
});
