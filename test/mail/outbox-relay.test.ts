/**
 * The worker's outbox relay, against a real SMTP server and a real database: a step's notices go out once
 * even when two relays (two workers) are kicked with them at the same instant, and a notice whose first
 * attempt found the SMTP server down is delivered by the sweep once it is back, once.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { notifications } from '../../db/schema';
import { createOutboxRelay } from '../../activities/outbox-relay';
import { createTestDatabase } from '../helpers/db';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { insertOrganisation, ORG } from '../fixtures/cases';
import { insertPeople, testMailer, writeCase } from './fixtures';

let database: Database;
let smtp: TestSmtp;
beforeAll(async () => {
  database = await createTestDatabase();
  await insertOrganisation(database);
  await insertPeople(database);
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await database?.close();
});

const notice = (payload: Record<string, unknown>) => ({
  kind: 'engineer_response',
  recipient: `customer:${ORG.id}`,
  channel: 'email' as const,
  payload,
});
const mailsFor = (key: string) => smtp.received.filter((m) => m.header('x-caseflow-dedupe-key') === key);
const delivered = async (key: string) =>
  (await database.db.select().from(notifications).where(eq(notifications.dedupeKey, key)))[0]?.deliveredAt !== null;

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('two relays kicked with the same step send each mail once', async () => {
  const [key] = await writeCase(database, 'relay-twice', [notice({ message: 'On it', first: true })]);
  const channels = { webhook: null, mail: testMailer(smtp.url) };
  const a = createOutboxRelay(database.db, channels, { sweepMs: 50, graceMs: 0 });
  const b = createOutboxRelay(database.db, channels, { sweepMs: 50, graceMs: 0 });
  a.start();
  b.start();
  a.kick([key!]);
  b.kick([key!]);
  await until(() => delivered(key!));
  await new Promise((r) => setTimeout(r, 300)); // both sweeps run a few more times
  await Promise.all([a.stop(), b.stop()]);
  const recipients = mailsFor(key!).map((m) => m.envelopeTo.join());
  expect(recipients.length).toBeGreaterThan(0);
  expect(new Set(recipients).size).toBe(recipients.length);
});

test('a notice whose first attempt found the SMTP server down goes out with the sweep once it is back', async () => {
  const port = smtp.port;
  await smtp.close();
  const [key] = await writeCase(database, 'relay-outage', [notice({ message: 'Update', first: false })]);
  const relay = createOutboxRelay(
    database.db,
    { webhook: null, mail: testMailer(`smtp://127.0.0.1:${port}`) },
    { sweepMs: 100, graceMs: 0 },
  );
  relay.kick([key!]);
  await until(async () => (await database.db.select().from(notifications).where(eq(notifications.dedupeKey, key!)))[0]!.attempts > 0);
  expect(await delivered(key!)).toBe(false);
  smtp = await startTestSmtp(port);
  relay.start();
  await until(() => delivered(key!), 20_000);
  await relay.stop();
  const recipients = mailsFor(key!).map((m) => m.envelopeTo.join());
  expect(recipients.length).toBeGreaterThan(0);
  expect(new Set(recipients).size).toBe(recipients.length);
});
