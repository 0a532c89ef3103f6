/**
 * The built-in world: a generated Entra tenant and Jira site (fakes/simulation) whose state lives in
 * <stateDir>/world.json, so a second command sees the directory, the delta tokens and the Assets objects the first
 * one left (a second sync is incremental). The file is rewritten after every call that may have changed the tenant
 * or the site, before the app sees the answer, so a sandbox killed at any instant never loses a change the app
 * already knows about; each half is re-serialised only when it changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { tenantSnapshotSchema } from '../fakes/entra/fake-entra-server';
import { siteSnapshotSchema } from '../fakes/jira/fake-jira-site';
import { type Simulation, type SimulationOptions, startSimulation } from '../fakes/simulation';
import { generateWorld } from '../fakes/world/generate-world';
import { writeFileAtomic } from './atomic-file';

export const DEFAULT_USERS = 500;
export const DEFAULT_SEED = 1;

const worldFileSchema = z.object({
  v: z.literal(1),
  users: z.number().int(),
  seed: z.number().int(),
  entra: tenantSnapshotSchema,
  jira: siteSnapshotSchema,
});

export interface BuiltInWorldOptions {
  readonly stateDir: string;
  readonly users?: number;
  readonly seed?: number;
  readonly now: () => number;
  readonly adminAccountId: string;
  /** Extra behaviour of the fakes (throttling, latency, preexisting schemas...). */
  readonly simulation?: Omit<SimulationOptions, 'world' | 'now'>;
  readonly warn: (message: string) => void;
}

export interface BuiltInWorld {
  readonly simulation: Simulation;
  readonly users: number;
  readonly seed: number;
  /** Writes world.json; `part` says which half changed. */
  persist(part: 'entra' | 'jira' | 'both'): void;
  close(): Promise<void>;
}

export async function startBuiltInWorld(options: BuiltInWorldOptions): Promise<BuiltInWorld> {
  const file = join(options.stateDir, 'world.json');
  let saved: z.infer<typeof worldFileSchema> | null = null;
  if (existsSync(file)) {
    const parsed = worldFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is unreadable; delete the state directory to start over.`);
    saved = parsed.data;
  }
  const users = saved?.users ?? options.users ?? DEFAULT_USERS;
  const seed = saved?.seed ?? options.seed ?? DEFAULT_SEED;
  if (
    saved !== null &&
    ((options.users !== undefined && options.users !== users) || (options.seed !== undefined && options.seed !== seed))
  ) {
    options.warn(
      `This state directory holds a world of ${users} users (seed ${seed}); --users and --seed apply only to a new state directory.`,
    );
  }

  const world = generateWorld({ users, seed });
  const extra = options.simulation ?? {};
  const simulation = await startSimulation({
    ...extra,
    world,
    now: options.now,
    jira: { ...extra.jira, administrators: [...(extra.jira?.administrators ?? []), options.adminAccountId] },
  });
  if (saved !== null) {
    simulation.entra.importState(saved.entra);
    simulation.jira.importState(saved.jira);
  }

  let entraJson = JSON.stringify(simulation.entra.exportState());
  let jiraJson = JSON.stringify(simulation.jira.exportState());
  const persist = (part: 'entra' | 'jira' | 'both') => {
    if (part !== 'jira') entraJson = JSON.stringify(simulation.entra.exportState());
    if (part !== 'entra') jiraJson = JSON.stringify(simulation.jira.exportState());
    writeFileAtomic(file, `{"v":1,"users":${users},"seed":${seed},"entra":${entraJson},"jira":${jiraJson}}`);
  };
  persist('both');
  return { simulation, users, seed, persist, close: () => simulation.close() };
}
