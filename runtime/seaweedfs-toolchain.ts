/**
 * SeaweedFS, the S3-compatible object store the tests and `npm run cluster` put attachments in. Why it: a
 * real distributed store (master, volume, filer and S3 gateway in one `weed server`), Apache-2.0, and it
 * builds from the Go module proxy, which these machines reach (MinIO is AGPL; moto and gofakes3 are mocks).
 *
 * Pinned to one pseudo-version (the proxy serves no tagged release of the module path). Its go.mod has a
 * replace directive, so `go install pkg@version` refuses it: the module's source is downloaded and built as
 * the main module (`go build ./weed`), about 15-25 minutes on 2 cores the first time, then cached under
 * `.tools/bin/` like Mailpit. Resolution: SEAWEEDFS_PATH -> cached pinned binary -> build -> none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SEAWEEDFS_MODULE = 'github.com/seaweedfs/seaweedfs';
export const SEAWEEDFS_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';

const BIN_DIR = resolve(__dirname, '..', '.tools', 'bin');
export const cachedSeaweedPath = (): string => join(BIN_DIR, `weed-${SEAWEEDFS_VERSION}`);

export type SeaweedResolution = { path: string; reason?: undefined } | { path: null; reason: string };

export async function ensureSeaweedfs(onBuild?: (message: string) => void): Promise<SeaweedResolution> {
  const override = process.env.SEAWEEDFS_PATH;
  if (override) return existsSync(override) ? { path: override } : { path: null, reason: `SEAWEEDFS_PATH=${override} does not exist` };
  const cached = cachedSeaweedPath();
  if (existsSync(cached)) return { path: cached };
  const go = await run('go', ['version'], process.env).catch(() => null);
  if (!go || go.code !== 0) return { path: null, reason: 'Go is not installed (needed once to build SeaweedFS)' };
  onBuild?.(`building SeaweedFS ${SEAWEEDFS_VERSION} from the Go module proxy (first run only, 15-25 minutes on 2 cores)`);
  const work = mkdtempSync(join(tmpdir(), 'caseflow-seaweedfs-'));
  try {
    const env = { ...process.env, CGO_ENABLED: '0' };
    const dl = await run('go', ['mod', 'download', '-json', `${SEAWEEDFS_MODULE}@${SEAWEEDFS_VERSION}`], env, work);
    if (dl.code !== 0) return { path: null, reason: `go mod download failed: ${dl.output.slice(-500)}` };
    const dir = (JSON.parse(dl.stdout) as { Dir: string }).Dir;
    const src = join(work, 'src');
    cpSync(dir, src, { recursive: true }); // the module cache is read-only; build a writable copy as the main module
    const built = await run('go', ['build', '-o', join(work, 'weed'), './weed'], env, src);
    if (built.code !== 0) return { path: null, reason: `go build weed failed: ${built.output.trim().slice(-500)}` };
    mkdirSync(BIN_DIR, { recursive: true });
    renameSync(join(work, 'weed'), `${cached}.partial`);
    renameSync(`${cached}.partial`, cached); // atomic: a half-copied binary is never taken for a cached one
    return { path: cached };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface S3Server {
  endpoint: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((res, rej) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
      s.once('error', rej);
    });
    if (port < 50000) return port; // SeaweedFS listens for gRPC on port + 10000
  }
}

/** One `weed server` (master, volume, filer, S3 gateway) on loopback ports, data in `dataDir`. */
export async function startSeaweedS3(binary: string, dataDir: string): Promise<S3Server> {
  mkdirSync(dataDir, { recursive: true });
  const [master, volume, filer, s3] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    binary,
    [
      'server',
      `-dir=${dataDir}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-master.port=${master}`,
      `-volume.port=${volume}`,
      '-volume.max=0',
      '-master.volumeSizeLimitMB=256',
      '-filer',
      `-filer.port=${filer}`,
      '-s3',
      `-s3.port=${s3}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${s3}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`weed server exited: ${log}`);
    const ok = await fetch(`${endpoint}/healthz`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`weed server did not answer on ${endpoint} within 60 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20000)));
    child.once('error', rej);
    child.once('exit', (code) => res({ code: code ?? -1, stdout, output: `${stdout}${stderr}` }));
  });
}
