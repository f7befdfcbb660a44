/**
 * The case conversation as people live it, through the real API, a real worker and a real SMTP server: an
 * engineer's public reply reaches the customer's mailbox in the case's language (German, Japanese), threaded
 * with the signed reply address; an internal note reaches nobody on the customer side by any path; every step
 * is told to whom it concerns (rejected resolution to the owner, assignment to the new owner, closure with who
 * closed it); a response needs text.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { notifications } from '../../db/schema';
import { threadRootId } from '../../activities/mail/message-id';
import { parseReplyAddress } from '../../activities/mail/reply-address';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp';
import { CONSOLE_URL, REPLY, testMailer } from '../mail/fixtures';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  h = await startApiHarness({ worker: true, mailer: testMailer(smtp.url) });
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

const ANNA = 'acme-premier-anna'; // Premier, Germany: the case speaks German
const HARUTO = 'sakura-basic-haruto'; // Basic, Japan: Japanese, business hours in Tokyo
const JONAS = 'eng-emea';
const MEI = 'eng-apac';
const SECRET_NOTE = 'INTERNAL: customer is difficult, do not promise a hotfix';

const product = { product: 'backup-replication', version: '12.3', build: '12.3.1.1139' };

async function openCase(as: string, supportId: string, language: string, severity = 2) {
  const res = await h
    .http()
    .post('/v1/cases')
    .set(h.as(as))
    .send({ supportId, type: 'technical', severity, ...product, title: 'Nightly backup fails', description: 'Error 5', language });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number };
}

const act = (as: string, caseId: string, path: string, body: object) =>
  h.http().post(`/v1/cases/${caseId}/${path}`).set(h.as(as)).send(body);

/** Mails of one notice kind on one case, once they have all arrived. */
async function mailsOf(caseId: string, kind: string, count: number): Promise<ReceivedMail[]> {
  const keys = async () =>
    (await h.database.db.select({ k: notifications.dedupeKey }).from(notifications).where(eq(notifications.caseId, caseId)))
      .map((r) => r.k)
      .filter((k) => k.startsWith(`${caseId}:${kind}:`));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ks = await keys();
    const found = smtp.received.filter((m) => ks.includes(m.header('x-caseflow-dedupe-key') ?? ''));
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('public replies reach the customer by mail, in the case’s language', () => {
  test('German: the response arrives in Anna’s mailbox and the German contact’s, threaded, with the reply address', async () => {
    const c = await openCase(ANNA, '01700001', 'de');
    expect((await act(JONAS, c.id, 'responses', { message: 'Ich schaue mir die Protokolle an.' })).status).toBe(200);
    const mails = await mailsOf(c.id, 'engineer_response', 2);
    expect(mails.map((m) => m.envelopeTo.join()).sort()).toEqual(['anna@acme-premier.example', 'it-leitstand@acme-premier.example']);
    for (const m of mails) {
      expect(m.subject).toBe(`Fall #${c.number}: Antwort unseres Support-Teams`);
      expect(m.text).toContain(`Hier ist unsere erste Antwort zu Fall #${c.number}`);
      expect(m.text).toContain('> Ich schaue mir die Protokolle an.');
      expect(m.text).toContain(`${CONSOLE_URL}/cases/${c.number}`);
      expect(m.header('in-reply-to')).toBe(threadRootId(c.id, 'caseflow.test'));
      expect(parseReplyAddress(REPLY, m.parsed.replyTo!.value[0]!.address!)).toEqual({ ok: true, caseId: c.id });
      expect(m.parsed.html).toContain('<html lang="de">');
    }
    // A later update is an update, not the first response.
    await act(JONAS, c.id, 'responses', { message: 'Der Proxy ist die Ursache.' });
    const both = await mailsOf(c.id, 'engineer_response', 4);
    expect(both.some((m) => m.text.includes(`Hier ist ein Update zu Fall #${c.number}`))).toBe(true);
  });

  test('Japanese: the response and the deadline explanation in Japanese, with the weekday in its place', async () => {
    const c = await openCase(HARUTO, '01700003', 'ja', 3);
    const [received] = await mailsOf(c.id, 'case_received', 1);
    expect(received!.text).toContain('初回回答の期限は');
    expect(received!.text).toMatch(/（[月火水木金土日]曜日）です/);
    expect(received!.text).toContain('計算の根拠:');
    expect(received!.text).toContain('Asia/Tokyo');
    expect(received!.text).not.toContain('How we calculated');
    expect((await act(MEI, c.id, 'responses', { message: 'ログを確認しています。' })).status).toBe(200);
    const [mail] = await mailsOf(c.id, 'engineer_response', 1);
    expect(mail!.envelopeTo).toEqual(['haruto@sakura-basic.example']);
    expect(mail!.subject).toBe(`ケース #${c.number}: サポートチームからの回答`);
    expect(mail!.text).toContain('> ログを確認しています。');
  });

  test('a response without text is refused with the field named (was: counted as the first response)', async () => {
    const c = await openCase(ANNA, '01700001', 'en');
    const res = await act(JONAS, c.id, 'responses', {});
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'message', in: 'body' });
    const detail = await h.http().get(`/v1/cases/${c.id}`).set(h.as(JONAS));
    expect(detail.body.firstResponseAt).toBeNull();
  });
});

