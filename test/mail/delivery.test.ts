/**
 * Outbox delivery by mail against a real SMTP server and a real database: who each notice reaches, the
 * headers that make one case one thread, a notice nobody can receive (audit event, no retry loop), an SMTP
 * outage (nothing lost, nothing twice), a bounce, and pages that go to the webhook and to the on-call.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import {
  accountManagers,
  caseEvents,
  cases,
  notificationContacts,
  notificationDeliveries,
  notifications,
  oncallShifts,
  partnerLinks,
  principals,
} from '../../db/schema';
import { deliverNotifications } from '../../activities/deliver-notifications';
import { webhookNotifier } from '../../activities/notifier';
import { messageIdFor, threadRootId } from '../../activities/mail/message-id';
import { parseReplyAddress } from '../../activities/mail/reply-address';
import type { CaseMailer } from '../../activities/mail/mailer';
import { createTestDatabase } from '../helpers/db';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp';
import { insertOrganisation, ORG } from '../fixtures/cases';
import { insertPeople, REPLY, testMailer, writeCase } from './fixtures';

let database: Database;
let smtp: TestSmtp;
let mailer: CaseMailer;
beforeAll(async () => {
  database = await createTestDatabase();
  await insertOrganisation(database);
  await insertPeople(database);
  smtp = await startTestSmtp();
  mailer = testMailer(smtp.url);
});
afterAll(async () => {
  mailer?.transport.transporter.close();
  await smtp?.close();
  await database?.close();
});

const to = (m: ReceivedMail) => m.envelopeTo.join(',');
const mailsFor = (keys: string[]) => smtp.received.filter((m) => keys.some((k) => m.header('x-caseflow-dedupe-key') === k));
const deliveriesOf = async (key: string) => {
  const [row] = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, key));
  return database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, row!.id));
};

test('customer notices reach the opener, the contacts who want that kind and linked partners, in their language, threaded', async () => {
  const [attempt, resolved] = await writeCase(database, 'm-cust', [
    {
      kind: 'contact_attempt',
      recipient: `customer:${ORG.id}`,
      channel: 'email',
      payload: { round: 1, attempt: 2, of: 3, businessDate: '2026-12-08' },
    },
    {
      kind: 'case_resolved',
      recipient: `customer:${ORG.id}`,
      channel: 'email',
      payload: { summary: 'Re-register the proxy', autoCloseAt: '2026-12-15T16:00:00.000Z' },
    },
  ]);
  expect(await deliverNotifications(database.db, { webhook: null, mail: mailer }, [attempt!, resolved!])).toEqual({ delivered: 2 });

  const attemptMails = mailsFor([attempt!]);
  // Olga wants only resolutions; Klaus wants contact attempts, in German.
  expect(attemptMails.map(to).sort()).toEqual(['anna@acme.example', 'klaus@acme.example', 'pat@partner.example']);
  expect(mailsFor([resolved!]).map(to).sort()).toEqual([
    'anna@acme.example',
    'klaus@acme.example',
    'olga@acme.example',
    'pat@partner.example',
  ]);

  const [number] = await database.db.select({ n: cases.number }).from(cases).where(eq(cases.id, 'm-cust'));
  const anna = attemptMails.find((m) => to(m) === 'anna@acme.example')!;
  expect(anna.subject).toBe(`Case #${number!.n}: we are waiting for your answer (attempt 2 of 3)`);
  expect(anna.text).toContain('This is attempt 2 of 3 to reach you');
  expect(anna.text).toContain('> Please upload the job logs');
  expect(anna.text).toContain('We will try once more on the next business day.');
  // The closing instant in the organisation's zone (Europe/Berlin): 16:00Z is 17:00 CET.
  expect(anna.text).toContain('the case will be closed on Wednesday, December 9, 2026 at 05:00 PM GMT+1');
  expect(anna.parsed.html).toContain('<blockquote');
  const klaus = attemptMails.find((m) => to(m) === 'klaus@acme.example')!;
  expect(klaus.subject).toBe(`Fall #${number!.n}: Wir warten auf Ihre Antwort (Versuch 2 von 3)`);
  expect(klaus.text).toContain('Mittwoch, 9. Dezember 2026 um 17:00 MEZ');

  // One thread per case; a Message-ID derived from the notice and the recipient; a signed reply address.
  const root = threadRootId('m-cust', 'caseflow.test');
  for (const m of [...attemptMails, ...mailsFor([resolved!])]) {
    expect(m.header('in-reply-to')).toBe(root);
    expect(m.header('references')).toBe(root);
    expect(m.header('auto-submitted')).toBe('auto-generated');
    const replyTo = m.parsed.replyTo!.value[0]!.address!;
    expect(parseReplyAddress(REPLY, replyTo)).toEqual({ ok: true, caseId: 'm-cust' });
  }
  expect(anna.messageId).toBe(messageIdFor(attempt!, 'anna@acme.example', 'caseflow.test'));
  expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(smtp.received.length);
  const rows = await deliveriesOf(attempt!);
  expect(rows.map((r) => [r.address, r.status, r.language]).sort()).toEqual([
    ['anna@acme.example', 'sent', 'en'],
    ['klaus@acme.example', 'sent', 'de'],
    ['pat@partner.example', 'sent', 'en'],
  ]);
  expect(rows.every((r) => /^250/.test(r.response ?? '') && r.messageId?.startsWith('<'))).toBe(true);
});

test('staff notices: owner, on-call primary then fallback, managers by level, the SAM, and the customer’s manager acknowledgement', async () => {
  const before = smtp.received.length;
  const keys = await writeCase(database, 'm-staff', [
    {
      kind: 'sla_breach',
      recipient: 'engineer:eng-bo',
      channel: 'email',
      payload: { clock: 'firstResponse', dueAt: '2026-12-01T12:00:00.000Z', level: 2 },
    },
    {
      kind: 'sla_breach',
      recipient: 'manager:duty',
      channel: 'email',
      payload: { clock: 'firstResponse', dueAt: '2026-12-01T12:00:00.000Z', level: 2 },
    },
    {
      kind: 'manager_escalation',
      recipient: 'manager:level2',
      channel: 'email',
      payload: { level: 2, ackDueAt: '2026-12-01T13:00:00.000Z' },
    },
    {
      kind: 'manager_escalation',
      recipient: 'manager:duty',
      channel: 'email',
      payload: { level: 1, ackDueAt: '2026-12-01T13:00:00.000Z' },
    },
    { kind: 'page', recipient: 'oncall:EMEA', channel: 'page', payload: { level: 1, region: 'EMEA' } },
    { kind: 'handoff', recipient: 'oncall:APAC', channel: 'page', payload: { from: 'EMEA', to: 'APAC', level: 1 } },
  ]);
  await deliverNotifications(database.db, { webhook: null, mail: mailer }, keys);
  const got = smtp.received.slice(before).map((m) => [m.header('x-caseflow-dedupe-key')!.split(':').slice(1, 3).join(':'), to(m)]);
  expect(got.sort()).toEqual(
    [
      ['sla_breach:engineer', 'bo@caseflow.test'],
      ['sla_breach:manager', 'dana@caseflow.test'],
      ['manager_escalation:manager', 'eli@caseflow.test'],
      ['manager_escalation:manager', 'dana@caseflow.test'],
      // A level-1 request is acknowledged to the customer side (opener and partner; no contact wants it).
      ['manager_escalation:manager', 'anna@acme.example'],
      ['manager_escalation:manager', 'pat@partner.example'],
      ['page:oncall', 'bo@caseflow.test'],
      // No APAC rota: the engineers whose home region is APAC.
      ['handoff:oncall', 'ray@caseflow.test'],
    ].sort(),
  );
  const ack = smtp.received.slice(before).find((m) => to(m) === 'anna@acme.example')!;
  expect(ack.subject).toMatch(/^Case #\d+: your request to talk to a manager$/);
  expect(ack.text).toContain('A manager will contact you by Tuesday, December 1, 2026 at 02:00 PM GMT+1');
  const page = smtp.received.slice(before).find((m) => m.header('x-caseflow-dedupe-key') === keys[4])!;
  expect(page.subject).toMatch(/^\[Case #\d+\] Severity 1 page \(EMEA\)/);
  expect(page.parsed.replyTo).toBeUndefined();

  // The primary is disabled: the next page goes to the rota's fallback.
  await database.db.update(principals).set({ disabledAt: new Date() }).where(eq(principals.id, 'eng-bo'));
  try {
    const [again] = await writeCase(database, 'm-staff2', [
      { kind: 'page', recipient: 'oncall:EMEA', channel: 'page', payload: { level: 1, region: 'EMEA' } },
    ]);
    await deliverNotifications(database.db, { webhook: null, mail: mailer }, [again!]);
    expect(mailsFor([again!]).map(to)).toEqual(['fay@caseflow.test']);
  } finally {
    await database.db.update(principals).set({ disabledAt: null }).where(eq(principals.id, 'eng-bo'));
  }
  // An unacknowledged page escalates to the rota's fallback (oncall:<region>:fallback), primary active or not.
  const [escalated] = await writeCase(database, 'm-staff-esc', [
    {
      kind: 'page_escalation',
      recipient: 'oncall:EMEA:fallback',
      channel: 'page',
      payload: { region: 'EMEA', kind: 'page', level: 1, unacknowledgedMinutes: 15, pagedAt: '2026-12-01T12:00:00.000Z' },
    },
  ]);
  await deliverNotifications(database.db, { webhook: null, mail: mailer }, [escalated!]);
  const escalation = mailsFor([escalated!]);
  expect(escalation.map(to)).toEqual(['fay@caseflow.test']);
  expect(escalation[0]!.subject).toMatch(/^\[Case #\d+\] Unacknowledged Severity 1 page escalated to you \(EMEA\)/);
  // A later shift takes over at its start instant.
  await database.db
    .insert(oncallShifts)
    .values({ id: 'shift-emea-2', region: 'EMEA', primaryId: 'eng-fay', validFrom: new Date(Date.now() - 1000) });
  const [third] = await writeCase(database, 'm-staff3', [
    { kind: 'page', recipient: 'oncall:EMEA', channel: 'page', payload: { level: 1, region: 'EMEA' } },
  ]);
  await deliverNotifications(database.db, { webhook: null, mail: mailer }, [third!]);
  expect(mailsFor([third!]).map(to)).toEqual(['fay@caseflow.test']);
  await database.db.delete(oncallShifts).where(eq(oncallShifts.id, 'shift-emea-2'));
});

test('a notice nobody can receive is recorded on the case once, and not retried', async () => {
  const [sam] = await writeCase(database, 'm-nobody', [
    { kind: 'sam_severity1', recipient: `sam:${ORG.id}`, channel: 'email', payload: { level: 1 } },
  ]);
  expect(await deliverNotifications(database.db, { webhook: null, mail: mailer }, [sam!])).toEqual({ delivered: 1 });
  expect(await deliverNotifications(database.db, { webhook: null, mail: mailer }, [sam!])).toEqual({ delivered: 0 });
  const events = await database.db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, 'm-nobody'), eq(caseEvents.type, 'notice_unreachable')));
  expect(events).toHaveLength(1);
  expect(events[0]!.data).toMatchObject({ kind: 'sam_severity1', recipient: `sam:${ORG.id}`, dedupeKey: sam });
  expect(mailsFor([sam!])).toHaveLength(0);

  // With a SAM on file, the same kind of notice reaches them.
  await database.db.insert(accountManagers).values({ orgId: ORG.id, principalId: 'mgr-eli' });
  const [next] = await writeCase(database, 'm-sam', [
    { kind: 'sam_severity1', recipient: `sam:${ORG.id}`, channel: 'email', payload: { level: 1 } },
  ]);
  await deliverNotifications(database.db, { webhook: null, mail: mailer }, [next!]);
  expect(mailsFor([next!]).map(to)).toEqual(['eli@caseflow.test']);
});

test('SMTP down, then up: failures are recorded, nothing is lost, every mail arrives exactly once', async () => {
  const keys = await writeCase(
    database,
    'm-outage',
    ['2026-12-07', '2026-12-08', '2026-12-09'].map((businessDate, i) => ({
      kind: 'contact_attempt',
      recipient: `customer:${ORG.id}`,
      channel: 'email' as const,
      payload: { round: 1, attempt: i + 1, of: 3, businessDate },
    })),
  );
  await smtp.stop();
  await expect(deliverNotifications(database.db, { webhook: null, mail: mailer }, keys)).rejects.toThrow(
    /delivery failed for 3 notification/,
  );
  await expect(deliverNotifications(database.db, { webhook: null, mail: mailer }, keys)).rejects.toThrow(/ECONNREFUSED|connect/i);
  const failed = await deliveriesOf(keys[0]!);
  expect(failed.map((d) => [d.status, d.attempts])).toEqual([
    ['failed', 2],
    ['failed', 2],
    ['failed', 2],
  ]);
  expect(failed[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);
  const [outbox] = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, keys[0]!));
  expect(outbox).toMatchObject({ deliveredAt: null, attempts: 2 });

  await smtp.start();
  expect(await deliverNotifications(database.db, { webhook: null, mail: mailer }, keys)).toEqual({ delivered: 3 });
  // A retried activity after success sends nothing.
  expect(await deliverNotifications(database.db, { webhook: null, mail: mailer }, keys)).toEqual({ delivered: 0 });
  const arrived = mailsFor(keys);
  expect(arrived).toHaveLength(9); // 3 attempts x (Anna, Klaus, Pat)
  expect(new Set(arrived.map((m) => m.messageId)).size).toBe(9);
  expect((await deliveriesOf(keys[2]!)).map((d) => [d.status, d.attempts])).toEqual([
    ['sent', 3],
    ['sent', 3],
    ['sent', 3],
  ]);
});

test('a mailbox the server refuses is a bounce: recorded with the answer, not retried', async () => {
  smtp.reject.add('pat@partner.example');
  try {
    const [key] = await writeCase(database, 'm-bounce', [
      { kind: 'rca_delivered', recipient: `customer:${ORG.id}`, channel: 'email', payload: { summary: 'Proxy certificate expired' } },
    ]);
    expect(await deliverNotifications(database.db, { webhook: null, mail: mailer }, [key!])).toEqual({ delivered: 1 });
    const rows = await deliveriesOf(key!);
    const pat = rows.find((r) => r.address === 'pat@partner.example')!;
    expect(pat).toMatchObject({ status: 'bounced', attempts: 1 });
    expect(pat.lastError).toMatch(/550/);
    expect(rows.find((r) => r.address === 'anna@acme.example')!.status).toBe('sent');
    expect(mailsFor([key!]).map(to)).toEqual(['anna@acme.example']);
  } finally {
    smtp.reject.clear();
  }
});

test('a page goes to the webhook and by mail to the on-call engineer', async () => {
  const hooks: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push((JSON.parse(body) as { dedupeKey: string }).dedupeKey);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const [key] = await writeCase(database, 'm-page', [
      { kind: 'page', recipient: 'oncall:EMEA', channel: 'page', payload: { level: 1, region: 'EMEA' } },
    ]);
    await deliverNotifications(database.db, { webhook: webhookNotifier({ url, secret: 's' }), mail: mailer }, [key!]);
    expect(hooks).toEqual([key]);
    expect(mailsFor([key!]).map(to)).toEqual(['bo@caseflow.test']);
    expect((await deliveriesOf(key!)).map((d) => [d.channel, d.address, d.status]).sort()).toEqual([
      ['email', 'bo@caseflow.test', 'sent'],
      ['webhook', url, 'sent'],
    ]);
  } finally {
    server.close();
  }
});

test("the contacts of a linked partner's organisation receive the customer mail too (and may answer it)", async () => {
  const db = database.db;
  await insertOrganisation(database, { ...ORG, id: 'org-partner-desk', supportId: 'SUP-000777' });
  await db.insert(principals).values({
    id: 'partner-desk',
    orgId: 'org-partner-desk',
    name: 'Partner Desk',
    email: 'desk@partner-desk.example',
    role: 'support_partner',
  });
  await db.insert(partnerLinks).values({ partnerId: 'partner-desk', orgId: ORG.id });
  await db.insert(notificationContacts).values([
    { id: 'ct-night', orgId: 'org-partner-desk', name: 'Night Desk', email: 'night@partner-desk.example', language: 'fr', kinds: null },
    { id: 'ct-billing', orgId: 'org-partner-desk', name: 'Billing', email: 'billing@partner-desk.example', kinds: ['case_resolved'] },
  ]);
  const [key] = await writeCase(database, 'm-partner-org', [
    {
      kind: 'contact_attempt',
      recipient: `customer:${ORG.id}`,
      channel: 'email',
      payload: { round: 1, attempt: 1, of: 3, businessDate: '2026-12-07' },
    },
  ]);
  await deliverNotifications(database.db, { webhook: null, mail: mailer }, [key!]);
  expect((await deliveriesOf(key!)).map((d) => [d.address, d.status, d.language]).sort()).toEqual([
    ['anna@acme.example', 'sent', 'en'],
    ['desk@partner-desk.example', 'sent', 'en'],
    ['klaus@acme.example', 'sent', 'de'],
    ['night@partner-desk.example', 'sent', 'fr'],
    ['pat@partner.example', 'sent', 'en'],
  ]);
  const night = mailsFor([key!]).find((m) => to(m) === 'night@partner-desk.example')!;
  expect(parseReplyAddress(REPLY, night.parsed.replyTo!.value[0]!.address!)).toEqual({ ok: true, caseId: 'm-partner-org' });
});
