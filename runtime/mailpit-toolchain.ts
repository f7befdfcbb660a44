/**
 * Obtains Mailpit (a dev mail server: SMTP in, web UI and REST API out) without download sites: it builds
 * from the Go module proxy with `go install github.com/axllent/mailpit@<pinned>` (about 2 minutes the
 * first time, seconds with a warm Go build cache) and is cached under `.tools/bin/`, like the Temporal
 * binaries under `.temporal/`. Resolution: MAILPIT_PATH -> cached pinned binary -> go install -> none
 * (the caller then falls back to an in-process mail sink).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const MAILPIT_VERSION = 'v1.33.1';

const BIN_DIR = resolve(__dirname, '..', '.tools', 'bin');

export const cachedMailpitPath = (): string => join(BIN_DIR, `mailpit-${MAILPIT_VERSION}`);

export type MailpitResolution = { path: string; reason?: undefined } | { path: null; reason: string };

/** The Mailpit binary, building it when needed; `onBuild` is told before a (slow) build starts. */
export async function ensureMailpit(onBuild?: (message: string) => void): Promise<MailpitResolution> {
  const override = process.env.MAILPIT_PATH;
  if (override) return existsSync(override) ? { path: override } : { path: null, reason: `MAILPIT_PATH=${override} does not exist` };
  const cached = cachedMailpitPath();
  if (existsSync(cached)) return { path: cached };
  const go = await run('go', ['version']).catch(() => null);
  if (!go || go.code !== 0) return { path: null, reason: 'Go is not installed (needed once to build Mailpit)' };
  onBuild?.(`building Mailpit ${MAILPIT_VERSION} with go install (first run only, about 2 minutes)`);
  const gobin = mkdtempSync(join(tmpdir(), 'caseflow-mailpit-'));
  try {
    const built = await run('go', ['install', `github.com/axllent/mailpit@${MAILPIT_VERSION}`], {
      ...process.env,
      GOBIN: gobin,
      CGO_ENABLED: '0',
    });
    if (built.code !== 0) return { path: null, reason: `go install mailpit failed: ${built.output.trim().slice(-500)}` };
    mkdirSync(BIN_DIR, { recursive: true });
    const partial = `${cached}.partial`;
    renameSync(join(gobin, 'mailpit'), partial);
    renameSync(partial, cached); // atomic: a half-copied binary is never taken for a cached one
    return { path: cached };
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', rej);
    child.once('exit', (code) => res({ code: code ?? -1, output }));
  });
}
