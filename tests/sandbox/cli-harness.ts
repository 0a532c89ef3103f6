/**
 * Runs the sandbox command line as a user would (`tsx sandbox/cli.ts <command> ... --state-dir <tmp>`), in its own
 * process group so a test can kill the whole sandbox (tsx runs the script in a child process) with SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SIMULATED_TENANT } from '../../fakes/simulation';
import { type Emulator, startEmulator } from '../../sandbox/emulator';

export const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** `configure`'s credential flags for the simulated tenant's app registration. */
export const SIMULATED_CREDENTIALS: readonly string[] = [
  '--tenant-id',
  SIMULATED_TENANT.tenantId,
  '--client-id',
  SIMULATED_TENANT.clientId,
  '--client-secret',
  SIMULATED_TENANT.clientSecret,
];

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempStateDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `sandbox-${label}-`));
}

export function startCli(args: readonly string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(TSX, ['sandbox/cli.ts', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[]): Promise<CliResult> {
  return startCli(args).done;
}

/** Parses stdout of a --json run: it must be exactly one JSON object. */
export function jsonOf(result: CliResult): Record<string, unknown> {
  const parsed: unknown = JSON.parse(result.stdout);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`stdout is not one JSON object: ${result.stdout}`);
  return parsed as Record<string, unknown>;
}

/** Kills the sandbox and every process it started. */
export function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
}

/**
 * Opens a CLI state directory in process (the built-in world of 40 users, seed 12, as the CLI tests create it),
 * lets `change` alter the world, and saves it for the next command.
 */
export async function changeWorld(
  dir: string,
  change: (em: Emulator) => void | Promise<void>,
  simulation: Parameters<typeof startEmulator>[0]['simulation'] = {},
): Promise<void> {
  const em = await startEmulator({ stateDir: dir, users: 40, seed: 12, notice: () => undefined, simulation });
  try {
    await change(em);
  } finally {
    await em.close();
  }
}

/** A maker of temporary state directories that are all removed after the test file (call at the top level). */
export function stateDirsRemovedAfterAll(): (label: string) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (label) => {
    const dir = tempStateDir(label);
    dirs.push(dir);
    return dir;
  };
}
