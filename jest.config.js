/**
 * ts-jest in transpile-only mode (tsconfig has isolatedModules; `npm run typecheck` does the type checking).
 * p-retry and its dependency are ESM-only: they are transformed to CommonJS like our own sources.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.[tj]sx?$': [
      'ts-jest',
      { tsconfig: { module: 'CommonJS', moduleResolution: 'Node10', allowJs: true, isolatedModules: true, jsx: 'react-jsx' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(p-retry|is-network-error)/)'],
  maxWorkers: 2,
  testTimeout: 30_000,
};
