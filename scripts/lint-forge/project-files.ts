/**
 * Finds the project root and lists the files to lint the way @forge/cli's LintService does: everything under src/
 * plus the folders of UI Kit resources, skipping node_modules and what .gitignore names. The .gitignore handling
 * is @forge/cli-shared's own (installed with @forge/lint), so lint:forge and `forge lint` see the same files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FileSystemReader, listGitIgnoreFiles } from '@forge/cli-shared';

import { MANIFEST_FILE } from './manifest';
import { SOURCE_DIRECTORY, toPosix } from './paths';

/** The nearest folder at or above `start` that holds both manifest.yml and package.json. */
export function findProjectRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, MANIFEST_FILE)) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No ${MANIFEST_FILE} with a package.json beside it at or above ${start}.`);
    dir = parent;
  }
}

/** The folders to lint: src/ and each UI Kit resource's folder (a resource path may name its entry file). */
export function lintRoots(root: string, nativeResourcePaths: readonly string[]): string[] {
  const roots = new Set<string>([SOURCE_DIRECTORY]);
  for (const resourcePath of nativeResourcePaths) {
    const absolute = path.resolve(root, resourcePath);
    if (!fs.existsSync(absolute)) continue;
    const folder = fs.statSync(absolute).isDirectory() ? absolute : path.dirname(absolute);
    const relative = toPosix(path.relative(root, folder));
    if (relative.startsWith('..') || path.isAbsolute(relative) || isInside(relative, SOURCE_DIRECTORY)) continue;
    roots.add(relative === '' ? '.' : relative);
  }
  return [...roots];
}

/**
 * Relative, '/'-separated paths of the files to lint, sorted. cli-shared expands .gitignore globs against the
 * working directory, so the listing runs with the project root as cwd and restores it afterwards.
 */
export async function listLintFiles(root: string, nativeResourcePaths: readonly string[]): Promise<string[]> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const reader = new FileSystemReader();
    const ignored = ['node_modules', ...(await listGitIgnoreFiles(reader))];
    const files = new Set<string>();
    for (const dir of lintRoots(root, nativeResourcePaths)) {
      for (const file of await reader.recursiveReadDir(dir, ignored)) files.add(toPosix(file));
    }
    return [...files].sort();
  } finally {
    process.chdir(previous);
  }
}

function isInside(relative: string, folder: string): boolean {
  return relative === folder || relative.startsWith(`${folder}/`);
}
