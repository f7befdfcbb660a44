// ESLint for the whole repository: typescript-eslint's recommended rules plus the type-aware ones that
// catch Temporal's classic bugs (a forgotten `await`, a promise passed where a callback is expected), and
// the determinism law for workflows/ and policy/ (docs/architecture.md). Formatting is Prettier's job.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Modules that do I/O or keep process state: never in a workflow or in the pure policy model. */
const IO_MODULES = [
  'drizzle-orm',
  'drizzle-orm/*',
  'postgres',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  'express',
  'express-rate-limit',
  'helmet',
  'pino',
  'prom-client',
  'nodemailer',
  'smtp-server',
  'mailparser',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@temporalio/envconfig',
];

/** Node's built-ins by bare name (the `node:` form is caught by a pattern). */
const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Layers a workflow or the policy model must not reach, even through a relative path. */
const IO_LAYERS = ['**/db/**', '**/api/**', '**/runtime/**', '**/worker/**', '**/scripts/**'];

const determinismImports = (extra = []) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: [...IO_MODULES, ...NODE_BUILTINS].map((name) => ({
        name,
        message: 'Determinism: workflows/ and policy/ do no I/O; take the value as input or use an activity.',
        allowTypeImports: true,
      })),
      patterns: [
        {
          group: ['node:*'],
          message: 'Determinism: no Node built-ins in workflows/ or policy/ (the workflow sandbox forbids them).',
          allowTypeImports: true,
        },
        {
          group: [...IO_LAYERS, ...extra],
          message: 'Determinism: workflows/ and policy/ import only policy/, contract/ and activity types.',
          allowTypeImports: true,
        },
      ],
    },
  ],
});

const determinismSyntax = {
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'Determinism: take `now` as an explicit instant (workflows: workflowNow() from workflows/workflow-time).',
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Determinism: `new Date()` reads the wall clock; pass an explicit instant.',
    },
    {
      selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
      message: 'Determinism: no Math.random(); derive values from the input or use the workflow API (uuid4).',
    },
    {
      selector: 'CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]',
      message: 'Determinism: use durable timers (sleep / condition with a timeout), not setTimeout.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['node_modules/', '.temporal/', '.data/', 'dist/', 'coverage/', 'console/dist/', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['workflows/**/*.ts', 'policy/**/*.ts', 'contract/**/*.ts'],
    rules: { ...determinismImports(), ...determinismSyntax },
  },
  // The case machine is pure rules: the determinism law, and no Temporal API either (the workflow wires it).
  {
    files: ['machine/**/*.ts'],
    rules: { ...determinismImports(['@temporalio/*', '**/workflows/**']), ...determinismSyntax },
  },
  // The back-test engine replays cases through the pure case machine (machine/): the same law.
  {
    files: ['backtest/engine/**/*.ts'],
    rules: { ...determinismImports(), ...determinismSyntax },
  },
  {
    // The browser console: a client of the HTTP API. Server layers only as `import type` from contract/.
    files: ['console/src/**/*.ts', 'console/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/contract/**', '**/contract'],
              message: 'console/ imports only types from contract/ (`import type`).',
              allowTypeImports: true,
            },
            {
              group: [
                '**/policy/**',
                '**/db/**',
                '**/api/**',
                '**/activities/**',
                '**/workflows/**',
                '**/backtest/**',
                '**/worker/**',
                '**/runtime/**',
                '**/scripts/**',
              ],
              message: 'console/ is a client of the HTTP API: no server code in the browser bundle.',
            },
            { group: ['node:*'], message: 'console/ runs in the browser: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  prettier,
);
