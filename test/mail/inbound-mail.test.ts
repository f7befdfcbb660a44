/**
 * Email in, end to end on real components: the time-skipping Temporal server with the case worker mailing
 * its notices to a real SMTP server (the customer's mailbox), a real database, the inbound SMTP listener
 * receiving mail sent by nodemailer, and a second real SMTP server (the "internet") receiving our bounces
 * and answers.
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
import { caseEvents, cases, inboundMessages, notificationContacts, organisations, partnerLinks, principals } from '../../db/schema';
import { caseInput, engineer, localTime, nextLocal, ORG } from '../fixtures/cases';
import { composeReply, QUOTED_REPLY } from '../helpers/mail';
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
  caseMailer = { transport: createMailTransport(caseMail.url, 'Caseflow Support <support@caseflow.test>'), reply: REPLY };
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

/** Sends a raw message through the listener exactly as an MTA would. */
async function deliver(raw: Buffer, from: string, to: string) {
  return client.sendMail({ envelope: { from, to: [to] }, raw });
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

  // The mail she answers is the second attempt's, to the reply address it carries.
  await caseMail.waitFor(4);
  const seen = annasMail(caseId);
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
  expect(annasMail(caseId).map((m) => m.subject)).toEqual(seen.map((m) => m.subject));
  expect((await inbound(caseId)).map((r) => [r.via, r.status, r.principalId])).toEqual([
    ['smtp', 'accepted', 'cust-anna'],
    ['smtp', 'duplicate', 'cust-anna'],
    ['http', 'duplicate', 'cust-anna'],
  ]);
  expect(mailbox.received).toHaveLength(0); // nothing to answer
});

test('a forged reply token is refused, recorded on the case and bounced from the null sender', async () => {
  const caseId = 'mail-forged';
  const { handle } = await awaitingCase(caseId);
  const genuine = replyAddress(REPLY, caseId);
  const forged = genuine.replace(/\.([0-9a-f]{20})@/, (_m, mac: string) => `.${mac.split('').reverse().join('')}@`);
  expect(forged).not.toBe(genuine);
  const before = mailbox.received.length;

  const raw = await composeReply({ from: ANNA, to: forged, text: 'Please close it', messageId: '<forged-1@evil.example>' });
  expect((await deliver(raw, ANNA, forged)).response).toMatch(/refused \(bad_token\)/);

  const [bounce] = (await mailbox.waitFor(before + 1)).slice(before);
  expect(bounce!.mailFrom).toBe(''); // MAIL FROM:<>: a bounce of the bounce cannot come back
  expect(bounce!.rcptTo).toEqual([ANNA]);
  expect(bounce!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
  expect(bounce!.parsed.inReplyTo).toBe('<forged-1@evil.example>');
  expect(bounce!.parsed.text).toMatch(/security token does not match/);
  expect(bounce!.parsed.text).toMatch(/Code: +bad_token/);

  expect((await handle.query(getCaseQuery)).status).toBe('awaiting_customer'); // nothing applied
  const [row] = await inbound(caseId);
  expect(row).toMatchObject({ status: 'refused', reason: 'bad_token', sender: ANNA, recipient: forged, answer: 'sent' });
  const audit = await h.database.db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'inbound_mail_refused')));
  expect(audit).toHaveLength(1);
  expect(audit[0]!.data).toMatchObject({ reason: 'bad_token', sender: ANNA, messageId: 'forged-1@evil.example' });

  // Redelivered: recorded again, answered once.
  await deliver(raw, ANNA, forged);
  expect((await inbound(caseId)).map((r) => r.answer)).toEqual(['sent', 'skipped:already_answered']);
  expect(mailbox.received).toHaveLength(before + 1);
});

