// Layer rules: src/domain is pure (no @forge/*, no I/O, no clock); @forge/* only in adapters, entry points and UI;
// only adapters reach the network (clients receive a transport).
import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

const forgeImports = {
  group: ['@forge/*'],
  message: '@forge/* belongs in src/adapters, src/functions or src/ui only.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.sandbox/**', 'coverage/**', 'bench/results/**', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Import order is checked (and fixed by `npm run format`): packages first, then relative paths, each sorted.
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { ...forgeImports, message: 'src/domain is pure: no @forge/* imports.' },
            {
              group: ['**/clients/**', '**/adapters/**', '**/pipeline/**', '**/functions/**', '**/ui/**', 'node:*', 'p-retry'],
              message: 'src/domain is pure: it imports only zod and other domain modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'src/domain is pure: no network.' },
        { name: 'setTimeout', message: 'src/domain is pure: no timers.' },
        { name: 'process', message: 'src/domain is pure: no process access.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'src/domain is pure: pass the clock (now) in.' },
        { object: 'Math', property: 'random', message: 'src/domain is pure: pass randomness in.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/domain is pure: pass the clock (now) in.' },
      ],
    },
  },
  {
    files: ['src/pipeline/**/*.ts', 'src/clients/**/*.ts', 'src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forgeImports,
            {
              group: ['**/functions/**', '**/ui/**', '**/usecases/**'],
              message: 'Stages, clients and services do not depend on entry points, use cases or the UI.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Clients receive their transport; only src/adapters calls fetch.' }],
    },
  },
  {
    // Use cases know no entry point and no Forge API: the boundaries in src/functions/boundary pass them their deps.
    files: ['src/usecases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              ...forgeImports,
              message: 'src/usecases imports no @forge/*: Forge pieces come in through deps built in src/functions/wiring.ts.',
            },
            {
              group: ['**/functions/**', '**/ui/**', '**/adapters/**'],
              message: 'Use cases may import domain, pipeline, clients and services only.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Clients receive their transport; only src/adapters calls fetch.' }],
    },
  },
);
