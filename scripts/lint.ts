/**
 * `npm run lint` (part of `npm test`): ESLint (type-aware, determinism rules), Prettier and the layer check
 * (dependency-cruiser). `npm run lint -- --fix` lets ESLint and Prettier fix what they can.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fix = process.argv.includes('--fix');
// The layers of .dependency-cruiser.cjs (one list, scripts/layers.json), and the console beside them.
const LAYERS = [...(JSON.parse(readFileSync(join(__dirname, 'layers.json'), 'utf8')) as string[]), 'console'];

const steps: Array<[string, string[]]> = [
  ['eslint', ['eslint', '--max-warnings=0', ...(fix ? ['--fix'] : []), '.']],
  ['prettier', ['prettier', fix ? '--write' : '--check', '--log-level=warn', '.']],
  ['layers', ['depcruise', '--config', '.dependency-cruiser.cjs', ...LAYERS]],
];

let failed = 0;
for (const [name, [bin, ...args]] of steps) {
  const started = Date.now();
  const run = spawnSync('npx', ['--no-install', bin!, ...args], { stdio: 'inherit' });
  const ok = run.status === 0;
  console.log(`lint: ${name} ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) failed++;
}
if (failed > 0) {
  if (!fix) console.log('lint: `npm run lint -- --fix` fixes formatting and the auto-fixable rules');
  process.exit(1);
}
