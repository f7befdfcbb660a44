/**
 * Email in, end to end on real components: the time-skipping Temporal server with the case worker mailing
 * its notices to a real SMTP server (the customer's mailbox), a real database, the inbound SMTP listener
 * receiving mail sent by nodemailer (composed, or the raw fixtures of test/fixtures/mail), and a second real
 * SMTP server (the "internet") where any answer we mail would land: it must stay empty for forged senders,
 * strangers and automatic mail.
 */
import { and, asc, eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import pino from 'pino';
import { replyAddress, type ReplyAddressConfig } from '../../activities/mail/reply-address';
import type { CaseMailer } from '../../activities/mail/mailer';
import { createMailTransport } from '../../activities/mail/transport';
import { startSmtpListener, type SmtpListener } from '../../api/inbound-mail/smtp-listener';
import type { InboundMailDeps } from '../../api/inbound-mail/receive-mail';
import { receiveMail } from '../../api/inbound-mail/receive-mail';
import { closeCaseUpdate, getCaseQuery, requestInfoUpdate, resolveUpdate } from '../../contract/case';
import {
  cases,
  inboundMessages,
  notificationContacts,
  notificationDeliveries,
  notifications,
  organisations,
  partnerLinks,
  principals,
} from '../../db/schema';
import { caseInput, engineer, localTime, nextLocal, ORG } from '../fixtures/cases';
import { composeReply, QUOTED_REPLY } from '../helpers/mail';
import { mailFixture } from '../helpers/mail-fixtures';
import { startMailbox, type Mailbox } from '../helpers/mailbox';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { rid, startHarness, types, type Harness } from '../workflows/harness';

const REPLY: ReplyAddressConfig = { secret: 'inbound-test-secret', domain: 'reply.caseflow.test' };
const ANNA = 'anna@acme.example';
const PARTNER = 'support@bytesmith.example';
const NANCY = 'nancy@northwind.example'; // a case admin, but of another organisation

let h: Harness;
let mailbox: Mailbox;
let listener: SmtpListener;
let deps: InboundMailDeps;
let client: Transporter;
let caseMail: TestSmtp;
let caseMailer: CaseMailer;

beforeAll(async () => {
  // Case mail goes out signed with the same reply secret the inbound side verifies.
  caseMail = await startTestSmtp();
  caseMailer = {
    transport: createMailTransport(caseMail.url, 'Caseflow Support <support@caseflow.test>'),
    reply: REPLY,
    consoleUrl: 'https://support.caseflow.test',
  };
  h = await startHarness('time-skipping', { mailer: caseMailer });
  mailbox = await startMailbox();
  const db = h.database.db;
  await db.insert(organisations).values({
    id: 'org-northwind',
    name: 'Northwind',
    supportId: 'SUP-000999',
    entitlement: 'production',
    marketRegion: 'US',
    country: 'US',
    timeZone: 'America/New_York',
    language: 'en',
  });
  await db.insert(principals).values([
    { id: 'cust-anna', orgId: ORG.id, name: 'Anna', email: ANNA, role: 'case_admin' },
    { id: 'partner-bytesmith', orgId: null, name: 'Bytesmith', email: PARTNER, role: 'support_partner' },
    { id: 'cust-nancy', orgId: 'org-northwind', name: 'Nancy', email: NANCY, role: 'case_admin' },
    { id: 'eng-bo', orgId: null, name: 'Bo', email: 'bo@caseflow.example', role: 'engineer', homeRegion: 'EMEA' },
  ]);
  await db.insert(partnerLinks).values({ partnerId: 'partner-bytesmith', orgId: ORG.id });
  deps = {
    db,
    temporal: h.env.client,
    reply: REPLY,
    transport: createMailTransport(mailbox.url, 'Caseflow Support <support@caseflow.test>'),
    logger: pino({ level: 'silent' }),
  };
  listener = await startSmtpListener(deps, { port: 0, host: '127.0.0.1', maxBytes: 1024 * 1024 });
  client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  client?.close();
  deps?.transport?.transporter.close();
  await listener?.close();
  await mailbox?.close();
  await h?.teardown();
  caseMailer?.transport.transporter.close();
  await caseMail?.close();
});

/** Sends a raw message through the listener exactly as an MTA would; from '' is the null sender (MAIL FROM:<>). */
async function deliver(raw: Buffer, from: string, to: string) {
  return client.sendMail({ envelope: { from: from === '' ? (false as unknown as string) : from, to: [to] }, raw });
}

async function inbound(caseId: string) {
  return h.database.db.select().from(inboundMessages).where(eq(inboundMessages.caseId, caseId)).orderBy(asc(inboundMessages.id));
}

async function awaitingCase(caseId: string) {
  const askedAt = nextLocal(await h.now(), ORG.zone, 1, '11:00'); // Monday 11:00: attempts Tue, Wed, Thu 10:00
  await h.sleepUntil(askedAt);
  const { handle } = await h.open(caseInput({ caseId, openedAt: askedAt }));
  const asked = await handle.executeUpdate(requestInfoUpdate, {
    args: [{ requestId: rid(), actor: engineer, message: 'Please upload the job logs' }],
  });
  return { handle, asked };
}

/** Where a subject stands in a case's mail: received, the request, then the attempts in order. */
const subjectOrder = (subject: string) =>
  / received: /.test(subject) ? 0 : /need information/.test(subject) ? 1 : 2 + Number(/attempt (\d)/.exec(subject)?.[1] ?? 9);

/** Anna's case mail, oldest first: the subjects she sees and the Reply-To her mail client answers. */
const annasMail = (caseId: string) =>
  caseMail.received.filter((m) => m.header('x-caseflow-case') === caseId && m.envelopeTo.includes(ANNA));

test('Anna answers the second contact-attempt mail by email: the third attempt and the closure are never sent; the same message again is one reply', async () => {
  const caseId = 'mail-reply';
  const { handle, asked } = await awaitingCase(caseId);
  expect(asked.contactAttempts.map((a) => localTime(a.scheduledAt))).toEqual([
    expect.stringMatching(/^Tue .* 10:00$/),
    expect.stringMatching(/^Wed .* 10:00$/),
    expect.stringMatching(/^Thu .* 10:00$/),
  ]);
  await h.sleepUntil(Date.parse(asked.contactAttempts[1]!.scheduledAt) + 3_600_000);
  expect((await handle.query(getCaseQuery)).contactAttempts.map((a) => a.status)).toEqual(['made', 'made', 'scheduled']);

  // The mail she answers is the second attempt's, to the reply address it carries. The worker's outbox
  // relay sends each step's mail right after the step, in real time while the server's clock skips ahead.
  for (const until = Date.now() + 15_000; annasMail(caseId).length < 4 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
  const seen = [...annasMail(caseId)].sort((a, b) => subjectOrder(a.subject) - subjectOrder(b.subject));
  expect(seen.map((m) => m.subject)).toEqual([
    expect.stringMatching(/ received: /),
    expect.stringMatching(/we need information from you$/),
    expect.stringMatching(/\(attempt 1 of 3\)$/),
    expect.stringMatching(/\(attempt 2 of 3\)$/),
  ]);
  const replyTo = seen[3]!.parsed.replyTo!.value[0]!.address!;
  expect(replyTo).toBe(replyAddress(REPLY, caseId));

  const raw = await composeReply({
    from: 'Anna Schmidt <Anna@Acme.Example>', // matched case-insensitively
    to: replyTo,
    text: QUOTED_REPLY,
    messageId: '<reply-1@mail.acme.example>',
    attachments: [{ filename: 'job-logs.txt', content: 'ERROR 0x80070005\n'.repeat(10), contentType: 'text/plain' }],
  });
  const sent = await deliver(raw, ANNA, replyAddress(REPLY, caseId));
  expect(sent.response).toMatch(/^250 .*accepted/);

  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('in_progress');
  expect(view.contactAttempts.map((a) => a.status)).toEqual(['made', 'made', 'cancelled']);
  const reply = view.history.find((e) => e.type === 'customer_reply')!;
  expect(reply.actorId).toBe('cust-anna');
  expect(reply.data).toEqual({
    message: 'The job logs are attached; the proxy runs 12.3.1.', // quote and signature trimmed
    via: 'email',
    messageId: 'reply-1@mail.acme.example',
    attachments: [{ name: 'job-logs.txt', contentType: 'text/plain', size: 170 }],
  });

  // The same message delivered again, by SMTP and by the HTTP path's entry point: still one reply.
  expect((await deliver(raw, ANNA, replyAddress(REPLY, caseId))).response).toMatch(/^250 .*duplicate/);
  expect((await receiveMail(deps, raw, 'http')).status).toBe('duplicate');

  // The third attempt never happens.
  await h.env.sleep(4 * 24 * 3_600_000);
  const later = await handle.query(getCaseQuery);
  expect(later.status).toBe('in_progress');
  expect(types(later).filter((t) => t === 'contact_attempt')).toHaveLength(2);
  expect(types(later).filter((t) => t === 'customer_reply')).toHaveLength(1);
  const rm = await h.readModel(caseId);
  expect(rm.attempts.map((a) => a.status)).toEqual(['made', 'made', 'cancelled']);
  expect(rm.outbox.filter((n) => n.kind === 'customer_reply')).toHaveLength(1);
  // Four days on: no third attempt mail, no closure mail.
  const byOrder = (mails: typeof seen) => mails.map((m) => m.subject).sort((x, y) => subjectOrder(x) - subjectOrder(y));
  expect(byOrder(annasMail(caseId))).toEqual(byOrder(seen));
  expect((await inbound(caseId)).map((r) => [r.via, r.status, r.principalId])).toEqual([
    ['smtp', 'accepted', 'cust-anna'],
    ['smtp', 'duplicate', 'cust-anna'],
    ['http', 'duplicate', 'cust-anna'],
  ]);
  expect(mailbox.received).toHaveLength(0); // nothing to answer
});

test('forged, unknown and foreign reply addresses are refused at RCPT: no mail leaves, nothing is written on any case', async () => {
  const caseId = 'mail-forged';
  const { handle } = await awaitingCase(caseId);
  const genuine = replyAddress(REPLY, caseId);
  const forged = genuine.replace(/\.([0-9a-f]{20})@/, (_m, mac: string) => `.${mac.split('').reverse().join('')}@`);
  expect(forged).not.toBe(genuine);
  const before = mailbox.received.length;
  const eventsBefore = (await h.readModel(caseId)).events.length;

  const raw = await composeReply({
    from: ANNA,
    to: forged,
    subject: 'Click http://evil.example now',
    text: 'Please close it',
    messageId: '<forged-1@evil.example>',
  });
  for (const to of [
    forged, // a token that does not match the case it names
    replyAddress(REPLY, 'no-such-case'), // a valid token for a case that does not exist
    `case+${caseId}@${REPLY.domain}`, // no token at all
    `postmaster-test@${REPLY.domain}`, // not a reply address
  ]) {
    const refused = await deliver(raw, 'victim@innocent.example', to).then(
      () => null,
      (err: { responseCode?: number; response?: string }) => err,
    );
    expect([to, refused?.responseCode]).toEqual([to, 550]);
    expect(refused!.response).toMatch(/^550 5\.1\.1 no such mailbox here$/); // nothing of what the sender wrote
  }
  // The same forged message over HTTP: refused, recorded on no case, answered to nobody.
  expect(await receiveMail(deps, raw, 'http')).toMatchObject({ status: 'refused', reason: 'bad_token', caseId: null, answer: 'none' });
  const [row] = await h.database.db.select().from(inboundMessages).where(eq(inboundMessages.messageKey, 'forged-1@evil.example'));
  expect(row).toMatchObject({ status: 'refused', reason: 'bad_token', caseId: null, recipient: forged, answer: 'none' });

  expect((await handle.query(getCaseQuery)).status).toBe('awaiting_customer'); // nothing applied
  expect(await inbound(caseId)).toEqual([]);
  const rm = await h.readModel(caseId);
  expect(rm.events).toHaveLength(eventsBefore);
  expect(rm.events.map((e) => e.type)).not.toContain('inbound_mail_refused');
  await new Promise((r) => setTimeout(r, 300));
  expect(mailbox.received).toHaveLength(before); // no backscatter to the forged sender
});

test("a stranger's reply is refused at DATA without a bounce; a stranger's automatic mail too; other domains are not relayed", async () => {
  const caseId = 'mail-stranger';
  const { handle } = await awaitingCase(caseId);
  const to = replyAddress(REPLY, caseId);
  const before = mailbox.received.length;
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (err: { responseCode?: number; response?: string }) => err,
    );

  const raw = await composeReply({ from: NANCY, to, subject: 'Buy now', text: 'Me too!', messageId: '<stranger-1@northwind.example>' });
  const stranger = await refusal(deliver(raw, NANCY, to));
  expect(stranger).toMatchObject({ responseCode: 550, response: '550 5.7.1 this sender may not write to this address' });

  const auto = await composeReply({
    from: 'robot@elsewhere.example',
    to,
    text: 'I am out of office',
    messageId: '<ooo-1@elsewhere.example>',
    headers: { 'Auto-Submitted': 'auto-replied' },
  });
  expect(await refusal(deliver(auto, 'robot@elsewhere.example', to))).toMatchObject({ responseCode: 550 });
  // A copy from Anna's address whose envelope sender is a stranger is refused as well.
  const relayed = await composeReply({ from: ANNA, to, text: 'fwd', messageId: '<relay-1@acme.example>' });
  expect(await refusal(deliver(relayed, 'bulk@mailer.example', to))).toMatchObject({ responseCode: 550 });

  expect((await inbound(caseId)).map((r) => [r.reason, r.answer])).toEqual([
    ['unknown_sender', 'none'],
    ['unknown_sender', 'none'],
    ['sender_mismatch', 'none'],
  ]);
  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('awaiting_customer');
  expect(view.contactAttempts.map((a) => a.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
  expect(types(view)).not.toContain('customer_reply');

  expect(await refusal(deliver(raw, NANCY, 'someone@other-domain.example'))).toMatchObject({ responseCode: 550 });
  await new Promise((r) => setTimeout(r, 300));
  expect(mailbox.received).toHaveLength(before); // nobody was mailed
});

test('refusals are rate-limited per sender and per address: past the limit the listener answers 450 and looks nothing up', async () => {
  const limited = await startSmtpListener(deps, {
    port: 0,
    host: '127.0.0.1',
    maxBytes: 1024 * 1024,
    refusalsPerMinute: { perSender: 3, perAddress: 5 },
  });
  const c = nodemailer.createTransport({ host: '127.0.0.1', port: limited.port, secure: false, ignoreTLS: true });
  try {
    const codes: number[] = [];
    const send = async (from: string, to: string, n: number) => {
      const raw = await composeReply({ from, to, text: 'x', messageId: `<limit-${n}@evil.example>` });
      codes.push(
        await c.sendMail({ envelope: { from, to: [to] }, raw }).then(
          () => 250,
          (err: { responseCode: number }) => err.responseCode,
        ),
      );
    };
    for (let n = 0; n < 4; n++) await send('spray@evil.example', `case+x${n}.0123456789abcdef0123@${REPLY.domain}`, n);
    expect(codes).toEqual([550, 550, 550, 450]); // per sender
    codes.length = 0;
    const target = `case+target.0123456789abcdef0123@${REPLY.domain}`;
    for (let n = 0; n < 6; n++) await send(`bot${n}@botnet.example`, target, 10 + n);
    expect(codes).toEqual([550, 550, 550, 550, 550, 450]); // per address
  } finally {
    c.close();
    await limited.close();
  }
});

test("a linked partner's reply reopens a resolved case", async () => {
  const caseId = 'mail-partner';
  const { handle } = await awaitingCase(caseId);
  await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Re-register the proxy' }],
  });
  const raw = await composeReply({
    from: 'Support@ByteSmith.example',
    to: replyAddress(REPLY, caseId),
    text: 'Still failing tonight',
    messageId: '<p-1@bytesmith.example>',
  });
  const outcome = await receiveMail(deps, raw, 'http');
  expect(outcome).toMatchObject({ status: 'accepted', caseId, caseStatus: 'in_progress' });
  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('in_progress');
  expect(types(view)).toEqual(expect.arrayContaining(['resolved', 'customer_reply', 'reopened']));
  expect(view.history.find((e) => e.type === 'customer_reply')!.actorId).toBe('partner-bytesmith');
});

test("notification contacts of the organisation and of a linked partner's organisation reply as the customer; other contacts are strangers", async () => {
  const db = h.database.db;
  await db.insert(organisations).values({
    id: 'org-helpdesk-partner',
    name: 'Helpdesk Partner GmbH',
    supportId: 'SUP-000998',
    entitlement: 'production',
    marketRegion: 'EMEA',
    country: 'DE',
    timeZone: 'Europe/Berlin',
    language: 'de',
  });
  await db.insert(principals).values({
    id: 'partner-helpdesk',
    orgId: 'org-helpdesk-partner',
    name: 'Helpdesk',
    email: 'desk@helpdesk.example',
    role: 'support_partner',
  });
  await db.insert(partnerLinks).values({ partnerId: 'partner-helpdesk', orgId: ORG.id });
  await db.insert(notificationContacts).values([
    { id: 'contact-acme-ops', orgId: ORG.id, name: 'Acme Ops', email: 'ops@acme.example', language: 'de', kinds: ['contact_attempt'] },
    { id: 'contact-acme-silent', orgId: ORG.id, name: 'Acme Silent', email: 'silent@acme.example', kinds: [] },
    { id: 'contact-helpdesk', orgId: 'org-helpdesk-partner', name: 'Helpdesk Night Desk', email: 'night@helpdesk.example' },
    { id: 'contact-northwind', orgId: 'org-northwind', name: 'Northwind Ops', email: 'ops@northwind.example' },
  ]);

  // The organisation's contact answers a contact attempt over SMTP: the case continues, the trail names the contact.
  const caseId = 'mail-contact';
  const { handle } = await awaitingCase(caseId);
  const to = replyAddress(REPLY, caseId);
  const raw = await composeReply({
    from: 'Acme Ops <OPS@acme.example>',
    to,
    text: 'Logs are on the share',
    messageId: '<c-1@acme.example>',
  });
  expect((await deliver(raw, 'ops@acme.example', to)).response).toMatch(/^250 .*accepted/);
  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('in_progress');
  expect(view.contactAttempts.map((a) => a.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  expect(view.history.find((e) => e.type === 'customer_reply')!.actorId).toBe('contact:contact-acme-ops');
  const rm = await h.readModel(caseId);
  expect(rm.events.find((e) => e.type === 'customer_reply')!.actorId).toBe('contact:contact-acme-ops');

  // A linked partner organisation's contact reopens the resolved case through the HTTP path's entry point.
  await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Re-register the proxy' }],
  });
  const fromPartner = await composeReply({
    from: 'night@helpdesk.example',
    to,
    text: 'Still failing',
    messageId: '<c-2@helpdesk.example>',
  });
  expect(await receiveMail(deps, fromPartner, 'http')).toMatchObject({ status: 'accepted', caseId, caseStatus: 'in_progress' });
  expect(types(await handle.query(getCaseQuery))).toEqual(expect.arrayContaining(['resolved', 'reopened']));

  // A contact of an unlinked organisation, and one who receives no case mail, are strangers: refused at DATA.
  const before = mailbox.received.length;
  for (const [from, id] of [
    ['ops@northwind.example', '<c-3@northwind.example>'],
    ['silent@acme.example', '<c-4@acme.example>'],
  ] as const) {
    const stranger = await composeReply({ from, to, text: 'Me too', messageId: id });
    await expect(deliver(stranger, from, to)).rejects.toMatchObject({ responseCode: 550 });
  }
  expect(mailbox.received).toHaveLength(before);
  expect((await inbound(caseId)).map((r) => [r.status, r.reason, r.principalId])).toEqual([
    ['accepted', null, 'contact:contact-acme-ops'],
    ['accepted', null, 'contact:contact-helpdesk'],
    ['refused', 'unknown_sender', null],
    ['refused', 'unknown_sender', null],
  ]);
  const replies = (await h.readModel(caseId)).events.filter((e) => e.type === 'customer_reply').map((e) => e.actorId);
  expect(replies).toEqual(['contact:contact-acme-ops', 'contact:contact-helpdesk']);
});

test("a closed case's address is refused at RCPT; over HTTP the verified customer is answered in the case's language, nobody else", async () => {
  const caseId = 'mail-closed';
  const askedAt = nextLocal(await h.now(), ORG.zone, 1, '11:00');
  await h.sleepUntil(askedAt);
  const { handle } = await h.open({ ...caseInput({ caseId, openedAt: askedAt }), language: 'de' });
  await handle.executeUpdate(closeCaseUpdate, { args: [{ requestId: rid(), actor: engineer, reason: 'duplicate' }] });
  await handle.result();
  const [{ number }] = (await h.database.db.select({ number: cases.number }).from(cases).where(eq(cases.id, caseId))) as [
    { number: number },
  ];
  const before = mailbox.received.length;
  const to = replyAddress(REPLY, caseId);

  const raw = await composeReply({ from: ANNA, to, text: 'It broke again', messageId: '<closed-1@acme.example>' });
  await expect(deliver(raw, ANNA, to)).rejects.toMatchObject({
    responseCode: 550,
    response: '550 5.7.1 this case is closed and takes no more mail; please open a new case in the support portal',
  });

  // The same reply through the HTTP gateway: Anna is the customer, so she is told, in German, plainly.
  expect(await receiveMail(deps, raw, 'http')).toMatchObject({ status: 'refused', reason: 'case_closed', answer: 'sent' });
  const [answer] = (await mailbox.waitFor(before + 1)).slice(before);
  expect(answer!.mailFrom).toBe('');
  expect(answer!.rcptTo).toEqual([ANNA]);
  expect(answer!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
  expect(answer!.parsed.subject).toBe(`Fall #${number} ist geschlossen: Ihre Nachricht wurde nicht hinzugefügt`);
  expect(answer!.parsed.text).toContain(`Fall #${number} „Test case ${caseId}“ ist geschlossen`);
  expect(answer!.parsed.text).toContain(`#${number} als zugehörigen Fall an`);
  expect(answer!.parsed.text).not.toMatch(/relatedCaseId|POST|\/v1\//); // no API jargon
  expect(answer!.parsed.text).not.toContain('It broke again'); // never quotes the sender

  // A stranger writing to the closed case over HTTP gets nothing.
  const stranger = await composeReply({ from: NANCY, to, text: 'Hello', messageId: '<closed-2@northwind.example>' });
  expect(await receiveMail(deps, stranger, 'http')).toMatchObject({ status: 'refused', reason: 'unknown_sender', answer: 'none' });
  await new Promise((r) => setTimeout(r, 300));
  expect(mailbox.received).toHaveLength(before + 1);

  expect((await inbound(caseId)).map((r) => [r.status, r.reason, r.answer])).toEqual([
    ['refused', 'case_closed', 'sent'],
    ['refused', 'unknown_sender', 'none'],
  ]);
  const rm = await h.readModel(caseId);
  expect(rm.events.map((e) => e.type)).not.toContain('customer_reply');
});

/** What a fixture needs to be a message to this case, from Anna, about its latest mail. */
function values(caseId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TO: replyAddress(REPLY, caseId),
    REPLY_ADDRESS: replyAddress(REPLY, caseId),
    CUSTOMER: ANNA,
    SUBJECT: `Case: we need information from you`,
    CASE_THREAD: `case-${caseId}@caseflow.test`,
    UNIQUE: caseId,
    MAIL_FROM_ADDRESS: 'support@caseflow.test',
    ...extra,
  };
}

const AUTOMATIC: [fixture: string, envelopeFrom: string, classification: string][] = [
  ['auto-reply-gmail', ANNA, 'auto_reply'],
  ['auto-reply-exchange', ANNA, 'auto_reply'],
  ['auto-reply-outlook-legacy', ANNA, 'auto_reply'],
  ['vacation-postfix', ANNA, 'auto_reply'],
  ['auto-reply-apple', ANNA, 'auto_reply'],
  ['auto-reply-autoresponder', ANNA, 'auto_reply'],
  ['list-mail', ANNA, 'list'], // a list Anna posted to, which had the reply address on it
  ['bulk-newsletter', ANNA, 'bulk'],
  ['null-sender', '', 'null_sender'], // MAIL FROM:<>
];

test('auto-replies, list and bulk mail and the null sender change nothing: the three attempts stay scheduled, nobody is told or answered', async () => {
  const caseId = 'mail-automatic';
  const { handle } = await awaitingCase(caseId);
  const to = replyAddress(REPLY, caseId);
  const before = mailbox.received.length;
  const outboxBefore = (await h.readModel(caseId)).outbox.length;

  for (const [name, envelopeFrom, classification] of AUTOMATIC) {
    const sent = await deliver(mailFixture(name, values(caseId)), envelopeFrom, to);
    expect([name, sent.response]).toEqual([name, `250 2.0.0 recorded (${classification}), not added to the case`]);
    const view = await handle.query(getCaseQuery);
    expect([name, view.status, view.contactAttempts.map((a) => a.status)]).toEqual([
      name,
      'awaiting_customer',
      ['scheduled', 'scheduled', 'scheduled'],
    ]);
  }
  // Delivered again (the sending server retried): still one record each.
  await deliver(mailFixture('auto-reply-gmail', values(caseId)), ANNA, to);

  const rows = await inbound(caseId);
  expect(rows.map((r) => [r.status, r.classification, r.sender, r.answer])).toEqual(
    AUTOMATIC.map(([, , classification]) => ['ignored', classification, ANNA, 'none']),
  );
  expect(rows[0]!.detail).toEqual({ why: 'Auto-Submitted: auto-replied' });
  expect(rows[1]!.detail).toEqual({ why: 'Auto-Submitted: auto-generated' });
  expect(rows[2]!.detail).toEqual({ why: 'X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply' });
  expect(rows[4]!.detail).toEqual({ why: 'X-Autoreply: YES' });

  const view = await handle.query(getCaseQuery);
  expect(types(view)).not.toContain('customer_reply');
  const rm = await h.readModel(caseId);
  expect(rm.attempts.map((a) => a.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
  expect(rm.outbox).toHaveLength(outboxBefore); // no "customer replied" to the engineer
  await new Promise((r) => setTimeout(r, 300));
  expect(mailbox.received).toHaveLength(before);

  // The attempts still happen: the first one at Tuesday 10:00.
  await h.sleepUntil(Date.parse(view.contactAttempts[0]!.scheduledAt) + 60_000);
  expect((await handle.query(getCaseQuery)).contactAttempts.map((a) => a.status)).toEqual(['made', 'scheduled', 'scheduled']);
});

test('a resolved case stays resolved after an out-of-office, a list mail or a quote-only reply', async () => {
  const caseId = 'mail-resolved-auto';
  const { handle } = await awaitingCase(caseId);
  await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Re-register the proxy' }],
  });
  const to = replyAddress(REPLY, caseId);
  for (const name of ['auto-reply-exchange', 'vacation-postfix', 'list-mail', 'quote-only-gmail']) {
    await deliver(mailFixture(name, values(caseId)), ANNA, to);
  }
  expect(await receiveMail(deps, mailFixture('auto-reply-apple', values(caseId)), 'http')).toMatchObject({
    status: 'ignored',
    classification: 'auto_reply',
  });
  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('resolved');
  expect(types(view)).not.toContain('reopened');
  expect((await inbound(caseId)).map((r) => r.classification)).toEqual(['auto_reply', 'auto_reply', 'list', 'empty_reply', 'auto_reply']);
});

test('a reply that only quotes the previous mail is no answer: recorded as empty_reply, the attempts stay', async () => {
  const caseId = 'mail-quote-only';
  const { handle } = await awaitingCase(caseId);
  const to = replyAddress(REPLY, caseId);
  for (const name of ['quote-only-gmail', 'quote-only-outlook']) {
    expect((await deliver(mailFixture(name, values(caseId)), ANNA, to)).response).toBe(
      '250 2.0.0 recorded (empty_reply), not added to the case',
    );
  }
  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('awaiting_customer');
  expect(view.contactAttempts.map((a) => a.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
  expect(types(view)).not.toContain('customer_reply');
  expect((await inbound(caseId)).map((r) => [r.status, r.classification, r.principalId])).toEqual([
    ['ignored', 'empty_reply', 'cust-anna'],
    ['ignored', 'empty_reply', 'cust-anna'],
  ]);
  // A real answer afterwards is applied as usual.
  const raw = await composeReply({ from: ANNA, to, text: QUOTED_REPLY, messageId: '<quote-then-real@acme.example>' });
  expect((await deliver(raw, ANNA, to)).response).toMatch(/^250 .*accepted/);
  expect((await handle.query(getCaseQuery)).contactAttempts.map((a) => a.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
});

test('a reply through a BATV tagging gateway or an SRS forwarder is applied: From is the customer and the token is valid', async () => {
  const batvCase = 'mail-batv';
  const batv = await awaitingCase(batvCase);
  const batvSent = await deliver(
    mailFixture('reply-batv', values(batvCase)),
    'prvs=1234abcd=anna@acme.example',
    replyAddress(REPLY, batvCase),
  );
  expect(batvSent.response).toMatch(/^250 .*accepted/);
  const batvView = await batv.handle.query(getCaseQuery);
  expect(batvView.status).toBe('in_progress');
  expect(batvView.contactAttempts.map((a) => a.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  expect(batvView.history.find((e) => e.type === 'customer_reply')!.data).toMatchObject({
    message: 'The logs are on the share now: \\\\fs01\\support\\case-logs.',
  });

  const srsCase = 'mail-srs';
  const srs = await awaitingCase(srsCase);
  await srs.handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Re-register the proxy' }],
  });
  const srsSent = await deliver(
    mailFixture('reply-srs', values(srsCase)),
    'SRS0=Xk9Q=TT=acme.example=anna@forwarder.example',
    replyAddress(REPLY, srsCase),
  );
  expect(srsSent.response).toMatch(/^250 .*accepted/);
  const srsView = await srs.handle.query(getCaseQuery);
  expect(srsView.status).toBe('in_progress');
  expect(types(srsView)).toEqual(expect.arrayContaining(['resolved', 'customer_reply', 'reopened']));
  expect((await inbound(srsCase)).map((r) => [r.status, r.envelopeSender, r.principalId])).toEqual([
    ['accepted', 'srs0=xk9q=tt=acme.example=anna@forwarder.example', 'cust-anna'],
  ]);

  // A tag or rewriting is no licence: a forwarder re-sending a stranger's mail is still refused.
  const other = await composeReply({ from: ANNA, to: replyAddress(REPLY, batvCase), text: 'x', messageId: '<srs-stranger@x.example>' });
  await expect(
    deliver(other, 'SRS0=abcd=TT=northwind.example=nancy@forwarder.example', replyAddress(REPLY, batvCase)),
  ).rejects.toMatchObject({
    responseCode: 550,
  });
});

/** The sent delivery of a notice kind to an address, once the worker has sent it. */
async function sentDelivery(caseId: string, kind: string, address: string) {
  const db = h.database.db;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await db
      .select({ id: notificationDeliveries.id, messageId: notificationDeliveries.messageId, status: notificationDeliveries.status })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(and(eq(notificationDeliveries.caseId, caseId), eq(notifications.kind, kind), eq(notificationDeliveries.address, address)));
    if (row?.status === 'sent' && row.messageId) return { id: row.id, messageId: row.messageId.replace(/^<|>$/g, '') };
    if (Date.now() > deadline) throw new Error(`no sent ${kind} delivery to ${address} on ${caseId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function delivery(id: number) {
  const [row] = await h.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
  return row!;
}

test('delivery status notifications from Gmail, Exchange and Postfix mark the delivery they report on bounced, with status and diagnostic', async () => {
  const db = h.database.db;
  await db
    .insert(notificationContacts)
    .values({ id: 'contact-acme-night', orgId: ORG.id, name: 'Acme Night Shift', email: 'night@acme.example' });
  const caseId = 'mail-dsn';
  const { handle } = await awaitingCase(caseId);
  const to = replyAddress(REPLY, caseId);
  const before = mailbox.received.length;
  const report = (d: { messageId: string }, recipient: string, subject: string) =>
    values(caseId, {
      ORIGINAL_MESSAGE_ID: d.messageId,
      ORIGINAL_RECIPIENT: recipient,
      ORIGINAL_RECIPIENT_LOCAL: recipient.slice(0, recipient.indexOf('@')),
      ORIGINAL_SUBJECT: subject,
    });

  // Gmail reports Anna's "we need information" mail as undeliverable, to the case's reply address, from <>.
  const info = await sentDelivery(caseId, 'info_request', ANNA);
  const gmail = await deliver(mailFixture('dsn-gmail', report(info, ANNA, 'Case: we need information from you')), '', to);
  expect(gmail.response).toBe('250 2.0.0 recorded (delivery_report), not added to the case');
  expect(await delivery(info.id)).toMatchObject({
    status: 'bounced',
    bounceStatus: '5.1.1',
    bounceDiagnostic: expect.stringMatching(/^smtp; 550-5\.1\.1 The email account that you tried to reach does not exist/),
    bouncedAt: expect.any(Date),
  });

  // Exchange, about the case-received mail, over HTTP.
  const received = await sentDelivery(caseId, 'case_received', ANNA);
  const exchange = await receiveMail(deps, mailFixture('dsn-exchange', report(received, ANNA, 'Case received')), 'http');
  expect(exchange).toMatchObject({ status: 'ignored', classification: 'delivery_report', caseId, bounced: 1 });
  expect(await delivery(received.id)).toMatchObject({ status: 'bounced', bounceStatus: '5.1.10' });

  // Postfix, about the contact's copy, to the bounce mailbox: the contact is flagged too. A delay report first changes nothing.
  const night = await sentDelivery(caseId, 'info_request', 'night@acme.example');
  const bounceBox = `bounces@${REPLY.domain}`;
  await deliver(mailFixture('dsn-postfix-delayed', report(night, 'night@acme.example', 'Case: we need information')), '', bounceBox);
  expect(await delivery(night.id)).toMatchObject({ status: 'sent', bounceStatus: null });
  await deliver(mailFixture('dsn-postfix', report(night, 'night@acme.example', 'Case: we need information')), '', bounceBox);
  expect(await delivery(night.id)).toMatchObject({ status: 'bounced', bounceStatus: '5.2.2' });
  const [contact] = await db.select().from(notificationContacts).where(eq(notificationContacts.id, 'contact-acme-night'));
  expect(contact).toMatchObject({ bounceStatus: '5.2.2', bouncedAt: expect.any(Date) });

  // A report naming a Message-ID we never sent, or sent to someone else, marks nothing.
  const forged = await deliver(mailFixture('dsn-gmail', report({ messageId: 'nothing-we-sent@caseflow.test' }, ANNA, 'x')), '', bounceBox);
  expect(forged.response).toBe('250 2.0.0 recorded (delivery_report), not added to the case');
  // Only the null sender may write to the bounce mailbox.
  await expect(deliver(mailFixture('dsn-gmail', report(info, ANNA, 'x')), 'someone@acme.example', bounceBox)).rejects.toMatchObject({
    responseCode: 550,
  });

  const rows = await inbound(caseId);
  expect(rows.map((r) => [r.via, r.status, r.classification])).toEqual([
    ['smtp', 'ignored', 'delivery_report'],
    ['http', 'ignored', 'delivery_report'],
    ['smtp', 'ignored', 'delivery_report'],
    ['smtp', 'ignored', 'delivery_report'],
  ]);
  expect(rows[0]!.detail).toMatchObject({ bounced: 1, matched: [{ deliveryId: info.id, status: '5.1.1', action: 'failed' }] });
  expect(rows[2]!.detail).toMatchObject({ bounced: 0, matched: [{ deliveryId: night.id, status: '4.4.1', action: 'delayed' }] });

  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('awaiting_customer');
  expect(view.contactAttempts.map((a) => a.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
  await new Promise((r) => setTimeout(r, 300));
  expect(mailbox.received).toHaveLength(before);
  await db.delete(notificationContacts).where(eq(notificationContacts.id, 'contact-acme-night'));
});
