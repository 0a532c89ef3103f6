/**
 * Issue 12, a mistyped directory extension property: on save through the saveSettings use case (Graph asked with
 * the settings being saved, `GET /v1.0/users?$top=1&$select=id,<properties>`), and at run time when the property
 * was removed from the tenant after it was saved. Real clients against the fake tenant, which answers Graph's 400
 * "Could not find a property named '...' on type 'microsoft.graph.user'." for a property it does not have.
 */
import { WORLD_EXTENSION_PROPERTIES } from '../../fakes/world/world-data';
import { AppError } from '../../src/domain/errors';
import { keys } from '../../src/pipeline/keys';
import { saveSettingsUseCase } from '../../src/usecases/save-settings';
import { type Harness, startHarness } from '../support/pipeline-harness';

const REAL = WORLD_EXTENSION_PROPERTIES.costCentre;
const BADGE = WORLD_EXTENSION_PROPERTIES.badgeNumber;
const TYPO = REAL.replace('costCentre', 'costCenter');
const ADMIN = { kind: 'jira-admin', accountId: '5b10ac8d82e05b22cc7d4ef5' } as const;

async function save(h: Harness, form: Record<string, unknown>) {
  return saveSettingsUseCase.run(
    { ...h.deps, connectionDeps: h.connectionDeps },
    {
      tenantId: h.sim.tenant.tenantId,
      clientId: h.sim.tenant.clientId,
      cloud: 'global',
      intervalDays: 1,
      ...form,
    },
    ADMIN,
  );
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const selects = (h: Harness) =>
  h.sim.entra.requests.filter((r) => r.path === '/v1.0/users' && r.query['$top'] === '1').map((r) => r.query['$select']);

describe('directory extension properties the tenant does not have', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ users: 12, seed: 5 });
  });
  afterEach(() => h.close());

  it('a mistyped property is refused on save with INPUT_INVALID naming it and where to find the name; nothing is stored', async () => {
    const before = await h.store.get(keys.settings());
    const error = await refusal(
      save(h, {
        intervalDays: 4,
        extensions: [
          { property: REAL, name: 'HR Cost Centre' },
          { property: TYPO, name: 'Cost typo' },
        ],
      }),
    );
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain(`no directory extension property named ${TYPO}`);
    expect(error.message).not.toContain(`named ${REAL}`);
    expect(error.message).toContain('GET /applications/{id}/extensionProperties');
    expect(error.message).toContain('Microsoft Entra admin center');
    expect(error.message).toContain('Nothing was saved.');
    expect(await h.store.get(keys.settings())).toEqual(before);
    // Graph was asked with both, then without the one it named.
    expect(selects(h)).toEqual([`id,${REAL},${TYPO}`, `id,${REAL}`]);
  });

  it('properties the tenant has are stored, and an unchanged choice is not asked again', async () => {
    const saved = await save(h, {
      extensions: [
        { property: REAL, name: 'HR Cost Centre' },
        { property: BADGE, name: 'Badge' },
      ],
    });
    expect(saved).toMatchObject({ extensions: [{ property: REAL }, { property: BADGE }] });
    expect(selects(h)).toEqual([`id,${REAL},${BADGE}`]);
    await save(h, {
      intervalDays: 2,
      extensions: [
        { property: REAL, name: 'HR Cost Centre' },
        { property: BADGE, name: 'Badge number' },
      ],
    });
    expect(selects(h)).toHaveLength(1);
  });

  it('other failures propagate as today: without consent the save fails with GRAPH_CONSENT_MISSING and stores nothing', async () => {
    h.sim.entra.setConsent(false);
    const before = await h.store.get(keys.settings());
    const error = await refusal(save(h, { extensions: [{ property: REAL, name: 'HR Cost Centre' }] }));
    expect(error.code).toBe('GRAPH_CONSENT_MISSING');
    expect(await h.store.get(keys.settings())).toEqual(before);
  });

  it('a property removed from the tenant after it was saved fails the run with ENTRA_EXTENSION_PROPERTY_UNKNOWN, not retried', async () => {
    await save(h, { extensions: [{ property: BADGE, name: 'Badge' }] });
    h.sim.entra.removeExtensionProperty(BADGE);
    const { run } = await h.run('sync');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('ENTRA_EXTENSION_PROPERTY_UNKNOWN');
    expect(run.error?.message).toContain(BADGE);
    expect(run.error?.message).toContain('Setup tab, under Directory extension attributes');
    // Permanent: the full read was asked once, not again and again.
    const reads = h.sim.entra.requests.filter((r) => r.path === '/v1.0/users/delta' && r.status === 400);
    expect(reads).toHaveLength(1);
    expect(h.assetsWrites()).toBe(0);
  });
});
