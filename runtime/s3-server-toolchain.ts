/**
 * The S3-protocol server the attachment tests and `npm run cluster` store attachments in: gofakes3
 * (github.com/johannesboyne/gofakes3, MIT), a small Go HTTP server that speaks the S3 API (buckets, objects,
 * ranges, multipart uploads, ListMultipartUploads, abort) over a pluggable backend; we run its `fs` backend,
 * so objects are files on disk under the data folder (`buckets/`, `metadata/`). It is not a distributed store
 * (one process, no replication; unfinished multipart uploads are held in its memory until completed), so it
 * stands in for the protocol, not for production storage: production points S3_ENDPOINT at real S3 or any
 * S3-compatible store (docs/operations.md, Attachment storage).
 *
 * Why not SeaweedFS (a real store, tried first): its cold build had not finished after 100 minutes on a 2-core
 * machine, over the CI budget. gofakes3 builds cold (empty Go module and build caches) in 116 s on 2 cores
 * (the machine busy with other builds), 14 s with a warm Go build cache; `npm run s3:install` prints the time.
 *
 * Built with `go install <cmd>@<pinned>` from the Go module proxy (its go.mod has no replace directive) into
 * `.tools/bin/`, like Mailpit; a cached binary means no Go at all. Resolution: S3_SERVER_PATH -> cached
 * pinned binary -> go install -> none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const S3_SERVER_MODULE = 'github.com/johannesboyne/gofakes3';
export const S3_SERVER_VERSION = 'v1.2.0';
const S3_SERVER_CMD = `${S3_SERVER_MODULE}/cmd/gofakes3`;

const BIN_DIR = resolve(__dirname, '..', '.tools', 'bin');
export const cachedS3ServerPath = (): string => join(BIN_DIR, `gofakes3-${S3_SERVER_VERSION}`);

export type S3ServerResolution = { path: string; built: boolean; reason?: undefined } | { path: null; reason: string };

/** The pinned server binary, building it when needed; `onBuild` is told before a build starts. */
export async function ensureS3Server(onBuild?: (message: string) => void): Promise<S3ServerResolution> {
  const override = process.env.S3_SERVER_PATH;
  if (override)
    return existsSync(override) ? { path: override, built: false } : { path: null, reason: `S3_SERVER_PATH=${override} does not exist` };
  const cached = cachedS3ServerPath();
  if (existsSync(cached)) return { path: cached, built: false };
  const go = await run('go', ['version']).catch(() => null);
  if (!go || go.code !== 0) return { path: null, reason: 'Go is not installed (needed once to build the S3 server, gofakes3)' };
  onBuild?.(
    `building gofakes3 ${S3_SERVER_VERSION} with go install (first run only, 15 s with a warm Go build cache, about 2 minutes cold on 2 cores)`,
  );
  const gobin = mkdtempSync(join(tmpdir(), 'caseflow-gofakes3-'));
  try {
    const built = await run('go', ['install', `${S3_SERVER_CMD}@${S3_SERVER_VERSION}`], { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' });
    if (built.code !== 0) return { path: null, reason: `go install gofakes3 failed: ${built.output.trim().slice(-800)}` };
    mkdirSync(BIN_DIR, { recursive: true });
    const partial = `${cached}.partial`;
    renameSync(join(gobin, 'gofakes3'), partial);
    renameSync(partial, cached); // atomic: a half-copied binary is never taken for a cached one
    return { path: cached, built: true };
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

export interface S3ServerOptions {
  /** Objects are files below this folder (created if missing); kept across restarts. */
  dataDir: string;
  /** 127.0.0.1 port; 0 (default) = a free one chosen by the kernel, read back from the server's log. */
  port?: number;
  /** Created on start if missing (the blob store would create it too; two API instances need not race). */
  bucket?: string;
}

/** The command line of the server (also run as a cluster service by runtime/cluster/topology.ts). */
export function s3ServerArgs(opts: S3ServerOptions): string[] {
  return [
    '-backend=fs',
    `-fs.path=${opts.dataDir}`,
    '-fs.create',
    `-host=127.0.0.1:${opts.port ?? 0}`,
    ...(opts.bucket ? [`-initialbucket=${opts.bucket}`] : []),
    '-quiet', // no line per request; startup lines and fatal errors still go to stderr
  ];
}

/** True once the server answers an S3 request (ListBuckets) at `endpoint`. */
export async function s3ServerAnswers(endpoint: string): Promise<boolean> {
  const res = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
  return res?.status === 200;
}

export interface S3Server {
  endpoint: string;
  port: number;
  pid: number;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1, waits until it answers S3 requests, and returns how to stop it. */
export async function startS3Server(binary: string, opts: S3ServerOptions): Promise<S3Server> {
  mkdirSync(opts.dataDir, { recursive: true });
  const child: ChildProcess = spawn(binary, s3ServerArgs(opts), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000)));
  const close = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 30_000;
  let port = opts.port ?? 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gofakes3 exited with ${child.exitCode}: ${log.trim()}`);
    if (!port) port = Number(/using port: (\d+)/.exec(log)?.[1] ?? 0);
    if (port && (await s3ServerAnswers(`http://127.0.0.1:${port}`))) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`gofakes3 did not answer within 30 s: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, pid: child.pid!, close };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
    child.once('error', rej);
    child.once('exit', (code) => res({ code: code ?? -1, output }));
  });
}