/** Reads the live stream for `ms` and returns every event's data. */
function readStream(token: string, ms: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const server = h.app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const chunks: string[] = [];
      const req = httpRequest({ port, path: '/v1/events', headers: { Authorization: `Bearer ${token}` } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => chunks.push(d));
      });
      req.on('error', reject);
      req.end();
      setTimeout(() => {
        req.destroy();
        server.close();
        resolve(
          chunks
            .join('')
            .split('\n')
            .filter((l) => l.startsWith('data: ')),
        );
      }, ms);
    });
  });
}

describe('internal notes stay internal on every customer path', () => {
  test('a note, an assignment note and an acknowledgement note: staff see them, the customer side nowhere', async () => {
    const c = await openCase(ANNA, '01700001', 'en');
    const customerStream = readStream(h.tokens[ANNA]!, 2500);
    const staffStream = readStream(h.tokens[JONAS]!, 2500);
    await new Promise((r) => setTimeout(r, 300));
    expect((await act(JONAS, c.id, 'internal-notes', { message: SECRET_NOTE })).status).toBe(200);
    expect((await act(JONAS, c.id, 'assignment', { ownerId: JONAS, note: `${SECRET_NOTE} (assignment)` })).status).toBe(200);
    expect((await act(ANNA, c.id, 'manager-requests', { reason: 'Too slow' })).status).toBe(200);
    expect((await act('mgr-duty', c.id, 'manager-acknowledgements', { note: `${SECRET_NOTE} (ack)` })).status).toBe(200);
    // Customers may not write internal notes.
    expect((await act(ANNA, c.id, 'internal-notes', { message: 'x' })).status).toBe(403);

    const staffView = await h.http().get(`/v1/cases/${c.id}`).set(h.as(JONAS));
    expect(JSON.stringify(staffView.body)).toContain(SECRET_NOTE);
    expect(staffView.body.history.map((e: { type: string }) => e.type)).toContain('internal_note');

    const customerPaths = [
      `/v1/cases/${c.id}`,
      `/v1/cases/${c.number}`,
      `/v1/cases/${c.id}/events`,
      `/v1/cases/${c.id}/sla`,
      `/v1/cases/${c.id}/notifications`,
      `/v1/cases?limit=50`,
    ];
    for (const as of [ANNA, 'acme-premier-lukas']) {
      for (const path of customerPaths) {
        const res = await h.http().get(path).set(h.as(as));
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain('INTERNAL');
        expect(JSON.stringify(res.body)).not.toContain('internal_note');
      }
    }
    const events = await h.http().get(`/v1/cases/${c.id}/events`).set(h.as(ANNA));
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['assigned', 'manager_acknowledged']));

    const [customerEvents, staffEvents] = await Promise.all([customerStream, staffStream]);
    expect(customerEvents.join('\n')).not.toContain('internal_note');
    expect(staffEvents.join('\n')).toContain('internal_note');

    // No mail to the customer side carries the note; the assignment told nobody (Jonas took it himself).
    await new Promise((r) => setTimeout(r, 500));
    const caseMail = smtp.received.filter((m) => m.header('x-caseflow-case') === c.id);
    expect(caseMail.length).toBeGreaterThan(0);
    for (const m of caseMail) expect(m.raw).not.toContain('INTERNAL');
  });
});

describe('every step is told to whom it concerns', () => {
  test('assignment to the new owner, rejection to the owner, and a close by staff is not "at your request"', async () => {
    const c = await openCase(ANNA, '01700001', 'en');
    expect((await act(JONAS, c.id, 'assignment', { ownerId: MEI, note: 'APAC has the expert' })).status).toBe(200);
    const [assigned] = await mailsOf(c.id, 'case_assigned', 1);
    expect(assigned!.envelopeTo).toEqual(['mei@caseflow.example']);
    expect(assigned!.subject).toBe(`[Case #${c.number}] Assigned to you: Nightly backup fails`);
    expect(assigned!.text).toContain(`${CONSOLE_URL}/cases/${c.number}`);
    expect(assigned!.raw).not.toContain('APAC has the expert');

    await act(MEI, c.id, 'resolution', { resolutionType: 'workaround', summary: 'Re-register the proxy' });
    expect((await act(ANNA, c.id, 'confirmation', { accepted: false, comment: 'Still failing tonight' })).status).toBe(200);
    const [rejected] = await mailsOf(c.id, 'resolution_rejected', 1);
    expect(rejected!.envelopeTo).toEqual(['mei@caseflow.example']);
    expect(rejected!.text).toContain('> Still failing tonight');

    expect((await act('mgr-duty', c.id, 'close', { reason: 'duplicate of another case' })).status).toBe(200);
    const closed = await mailsOf(c.id, 'case_closed', 2);
    const anna = closed.find((m) => m.envelopeTo.includes('anna@acme-premier.example'))!;
    expect(anna.text).toContain(`Our support team has closed case #${c.number}.`);
    expect(anna.text).not.toContain('at your request');
    // A closed case takes no replies by mail: the mail says so and links to a related case in the portal.
    expect(anna.text).not.toContain('reply to this email and keep');
    expect(anna.text).toContain('Replies to this email are not added to a closed case.');
    expect(anna.text).toContain(`${CONSOLE_URL}/portal/new?related=${c.id}`);
  });
});
