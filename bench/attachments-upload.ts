/**
 * Issue 18's benchmark: one large file uploaded through the API (tus, one streaming PATCH by curl) to each
 * attachment backend, against a plain copy of the same bytes to the same backend in the same run, rounds
 * interleaved so a shared machine's drift hits both alike; and the API process's RSS during the upload
 * (sampled from /proc every 50 ms) against its idle RSS just before.
 *
 *   npx tsx bench/attachments-upload.ts [--mb 2048] [--rounds 2] [--backends fs,s3]
 *
 * The API runs in a child process (the real app with its worker and PGlite, as startApiHarness builds it),
 * so its RSS holds nothing of the client's. The plain copies: fs, a stream copy of the file into the same
 * folder (read + write in user space, what any copy program does; `cp`'s in-kernel copy_file_range is also
 * printed for reference); s3, a multipart upload of the file by @aws-sdk/lib-storage straight to the same
 * bucket of the same S3 server (gofakes3, built by `npm run s3:install`), with the API's part size.
 * Memory: the highest VmRSS sample during the upload minus the sample taken just before it.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AttachmentOptions } from '../api/attachments/options';
import { DEFAULT_ATTACHMENT_LIMITS, GIB } from '../api/attachments/options';
import { ensureS3Server, startS3Server, type S3Server } from '../runtime/s3-server-toolchain';
import { startApiHarness } from '../test/helpers/api-harness';
import { numberArg } from './args';

type Backend = 'fs' | 's3';
const MB = 1024 * 1024;
const ANNA = 'acme-premier-anna';
/** @tus/s3-store's default part size, so the plain multipart upload moves the same parts. */
const S3_PART = 8 * MB;

interface Ready {
  ready: true;
  port: number;
  token: string;
  storageDir: string;
}

// ---- the child: the API with its worker, on one backend -------------------------------------------------

async function serve(backend: Backend, dir: string, s3Endpoint: string | undefined): Promise<void> {
  const storageDir = join(dir, `store-${backend}`);
  const attachments: AttachmentOptions = {
    storage:
      backend === 'fs'
        ? { backend: 'fs', dir: storageDir }
        : {
            backend: 's3',
            dir: storageDir,
            s3: {
              endpoint: s3Endpoint,
              bucket: 'bench',
              region: 'us-east-1',
              accessKeyId: 'bench',
              secretAccessKey: 'bench-secret',
              forcePathStyle: true,
            },
          },
    limits: { ...DEFAULT_ATTACHMENT_LIMITS, maxFileBytes: 5 * GIB },
    urlSecret: 'bench-url-secret',
    urlTtlMs: 60_000,
  };
  const h = await startApiHarness({ worker: true, attachments });
  const server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const token = h.as(ANNA).Authorization.replace(/^Bearer /, '');
  process.send!({ ready: true, port: (server.address() as AddressInfo).port, token, storageDir } satisfies Ready);
  const stop = async () => {
    await new Promise((r) => server.close(r));
    await h.close();
    process.exit(0);
  };
  process.on('message', (m: { stop?: boolean }) => void (m.stop && stop()));
}

// ---- the parent: client, plain copies, RSS sampling ------------------------------------------------------

const rssOf = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) * 1024 : 0;
};

async function makeFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = randomBytes(4 * MB);
  for (let written = 0; written < bytes; written += block.length) {
    // vary each block so no store can deduplicate or compress a repeated pattern
    block.writeUInt32BE(written / block.length, 0);
    const piece = block.subarray(0, Math.min(block.length, bytes - written));
    hash.update(piece);
    if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}

async function startApi(backend: Backend, dir: string, s3Endpoint: string | undefined): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(__filename, ['--serve', backend, dir, s3Endpoint ?? ''], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TEST_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // the worker's state changes are noise here; anything else the API says is shown
  child.stderr!.on('data', (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter((l) => l && !l.includes('[INFO]'))
      .forEach((l) => console.error(l)),
  );
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API exited (${code}) before it was ready`)));
    child.on('message', (m: Ready) => m.ready && resolve(m));
  });
  return { child, ready };
}

async function openCase(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/v1/cases`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      supportId: '01700001',
      type: 'technical',
      severity: 3,
      product: 'backup-replication',
      version: '12.3',
      build: '12.3.1.1139',
      title: 'Job logs for the upload benchmark',
      description: 'Benchmark case',
      language: 'en',
    }),
  });
  if (res.status !== 201) throw new Error(`case open answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Creation by fetch, then the whole file in one streaming PATCH by curl (it reads the file as it sends). */
async function apiUpload(base: string, token: string, caseId: string, file: string, size: number): Promise<{ ms: number; sha256: string }> {
  const meta = `filename ${Buffer.from('job-logs.tar').toString('base64')},filetype ${Buffer.from('application/x-tar').toString('base64')}`;
  const started = performance.now();
  const created = await fetch(`${base}/v1/cases/${caseId}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0', 'Upload-Length': String(size), 'Upload-Metadata': meta },
  });
  if (created.status !== 201) throw new Error(`upload creation answered ${created.status}: ${await created.text()}`);
  const location = new URL(created.headers.get('location')!, base).toString();
  const headers = execFileSync(
    'curl',
    [
      '-sS',
      '-o',
      '/dev/null',
      '-D',
      '-',
      '-X',
      'PATCH',
      '-T',
      file,
      '-H',
      `Authorization: Bearer ${token}`,
      '-H',
      'Tus-Resumable: 1.0.0',
      '-H',
      'Upload-Offset: 0',
      '-H',
      'Content-Type: application/offset+octet-stream',
      '-H',
      'Expect:',
      location,
    ],
    { encoding: 'utf8', maxBuffer: 1 * MB },
  );
  const ms = performance.now() - started;
  const status = Number(headers.match(/^HTTP\/[\d.]+ (\d+)/m)?.[1]);
  const sha256 = headers.match(/^attachment-sha256:\s*(\w+)/im)?.[1];
  if (status !== 204 || !sha256) throw new Error(`upload PATCH answered ${status}:\n${headers}`);
  return { ms, sha256 };
}