test("a stranger's reply is refused and bounced; automatic mail is refused without an answer; other domains are not relayed", async () => {
  const caseId = 'mail-stranger';
  const { handle } = await awaitingCase(caseId);
  const to = replyAddress(REPLY, caseId);
  const before = mailbox.received.length;

  const raw = await composeReply({ from: NANCY, to, text: 'Me too!', messageId: '<stranger-1@northwind.example>' });
  expect((await deliver(raw, NANCY, to)).response).toMatch(/refused \(unknown_sender\)/);
  const [bounce] = (await mailbox.waitFor(before + 1)).slice(before);
  expect(bounce!.rcptTo).toEqual([NANCY]);
  expect(bounce!.parsed.text).toContain(`${NANCY} is not allowed to reply to this case`);

  const auto = await composeReply({
    from: 'robot@elsewhere.example',
    to,
    text: 'I am out of office',
    messageId: '<ooo-1@elsewhere.example>',
    headers: { 'Auto-Submitted': 'auto-replied' },
  });
  await deliver(auto, 'robot@elsewhere.example', to);
  // A forwarded copy from Anna's address whose envelope sender is a stranger is refused as well.
  const relayed = await composeReply({ from: ANNA, to, text: 'fwd', messageId: '<relay-1@acme.example>' });
  await deliver(relayed, 'bulk@mailer.example', to);

  expect((await inbound(caseId)).map((r) => [r.reason, r.answer])).toEqual([
    ['unknown_sender', 'sent'],
    ['unknown_sender', 'skipped:automatic_mail'],
    ['sender_mismatch', 'sent'],
  ]);
  expect((await mailbox.waitFor(before + 2)).slice(before + 1)[0]!.rcptTo).toEqual(['bulk@mailer.example']);
  const view = await handle.query(getCaseQuery);
  expect(view.status).toBe('awaiting_customer');
  expect(types(view)).not.toContain('customer_reply');

  await expect(deliver(raw, NANCY, 'someone@other-domain.example')).rejects.toMatchObject({ responseCode: 550 });
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

  // A contact of an unlinked organisation, and one who receives no case mail, are strangers: refused and bounced.
  const before = mailbox.received.length;
  for (const [from, id] of [
    ['ops@northwind.example', '<c-3@northwind.example>'],
    ['silent@acme.example', '<c-4@acme.example>'],
  ] as const) {
    const stranger = await composeReply({ from, to, text: 'Me too', messageId: id });
    expect((await deliver(stranger, from, to)).response).toMatch(/refused \(unknown_sender\)/);
  }
  const bounces = (await mailbox.waitFor(before + 2)).slice(before);
  expect(bounces.map((b) => b.rcptTo[0]).sort()).toEqual(['ops@northwind.example', 'silent@acme.example']);
  expect((await inbound(caseId)).map((r) => [r.status, r.reason, r.principalId])).toEqual([
    ['accepted', null, 'contact:contact-acme-ops'],
    ['accepted', null, 'contact:contact-helpdesk'],
    ['refused', 'unknown_sender', null],
    ['refused', 'unknown_sender', null],
  ]);
  const replies = (await h.readModel(caseId)).events.filter((e) => e.type === 'customer_reply').map((e) => e.actorId);
  expect(replies).toEqual(['contact:contact-acme-ops', 'contact:contact-helpdesk']);
});

test('a reply to a closed case is answered with how to open a related case, and not applied', async () => {
  const caseId = 'mail-closed';
  const { handle } = await awaitingCase(caseId);
  await handle.executeUpdate(closeCaseUpdate, { args: [{ requestId: rid(), actor: engineer, reason: 'duplicate' }] });
  await handle.result();
  const [{ number }] = (await h.database.db.select({ number: cases.number }).from(cases).where(eq(cases.id, caseId))) as [
    { number: number },
  ];
  // The closure itself was mailed to Anna: the reason, and how to refer to the case later.
  const deadline = Date.now() + 10_000;
  while (!annasMail(caseId).some((m) => / closed: /.test(m.subject)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const closure = annasMail(caseId).find((m) => / closed: /.test(m.subject))!;
  expect(closure.subject).toBe(`Case #${number} closed: Test case ${caseId}`);
  expect(closure.text).toContain(`Case #${number} is closed at your request.`);
  expect(closure.text).toContain(`give #${number} as the related case`);
  const before = mailbox.received.length;

  const raw = await composeReply({
    from: ANNA,
    to: replyAddress(REPLY, caseId),
    text: 'It broke again',
    messageId: '<closed-1@acme.example>',
  });
  expect((await deliver(raw, ANNA, replyAddress(REPLY, caseId))).response).toMatch(/refused \(case_closed\)/);
  const [answer] = (await mailbox.waitFor(before + 1)).slice(before);
  expect(answer!.rcptTo).toEqual([ANNA]);
  expect(answer!.parsed.subject).toMatch(new RegExp(`^Case #${number} is closed`));
  expect(answer!.parsed.text).toContain(`"relatedCaseId": "${caseId}"`);
  expect(answer!.parsed.text).toContain(`mention case #${number} as the related case`);

  expect((await inbound(caseId)).map((r) => [r.status, r.reason])).toEqual([['refused', 'case_closed']]);
  const rm = await h.readModel(caseId);
  expect(rm.events.map((e) => e.type)).toContain('inbound_mail_refused');
  expect(rm.events.map((e) => e.type)).not.toContain('customer_reply');
});
