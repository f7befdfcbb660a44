/** Jest runs TypeScript through swc (fast, no type-check; `tsc --noEmit` type-checks in `npm test`).
 *  Suites run in band: each file owns one Temporal test environment and one database.
 *  FormatJS (intl-messageformat and its parser) ships ES modules only: swc turns them into CommonJS too. */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc, '/node_modules/(intl-messageformat|@formatjs)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(intl-messageformat|@formatjs)/)'],
  maxWorkers: 1,
  testTimeout: 120000,
};
