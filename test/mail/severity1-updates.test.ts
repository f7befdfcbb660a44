/**
 * Severity 1 around the clock, as the customer lives it: every update the engineer gives on the two-hour
 * cadence reaches the customer's mailbox, through a real SMTP server, on the time-skipping Temporal server.
 */
import { engineerResponseUpdate } from '../../contract/case';
import { caseInput, engineer, nextLocal } from '../fixtures/cases';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { rid, startHarness, type Harness } from '../workflows/harness';
import { insertPeople, testMailer } from './fixtures';

let h: Harness;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  h = await startHarness('time-skipping', { mailer: testMailer(smtp.url) });
  await insertPeople(h.database);
});
afterAll(async () => {
  await h?.teardown();
  await smtp?.close();
});

const HOUR = 3_600_000;

async function updatesMailed(caseId: string, count: number): Promise<string[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const mails = smtp.received.filter(
      (m) => m.header('x-caseflow-case') === caseId && (m.header('x-caseflow-dedupe-key') ?? '').includes(':engineer_response:'),
    );
    if (mails.length >= count || Date.now() > until)
      return mails.filter((m) => m.envelopeTo.includes('anna@acme.example')).map((m) => m.text);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('Production Severity 1: the response and each two-hourly update are mailed to the customer', async () => {
  const openedAt = nextLocal(await h.now(), 'UTC', 3, '07:10');
  await h.sleepUntil(openedAt);
  const { handle, view } = await h.open(caseInput({ caseId: 'sev1-mail', openedAt, entitlement: 'production', level: 1 }));
  expect(view.aroundTheClock).toBe(true);

  const messages = ['On it: collecting the job logs', 'Update: the proxy certificate expired', 'Update: renewed, jobs running again'];
  for (const [i, message] of messages.entries()) {
    await h.sleepUntil(openedAt + 20 * 60_000 + i * (2 * HOUR - 10 * 60_000));
    const after = await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message }] });
    // Each update is on time: the cadence clock restarts, two hours from now.
    expect(after.clocks.sev1Update!.state).toBe('running');
  }
  const texts = await updatesMailed('sev1-mail', messages.length * 2);
  expect(texts).toHaveLength(messages.length);
  for (const message of messages) expect(texts.some((t) => t.includes(`> ${message}`))).toBe(true);
  expect(texts.filter((t) => t.includes('Here is our first response'))).toHaveLength(1);
  expect(texts.filter((t) => t.includes('Here is an update'))).toHaveLength(2);
});
