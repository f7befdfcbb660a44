/**
 * Run by .ci/run after the S3 server build step (jest --testMatch on the .s3.ts files of this folder).
 * The S3 backend against an S3-protocol server on this machine (gofakes3 with its on-disk backend, pinned
 * and built once into .tools/bin by runtime/s3-server-toolchain.ts): a tus upload in chunks, resumed after a
 * dropped PATCH, lands as an S3 multipart upload of more than one part, is attached to a reply and downloads
 * with the same SHA-256; the same bytes uploaded again are kept once; a mail-sized blob is one PUT at
 * blobs/<sha256>; an abandoned multipart upload is aborted by the sweep.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import type { AttachmentService } from '../../api/attachments/attachments';
import { type S3BlobStore } from '../../api/attachments/blob-store';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentOptions } from '../../api/attachments/options';
import { attachments } from '../../db/schema';
import { ensureS3Server, startS3Server, type S3Server } from '../../runtime/s3-server-toolchain';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { sha256, tusCreate, tusOffset, tusPatch, tusUpload } from '../helpers/tus';

const BUCKET = 'caseflow-test';

const ANNA = 'acme-premier-anna';
const JONAS = 'eng-emea';

let s3: S3Server;
let h: ApiHarness;
let server: Server;
let base: string;
let dir: string;
let options: AttachmentOptions;

beforeAll(async () => {
  const built = await ensureS3Server();
  if (!built.path) throw new Error(`the S3 server (gofakes3) is needed for this suite: ${built.reason}`);
  dir = mkdtempSync(join(tmpdir(), 'caseflow-s3-test-'));
  s3 = await startS3Server(built.path, { dataDir: join(dir, 's3') });
  options = {
    storage: {
      backend: 's3',
      dir: join(dir, 'scratch'),
      s3: {
        endpoint: s3.endpoint,
        bucket: BUCKET,
        region: 'us-east-1',
        accessKeyId: 'test',
        secretAccessKey: 'test-secret',
        forcePathStyle: true,
      },
    },
    limits: { ...DEFAULT_ATTACHMENT_LIMITS, maxFileBytes: 64 * 1024 * 1024 },
    urlSecret: 'test-url-secret',
    urlTtlMs: 60_000,
  };
  h = await startApiHarness({ worker: true, attachments: options });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 300_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
  await s3?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (n: number) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) & 0xff;
  return b;
};

test('a 21 MB upload in 6 MB chunks, resumed after a dropped PATCH, is a multipart object in the store, downloads with the same SHA-256 and is kept once', async () => {
  const opened = await h.http().post('/v1/cases').set(h.as(ANNA)).send({
    supportId: '01700001',
    type: 'technical',
    severity: 3,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Logs',
    description: 'x',
    language: 'en',
  });
  expect(opened.status).toBe(201);
  const caseId = opened.body.id as string;
  const token = h.tokens[ANNA]!;
  const MB = 1024 * 1024;
  // Larger than one 16 MiB S3 part (blob-store.ts), so the object is an S3 multipart upload of two parts.
  const file = bytesOf(21 * MB + 17);
  const created = await tusCreate(base, caseId, token, file.length, { filename: 'bundle.tar.gz', sha256: sha256(file) });
  expect(created.status).toBe(201);
  const location = created.headers.get('location')!;

  // Two chunks, then a PATCH whose connection drops half way: HEAD says where to go on.
  let offset = 0;
  for (let i = 0; i < 2; i++) {
    const res = await tusPatch(base, location, token, offset, file.subarray(offset, offset + 6 * MB));
    expect(res.status).toBe(204);
    offset = Number(res.headers.get('upload-offset'));
  }
  expect(offset).toBe(12 * MB);
  const aborter = new AbortController();
  const dropped = fetch(new URL(location, base), {
    method: 'PATCH',
    headers: {
      Authorization: `Bearer ${token}`,
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
    },
    body: new ReadableStream({
      start(ctl) {
        ctl.enqueue(file.subarray(offset, offset + 3 * MB));
        setTimeout(() => aborter.abort(), 300);
      },
    }),
    duplex: 'half',
    signal: aborter.signal,
  } as RequestInit);
  await expect(dropped).rejects.toThrow();
  await new Promise((r) => setTimeout(r, 500));
  const resumeAt = (await tusOffset(base, location, token))!;
  expect(resumeAt).toBeGreaterThanOrEqual(12 * MB);
  expect(resumeAt).toBeLessThanOrEqual(15 * MB);
  offset = resumeAt;
  const svc = h.app.locals.attachments as AttachmentService;
  const store = svc.store as S3BlobStore;
  const uploadKey = location.split('/').pop()!;
  let last: Response | null = null;
  while (offset < file.length) {
    last = await tusPatch(base, location, token, offset, file.subarray(offset, offset + 6 * MB));
    expect(last.status).toBe(204);
    offset = Number(last.headers.get('upload-offset'));
    if (offset < file.length) {
      // Not finished yet: what the store holds is a multipart upload of several parts (each at least S3's
      // 5 MiB minimum) plus, for a tail under that minimum, a .part object; together the bytes so far.
      const [upload, ...others] = (await store.client.send(new ListMultipartUploadsCommand({ Bucket: store.bucket }))).Uploads ?? [];
      expect(others).toEqual([]);
      expect(upload?.Key).toBe(uploadKey);
      const parts =
        (await store.client.send(new ListPartsCommand({ Bucket: store.bucket, Key: uploadKey, UploadId: upload!.UploadId }))).Parts ?? [];
      expect(parts.length).toBeGreaterThanOrEqual(2);
      for (const part of parts) expect(part.Size).toBeGreaterThanOrEqual(5 * MB);
      const tail = (await store.size(`${uploadKey}.part`)) ?? 0;
      expect(parts.reduce((sum, part) => sum + part.Size!, 0) + tail).toBe(offset);
    }
  }
  expect(last!.headers.get('attachment-sha256')).toBe(sha256(file));
  const attachmentId = last!.headers.get('attachment-id')!;

  expect(
    (
      await h
        .http()
        .post(`/v1/cases/${caseId}/replies`)
        .set(h.as(ANNA))
        .send({ attachmentIds: [attachmentId] })
    ).status,
  ).toBe(200);
  const res = await fetch(`${base}/v1/cases/${caseId}/attachments/${attachmentId}/content`, {
    headers: { Authorization: `Bearer ${h.tokens[JONAS]}` },
  });
  expect(res.status).toBe(200);
  expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(file));

  expect(attachmentId).toBe(uploadKey);
  expect(await store.size(attachmentId)).toBe(file.length);
  // The object store keeps it on disk (gofakes3's fs backend), and no .info or .part object is left.
  expect(statSync(join(dir, 's3', 'buckets', BUCKET, attachmentId)).size).toBe(file.length);
  expect(await store.size(`${attachmentId}.info`)).toBeNull();
  expect(await store.size(`${attachmentId}.part`)).toBeNull();

  // The same bytes uploaded again (one 24 MB PATCH this time) are kept once: the new row points at the first object.
  const twice = await tusUpload(base, caseId, token, file, { filename: 'again.tar.gz' }, 24 * MB);
  expect(twice.status).toBe(204);
  expect(twice.sha256).toBe(sha256(file));
  const [row] = await h.database.db.select().from(attachments).where(eq(attachments.id, twice.attachmentId!));
  expect(row!.storageKey).toBe(attachmentId);
  expect(await store.size(twice.attachmentId!)).toBeNull();
  expect(existsSync(join(dir, 's3', 'buckets', BUCKET, twice.attachmentId!))).toBe(false);

  // Mail-sized bytes: one PUT at blobs/<sha256>.
  const small = await store.putBuffer(Buffer.from('hello from mail'));
  expect(small.key).toBe(`blobs/${sha256(Buffer.from('hello from mail'))}`);
  expect(await store.size(small.key)).toBe(15);

  // Abandoned half way: the sweep aborts the multipart upload.
  const half = await tusCreate(base, caseId, token, 40 * MB, { filename: 'half.bin' });
  const halfLocation = half.headers.get('location')!;
  expect((await tusPatch(base, halfLocation, token, 0, bytesOf(17 * MB))).status).toBe(204);
  expect(await tusOffset(base, halfLocation, token)).toBe(17 * MB);
  expect((await store.client.send(new ListMultipartUploadsCommand({ Bucket: store.bucket }))).Uploads ?? []).toHaveLength(1);
  await svc.sweep(Date.now() + options.limits.uploadExpiryMs + 1000);
  expect(await tusOffset(base, halfLocation, token)).toBeNull();
  const pending = await store.client.send(new ListMultipartUploadsCommand({ Bucket: store.bucket }));
  expect(pending.Uploads ?? []).toEqual([]);
}, 240_000);
