/**
 * The rules `npm test` enforces, each shown firing once on a deliberately bad snippet: the determinism law
 * for workflows/ and policy/ (ESLint, eslint.config.mjs), a forgotten await (type-aware ESLint), and
 * upward imports between the layers (dependency-cruiser, .dependency-cruiser.cjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = resolve(__dirname, '..', '..');
const PROBES = ['workflows/lint-probe.ts', 'policy/lint-probe.ts', 'machine/lint-probe.ts', 'api/lint-probe.ts'];

// The probe files exist only in memory; the project service gives them a default TypeScript project.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES } } } },
});

async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('determinism rules in workflows/ and policy/', () => {
  const bad: Array<[string, string, RegExp]> = [
    ["import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", 'a node: built-in', /no Node built-ins/],
    ["import { createHash } from 'crypto';\nexport const f = createHash;\n", 'a bare built-in', /do no I\/O/],
    ["import { eq } from 'drizzle-orm';\nexport const f = eq;\n", 'the database library', /do no I\/O/],
    ["import express from 'express';\nexport const f = express;\n", 'an HTTP library', /do no I\/O/],
    ["import pino from 'pino';\nexport const f = pino;\n", 'a logging library', /do no I\/O/],
    ["import { notifications } from '../db/schema';\nexport const f = notifications;\n", 'the db layer', /import only policy/],
    ['export const now = (): number => Date.now();\n', 'Date.now()', /explicit instant/],
    ['export const now = (): Date => new Date();\n', 'new Date()', /wall clock/],
    ['export const pick = (): number => Math.random();\n', 'Math.random()', /Math.random/],
    ['export const later = (f: () => void): unknown => setTimeout(f, 10);\n', 'setTimeout', /durable timers/],
  ];

  for (const folder of ['workflows', 'policy', 'machine']) {
    test.each(bad)(`${folder}/: %#`, async (code, _what, message) => {
      const messages = await lint(`${folder}/lint-probe.ts`, code);
      expect(messages.some((m) => message.test(m))).toBe(true);
    });
  }

  test('machine/ holds rules only: no Temporal API (the workflow wires it) and no workflows/ module', async () => {
    const temporal = await lint('machine/lint-probe.ts', "import { sleep } from '@temporalio/workflow';\nexport const f = sleep;\n");
    expect(temporal.some((m) => /import only policy/.test(m))).toBe(true);
    const wiring = await lint(
      'machine/lint-probe.ts',
      "import { workflowNow } from '../workflows/workflow-time';\nexport const f = workflowNow;\n",
    );
    expect(wiring.some((m) => /import only policy/.test(m))).toBe(true);
    expect(await lint('workflows/lint-probe.ts', "import { sleep } from '@temporalio/workflow';\nexport const f = sleep;\n")).toEqual([]);
  });

  test('type-only imports and explicit instants pass', async () => {
    const good = [
      "import type { Db } from '../db/client';",
      'export type D = Db;',
      'export const due = (openedAt: number, ms: number): string => new Date(openedAt + ms).toISOString();',
      '',
    ].join('\n');
    expect(await lint('workflows/lint-probe.ts', good)).toEqual([]);
  });

  test('the same calls are allowed outside the deterministic layers', async () => {
    expect(
      await lint('api/lint-probe.ts', "import pino from 'pino';\nexport const log = pino();\nexport const now = Date.now();\n"),
    ).toEqual([]);
  });
});

test('a forgotten await is an error (type-aware)', async () => {
  const code = 'async function write(): Promise<void> {}\nexport function step(): void {\n  write();\n}\n';
  const messages = await lint('api/lint-probe.ts', code);
  expect(messages.some((m) => m.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
});

describe('layers: no upward import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'caseflow-layers-'));
    const files: Record<string, string> = {
      'policy/rule.ts': "import { table } from '../db/schema';\nexport const rule = table;\n",
      'db/schema.ts': "export const table = 'cases';\n",
      'activities/send.ts': "import { caseWorkflow } from '../workflows/case';\nexport const send = caseWorkflow;\n",
      'activities/types.ts': 'export interface Batch { id: string }\n',
      'workflows/case.ts': "import type { Batch } from '../activities/types';\nexport const caseWorkflow = (b: Batch) => b.id;\n",
      'workflows/eager.ts': "import { send } from '../activities/send';\nexport const eager = send;\n",
      'api/app.ts': "import { table } from '../db/schema';\nexport const app = table;\n",
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('dependency-cruiser names each upward import and passes the downward ones', () => {
    // The project's own rule set, run as `npm run lint` runs it, on a small tree of the same layers.
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        '--config',
        join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
        'policy',
        'db',
        'activities',
        'workflows',
        'api',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    const output = JSON.parse(run.stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
    const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    expect(violations).toEqual([
      'no-upward-from-activities: activities/send.ts -> workflows/case.ts',
      'no-upward-from-policy: policy/rule.ts -> db/schema.ts',
      'workflows-import-activity-types-only: workflows/eager.ts -> activities/send.ts',
    ]);
  });
});
