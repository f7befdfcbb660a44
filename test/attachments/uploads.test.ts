/**
 * Attachments through the real API, worker, Temporal and the embedded file store: a tus upload in chunks
 * (resumed after a dropped PATCH), attached to a customer reply, listed, downloaded with the same bytes
 * (bearer and signed link) as a download that never renders; bad input refused with a clear 4xx; an
 * internal note's file invisible to the customer side; abandoned uploads swept; the authorization matrix
 * over every download path.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { AttachmentService } from '../../api/attachments/attachments';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentOptions } from '../../api/attachments/options';
import { attachments } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { sha256, tusCreate, tusOffset, tusPatch, tusUpload } from '../helpers/tus';

const ANNA = 'acme-premier-anna';
const NANCY = 'northwind-production-nancy';
const PARTNER = 'partner-bytesmith'; // linked to northwind-production
const SOUTHCROSS = 'partner-southcross'; // not linked to northwind
const JONAS = 'eng-emea';
const ADMIN = 'demo-admin';

let h: ApiHarness;
let server: Server;
let base: string;
let dir: string;
let options: AttachmentOptions;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caseflow-attach-test-'));
  options = {
    storage: { backend: 'fs', dir },
    limits: { ...DEFAULT_ATTACHMENT_LIMITS, maxFileBytes: 8 * 1024 * 1024, caseQuotaBytes: 12 * 1024 * 1024, maxFilesPerCase: 6 },
    urlSecret: 'test-url-secret',
    urlTtlMs: 60_000,
  };
  h = await startApiHarness({ worker: true, attachments: options });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (who: string) => h.tokens[who]!;
const product = { product: 'backup-replication', version: '12.3', build: '12.3.1.1139' };

async function openCase(as: string, supportId: string) {
  const res = await h
    .http()
    .post('/v1/cases')
    .set(h.as(as))
    .send({ supportId, type: 'technical', severity: 3, ...product, title: 'Job logs', description: 'Please look', language: 'en' });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number };
}

const bytesOf = (n: number, seed = 1) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
};

async function download(url: string, who?: string) {
  const res = await fetch(new URL(url, base), { headers: who ? { Authorization: `Bearer ${token(who)}` } : {} });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

test('a customer uploads a log bundle in chunks, resumes after a dropped PATCH, attaches it to a reply; the engineer downloads the same bytes', async () => {
  const c = await openCase(ANNA, '01700001');
  const file = bytesOf(5 * 1024 * 1024 + 123);
  const created = await tusCreate(base, c.id, token(ANNA), file.length, {
    filename: 'job-logs.zip',
    filetype: 'application/zip',
    sha256: sha256(file),
    via: 'console',
  });
  expect(created.status).toBe(201);
  const location = created.headers.get('location')!;
  expect(location).toMatch(new RegExp(`^/v1/cases/${c.id}/uploads/[0-9a-f-]{36}$`));

  // First chunk, then a PATCH that dies half way (the connection drops): HEAD says where to go on.
  expect((await tusPatch(base, location, token(ANNA), 0, file.subarray(0, 2 * 1024 * 1024))).status).toBe(204);
  const aborter = new AbortController();
  const dropped = fetch(new URL(location, base), {
    method: 'PATCH',
    headers: {
      Authorization: `Bearer ${token(ANNA)}`,
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(2 * 1024 * 1024),
      'Content-Type': 'application/offset+octet-stream',
    },
    body: new ReadableStream({
      start(ctl) {
        ctl.enqueue(file.subarray(2 * 1024 * 1024, 3 * 1024 * 1024));
        setTimeout(() => aborter.abort(), 300);
      },
    }),
    duplex: 'half',
    signal: aborter.signal,
  } as RequestInit);
  await expect(dropped).rejects.toThrow();
  await new Promise((r) => setTimeout(r, 300));
  const offset = (await tusOffset(base, location, token(ANNA)))!;
  expect(offset).toBeGreaterThanOrEqual(2 * 1024 * 1024);
  expect(offset).toBeLessThanOrEqual(3 * 1024 * 1024);
  const last = await tusPatch(base, location, token(ANNA), offset, file.subarray(offset));
  expect(last.status).toBe(204);
  expect(last.headers.get('attachment-sha256')).toBe(sha256(file));
  const attachmentId = last.headers.get('attachment-id')!;

  // Not visible before it is attached to anything.
  expect((await h.http().get(`/v1/cases/${c.id}/attachments`).set(h.as(JONAS))).body.items).toHaveLength(0);

  const reply = await h
    .http()
    .post(`/v1/cases/${c.id}/replies`)
    .set(h.as(ANNA))
    .set('Idempotency-Key', 'reply-with-logs')
    .send({ message: 'Here are the job logs', attachmentIds: [attachmentId] });
  expect(reply.status).toBe(200);
  const again = await h
    .http()
    .post(`/v1/cases/${c.id}/replies`)
    .set(h.as(ANNA))
    .set('Idempotency-Key', 'reply-with-logs')
    .send({ message: 'Here are the job logs', attachmentIds: [attachmentId] });
  expect(again.status).toBe(200);
  const read = await h.http().get(`/v1/cases/${c.id}`).set(h.as(ANNA));
  const event = (read.body.history as { type: string; data: { attachments?: unknown[] } }[]).filter((e) => e.type === 'customer_reply');
  expect(event).toHaveLength(1);
  expect(event[0]!.data.attachments).toEqual([
    { id: attachmentId, name: 'job-logs.zip', contentType: 'application/zip', size: file.length, sha256: sha256(file) },
  ]);

  const list = await h.http().get(`/v1/cases/${c.id}/attachments`).set(h.as(JONAS));
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual([
    expect.objectContaining({
      id: attachmentId,
      name: 'job-logs.zip',
      size: file.length,
      sha256: sha256(file),
      uploadedBy: ANNA,
      via: 'console',
      internal: false,
      linkedTo: { type: 'customer_reply', requestId: 'reply-with-logs' },
    }),
  ]);

  const { res, body } = await download(`/v1/cases/${c.id}/attachments/${attachmentId}/content`, JONAS);
  expect(res.status).toBe(200);
  expect(sha256(body)).toBe(sha256(file));
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="job-logs.zip"; filename*=UTF-8''job-logs.zip`);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-type')).toBe('application/octet-stream');

  const link = await h.http().post(`/v1/cases/${c.id}/attachments/${attachmentId}/links`).set(h.as(JONAS));
  expect(link.status).toBe(201);
  const signed = await download(link.body.url);
  expect(signed.res.status).toBe(200);
  expect(sha256(signed.body)).toBe(sha256(file));
  expect((await download(link.body.url.replace(/.$/, (ch: string) => (ch === 'A' ? 'B' : 'A')))).res.status).toBe(404);

  // Content-addressed: the file is under its hash, no half file or staged upload left.
  expect(readdirSync(join(dir, 'blobs', sha256(file).slice(0, 2)))).toEqual([sha256(file)]);
  expect(readdirSync(join(dir, 'uploads')).filter((f) => f.startsWith(attachmentId))).toEqual([]);

  // The same bytes uploaded again are kept once.
  const twice = await tusUpload(base, c.id, token(ANNA), file, { filename: 'again.zip' });
  expect(twice.status).toBe(204);
  const [row] = await h.database.db.select().from(attachments).where(eq(attachments.id, twice.attachmentId!));
  expect(row!.storageKey).toBe(sha256(file));
}, 60_000);

test('bad input: empty, unnamed, path, NUL, control and bidi names, bad hash, over the file limit, quota and file count: clear 4xx', async () => {
  const c = await openCase(ANNA, '01700001');
  const t = token(ANNA);
  const problem = async (res: Response) => ({ status: res.status, body: (await res.json()) as { detail: string; type: string } });

  expect((await problem(await tusCreate(base, c.id, t, 0, { filename: 'empty.txt' }))).status).toBe(400);
  expect((await problem(await tusCreate(base, c.id, t, null, { filename: 'deferred.txt' }))).body.detail).toMatch(/Upload-Length/);
  for (const name of ['', '../etc/passwd', 'a\\b.txt', 'nul\u0000.txt', 'tab\t.txt', 'evil\u202Efdp.exe', 'x'.repeat(300)]) {
    const res = await problem(await tusCreate(base, c.id, t, 10, { filename: name }));
    expect({ name, status: res.status }).toEqual({ name, status: 400 });
    expect(res.body.detail).toMatch(/filename/);
  }
  expect((await tusCreate(base, c.id, t, 10, { filename: 'a.txt', sha256: 'nothex' })).status).toBe(400);

  const tooBig = await problem(await tusCreate(base, c.id, t, 9 * 1024 * 1024, { filename: 'big.bin' }));
  expect(tooBig.status).toBe(413);
  expect(tooBig.body.detail).toMatch(/limit per file is 8388608 bytes \(ATTACHMENT_MAX_BYTES\)/);

  // A wrong declared hash: the last PATCH is a 422 and nothing is kept.
  const wrong = await tusUpload(base, c.id, t, bytesOf(1000), { filename: 'a.txt', sha256: 'a'.repeat(64) });
  expect(wrong.status).toBe(422);
  expect(wrong.body).toMatch(/not the declared/);
  expect(await tusOffset(base, wrong.location, t)).toBeNull();

  // More bytes than declared: refused by tus.
  const created = await tusCreate(base, c.id, t, 10, { filename: 'short.txt' });
  expect((await tusPatch(base, created.headers.get('location')!, t, 0, bytesOf(20))).status).toBe(413);

  // Quota: 12 MiB per case, declared sizes of uploads in progress count.
  const first = await tusCreate(base, c.id, t, 7 * 1024 * 1024, { filename: 'seven.bin' });
  expect(first.status).toBe(201);
  const over = await problem(await tusCreate(base, c.id, t, 6 * 1024 * 1024, { filename: 'six.bin' }));
  expect(over.status).toBe(413);
  expect(over.body.detail).toMatch(/quota/);

  // File count: 6 per case in this test (10,000 files never fit).
  const counts: number[] = [];
  for (let i = 0; i < 6; i++) counts.push((await tusCreate(base, c.id, t, 1, { filename: `f${i}.txt` })).status);
  expect(counts.filter((s) => s === 413).length).toBeGreaterThan(0);
  const [last] = counts.slice(-1);
  expect(last).toBe(413);

  // Unknown or someone else's attachment ids on a reply.
  const bad = await h
    .http()
    .post(`/v1/cases/${c.id}/replies`)
    .set(h.as(ANNA))
    .send({ message: 'x', attachmentIds: ['nope'] });
  expect(bad.status).toBe(422);
}, 60_000);

test('abandoned uploads and never-attached files are swept with their bytes', async () => {
  const c = await openCase(ANNA, '01700001');
  const t = token(ANNA);
  const created = await tusCreate(base, c.id, t, 100_000, { filename: 'half.bin' });
  const location = created.headers.get('location')!;
  await tusPatch(base, location, t, 0, bytesOf(40_000));
  const stored = await tusUpload(base, c.id, t, bytesOf(3000, 9), { filename: 'never-attached.txt' });
  expect(stored.status).toBe(204);
  const svc = h.app.locals.attachments as AttachmentService;
  const result = await svc.sweep(Date.now() + options.limits.uploadExpiryMs + 1000);
  expect(result.removed).toBeGreaterThanOrEqual(2);
  expect(await tusOffset(base, location, t)).toBeNull();
  const left = await h.database.db.select().from(attachments).where(eq(attachments.caseId, c.id));
  expect(left).toEqual([]);
  expect(readdirSync(join(dir, 'uploads')).filter((f) => location.endsWith(f.replace(/\.json$/, '')))).toEqual([]);
}, 60_000);

test('authorization matrix over every download path; internal-note files are staff only', async () => {
  const c = await openCase(NANCY, '01700002');
  const pub = await tusUpload(base, c.id, token(NANCY), bytesOf(2048, 3), { filename: '<script>.html', filetype: 'text/html' });
  expect(pub.status).toBe(204);
  expect(
    (
      await h
        .http()
        .post(`/v1/cases/${c.id}/replies`)
        .set(h.as(NANCY))
        .send({ attachmentIds: [pub.attachmentId] })
    ).status,
  ).toBe(200);
  const internal = await tusUpload(base, c.id, token(JONAS), bytesOf(1024, 4), { filename: 'analysis.txt' });
  expect(internal.status).toBe(204);
  const note = await h
    .http()
    .post(`/v1/cases/${c.id}/internal-notes`)
    .set(h.as(JONAS))
    .send({ message: 'core dump analysis', attachmentIds: [internal.attachmentId] });
  expect(note.status).toBe(200);

  // Someone else's upload cannot be attached, resumed or deleted, even on a case they may see.
  expect(
    (
      await h
        .http()
        .post(`/v1/cases/${c.id}/replies`)
        .set(h.as(PARTNER))
        .send({ attachmentIds: [pub.attachmentId] })
    ).status,
  ).toBe(422);

  const paths = (id: string) => [`/v1/cases/${c.id}/attachments/${id}`, `/v1/cases/${c.id}/attachments/${id}/content`];
  const matrix: Record<string, [number, number]> = {
    // who: [public file, internal file]
    [NANCY]: [200, 404],
    [PARTNER]: [200, 404],
    [ANNA]: [404, 404],
    [SOUTHCROSS]: [404, 404],
    [JONAS]: [200, 200],
    [ADMIN]: [200, 200],
  };
  for (const [who, [pubStatus, internalStatus]] of Object.entries(matrix)) {
    for (const p of paths(pub.attachmentId!)) expect({ who, p, s: (await download(p, who)).res.status }).toEqual({ who, p, s: pubStatus });
    for (const p of paths(internal.attachmentId!))
      expect({ who, p, s: (await download(p, who)).res.status }).toEqual({ who, p, s: internalStatus });
    const link = await h.http().post(`/v1/cases/${c.id}/attachments/${internal.attachmentId}/links`).set(h.as(who));
    expect({ who, s: link.status }).toEqual({ who, s: internalStatus === 200 ? 201 : 404 });
    const list = await h.http().get(`/v1/cases/${c.id}/attachments`).set(h.as(who));
    const ids = list.status === 200 ? (list.body.items as { id: string }[]).map((i) => i.id) : [];
    expect({ who, ids }).toEqual({
      who,
      ids: [pub.attachmentId, ...(internalStatus === 200 ? [internal.attachmentId] : [])].filter(() => pubStatus === 200),
    });
  }
  expect((await download(`/v1/cases/${c.id}/attachments/${pub.attachmentId}/content`)).res.status).toBe(401);

  // The uploaded HTML is a download, never a page in our origin.
  const html = await download(`/v1/cases/${c.id}/attachments/${pub.attachmentId}/content`, NANCY);
  expect(html.res.headers.get('content-type')).toBe('application/octet-stream');
  expect(html.res.headers.get('content-disposition')).toBe(`attachment; filename="<script>.html"; filename*=UTF-8''%3Cscript%3E.html`);
  expect(html.res.headers.get('content-security-policy')).toMatch(/sandbox/);

  // The customer's view of the case and its events never shows the note or its file.
  const asCustomer = await h.http().get(`/v1/cases/${c.id}`).set(h.as(NANCY));
  expect(JSON.stringify(asCustomer.body)).not.toContain(internal.attachmentId);
  const events = await h.http().get(`/v1/cases/${c.id}/events`).set(h.as(PARTNER));
  expect(JSON.stringify(events.body)).not.toContain(internal.attachmentId);
  const staffView = await h.http().get(`/v1/cases/${c.id}`).set(h.as(JONAS));
  expect(JSON.stringify(staffView.body)).toContain(internal.attachmentId);

  // Uploads: a customer of another organisation cannot even start one.
  expect((await tusCreate(base, c.id, token(ANNA), 10, { filename: 'x.txt' })).status).toBe(404);
}, 90_000);
