/**
 * No input that reaches a workflow and no permanent database error stalls a case: the refused read-model
 * write is quarantined with its reason and the case goes on (issue 10). The text guard at the API door
 * (test/api/unstorable-text.test.ts) stops such text earlier; these cases arrive another way (the Temporal
 * CLI, an older API) or fail for another permanent reason (a constraint).
 */
import { sql } from 'drizzle-orm';
import { customerReplyUpdate, engineerResponseUpdate } from '../../contract/case';
import { quarantinedWrites } from '../../db/schema';
import { caseInput, customer, engineer } from '../fixtures/cases';
import { rid, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

const quarantined = async (caseId: string) =>
  (await h.database.db.select().from(quarantinedWrites).orderBy(quarantinedWrites.id)).filter((q) => q.caseId === caseId);

test('unstorable text in a case is written with U+FFFD, the original quarantined, and the case answers on', async () => {
  const input = { ...caseInput({ caseId: 'q-text', openedAt: await h.now() }), title: 'Disk\u0000full \ud800' };
  const { handle, view } = await h.open(input);
  expect(view.status).toBe('opened');

  const rm = await h.readModel('q-text');
  expect(rm.row!.title).toBe('Disk\uFFFDfull \uFFFD');
  const [q] = await quarantined('q-text');
  expect(q).toMatchObject({ action: 'sanitized', snapshotVersion: view.version });
  expect(q!.sqlState).toMatch(/^22/);
  expect((JSON.parse(q!.batch) as { record: { title: string } }).record.title).toBe('Disk\u0000full \ud800');

  const answered = await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'on it' }] });
  expect(answered.status).toBe('in_progress');
  expect((await h.readModel('q-text')).row!.status).toBe('in_progress');
});

test('a step the database refuses for good is skipped and kept; the next step is written', async () => {
  const { handle } = await h.open(caseInput({ caseId: 'q-check', openedAt: await h.now() }));
  await h.database.db.execute(sql`alter table case_events add constraint test_no_replies check (type <> 'customer_reply') not valid`);
  try {
    const replied = await handle.executeUpdate(customerReplyUpdate, {
      args: [{ requestId: rid(), actor: customer, message: 'logs attached' }],
    });
    expect(replied.history.map((e) => e.type)).toContain('customer_reply');
    const [q] = await quarantined('q-check');
    expect(q).toMatchObject({ action: 'skipped', sqlState: '23514' });
  } finally {
    await h.database.db.execute(sql`alter table case_events drop constraint test_no_replies`);
  }
  await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'thanks' }] });
  const rm = await h.readModel('q-check');
  expect(rm.events.map((e) => e.type)).toContain('engineer_response');
  expect(rm.events.map((e) => e.type)).not.toContain('customer_reply');
  expect(rm.row!.status).toBe('in_progress');
  expect(await quarantined('q-check')).toHaveLength(1);
});
