/**
 * Attachments by mail, through the real SMTP listener, API, worker and Temporal: a customer answers
 * "please upload the job logs" by email with two files (and an inline signature image); both are stored
 * and linked to the reply, the engineer downloads the same bytes, the "customer replied" mail names them
 * with links, and the same message delivered again stores nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import pino from 'pino';
import request from 'supertest';
import { replyAddress } from '../../activities/mail/reply-address';
import type { AttachmentService } from '../../api/attachments/attachments';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../api/attachments/options';
import { startSmtpListener, type SmtpListener } from '../../api/inbound-mail/smtp-listener';
import { attachments } from '../../db/schema';
import { startApiHarness, TEST_REPLY, type ApiHarness } from '../helpers/api-harness';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { sha256 } from '../helpers/tus';
import { testMailer } from '../mail/fixtures';

const ANNA = 'acme-premier-anna';
const JONAS = 'eng-emea';

let h: ApiHarness;
let smtp: TestSmtp;
let listener: SmtpListener;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caseflow-mail-attach-'));
  smtp = await startTestSmtp();
  h = await startApiHarness({
    worker: true,
    mailer: testMailer(smtp.url),
    attachments: { storage: { backend: 'fs', dir }, limits: DEFAULT_ATTACHMENT_LIMITS, urlSecret: 'x'.repeat(32), urlTtlMs: 60_000 },
  });
  listener = await startSmtpListener(
    {
      db: h.database.db,
      temporal: h.env.client,
      reply: TEST_REPLY,
      transport: null,
      logger: pino({ level: 'silent' }),
      attachments: h.app.locals.attachments as AttachmentService,
    },
    { port: 0, host: '127.0.0.1', maxBytes: 10 * 1024 * 1024 },
  );
});
afterAll(async () => {
  await listener?.close();
  await h?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a reply by mail with two files: stored, linked to the reply, same bytes for the engineer, named in his mail', async () => {
  const opened = await h.http().post('/v1/cases').set(h.as(ANNA)).send({
    supportId: '01700001',
    type: 'technical',
    severity: 3,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Backup fails',
    description: 'x',
    language: 'en',
  });
  expect(opened.status).toBe(201);
  const caseId = opened.body.id as string;
  expect((await h.http().post(`/v1/cases/${caseId}/assignment`).set(h.as(JONAS)).send({ ownerId: JONAS })).status).toBe(200);
  expect(
    (await h.http().post(`/v1/cases/${caseId}/information-requests`).set(h.as(JONAS)).send({ message: 'Please upload the job logs' }))
      .status,
  ).toBe(200);

  const logs = Buffer.alloc(600_000);
  for (let i = 0; i < logs.length; i++) logs[i] = (i * 13) & 0xff;
  const screenshot = Buffer.from('\x89PNG\r\n\x1a\n fake screenshot bytes');
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  const mail = {
    from: 'anna@acme-premier.example',
    to: replyAddress(TEST_REPLY, caseId),
    subject: 'Re: we need information',
    messageId: '<logs-1@acme.example>',
    text: 'Logs attached.',
    html: '<p>Logs attached.</p><img src="cid:sig">',
    attachments: [
      { filename: 'job-logs.zip', content: logs, contentType: 'application/zip' },
      { filename: '../../screen shot.png', content: screenshot, contentType: 'image/png' },
      { filename: 'sig.png', content: Buffer.from('sig'), contentType: 'image/png', cid: 'sig' },
    ],
  };
  await client.sendMail(mail);

  const list = await h.http().get(`/v1/cases/${caseId}/attachments`).set(h.as(JONAS));
  expect(list.status).toBe(200);
  const items = list.body.items as { id: string; name: string; size: number; sha256: string; via: string; uploadedBy: string }[];
  expect(items.map((i) => [i.name, i.size, i.sha256, i.via, i.uploadedBy]).sort()).toEqual(
    [
      ['job-logs.zip', logs.length, sha256(logs), 'email', ANNA],
      ['screen shot.png', screenshot.length, sha256(screenshot), 'email', ANNA],
    ].sort(),
  );
  const zip = items.find((i) => i.name === 'job-logs.zip')!;
  // Bytes, not JSON: past the harness's OpenAPI body check (the document declares a binary body).
  const res = await request(h.app)
    .get(`/v1/cases/${caseId}/attachments/${zip.id}/content`)
    .set(h.as(JONAS))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(sha256(res.body as Buffer)).toBe(sha256(logs));

  // The reply on the trail carries the files' identities (never the bytes).
  const read = await h.http().get(`/v1/cases/${caseId}`).set(h.as(ANNA));
  const reply = (read.body.history as { type: string; data: { attachments: { id: string; sha256: string }[] } }[]).find(
    (e) => e.type === 'customer_reply',
  )!;
  expect(reply.data.attachments.map((a) => a.sha256).sort()).toEqual([sha256(logs), sha256(screenshot)].sort());

  // Jonas's "customer replied" mail names both with links to the case page.
  const deadline = Date.now() + 20_000;
  let replied;
  while (!(replied = smtp.received.find((m) => /Customer replied/.test(m.subject))) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  expect(replied).toBeDefined();
  expect(replied!.text).toContain('2 files attached:');
  expect(replied!.text).toContain('job-logs.zip (586 KB, application/zip)');
  expect(replied!.text).toContain(`/cases/${opened.body.number}?attachment=${zip.id}`);

  // Delivered again: one reply, nothing stored twice.
  await client.sendMail(mail);
  const rows = await h.database.db.select().from(attachments).where(eq(attachments.caseId, caseId));
  expect(rows).toHaveLength(2);
}, 90_000);
