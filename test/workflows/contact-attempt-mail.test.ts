/**
 * The contact-attempt rule as the customer experiences it, on the time-skipping server with a real SMTP
 * server: a German customer asked for information on the Thursday before a German public holiday (from the
 * holiday library, as the API resolves it) who never answers gets the case-received mail, the request,
 * three attempt mails on three separate business days (not the holiday, not the weekend), all in German,
 * then the closure mail. A reply after the second attempt means no third.
 */
import { DateTime } from 'luxon';
import { eq, inArray } from 'drizzle-orm';
import { customerReplyUpdate, requestInfoUpdate } from '../../contract/case';
import type { CaseMailer } from '../../activities/mail/mailer';
import { notifications } from '../../db/schema';
import { resolveClosedDates } from '../../policy/holidays';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp';
import { insertPeople, testMailer } from '../mail/fixtures';
import { caseInput, customer, engineer, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, type Harness } from './harness';

let h: Harness;
let smtp: TestSmtp;
let mailer: CaseMailer;
beforeAll(async () => {
  smtp = await startTestSmtp();
  mailer = testMailer(smtp.url);
  h = await startHarness('time-skipping', { mailer });
  await insertPeople(h.database);
});
afterAll(async () => {
  await h?.teardown();
  mailer?.transport.transporter.close();
  await smtp?.close();
});

/**
 * Anna's mails about a case, oldest first, with the business date each outbox row was raised for. The
 * worker's outbox relay sends them just after each step commits, so the last ones may still be on their way
 * when the workflow has finished: wait until every outbox row for Anna's side is delivered.
 */
