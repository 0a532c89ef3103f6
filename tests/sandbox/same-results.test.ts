/**
 * The pipeline tests run the stages in-process with in-memory ports; the sandbox runs the same code through the
 * unmodified Forge SDKs on the emulated runtime. For the same world, both must reach the same counts and the same
 * Assets state.
 */
import { rmSync } from 'node:fs';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { generateWorld } from '../../fakes/world/generate-world';
import { startEmulator } from '../../sandbox/emulator';
import type { AssetsObject } from '../../src/domain/assets-object';
import { startHarness } from '../support/pipeline-harness';
import { tempStateDir } from './cli-harness';

jest.setTimeout(90_000);

type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

function byEntraId(objects: readonly AssetsObject[]): Record<string, unknown> {
  const entraIdOf = new Map(objects.map((o) => [o.objectId, o.values.entraUserId as string]));
  return Object.fromEntries(
    objects.map((o) => {
      const { manager, ...values } = o.values;
      return [o.values.entraUserId, { ...values, manager: manager === null ? null : entraIdOf.get(manager as string) }];
    }),
  );
}

it('gives the same results in-process and on the real Forge SDKs in the sandbox', async () => {
  const users = 80;
  const seed = 12;
  const h = await startHarness({ world: generateWorld({ users, seed }), seed });
  const inProcess = await h.run('sync');
  const expectedState = byEntraId(h.sim.jira.employees());
  await h.close();

  const dir = tempStateDir('same-results');
  const em = await startEmulator({ users, seed, notice: () => undefined, stateDir: dir });
  try {
    const call = async (key: string, payload?: unknown) => {
      const answer = (await em.invoke(key, payload)) as Answer;
      if (!answer.ok) throw new Error(`${key}: ${answer.error.code}`);
      return answer.data;
    };
    await call('saveSettings', {
      tenantId: SIMULATED_TENANT.tenantId,
      clientId: SIMULATED_TENANT.clientId,
      clientSecret: SIMULATED_TENANT.clientSecret,
      intervalDays: 1,
    });
    await call('createSchema');
    await em.drain();
    const started = await call('startSync');
    await em.drain();
    const run = await call('getRun', { runId: started['runId'] });
    expect(run['status']).toBe('succeeded');
    expect(run['counts']).toEqual(inProcess.run.counts);
    expect(byEntraId(em.simulation!.jira.employees())).toEqual(expectedState);
  } finally {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
