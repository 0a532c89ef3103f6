/**
 * A sandbox killed with SIGKILL in the middle of a sync (at a seeded random moment) and started again with the same
 * state directory must end with exactly the Assets state of an uninterrupted sync, with no duplicate Employee
 * object: the queued events, the app's storage and the simulated site all survive the kill, as on Forge.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { siteSnapshotSchema, startFakeJiraSite } from '../../fakes/jira/fake-jira-site';
import { createPrng } from '../../fakes/world/prng';
import { jsonOf, killGroup, runCli, SIMULATED_CREDENTIALS, startCli, tempStateDir } from './cli-harness';

jest.setTimeout(180_000);

const WORLD = ['--users', '100', '--seed', '21'];
const SEEDS = [1, 2, 3, 4];
/** How long the sync runs after its first event (100 users); each seed kills at a random moment in its own slice. */
const RUN_MS = 2_600;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyOf(template: string, label: string): string {
  const dir = tempStateDir(label);
  dirs.push(dir);
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** The Employee objects in the saved site, keyed by Entra User ID, managers as Entra ids (object ids may differ). */
async function assetsState(dir: string): Promise<{ state: Record<string, unknown>; duplicates: string[] }> {
  const snapshot = siteSnapshotSchema.parse(JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8'))['jira']);
  const site = await startFakeJiraSite({});
  try {
    site.importState(snapshot);
    const objects = site.employees();
    const entraIdOf = new Map(objects.map((o) => [o.objectId, o.values.entraUserId as string | null]));
    const state: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    for (const o of objects) {
      const { manager, ...rest } = o.values;
      const id = (o.values.entraUserId as string | null) ?? `no-id:${o.objectId}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      state[id] = { ...rest, manager: manager === null ? null : (entraIdOf.get(manager as string) ?? `object:${String(manager)}`) };
    }
    return { state, duplicates: [...seen].filter(([, n]) => n > 1).map(([id]) => id) };
  } finally {
    await site.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a sandbox killed mid-sync', () => {
  let template: string;
  let reference: Awaited<ReturnType<typeof assetsState>>;

  beforeAll(async () => {
    template = tempStateDir('template');
    dirs.push(template);
    const base = ['--state-dir', template, ...WORLD];
    expect((await runCli(['configure', ...SIMULATED_CREDENTIALS, ...base])).code).toBe(0);
    expect((await runCli(['schema', ...base])).code).toBe(0);
    const referenceDir = copyOf(template, 'reference');
    const sync = await runCli(['sync', '--json', '--state-dir', referenceDir]);
    expect(jsonOf(sync)).toMatchObject({ status: 'succeeded' });
    reference = await assetsState(referenceDir);
    expect(Object.keys(reference.state).length).toBeGreaterThan(60);
  });

  it.each(SEEDS)('resumes after SIGKILL (seed %i) and ends with the uninterrupted state', async (seed) => {
    const dir = copyOf(template, `kill-${seed}`);
    const events = join(dir, 'queues', 'events');
    const { child, done } = startCli(['sync', '--state-dir', dir]);
    let exited = false;
    void done.then(() => (exited = true));
    // Mid-sync: once the run has queued its first event, at a seeded random moment in this seed's slice of the run.
    await waitFor(() => exited || (existsSync(events) && readdirSync(events).some((f) => f.endsWith('.json'))), 60_000);
    const delayMs = Math.floor(((seed - 1 + createPrng(seed).next()) / SEEDS.length) * RUN_MS);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    expect(exited).toBe(false);
    killGroup(child);
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');

    const restarted = await runCli(['sync', '--json', '--state-dir', dir]);
    expect({ seed, code: restarted.code, stderr: restarted.stderr }).toEqual({
      seed,
      code: 0,
      stderr: expect.stringContaining('Resuming'),
    });
    expect(jsonOf(restarted)).toMatchObject({ status: 'succeeded', counts: { creates: 0, updates: 0, inactivations: 0 } });
    const after = await assetsState(dir);
    expect(after.duplicates).toEqual([]);
    expect(after.state).toEqual(reference.state);
  });
});
