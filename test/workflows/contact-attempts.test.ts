/**
 * Awaiting customer: three contact attempts on distinct business days of the customer's calendar, skipping
 * a weekend and a public holiday; closing as "no customer response" at the end of the third day; a reply
 * cancels the remaining attempts.
 */
import { customerReplyUpdate, getCaseQuery, requestInfoUpdate } from '../../contract/case';
import { caseInput, customer, engineer, localDate, localTime, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, types, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

test('attempts skip a public holiday and the weekend, then the case closes after the third', async () => {
  // Asked on Thursday 15:00 (after today's 10:00 slot); Friday is a public holiday.
  const askedAt = nextLocal(await h.now(), ORG.zone, 4, '15:00');
  const holiday = localDate(askedAt + 24 * 3_600_000, ORG.zone);
  await h.sleepUntil(askedAt - 3_600_000);
  const { handle } = await h.open(caseInput({ caseId: 'ca-holiday', openedAt: askedAt - 3_600_000, closedDates: [holiday] }));
  await h.sleepUntil(askedAt);
  const asked = await handle.executeUpdate(requestInfoUpdate, {
    args: [{ requestId: rid(), actor: engineer, message: 'Please send the job logs' }],
  });

  expect(asked.status).toBe('awaiting_customer');
  expect(asked.clocks.firstResponse!.state).toBe('met');
  expect(asked.contactAttempts.map((a) => localTime(a.scheduledAt))).toEqual([
    expect.stringMatching(/^Mon .* 10:00$/),
    expect.stringMatching(/^Tue .* 10:00$/),
    expect.stringMatching(/^Wed .* 10:00$/),
  ]);
  expect(asked.contactAttempts.map((a) => a.businessDate)).not.toContain(holiday);
  const third = asked.contactAttempts[2]!;

  // Wednesday 16:59: all three attempts made, the case still waits for the end of that business day.
  await h.sleepUntil(Date.parse(third.scheduledAt) + 6 * 3_600_000 + 59 * 60_000);
  const waiting = await handle.query(getCaseQuery);
  expect(waiting.status).toBe('awaiting_customer');
  expect(waiting.contactAttempts.map((a) => a.status)).toEqual(['made', 'made', 'made']);
  // Each attempt is made at its scheduled instant (within the workflow task's latency).
  waiting.contactAttempts.forEach((a, i) => {
    const lag = Date.parse(a.madeAt!) - Date.parse(asked.contactAttempts[i]!.scheduledAt);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(1000);
  });

  const closed = await handle.result();
  expect(closed.status).toBe('closed');
  expect(closed.closeReason).toBe('no_customer_response');
  expect(localTime(closed.closedAt!)).toMatch(/^Wed .* 17:00$/);
  expect(types(closed)).toEqual(expect.arrayContaining(['contact_attempt', 'contact_attempts_exhausted', 'closed']));

  const rm = await h.readModel('ca-holiday');
  expect(rm.row!.status).toBe('closed');
  expect(rm.row!.closeReason).toBe('no_customer_response');
  expect(rm.attempts.map((a) => [a.attempt, a.status])).toEqual([
    [1, 'made'],
    [2, 'made'],
    [3, 'made'],
  ]);
  expect(rm.outbox.filter((n) => n.kind === 'contact_attempt')).toHaveLength(3);
  const notice = rm.outbox.find((n) => n.kind === 'closed_no_customer_response')!;
  expect(notice.recipient).toBe(`customer:${ORG.id}`);
  expect((notice.payload as { message: string }).message).toMatch(/open a new case and reference ca-holiday/);
  expect(rm.events.filter((e) => e.type === 'contact_attempt').map((e) => localTime(e.occurredAt.getTime()))).toEqual(
    asked.contactAttempts.map((a) => localTime(a.scheduledAt)),
  );
});

test('a customer reply after the first attempt cancels the rest and returns the case to in progress', async () => {
  const askedAt = nextLocal(await h.now(), ORG.zone, 1, '11:00');
  await h.sleepUntil(askedAt);
  const { handle } = await h.open(caseInput({ caseId: 'ca-reply', openedAt: askedAt }));
  const asked = await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'Which version?' }] });
  expect(asked.contactAttempts.map((a) => localTime(a.scheduledAt))).toEqual([
    expect.stringMatching(/^Tue .* 10:00$/),
    expect.stringMatching(/^Wed .* 10:00$/),
    expect.stringMatching(/^Thu .* 10:00$/),
  ]);
  await h.sleepUntil(Date.parse(asked.contactAttempts[0]!.scheduledAt) + 3_600_000);
  const replied = await handle.executeUpdate(customerReplyUpdate, { args: [{ requestId: rid(), actor: customer, message: 'v12.3' }] });
  expect(replied.status).toBe('in_progress');
  expect(replied.contactAttempts.map((a) => a.status)).toEqual(['made', 'cancelled', 'cancelled']);

  // Nothing more happens on the cancelled days.
  await h.env.sleep(4 * 24 * 3_600_000);
  const later = await handle.query(getCaseQuery);
  expect(later.status).toBe('in_progress');
  expect(later.history.filter((e) => e.type === 'contact_attempt')).toHaveLength(1);
  const rm = await h.readModel('ca-reply');
  expect(rm.attempts.map((a) => a.status)).toEqual(['made', 'cancelled', 'cancelled']);
});
