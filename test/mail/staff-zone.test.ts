/**
 * Staff mail is written for the person reading it: times in their own zone (principals.time_zone) with the
 * customer's local time beside them, never a raw ISO instant, and a link to the case in the console.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { principals } from '../../db/schema';
import { deliverNotifications } from '../../activities/deliver-notifications';
import { createTestDatabase } from '../helpers/db';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { insertOrganisation } from '../fixtures/cases';
import { CONSOLE_URL, insertPeople, testMailer, writeCase } from './fixtures';

let database: Database;
let smtp: TestSmtp;
beforeAll(async () => {
  database = await createTestDatabase();
  await insertOrganisation(database);
  await insertPeople(database);
  await database.db.update(principals).set({ timeZone: 'Asia/Tokyo' }).where(eq(principals.id, 'eng-bo'));
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await database?.close();
});

test('an SLA breach mail shows the due time in the engineer’s zone and the customer’s, and links to the case', async () => {
  const [key] = await writeCase(database, 'staff-zone', [
    {
      kind: 'sla_breach',
      recipient: 'engineer:eng-bo',
      channel: 'email',
      payload: { clock: 'firstResponse', level: 2, dueAt: '2026-12-08T09:00:00.000Z' },
    },
  ]);
  await deliverNotifications(database.db, { webhook: null, mail: testMailer(smtp.url) }, [key!]);
  const mail = smtp.received.find((m) => m.header('x-caseflow-dedupe-key') === key)!;
  expect(mail.envelopeTo).toEqual(['bo@caseflow.test']);
  // 09:00 UTC is 18:00 in Tokyo (the reader) and 10:00 in Berlin (the customer).
  expect(mail.text).toContain('Tuesday, December 8, 2026 at 06:00 PM GMT+9 (customer time: Tuesday, December 8, 2026 at 10:00 AM GMT+1)');
  expect(mail.text).not.toContain('2026-12-08T09:00');
  expect(mail.text).toMatch(new RegExp(`${CONSOLE_URL}/cases/\\d+`));
});
