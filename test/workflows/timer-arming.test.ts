/**
 * On the real dev server (real time): a timer is armed for the instant it is due, also when the task that
 * arms it is slow. The server starts counting a timer when the task completes, after the task's read-model
 * write; a duration measured from the task's start would fire late by the whole task. The database is made
 * slow for real (a trigger sleeping 400 ms in every audit-event insert), and the timer the opening task
 * starts must still end at the case's first wake instant as the machine computes it.
 */
import { sql } from 'drizzle-orm';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { CaseMachine } from '../../machine/case-machine';
import { resolveSettings } from '../../policy/settings';
import { caseInput } from '../fixtures/cases';
import { startHarness, type Harness } from './harness';

const SLOW_WRITE_MS = 400;
const EventType = temporal.api.enums.v1.EventType;

let h: Harness;
beforeAll(async () => {
  h = await startHarness('dev');
  await h.database.db.execute(
    sql.raw(`CREATE FUNCTION slow_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(${SLOW_WRITE_MS / 1000}); RETURN NULL; END $$`),
  );
  await h.database.db.execute(
    sql.raw('CREATE TRIGGER slow_case_events AFTER INSERT ON case_events FOR EACH STATEMENT EXECUTE FUNCTION slow_write()'),
  );
});
afterAll(async () => {
  await h?.teardown();
});

test('a slow opening task arms its timer for the due instant, not the task length later', async () => {
  const input = caseInput({ caseId: 'timer-arming', openedAt: Date.now(), entitlement: 'production', level: 1 });
  const settings = resolveSettings(input.settings);
  const wake = CaseMachine.open(input, settings, true, true).nextWakeAt();
  expect(wake).not.toBeNull();

  const { handle } = await h.open(input);
  const { events } = await handle.fetchHistory();
  const at = (e: temporal.api.history.v1.IHistoryEvent) => tsToMs(e.eventTime!);
  const taskStarted = events!.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)!;
  const timer = events!.find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)!;
  expect(timer).toBeDefined();

  // The setup really is slow: the timer reached the server at least the write's sleep after the task began.
  expect(at(timer) - at(taskStarted)).toBeGreaterThanOrEqual(SLOW_WRITE_MS);
  // The instant the server will fire it: within a few tens of ms of the due instant (it was 400+ ms late).
  const firesAt = at(timer) + tsToMs(timer.timerStartedEventAttributes!.startToFireTimeout!);
  expect(Math.abs(firesAt - wake!)).toBeLessThan(SLOW_WRITE_MS / 4);
});
