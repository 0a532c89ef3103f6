/**
 * Everything @forge/lint needs to run offline, prepared in a temp folder and undone afterwards:
 * - the OpenAPI specs for its permission-scope linter (Jira platform and JSM from a specs folder, a stub for the
 *   four products the app does not call), announced through USE_LOCAL_SWAGGER and the six LOCAL_*_SWAGGER
 *   variables, since otherwise it downloads them;
 * - XDG_CONFIG_HOME, where it caches;
 * - a shadow of the project (symlinks to every entry of the root) whose tsconfig.json names folders as globs:
 *   @forge/lint 6.3.1 compares each file path with the tsconfig `include` entries literally, so an entry such as
 *   "src" makes it silently skip every .ts and .tsx file;
 * - a global fetch that refuses and records every call, so nothing can reach the network.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as ts from 'typescript';

export const SPEC_FILES = {
  jira: 'jira-platform.swagger-v3.json',
  jsm: 'jira-service-management.swagger-v3.json',
} as const;

export const STUB_SPEC = { openapi: '3.0.1', info: { title: 'stub', version: '0' }, paths: {} };

export type SpecsLookup =
  | { readonly found: true; readonly dir: string; readonly jira: string; readonly jsm: string }
  | { readonly found: false; readonly reason: string };

/** FORGE_LINT_SPECS_DIR when set, else ../shared/specs beside the project root. */
export function findSpecs(root: string, env: NodeJS.ProcessEnv = process.env): SpecsLookup {
  const fromEnv = env.FORGE_LINT_SPECS_DIR;
  const dir = fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.resolve(root, '..', 'shared', 'specs');
  const source = fromEnv !== undefined && fromEnv !== '' ? 'FORGE_LINT_SPECS_DIR' : 'the default ../shared/specs';
  const jira = path.join(dir, SPEC_FILES.jira);
  const jsm = path.join(dir, SPEC_FILES.jsm);
  const missing = [jira, jsm].filter((file) => !fs.existsSync(file)).map((file) => path.basename(file));
  if (missing.length > 0) {
    return { found: false, reason: `${source} (${dir}) lacks ${missing.join(' and ')}; set FORGE_LINT_SPECS_DIR to a folder holding both` };
  }
  return { found: true, dir, jira, jsm };
}

export interface OfflineEnvironment {
  /** The shadow project folder to run @forge/lint in. */
  readonly workDir: string;
  /** URLs @forge/lint tried to fetch (always refused). */
  readonly blockedRequests: readonly string[];
  /** What was changed to make the run possible, for the summary. */
  readonly notes: readonly string[];
  restore(): void;
}

export function prepareOfflineEnvironment(root: string, specs: SpecsLookup): OfflineEnvironment {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-forge-'));
  const notes: string[] = [];
  const savedEnv = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string): void => {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  };

  const xdg = path.join(temp, 'xdg');
  fs.mkdirSync(xdg);
  setEnv('XDG_CONFIG_HOME', xdg);

  if (specs.found) {
    const stub = path.join(temp, 'stub-openapi.json');
    fs.writeFileSync(stub, JSON.stringify(STUB_SPEC));
    setEnv('USE_LOCAL_SWAGGER', 'true');
    setEnv('LOCAL_JIRA_SWAGGER', specs.jira);
    setEnv('LOCAL_JSM_SWAGGER', specs.jsm);
    for (const name of ['LOCAL_JSW_SWAGGER', 'LOCAL_CONF_SWAGGER', 'LOCAL_CONF_V2_SWAGGER', 'LOCAL_BB_SWAGGER']) setEnv(name, stub);
  }

  const workDir = path.join(temp, 'project');
  notes.push(...createShadowProject(root, workDir));

  const blockedRequests: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    blockedRequests.push(url);
    throw new Error(`lint:forge runs offline: refused a request to ${url}`);
  };

  return {
    workDir,
    blockedRequests,
    notes,
    restore() {
      globalThis.fetch = realFetch;
      for (const [name, value] of savedEnv) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      fs.rmSync(temp, { recursive: true, force: true });
    },
  };
}

/** Links every root entry into workDir, except tsconfig.json, which is rewritten; returns notes on the rewrite. */
function createShadowProject(root: string, workDir: string): string[] {
  fs.mkdirSync(workDir);
  for (const entry of fs.readdirSync(root)) {
    if (entry === 'tsconfig.json') continue;
    fs.symlinkSync(path.join(root, entry), path.join(workDir, entry));
  }
  const tsconfigPath = path.join(root, 'tsconfig.json');
  if (!fs.existsSync(tsconfigPath)) return [];
  const { config, error } = ts.readConfigFile(tsconfigPath, (file) => fs.readFileSync(file, 'utf8'));
  if (error !== undefined || typeof config !== 'object' || config === null) {
    fs.copyFileSync(tsconfigPath, path.join(workDir, 'tsconfig.json'));
    return ['tsconfig.json could not be read; @forge/lint uses it as is'];
  }
  const rewritten: string[] = [];
  const globbed = (entries: unknown): unknown => {
    if (!Array.isArray(entries)) return entries;
    return entries.map((entry: unknown) => {
      if (typeof entry !== 'string' || /[*?[\]{}!]/.test(entry)) return entry;
      const absolute = path.resolve(root, entry);
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) return entry;
      const glob = `${entry.replace(/\/+$/, '')}/**/*`;
      rewritten.push(`${entry} -> ${glob}`);
      return glob;
    });
  };
  const shadowConfig: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  if ('include' in shadowConfig) shadowConfig.include = globbed(shadowConfig.include);
  if ('exclude' in shadowConfig) shadowConfig.exclude = globbed(shadowConfig.exclude);
  fs.writeFileSync(path.join(workDir, 'tsconfig.json'), JSON.stringify(shadowConfig, null, 2));
  return rewritten.length === 0
    ? []
    : [
        `tsconfig.json names folders (${rewritten.join(', ')}): @forge/lint would skip every .ts/.tsx file, so it ran on a shadow copy with those folders as globs (forge lint/deploy would skip them too: use globs in tsconfig.json)`,
      ];
}
