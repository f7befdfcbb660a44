/** Jest runs TypeScript through swc (fast, no type-check; `tsc --noEmit` type-checks in `npm test`).
 *  Suites run in band: each file owns one Temporal test environment and one database. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  maxWorkers: 1,
  testTimeout: 120000,
};
