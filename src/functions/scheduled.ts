/**
 * Scheduled triggers (manifest.yml scheduledTrigger), each a use case (src/usecases) behind the scheduled boundary
 * (src/functions/boundary/scheduled-boundary.ts). They never throw: Forge does not retry a trigger, so every outcome
 * is logged with a reason instead.
 */
import { privacyReportUseCase } from '../usecases/privacy-report';
import { scheduledSyncUseCase } from '../usecases/scheduled-sync';
import { watchdogUseCase } from '../usecases/watchdog';
import { scheduledFunction } from './boundary/scheduled-boundary';
import { createPipelineDeps } from './wiring';

export const scheduledSync = scheduledFunction(scheduledSyncUseCase, { createDeps: createPipelineDeps, failedEvent: 'schedule.failed' });

export const privacyReport = scheduledFunction(privacyReportUseCase, { createDeps: createPipelineDeps, failedEvent: 'privacy.failed' });

export const watchdog = scheduledFunction(watchdogUseCase, { createDeps: createPipelineDeps, failedEvent: 'watchdog.failed' });
