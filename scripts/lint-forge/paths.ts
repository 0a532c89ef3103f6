/**
 * Path conventions shared by the lint:forge modules: findings and file lists use root-relative, '/'-separated
 * paths on every platform.
 */
import * as path from 'node:path';

/** Where Forge looks for function handlers and where the app's code lives. */
export const SOURCE_DIRECTORY = 'src';

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
