/**
 * `npm start` builds the console when console/dist is missing or older than its sources (vite build takes
 * seconds), so a newcomer needs no extra command. Production images build it once (Dockerfile).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

const ROOT = resolve(__dirname, '..');
const CONSOLE = join(ROOT, 'console');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

export function consoleBuildIsStale(): boolean {
  const index = join(CONSOLE, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => join(CONSOLE, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs;
}

export function buildConsole(): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV explicitly: vite keeps an inherited one, and under jest (NODE_ENV=test) the bundle would carry
  // React's development build (twice the size, slower), which a later npm start would then serve.
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(CONSOLE, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`console build failed (exit ${result.status})`);
}

/** Builds the console if needed; without vite (a production install) it keeps whatever build exists. */
export function ensureConsoleBuilt(logger: Logger): void {
  if (!consoleBuildIsStale()) return;
  if (!existsSync(join(ROOT, 'node_modules', 'vite'))) {
    logger.warn('console/dist is missing or stale and vite is not installed: the console is not served');
    return;
  }
  logger.info('building the console (console/dist)');
  const started = Date.now();
  buildConsole();
  logger.info({ ms: Date.now() - started }, 'console built');
}
