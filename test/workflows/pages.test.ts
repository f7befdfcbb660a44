/**
 * Severity 1 pages must be acknowledged: unacknowledged, a page escalates to the region's fallback on-call
 * after `pageAckMinutes` (15, wall clock), then to the duty manager; an acknowledgement stops it; a hand-off
 * supersedes it and the end of around-the-clock work withdraws it. Time-skipping server, real database.
 * (Each step sleeps to an instant off the escalation instants: the time-skipping server stops skipping when
 * an update lands within a timer's firing.)
 */
import { getCaseQuery, pageAckUpdate, resolveUpdate } from '../../contract/case';
import { caseInput, customer, engineer, manager, nextLocal } from '../fixtures/cases';
import { rid, startHarness, types, type Harness } from './harness';

const MIN = 60_000;
let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

async function pagesOf(caseId: string) {
  const rm = await h.readModel(caseId);
  return rm.outbox.filter((n) => n.channel === 'page').map((n) => [n.kind, n.recipient]);
}

test('an unacknowledged Severity 1 page escalates to the fallback on-call, then to the duty manager', async () => {
  // Tuesday 09:05 UTC: EMEA is on shift until 16:00, so no hand-off interferes.
  const openedAt = nextLocal(await h.now(), 'UTC', 2, '09:05');
  await h.sleepUntil(openedAt);
  const { handle, view } = await h.open(caseInput({ caseId: 'page-unacked', openedAt, entitlement: 'production', level: 1 }));
  expect(view.page).toMatchObject({ kind: 'page', region: 'EMEA', escalationLevel: 0, recipient: 'oncall:EMEA', acknowledgedAt: null });
  expect(Date.parse(view.page!.escalatesAt!)).toBe(openedAt + 15 * MIN);
  expect(await pagesOf('page-unacked')).toEqual([['page', 'oncall:EMEA']]);

  await h.sleepUntil(openedAt + 16 * MIN);
  let live = await handle.query(getCaseQuery);
  expect(live.page).toMatchObject({ escalationLevel: 1, recipient: 'oncall:EMEA:fallback' });
  expect(Date.parse(live.page!.escalatesAt!)).toBeGreaterThanOrEqual(openedAt + 30 * MIN);
  expect(await pagesOf('page-unacked')).toEqual([
    ['page', 'oncall:EMEA'],
    ['page_escalation', 'oncall:EMEA:fallback'],
  ]);

  await h.sleepUntil(openedAt + 31 * MIN);
  live = await handle.query(getCaseQuery);
  expect(live.page).toMatchObject({ escalationLevel: 2, recipient: 'manager:duty', escalatesAt: null });

  // The duty manager is the end of the chain: nothing more, however long nobody answers.
  await h.sleepUntil(openedAt + 5 * 60 * MIN);
  expect(await pagesOf('page-unacked')).toEqual([
    ['page', 'oncall:EMEA'],
    ['page_escalation', 'oncall:EMEA:fallback'],
    ['page_escalation', 'manager:duty'],
  ]);
  const rm = await h.readModel('page-unacked');
  const escalated = rm.events.filter((e) => e.type === 'page_escalated');
  expect(escalated.map((e) => e.data)).toEqual([
    expect.objectContaining({ from: 'oncall:EMEA', to: 'oncall:EMEA:fallback', level: 1, unacknowledgedMinutes: 15 }),
    expect.objectContaining({ from: 'oncall:EMEA:fallback', to: 'manager:duty', level: 2, unacknowledgedMinutes: 30 }),
  ]);
  // Each escalation at its instant (within a loaded machine's task latency), a full window after the last.
  const first = escalated[0]!.occurredAt.getTime() - openedAt;
  expect(first).toBeGreaterThanOrEqual(15 * MIN);
  expect(first).toBeLessThan(15 * MIN + 5000);
  const gap = escalated[1]!.occurredAt.getTime() - escalated[0]!.occurredAt.getTime();
  expect(gap).toBeGreaterThanOrEqual(15 * MIN);
  expect(gap).toBeLessThan(15 * MIN + 5000);
  const notice = rm.outbox.find((n) => n.kind === 'page_escalation')!;
  expect(notice.payload).toMatchObject({ caseId: 'page-unacked', level: 1, region: 'EMEA', title: 'Test case page-unacked' });
});

test('an acknowledgement stops the escalation; a second one, or one from the customer, is refused with the reason', async () => {
  const openedAt = nextLocal(await h.now(), 'UTC', 3, '09:05');
  await h.sleepUntil(openedAt);
  const { handle } = await h.open(caseInput({ caseId: 'page-acked', openedAt, entitlement: 'production', level: 1 }));
  await h.sleepUntil(openedAt + 20 * MIN); // after the fallback was paged
  await expect(handle.executeUpdate(pageAckUpdate, { args: [{ requestId: rid(), actor: customer }] })).rejects.toMatchObject({
    cause: { message: expect.stringMatching(/^Acknowledging a page is not allowed for role 'case_admin'/) },
  });
  const acked = await handle.executeUpdate(pageAckUpdate, { args: [{ requestId: rid(), actor: engineer, note: 'on it' }] });
  expect(acked.page).toMatchObject({ escalationLevel: 1, acknowledgedBy: engineer.id, escalatesAt: null });
  await expect(handle.executeUpdate(pageAckUpdate, { args: [{ requestId: rid(), actor: manager }] })).rejects.toMatchObject({
    cause: { message: `The page was already acknowledged by ${engineer.id}` },
  });

  await h.env.sleep(3 * 60 * MIN);
  expect(await pagesOf('page-acked')).toEqual([
    ['page', 'oncall:EMEA'],
    ['page_escalation', 'oncall:EMEA:fallback'],
  ]);
  const live = await handle.query(getCaseQuery);
  const ack = live.history.find((e) => e.type === 'page_acknowledged')!;
  expect(ack.data).toMatchObject({ level: 1, recipient: 'oncall:EMEA:fallback', note: 'on it' });
  expect(ack.data.afterMs).toBeGreaterThanOrEqual(20 * MIN);
});

test('a hand-off supersedes the open page; resolving withdraws it', async () => {
  // Thursday 07:50 UTC: APAC pages; EMEA takes over at 08:00 and is paged in turn.
  const openedAt = nextLocal(await h.now(), 'UTC', 4, '07:50');
  await h.sleepUntil(openedAt);
  const { handle } = await h.open(caseInput({ caseId: 'page-handoff', openedAt, entitlement: 'production', level: 1 }));
  await h.sleepUntil(openedAt + 12 * MIN + 30_000);
  let live = await handle.query(getCaseQuery);
  expect(live.page).toMatchObject({ kind: 'handoff', region: 'EMEA', escalationLevel: 0, recipient: 'oncall:EMEA' });
  expect(types(live).filter((t) => t === 'page_escalated')).toEqual([]); // the APAC page was superseded before 08:05

  await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Restarted' }],
  });
  live = await handle.query(getCaseQuery);
  expect(live.page!.withdrawnAt).not.toBeNull();
  expect(types(live)).toContain('page_withdrawn');
  await expect(handle.executeUpdate(pageAckUpdate, { args: [{ requestId: rid(), actor: engineer }] })).rejects.toMatchObject({
    cause: { message: 'The page was withdrawn: around-the-clock work on this case ended' },
  });
  await h.env.sleep(2 * 60 * MIN);
  // The APAC page never escalated (superseded at 08:00), the EMEA page not after the resolution.
  expect(await pagesOf('page-handoff')).toEqual([
    ['page', 'oncall:APAC'],
    ['handoff', 'oncall:EMEA'],
  ]);
});
