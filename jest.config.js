/** Jest runs TypeScript through swc (fast, no type-check; `tsc --noEmit` type-checks in `npm test`).
 *  Suites run in band: each file owns one Temporal test environment and one database.
 *  FormatJS (intl-messageformat and its parser), email-reply-parser, openid-client (with oauth4webapi and
 *  jose) and oidc-provider ship ES modules only: swc turns them into CommonJS too. */
const swc = { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } };
const swcJs = { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } };
const ESM_PACKAGES = 'intl-messageformat|@formatjs|email-reply-parser|openid-client|oauth4webapi|jose|oidc-provider|@tus|srvx';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    [`/node_modules/(${ESM_PACKAGES})/.+\\.m?js$`]: ['@swc/jest', swcJs],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES})/)`],
  maxWorkers: 1,
  testTimeout: 120000,
};
