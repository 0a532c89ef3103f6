/**
 * Writes that a process killed at any instant cannot tear: the new content goes to a temporary file that is then
 * renamed over the old one (rename is atomic on one file system). No fsync: a killed process loses nothing the
 * kernel already has; only a machine crash could, and the sandbox does not model that.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let counter = 0;

export function writeFileAtomic(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${++counter}.tmp`;
  try {
    writeFileSync(temp, content);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, content);
  }
  renameSync(temp, file);
}
