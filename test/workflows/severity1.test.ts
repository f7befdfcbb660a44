/**
 * Severity 1 around the clock: on-call paged, customer-update cadence on its own clock, follow-the-sun
 * hand-offs recorded, all paused while the customer has no technical resource; Premier's Support Account
 * Manager told in the customer's business hours.
 */
import { customerAvailabilitySignal, engineerResponseUpdate, getCaseQuery } from '../../contract/case';
import { caseInput, customer, engineer, localTime, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, types, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

const HOUR = 3_600_000;
const utc = (ms: number) => localTime(ms, 'UTC');

test('Severity 1 on Production with the customer unavailable for a while in the middle', async () => {
  // Tuesday 07:00 UTC: APAC's shift; EMEA takes over at 08:00 UTC, the Americas at 16:00 UTC.
  const openedAt = nextLocal(await h.now(), 'UTC', 2, '07:00');
  await h.sleepUntil(openedAt);
  // Pages escalate after 20 min unacknowledged here, off the round instants this test sleeps to: the
  // time-skipping test server stops skipping when a signal lands within a timer's firing.
  const { handle, view } = await h.open(
    caseInput({ caseId: 'sev1-prod', openedAt, entitlement: 'production', level: 1, settings: { pageAckMinutes: 20 } }),
  );
  expect(view.aroundTheClock).toBe(true);
  expect(view.ownerRegion).toBe('APAC');
  expect(view.clocks.sev1Update!.state).toBe('running');
  expect(utc(Date.parse(view.clocks.sev1Update!.dueAt!))).toMatch(/ 09:00$/);
  expect(utc(Date.parse(view.clocks.firstResponse!.dueAt!))).toMatch(/ 08:00$/);

  await h.sleepUntil(openedAt + 30 * 60_000);
  const responded = await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'On it' }] });
  expect(responded.clocks.firstResponse!.state).toBe('met');
  // The response is also a customer update: the next one is due two hours later.
  expect(utc(Date.parse(responded.clocks.sev1Update!.dueAt!))).toMatch(/ 09:30$/);

  await h.sleepUntil(openedAt + 90 * 60_000); // 08:30 UTC
  let live = await handle.query(getCaseQuery);
  expect(live.ownerRegion).toBe('EMEA');
  const handoff = live.history.find((e) => e.type === 'handoff')!;
  expect(handoff.data).toMatchObject({ from: 'APAC', to: 'EMEA', previousOwner: engineer.id });
  expect(utc(Date.parse(handoff.at))).toMatch(/ 08:00$/);

  // 08:30: the customer's technical resource leaves; 1 h of the 2 h cadence remains.
  await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: false, note: 'DBA off shift' });
  await h.env.sleep(60_000);
  live = await handle.query(getCaseQuery);
  expect(live.customerAvailable).toBe(false);
  expect(live.clocks.sev1Update!.state).toBe('paused');
  expect(live.clocks.sev1Update!.dueAt).toBeNull();

  // Through 17:00 UTC: no breach, no hand-off to the Americas while nobody is there to work with.
  await h.sleepUntil(openedAt + 10 * HOUR);
  live = await handle.query(getCaseQuery);
  expect(types(live).filter((t) => t === 'sla_breach')).toHaveLength(0);
  expect(live.history.filter((e) => e.type === 'handoff')).toHaveLength(1);

  await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: true });
  await h.env.sleep(60_000);
  live = await handle.query(getCaseQuery);
  expect(live.customerAvailable).toBe(true);
  expect(live.ownerRegion).toBe('AMERICAS');
  expect(live.clocks.sev1Update!.state).toBe('running');
  // 60 min of cadence remained at the pause; it resumes at 17:00 UTC (give or take the signals' latency).
  expect(Math.abs(Date.parse(live.clocks.sev1Update!.dueAt!) - (openedAt + 11 * HOUR))).toBeLessThan(2000);

  await h.sleepUntil(openedAt + 11.5 * HOUR);
  live = await handle.query(getCaseQuery);
  expect(live.clocks.sev1Update!.state).toBe('breached');
  const rm = await h.readModel('sev1-prod');
  const pages = rm.outbox.filter((n) => n.channel === 'page');
  // Nobody acknowledges: each page escalates to the region's fallback on-call, then to the duty manager.
  expect(pages.map((n) => [n.kind, n.recipient])).toEqual([
    ['page', 'oncall:APAC'],
    ['page_escalation', 'oncall:APAC:fallback'],
    ['page_escalation', 'manager:duty'],
    ['handoff', 'oncall:EMEA'],
    ['page_escalation', 'oncall:EMEA:fallback'],
    ['page_escalation', 'manager:duty'],
    ['handoff', 'oncall:AMERICAS'],
    ['page_escalation', 'oncall:AMERICAS:fallback'],
    ['page_escalation', 'manager:duty'],
  ]);
  const breach = rm.outbox.filter((n) => n.kind === 'sla_breach');
  expect(breach.map((n) => n.recipient).sort()).toEqual(['manager:duty', 'oncall:AMERICAS']);
  expect(rm.events.map((e) => e.type)).toEqual(
    expect.arrayContaining(['customer_unavailable', 'customer_available', 'around_the_clock_started']),
  );
});

test('Premier Severity 1 at 03:00 on a Saturday: paged at once, the SAM hears on Monday at 08:00 local', async () => {
  const openedAt = nextLocal(await h.now(), ORG.zone, 6, '03:00');
  await h.sleepUntil(openedAt);
  const { handle, view } = await h.open(caseInput({ caseId: 'sev1-premier', openedAt, entitlement: 'premier', level: 1 }));
  expect(view.clocks.firstResponse!.target).toBe('30 minutes');
  await h.sleepUntil(nextLocal(openedAt, ORG.zone, 1, '09:00'));
  const live = await handle.query(getCaseQuery);
  const sam = live.history.find((e) => e.type === 'sam_notified')!;
  expect(localTime(sam.at)).toMatch(/^Mon .* 08:00$/);
  const rm = await h.readModel('sev1-premier');
  expect(rm.outbox.find((n) => n.kind === 'sam_severity1')!.recipient).toBe(`sam:${ORG.id}`);
  expect(rm.outbox.find((n) => n.kind === 'page')!.createdAt.getTime()).toBeLessThan(Date.parse(sam.at));
});
