/**
 * The scheduled boundary (src/functions/boundary/scheduled-boundary.ts) with the real trigger use cases and
 * in-memory deps: a trigger never throws (Forge does not retry it), logs its outcome, and logs a failure by code
 * only under the event the trigger names (sandbox/cli-schedule.ts reads schedule.*).
 */
import { z } from 'zod';

import { AppError } from '../../src/domain/errors';
import { scheduledFunction } from '../../src/functions/boundary/scheduled-boundary';
import { keys } from '../../src/pipeline/keys';
import { FIRST_STAGE } from '../../src/pipeline/messages';
import { saveSettings } from '../../src/services/settings-service';
import { privacyReportUseCase } from '../../src/usecases/privacy-report';
import { scheduledSyncUseCase } from '../../src/usecases/scheduled-sync';
import { startPreviewUseCase } from '../../src/usecases/start-preview';
import { defineUseCase } from '../../src/usecases/use-case';
import { watchdogUseCase } from '../../src/usecases/watchdog';
import { ADMIN, type AppWorld, startAppWorld } from './support/app-deps';

describe('the scheduled boundary', () => {
  let world: AppWorld;
  beforeEach(async () => {
    world = await startAppWorld();
  });
  afterEach(async () => {
    await world.close();
  });
  const trigger = () => scheduledFunction(scheduledSyncUseCase, { createDeps: world.create, failedEvent: 'schedule.failed' });

  it('runs the use case as the app and logs its outcome: skipped when not set up, started (with the run id) when due', async () => {
    await expect(trigger()()).resolves.toBeUndefined();
    expect(world.logs).toEqual([{ level: 'info', event: 'schedule.skipped', fields: { reason: 'not-configured' } }]);
    await saveSettings(world.create(), {
      tenantId: world.sim.tenant.tenantId,
      clientId: world.sim.tenant.clientId,
      clientSecret: 'a-secret',
      cloud: 'global',
      intervalDays: 1,
    });
    await trigger()();
    const started = world.logs.find((l) => l.event === 'schedule.started');
    expect(started?.fields).toEqual({ runId: expect.any(String) });
    expect(world.pushes.map((p) => [p.message.runId, p.message.stage])).toEqual([[started!.fields.runId, FIRST_STAGE]]);
    expect(world.built.count).toBe(3);
  });

  it("never throws: anything thrown is logged under the trigger's failure event with its code only", async () => {
    world.store.hooks.beforeOp = (op, key) => {
      if (op === 'get' && key === keys.settings()) throw new Error('storage down for carol@example.com');
    };
    await expect(trigger()()).resolves.toBeUndefined();
    expect(world.logs).toEqual([{ level: 'error', event: 'schedule.failed', fields: { code: 'INTERNAL' } }]);

    // An AppError keeps its code (the Forge storage adapter throws STORAGE_FAILED on a KVS 5xx), under this trigger's event.
    world.logs.length = 0;
    world.store.hooks.beforeOp = (op, key) => {
      if (op === 'get' && key.startsWith('history:'))
        throw new AppError('STORAGE_FAILED', 'Storage failed while reading the history of dave@example.com.', {
          retry: 'later',
          retryAfterSeconds: 5,
        });
    };
    let reported = 0;
    world.setPrivacy({ report: async (accounts) => ((reported += accounts.length), []) });
    await expect(
      scheduledFunction(privacyReportUseCase, { createDeps: world.create, failedEvent: 'privacy.failed' })(),
    ).resolves.toBeUndefined();
    expect(world.logs).toEqual([{ level: 'error', event: 'privacy.failed', fields: { code: 'STORAGE_FAILED' } }]);
    expect(reported).toBe(0);
    expect(JSON.stringify(world.logs)).not.toContain('example.com');
  });

  it('the watchdog logs watchdog.acted only when it acted (here: a run with no progress for longer than staleRunMs)', async () => {
    const watchdog = scheduledFunction(watchdogUseCase, { createDeps: world.create, failedEvent: 'watchdog.failed' });
    await watchdog();
    expect(world.logs).toEqual([]);
    const deps = world.create();
    await startPreviewUseCase.run(deps, undefined, { kind: 'jira-admin', accountId: ADMIN });
    await deps.sleep(deps.config.staleRunMs + 1);
    await watchdog();
    expect(world.logs.filter((l) => l.event.startsWith('watchdog.'))).toEqual([
      { level: 'info', event: 'watchdog.acted', fields: { reaped: true, reseeded: false } },
    ]);
  });

  it('refuses, as INTERNAL logged by code, a trigger use case whose input schema refuses the empty trigger input', async () => {
    const misdeclared = defineUseCase({
      name: 'misdeclared',
      input: z.object({ x: z.number() }),
      access: 'scheduled-trigger',
      run: async () => 'ran',
    });
    await expect(
      scheduledFunction(misdeclared, { createDeps: world.create, failedEvent: 'misdeclared.failed' })(),
    ).resolves.toBeUndefined();
    expect(world.logs).toEqual([{ level: 'error', event: 'misdeclared.failed', fields: { code: 'INTERNAL' } }]);
  });
});