async function annasMails(caseId: string): Promise<Array<ReceivedMail & { kind: string; businessDate?: string }>> {
  const until = Date.now() + 10_000;
  for (;;) {
    const rows = await h.database.db.select().from(notifications).where(eq(notifications.caseId, caseId));
    if (rows.every((r) => r.deliveredAt !== null) || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const mails = smtp.received.filter((m) => m.header('x-caseflow-case') === caseId && m.envelopeTo.includes('anna@acme.example'));
  const keys = mails.map((m) => m.header('x-caseflow-dedupe-key')!);
  const rows = await h.database.db.select().from(notifications).where(inArray(notifications.dedupeKey, keys));
  const byKey = new Map(rows.map((r) => [r.dedupeKey, r]));
  // In the order the case raised them (the relay sends side by side, so arrival order may differ).
  mails.sort((a, b) => byKey.get(a.header('x-caseflow-dedupe-key')!)!.id - byKey.get(b.header('x-caseflow-dedupe-key')!)!.id);
  return mails.map((m) => {
    const row = byKey.get(m.header('x-caseflow-dedupe-key')!)!;
    return Object.assign(m, { kind: row.kind, businessDate: (row.payload as { businessDate?: string }).businessDate });
  });
}

test('no answer: three German attempt mails on three business days around a public holiday, then the closure mail', async () => {
  const now = await h.now();
  const year = DateTime.fromMillis(now, { zone: ORG.zone }).year;
  const holidays = resolveClosedDates({ country: 'DE', fromYear: year, toYear: year + 2 });
  // The next German public holiday on a Friday (Christmas Day 2026, Good Friday 2027, ...): ask the day before.
  const friday = holidays.find(
    (d) => d > DateTime.fromMillis(now, { zone: ORG.zone }).plus({ days: 1 }).toISODate()! && DateTime.fromISO(d).weekday === 5,
  )!;
  const thursday = DateTime.fromISO(friday, { zone: ORG.zone }).minus({ days: 1 });
  const askedAt = thursday.set({ hour: 15 }).toMillis();
  await h.sleepUntil(askedAt - 3_600_000);
  const input = { ...caseInput({ caseId: 'mail-holiday', openedAt: askedAt - 3_600_000, closedDates: holidays }), language: 'de' };
  const { handle } = await h.open(input);
  await h.sleepUntil(askedAt);
  await handle.executeUpdate(requestInfoUpdate, {
    args: [{ requestId: rid(), actor: engineer, message: 'Bitte senden Sie die Job-Protokolle' }],
  });
  const closed = await handle.result();
  expect(closed.closeReason).toBe('no_customer_response');

  const mails = await annasMails('mail-holiday');
  expect(mails.map((m) => m.kind)).toEqual([
    'case_received',
    'info_request',
    'contact_attempt',
    'contact_attempt',
    'contact_attempt',
    'closed_no_customer_response',
  ]);
  const [received, asked, ...rest] = mails;
  const attempts = rest.slice(0, 3);
  const closure = rest[3]!;
  const number = /Fall (#\d+)/.exec(received!.subject)![1]!;
  expect(received!.subject).toBe(`Fall ${number} eingegangen: Test case mail-holiday`);
  expect(received!.text).toMatch(
    /Unsere erste Antwort erhalten Sie spätestens am \w+, \d+\. \w+ \d{4} um \d\d:\d\d MEZ: 3 Stunden rund um die Uhr gerechnet\./,
  );
  expect(asked!.subject).toBe(`Fall ${number}: Wir benötigen Informationen von Ihnen`);
  expect(asked!.text).toContain('> Bitte senden Sie die Job-Protokolle');

  // Three separate business days: weekdays, none of them the holiday, in order.
  const dates = attempts.map((m) => m.businessDate!);
  expect(new Set(dates).size).toBe(3);
  expect(dates).not.toContain(friday);
  expect(dates.every((d) => DateTime.fromISO(d).weekday <= 5 && d > friday)).toBe(true);
  expect(attempts.map((m) => m.subject)).toEqual([1, 2, 3].map((n) => `Fall ${number}: Wir warten auf Ihre Antwort (Versuch ${n} von 3)`));
  expect(attempts[0]!.text).toContain('Wir versuchen es noch 2-mal, einmal pro Geschäftstag.');
  expect(attempts[1]!.text).toContain('Wir versuchen es am nächsten Geschäftstag noch einmal.');
  expect(attempts[2]!.text).toContain('Dies ist unser letzter Versuch.');
  // Every attempt names the same closing instant: the end (17:00 local) of the third business day.
  const lastDay = DateTime.fromISO(dates[2]!, { zone: ORG.zone }).setLocale('de').toFormat('cccc, d. LLLL yyyy');
  for (const m of attempts) expect(m.text).toContain(`wird der Fall am ${lastDay} um 17:00 MEZ geschlossen`);

  expect(closure.subject).toBe(`Fall ${number} geschlossen: Test case mail-holiday`);
  expect(closure.text).toContain('an 3 verschiedenen Geschäftstagen versucht, Sie zu erreichen');
  // No "reply to this mail" on a closed case: a portal link that opens the related case instead.
  expect(closure.text).toContain(`Der Link unten gibt ${number} als zugehörigen Fall an`);
  expect(closure.text).toContain('/portal/new?related=mail-holiday');
  expect(closure.text).not.toContain('antworten Sie einfach auf diese E-Mail');
  // One thread, no Message-ID twice, and Klaus (a contact who wants only attempts) got exactly those three.
  expect(new Set(mails.map((m) => m.header('references'))).size).toBe(1);
  const all = smtp.received.filter((m) => m.header('x-caseflow-case') === 'mail-holiday');
  expect(new Set(all.map((m) => m.messageId)).size).toBe(all.length);
  // Klaus's, in the order the case raised them (the relay sends side by side, so arrival order may differ).
  const klaus = all.filter((m) => m.envelopeTo.includes('klaus@acme.example')).map((m) => m.subject);
  expect(klaus.sort()).toEqual(attempts.map((m) => m.subject).sort());
});

test('a reply after the second attempt: no third attempt mail, no closure mail', async () => {
  const askedAt = nextLocal(await h.now(), ORG.zone, 1, '11:00');
  await h.sleepUntil(askedAt);
  const { handle } = await h.open({ ...caseInput({ caseId: 'mail-reply', openedAt: askedAt }), language: 'de' });
  const asked = await handle.executeUpdate(requestInfoUpdate, {
    args: [{ requestId: rid(), actor: engineer, message: 'Welche Version?' }],
  });
  await h.sleepUntil(Date.parse(asked.contactAttempts[1]!.scheduledAt) + 3_600_000);
  await handle.executeUpdate(customerReplyUpdate, { args: [{ requestId: rid(), actor: customer, message: '12.3' }] });
  await h.env.sleep(4 * 24 * 3_600_000);
  const kinds = (await annasMails('mail-reply')).map((m) => m.kind);
  expect(kinds).toEqual(['case_received', 'info_request', 'contact_attempt', 'contact_attempt']);
  // The owner hears about the reply (staff mail, English).
  const owner = smtp.received.filter((m) => m.header('x-caseflow-case') === 'mail-reply' && m.envelopeTo.includes('bo@caseflow.test'));
  expect(owner.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[Case #\d+\] Customer replied: Test case mail-reply$/)]);
  expect(owner[0]!.text).toContain('> 12.3');
});
