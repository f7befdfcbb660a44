/** Jest runs TypeScript through swc (fast, no type-check; `tsc --noEmit` type-checks in `npm test`).
 *  Suites run in band: each file owns one Temporal test environment and one database.
 *  email-reply-parser ships ES modules only: swc compiles it to CommonJS like our own code. */
const swc = { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } };
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '/node_modules/email-reply-parser/.+\\.js$': ['@swc/jest', { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!email-reply-parser/)'],
  maxWorkers: 1,
  testTimeout: 120000,
};
