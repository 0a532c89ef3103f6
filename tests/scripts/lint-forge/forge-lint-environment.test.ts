import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { findSpecs, prepareOfflineEnvironment, SPEC_FILES, STUB_SPEC } from '../../../scripts/lint-forge/forge-lint-environment';
import { type Fixture, fixtureProject } from './fixture-project';

const SWAGGER_VARIABLES = [
  'USE_LOCAL_SWAGGER',
  'LOCAL_JIRA_SWAGGER',
  'LOCAL_JSM_SWAGGER',
  'LOCAL_JSW_SWAGGER',
  'LOCAL_CONF_SWAGGER',
  'LOCAL_CONF_V2_SWAGGER',
  'LOCAL_BB_SWAGGER',
];

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function specsDir(files: readonly string[]): string {
  const dir = tempDir('lint-forge-specs-');
  for (const file of files) fs.writeFileSync(path.join(dir, file), JSON.stringify({ openapi: '3.0.1', paths: {} }));
  return dir;
}

describe('findSpecs', () => {
  it('uses FORGE_LINT_SPECS_DIR when it holds both specs', () => {
    const dir = specsDir([SPEC_FILES.jira, SPEC_FILES.jsm]);
    expect(findSpecs('/nowhere', { FORGE_LINT_SPECS_DIR: dir })).toEqual({
      found: true,
      dir,
      jira: path.join(dir, SPEC_FILES.jira),
      jsm: path.join(dir, SPEC_FILES.jsm),
    });
  });

  it('says which spec is missing and where it looked', () => {
    const dir = specsDir([SPEC_FILES.jira]);
    const lookup = findSpecs('/nowhere', { FORGE_LINT_SPECS_DIR: dir });
    expect(lookup).toEqual({ found: false, reason: expect.stringContaining(`FORGE_LINT_SPECS_DIR (${dir}) lacks ${SPEC_FILES.jsm}`) });
  });

  it('defaults to ../shared/specs beside the project root', () => {
    const parent = tempDir('lint-forge-parent-');
    const root = path.join(parent, 'main');
    fs.mkdirSync(root);
    expect(findSpecs(root, {})).toMatchObject({ found: false, reason: expect.stringContaining(path.join(parent, 'shared', 'specs')) });
    fs.mkdirSync(path.join(parent, 'shared', 'specs'), { recursive: true });
    for (const file of Object.values(SPEC_FILES)) fs.writeFileSync(path.join(parent, 'shared', 'specs', file), '{}');
    expect(findSpecs(root, {})).toMatchObject({ found: true, dir: path.join(parent, 'shared', 'specs') });
  });
});

describe('prepareOfflineEnvironment', () => {
  let fixture: Fixture;
  beforeEach(() => {
    fixture = fixtureProject();
  });
  afterEach(() => fixture.remove());

  it('points the six LOCAL_*_SWAGGER variables at the specs and a stub, and restores the environment after', () => {
    const before = SWAGGER_VARIABLES.map((name) => process.env[name]);
    const dir = specsDir([SPEC_FILES.jira, SPEC_FILES.jsm]);
    const offline = prepareOfflineEnvironment(fixture.root, findSpecs(fixture.root, { FORGE_LINT_SPECS_DIR: dir }));
    try {
      expect(process.env.USE_LOCAL_SWAGGER).toBe('true');
      expect(process.env.LOCAL_JIRA_SWAGGER).toBe(path.join(dir, SPEC_FILES.jira));
      expect(process.env.LOCAL_JSM_SWAGGER).toBe(path.join(dir, SPEC_FILES.jsm));
      const stub = process.env.LOCAL_BB_SWAGGER ?? '';
      expect(JSON.parse(fs.readFileSync(stub, 'utf8'))).toEqual(STUB_SPEC);
      for (const name of ['LOCAL_JSW_SWAGGER', 'LOCAL_CONF_SWAGGER', 'LOCAL_CONF_V2_SWAGGER']) expect(process.env[name]).toBe(stub);
      expect(process.env.XDG_CONFIG_HOME?.startsWith(os.tmpdir())).toBe(true);
    } finally {
      offline.restore();
    }
    expect(SWAGGER_VARIABLES.map((name) => process.env[name])).toEqual(before);
  });

  it('sets no swagger variables without specs (the permission linter is left out instead)', () => {
    const offline = prepareOfflineEnvironment(fixture.root, { found: false, reason: 'none' });
    try {
      expect(process.env.USE_LOCAL_SWAGGER).toBeUndefined();
    } finally {
      offline.restore();
    }
  });

  it('refuses and records every fetch while prepared', async () => {
    const realFetch = globalThis.fetch;
    const offline = prepareOfflineEnvironment(fixture.root, { found: false, reason: 'none' });
    try {
      await expect(fetch('https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json')).rejects.toThrow(/runs offline/);
      expect(offline.blockedRequests).toEqual(['https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json']);
    } finally {
      offline.restore();
    }
    expect(globalThis.fetch).toBe(realFetch);
  });

  it('shadows the project with folder includes turned into globs, and removes the shadow after', () => {
    const offline = prepareOfflineEnvironment(fixture.root, { found: false, reason: 'none' });
    const shadow = offline.workDir;
    try {
      const tsconfig: unknown = JSON.parse(fs.readFileSync(path.join(shadow, 'tsconfig.json'), 'utf8'));
      expect(tsconfig).toMatchObject({ include: ['src/**/*'], compilerOptions: { strict: true } });
      expect(fs.readFileSync(path.join(shadow, 'manifest.yml'), 'utf8')).toBe(
        fs.readFileSync(path.join(fixture.root, 'manifest.yml'), 'utf8'),
      );
      expect(fs.existsSync(path.join(shadow, 'src', 'functions', 'consumers.ts'))).toBe(true);
      expect(offline.notes.join('\n')).toContain('src -> src/**/*');
    } finally {
      offline.restore();
    }
    expect(fs.existsSync(shadow)).toBe(false);
    expect(fs.existsSync(path.join(fixture.root, 'src', 'functions', 'consumers.ts'))).toBe(true);
  });

  it('leaves glob includes as they are', () => {
    fixture.write('tsconfig.json', JSON.stringify({ include: ['src/**/*.ts'], exclude: ['src/generated'] }));
    fixture.write('src/generated/x.ts', 'export {};\n');
    const offline = prepareOfflineEnvironment(fixture.root, { found: false, reason: 'none' });
    try {
      expect(JSON.parse(fs.readFileSync(path.join(offline.workDir, 'tsconfig.json'), 'utf8'))).toEqual({
        include: ['src/**/*.ts'],
        exclude: ['src/generated/**/*'],
      });
    } finally {
      offline.restore();
    }
  });
});
