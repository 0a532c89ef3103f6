import * as fs from 'node:fs';
import * as path from 'node:path';

import { findProjectRoot, lintRoots, listLintFiles } from '../../../scripts/lint-forge/project-files';
import { fixtureProject, manifestWith } from './fixture-project';

describe('findProjectRoot', () => {
  it('walks up to the folder with manifest.yml and package.json', () => {
    const fixture = fixtureProject();
    try {
      expect(findProjectRoot(path.join(fixture.root, 'src', 'functions'))).toBe(fixture.root);
    } finally {
      fixture.remove();
    }
  });

  it('finds this project from the scripts folder', () => {
    const root = findProjectRoot(path.join(__dirname, '..', '..', '..', 'scripts'));
    expect(fs.existsSync(path.join(root, 'scripts', 'lint-forge.ts'))).toBe(true);
  });
});

describe('listLintFiles', () => {
  it('lists src/ without node_modules or what .gitignore names, keeping the working directory', async () => {
    const fixture = fixtureProject({
      files: {
        '.gitignore': 'generated/\n*.log\n',
        'src/generated/client.ts': 'export {};\n',
        'src/node_modules/pkg/index.js': 'module.exports = {};\n',
        'debug.log': 'x',
        'tests/a.test.ts': 'export {};\n',
      },
    });
    const cwd = process.cwd();
    try {
      const files = await listLintFiles(fixture.root, ['src/ui/index.tsx']);
      expect(files).toContain('src/functions/consumers.ts');
      expect(files).toContain('src/ui/index.tsx');
      expect(
        files.filter((f) => f.includes('generated') || f.includes('node_modules') || f.startsWith('tests/') || f.endsWith('.log')),
      ).toEqual([]);
      expect(process.cwd()).toBe(cwd);
    } finally {
      fixture.remove();
    }
  });

  it('adds the folder of a UI Kit resource that lives outside src/', async () => {
    const fixture = fixtureProject({
      manifest: manifestWith('    path: src/ui/index.tsx', '    path: frontend/index.tsx'),
      files: {
        'src/ui/index.tsx': null,
        'frontend/index.tsx': 'export const App = () => null;\n',
        'frontend/parts/table.tsx': 'export {};\n',
      },
    });
    try {
      expect(lintRoots(fixture.root, ['frontend/index.tsx'])).toEqual(['src', 'frontend']);
      const files = await listLintFiles(fixture.root, ['frontend/index.tsx']);
      expect(files).toEqual(expect.arrayContaining(['frontend/index.tsx', 'frontend/parts/table.tsx', 'src/functions/resolver.ts']));
    } finally {
      fixture.remove();
    }
  });
});
