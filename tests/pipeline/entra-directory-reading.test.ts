/**
 * Issue 16, the reads before the first write: the delta rounds (Entra directory and groups, src/pipeline/delta-rounds.ts)
 * ask Graph for the next page while they store the page they have, so Graph's latency overlaps the KVS writes. Through
 * the pipeline harness: the real stages and Graph client over HTTP against the fake tenant, whose delta pages follow
 * Graph's (fakes/entra/graph-routes.ts: about 200 users a page, @odata.nextLink until the last page's deltaLink).
 */
import { generateWorld } from '../../fakes/world/generate-world';
import type { ExternalFetch } from '../../src/clients/http';
import { readDirectory, readDirectoryMeta } from '../../src/pipeline/directory-cache';
import type { KeyValueStore } from '../../src/pipeline/ports';
import { aroundStoreOps } from '../../src/pipeline/store-ops';
import { FakeClock, startHarness } from '../support/pipeline-harness';

const world = generateWorld({ users: 700, seed: 1618 });

/** Counts the storage writes made while a users/delta request was in flight. */
function overlapMeter() {
  let open = 0;
  const seen = { deltaRequests: 0, writesBesideDelta: 0, links: [] as string[] };
  const wrapFetch =
    (inner: ExternalFetch): ExternalFetch =>
    async (request) => {
      if (!request.url.includes('/users/delta')) return inner(request);
      seen.deltaRequests++;
      seen.links.push(request.url);
      open++;
      try {
        return await inner(request);
      } finally {
        open--;
      }
    };
  const wrapStore = (inner: KeyValueStore): KeyValueStore =>
    aroundStoreOps(inner, (op, _key, call) => {
      if (op === 'set' && open > 0) seen.writesBesideDelta++;
      return call();
    });
  return { seen, wrapFetch, wrapStore };
}

describe('reading the Entra directory (issue 16)', () => {
  it('asks for the next delta page while it stores this one; each page asked once; the directory complete', async () => {
    const meter = overlapMeter();
    const h = await startHarness({
      world,
      seed: 1618,
      clock: new FakeClock(),
      simulation: { entra: { behaviour: { deltaPageSize: 100 } }, jira: { assetsRedirects: 'off' } },
      wrapExternalFetch: meter.wrapFetch,
      wrapStore: meter.wrapStore,
    });
    try {
      const { run } = await h.run('preview');
      expect(run.status).toBe('succeeded');
      const meta = await readDirectoryMeta(h.store);
      if (meta === null) throw new Error('no cached directory');
      const users = await readDirectory(h.store, meta.generation, meta.chunks);
      expect(users.map((u) => u.id).sort()).toEqual(world.entra.users.map((u) => u.id).sort());
      // The pages of the round, each asked once: 700 users at 100 a page.
      expect(meter.seen.deltaRequests).toBe(Math.ceil(world.entra.users.length / 100));
      expect(new Set(meter.seen.links).size).toBe(meter.seen.links.length);
      // Every page after the first was on its way while the page before it was stored.
      expect(meter.seen.writesBesideDelta).toBeGreaterThanOrEqual(meter.seen.deltaRequests - 1);
      h.sim.entra.expectNoUnexpected();
    } finally {
      await h.close();
    }
  });
});
