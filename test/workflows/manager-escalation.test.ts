/**
 * Talk to a manager: the duty manager must acknowledge within a business-time window; unacknowledged, the
 * request climbs the escalation levels, each recorded and notified.
 */
import { type WorkflowUpdateFailedError } from '@temporalio/client';
import { getCaseQuery, managerAckUpdate, talkToManagerUpdate } from '../../contract/case';
import { caseInput, customer, engineer, localTime, manager, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

test('a manager escalation nobody acknowledges climbs every level, counting business time only', async () => {
  // Requested Tuesday 16:30 with a 60 business-minute window: due Wednesday 08:30, then 09:30, then 10:30.
  const requestedAt = nextLocal(await h.now(), ORG.zone, 2, '16:30');
  await h.sleepUntil(requestedAt);
  const { handle } = await h.open(
    caseInput({ caseId: 'mgr-unacked', openedAt: requestedAt, settings: { managerAckBusinessMinutes: 60, managerEscalationLevels: 2 } }),
  );
  const v = await handle.executeUpdate(talkToManagerUpdate, {
    args: [{ requestId: rid(), actor: customer, reason: 'No progress for two days' }],
  });
  expect(v.managerEscalation).toMatchObject({ level: 1, acknowledgedAt: null });
  expect(localTime(v.clocks.managerAck!.dueAt!)).toMatch(/^Wed .* 08:30$/);

  await h.sleepUntil(nextLocal(requestedAt, ORG.zone, 3, '12:00'));
  const live = await handle.query(getCaseQuery);
  expect(live.managerEscalation!.level).toBe(3);
  expect(live.managerEscalation!.acknowledgedAt).toBeNull();
  const breaches = live.history.filter((e) => e.type === 'sla_breach' && e.data.clock === 'managerAck');
  expect(breaches.map((e) => localTime(e.at))).toEqual([
    expect.stringMatching(/^Wed .* 08:30$/),
    expect.stringMatching(/^Wed .* 09:30$/),
    expect.stringMatching(/^Wed .* 10:30$/),
  ]);
  expect(live.history.filter((e) => e.type === 'manager_escalated').map((e) => e.data.level)).toEqual([2, 3]);
  expect(live.history.some((e) => e.type === 'manager_escalation_exhausted')).toBe(true);

  const rm = await h.readModel('mgr-unacked');
  expect(rm.outbox.filter((n) => n.kind === 'manager_escalation').map((n) => n.recipient)).toEqual([
    'manager:duty',
    'manager:level2',
    'manager:level3',
  ]);
  expect(rm.events.filter((e) => e.type === 'manager_escalated')).toHaveLength(2);

  // Late is still better than never: the acknowledgement is recorded against the last level.
  const acked = await handle.executeUpdate(managerAckUpdate, {
    args: [{ requestId: rid(), actor: manager, note: 'Calling the customer' }],
  });
  expect(acked.managerEscalation!.acknowledgedAt).not.toBeNull();
  expect(acked.clocks.managerAck!.state).toBe('breached');
});

test('an acknowledgement in time stops the window; only managers may acknowledge', async () => {
  const requestedAt = nextLocal(await h.now(), ORG.zone, 4, '10:00');
  await h.sleepUntil(requestedAt);
  const { handle } = await h.open(caseInput({ caseId: 'mgr-acked', openedAt: requestedAt }));
  await handle.executeUpdate(talkToManagerUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'Wrong severity' }] });
  const message = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => e.cause?.message,
    );
  expect(
    await message(handle.executeUpdate(talkToManagerUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'again' }] })),
  ).toMatch(/already open/);
  expect(await message(handle.executeUpdate(managerAckUpdate, { args: [{ requestId: rid(), actor: engineer }] }))).toMatch(
    /not allowed for role 'engineer'/,
  );
  await h.env.sleep(20 * 60_000);
  const acked = await handle.executeUpdate(managerAckUpdate, { args: [{ requestId: rid(), actor: manager }] });
  expect(acked.clocks.managerAck!.state).toBe('met');
  expect(acked.managerEscalation!.level).toBe(1);
  await h.env.sleep(3 * 3_600_000);
  const later = await handle.query(getCaseQuery);
  expect(later.history.some((e) => e.type === 'manager_escalated')).toBe(false);
});