async function plainCopy(backend: Backend, file: string, dir: string, s3: S3Client | null, round: number): Promise<number> {
  const started = performance.now();
  if (backend === 'fs') {
    const target = join(dir, `store-fs`, `plain-${round}`);
    await pipeline(createReadStream(file, { highWaterMark: MB }), createWriteStream(target));
    const ms = performance.now() - started;
    await rm(target, { force: true });
    return ms;
  }
  await new Upload({
    client: s3!,
    params: { Bucket: 'bench', Key: `plain-${round}`, Body: createReadStream(file, { highWaterMark: MB }) },
    partSize: S3_PART,
  }).done(); // lib-storage's default 4 parts in flight
  return performance.now() - started;
}

function cpCopy(file: string, dir: string): number {
  const target = join(dir, 'cp-copy');
  const started = performance.now();
  execFileSync('cp', [file, target]);
  const ms = performance.now() - started;
  rmSync(target, { force: true });
  return ms;
}

const mbps = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
const fmt = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const sizeMb = numberArg('mb', 2048);
  const rounds = numberArg('rounds', 2);
  const backendsArg = process.argv.indexOf('--backends');
  const backends = (backendsArg > 0 ? process.argv[backendsArg + 1] : 'fs,s3').split(',') as Backend[];
  const size = sizeMb * MB;
  const dir = mkdtempSync(join(tmpdir(), 'caseflow-upload-bench-'));
  let s3Server: S3Server | undefined;
  console.log(`# attachments upload: ${sizeMb} MB, ${rounds} rounds per backend, ${backends.join(' + ')}`);
  console.log(
    `# machine: ${availableParallelism()} cores (${cpus()[0]?.model}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    const file = join(dir, 'source.bin');
    const sourceSha = await makeFile(file, size);
    console.log(`# source file written: ${statSync(file).size} bytes, sha256 ${sourceSha.slice(0, 16)}...`);
    const cpMs = cpCopy(file, dir);
    console.log(`# reference: cp (in-kernel copy) ${fmt(mbps(size, cpMs))} MB/s`);
    for (const backend of backends) {
      let s3: S3Client | null = null;
      let endpoint: string | undefined;
      if (backend === 's3') {
        const built = await ensureS3Server((m) => console.log(`# ${m}`));
        if (!built.path) throw new Error(`the S3 server is needed: ${built.reason} (npm run s3:install)`);
        s3Server = await startS3Server(built.path, { dataDir: join(dir, 's3-data') });
        endpoint = s3Server.endpoint;
        s3 = new S3Client({
          endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'bench', secretAccessKey: 'bench-secret' },
        });
        await s3.send(new CreateBucketCommand({ Bucket: 'bench' })).catch(() => undefined);
      }
      const { child, ready } = await startApi(backend, dir, endpoint);
      const base = `http://127.0.0.1:${ready.port}`;
      try {
        console.log(`\n## ${backend}`);
        console.log('round | plain copy MB/s | API upload MB/s | ratio | API RSS idle MB | peak MB | peak - idle MB | hash equal');
        for (let round = 1; round <= rounds; round++) {
          const plainMs = await plainCopy(backend, file, dir, s3, round);
          const caseId = await openCase(base, ready.token);
          await new Promise((r) => setTimeout(r, 2000));
          const idle = rssOf(child.pid!);
          let peak = idle;
          const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 50);
          const upload = await apiUpload(base, ready.token, caseId, file, size).finally(() => clearInterval(sampler));
          console.log(
            [
              round,
              fmt(mbps(size, plainMs)),
              fmt(mbps(size, upload.ms)),
              (plainMs / upload.ms).toFixed(2),
              fmt(idle / MB),
              fmt(peak / MB),
              fmt((peak - idle) / MB),
              upload.sha256 === sourceSha ? 'yes' : 'NO',
            ].join(' | '),
          );
        }
      } finally {
        child.send({ stop: true });
        await new Promise((r) => child.once('exit', r));
        await s3Server?.close();
        s3Server = undefined;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3] as Backend, process.argv[4]!, process.argv[5] || undefined).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
