/**
 * Run by .ci/run after the SeaweedFS build step (jest --testMatch on the .s3.ts files of this folder).
 * The S3 backend against a real S3-compatible server on this machine (SeaweedFS, pinned and built once into
 * .tools/bin by runtime/seaweedfs-toolchain.ts): a tus upload in chunks through the API lands as an S3
 * multipart upload, is attached to a reply and downloads with the same bytes; a mail-sized blob is one PUT
 * at blobs/<sha256>; an abandoned multipart upload is aborted by the sweep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { AttachmentService } from '../../api/attachments/attachments';
import { type S3BlobStore } from '../../api/attachments/blob-store';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentOptions } from '../../api/attachments/options';
import { ensureSeaweedfs, startSeaweedS3, type S3Server } from '../../runtime/seaweedfs-toolchain';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { sha256, tusCreate, tusOffset, tusPatch, tusUpload } from '../helpers/tus';

const ANNA = 'acme-premier-anna';
const JONAS = 'eng-emea';

let s3: S3Server;
let h: ApiHarness;
let server: Server;
let base: string;
let dir: string;
let options: AttachmentOptions;

beforeAll(async () => {
  const weed = await ensureSeaweedfs();
  if (!weed.path) throw new Error(`SeaweedFS is needed for this suite: ${weed.reason}`);
  dir = mkdtempSync(join(tmpdir(), 'caseflow-s3-test-'));
  s3 = await startSeaweedS3(weed.path, join(dir, 'weed'));
  options = {
    storage: {
      backend: 's3',
      dir: join(dir, 'scratch'),
      s3: {
        endpoint: s3.endpoint,
        bucket: 'caseflow-test',
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

test('a 21 MB upload in 6 MB chunks lands in the object store, is attached and downloads with the same bytes', async () => {
  const opened = await h
    .http()
    .post('/v1/cases')
    .set(h.as(ANNA))
    .send({
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
  const file = bytesOf(21 * 1024 * 1024 + 17);
  const up = await tusUpload(base, caseId, h.tokens[ANNA]!, file, { filename: 'bundle.tar.gz', sha256: sha256(file) }, 6 * 1024 * 1024);
  expect(up.status).toBe(204);
  expect(up.sha256).toBe(sha256(file));
  expect(
    (
      await h
        .http()
        .post(`/v1/cases/${caseId}/replies`)
        .set(h.as(ANNA))
        .send({ attachmentIds: [up.attachmentId] })
    ).status,
  ).toBe(200);
  const res = await fetch(`${base}/v1/cases/${caseId}/attachments/${up.attachmentId}/content`, {
    headers: { Authorization: `Bearer ${h.tokens[JONAS]}` },
  });
  expect(res.status).toBe(200);
  expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(file));

  const svc = h.app.locals.attachments as AttachmentService;
  const store = svc.store as S3BlobStore;
  expect(await store.size(up.attachmentId!)).toBe(file.length);

  // Mail-sized bytes: one PUT at blobs/<sha256>.
  const small = await store.putBuffer(Buffer.from('hello from mail'));
  expect(small.key).toBe(`blobs/${sha256(Buffer.from('hello from mail'))}`);
  expect(await store.size(small.key)).toBe(15);

  // Abandoned half way: the sweep aborts the multipart upload.
  const created = await tusCreate(base, caseId, h.tokens[ANNA]!, 12 * 1024 * 1024, { filename: 'half.bin' });
  const location = created.headers.get('location')!;
  expect((await tusPatch(base, location, h.tokens[ANNA]!, 0, bytesOf(6 * 1024 * 1024))).status).toBe(204);
  expect(await tusOffset(base, location, h.tokens[ANNA]!)).toBe(6 * 1024 * 1024);
  await svc.sweep(Date.now() + options.limits.uploadExpiryMs + 1000);
  expect(await tusOffset(base, location, h.tokens[ANNA]!)).toBeNull();
  const pending = await store.client.send(new ListMultipartUploadsCommand({ Bucket: store.bucket }));
  expect(pending.Uploads ?? []).toEqual([]);
}, 240_000);
