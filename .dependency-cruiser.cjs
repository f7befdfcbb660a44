/**
 * The layers, bottom to top; a module may import only from its own layer and the layers below
 * (docs/architecture.md). `npm run lint` fails on any import that points up, and on cycles.
 *
 *   policy -> contract -> db -> activities -> machine -> workflows -> backtest -> api -> worker -> runtime -> scripts -> bench, test
 *
 * bench/ and test/ are the top: benchmarks reuse test/helpers and test/fixtures (real servers, demo data).
 *
 * workflows/ import activities only as types (the worker registers the implementations).
 *
 * console/ (the browser app) stands apart: a client of the HTTP API, it imports only `import type` from contract/.
 */
// One list, which scripts/lint.ts hands to dependency-cruiser too (console/ stands apart, below).
const layers = require('./scripts/layers.json');

/** Per layer, the folders above it: importing from any of them is an upward import. */
const upward = layers.slice(0, -2).map((layer, i) => ({
  name: `no-upward-from-${layer}`,
  comment: `${layer}/ may import only from ${layers.slice(0, i + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^${layer}/` },
  to: { path: `^(${layers.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'workflows-import-activity-types-only',
      comment: 'the workflow bundle must not pull in activity code (drizzle, network); `import type` only',
      severity: 'error',
      from: { path: '^(workflows|machine)/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'bench-uses-test-support-only',
      comment: 'benchmarks may reuse the test servers, databases and fixtures, never a test suite',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/(helpers|fixtures)/' },
    },
    {
      name: 'backtest-engine-is-pure',
      comment: 'backtest/engine replays cases deterministically: no database, no activities (backtest/activities reads the read model)',
      severity: 'error',
      from: { path: '^backtest/engine/' },
      to: { path: '^(db|activities)/|^backtest/(?!engine/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-is-a-client',
      comment: 'console/ (browser) talks to the server over HTTP only; from the server it may import contract/ types',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^(policy|db|activities|workflows|backtest|api|worker|runtime|scripts|bench|test)/' },
    },
    {
      name: 'console-imports-contract-types-only',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^contract/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-does-not-import-console',
      comment: 'the API serves console/dist as files; no server module imports console/ code (tests of console logic may)',
      severity: 'error',
      from: { pathNot: '^(console|test)/' },
      to: { path: '^console/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|\\.temporal)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
