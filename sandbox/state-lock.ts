/**
 * One sandbox per state directory at a time: two processes delivering the same queue files would each run every
 * event. The lock file names the holder's pid; a lock left by a process that no longer runs (killed) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const heldHere = new Set<string>();

export function lockStateDir(stateDir: string): () => void {
  const file = join(stateDir, 'sandbox.lock');
  if (heldHere.has(file)) throw new Error(`The state directory ${stateDir} is already open in this process.`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `Another sandbox (pid ${holder}) is using the state directory ${stateDir}. Wait for it to finish or use another --state-dir.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the state directory ${stateDir}.`);
}

/** A killed process can linger as a zombie until its parent reaps it: that is not a live holder. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
