/**
 * The browser suite (`npm run test:browser`, kept out of `npm test`): the admin page in Debian's Chromium through
 * playwright-core. Files end in .browser.ts so the main jest config (testMatch *.test.ts) never picks them up.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/browser'],
  testMatch: ['**/*.browser.ts'],
  transform: {
    '^.+\\.[tj]sx?$': [
      'ts-jest',
      { tsconfig: { module: 'CommonJS', moduleResolution: 'Node10', allowJs: true, isolatedModules: true, jsx: 'react-jsx' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(p-retry|is-network-error)/)'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
