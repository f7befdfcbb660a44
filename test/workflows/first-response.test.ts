/**
 * First-response SLA on the time-skipping server: a Basic Severity 2 case opened on a Friday evening is due
 * on Monday; warnings and the breach fire at their instants and reach the outbox; the engineer's response
 * stops the clock with the exact lateness; validators and request-id idempotency.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { customer, engineer, caseInput, localTime, nextLocal, ORG } from '../fixtures/cases';
import { engineerResponseUpdate, getCaseQuery, resolveUpdate, closeCaseUpdate } from '../../contract/case';
import { startHarness, rid, types, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

test('Basic Severity 2 opened Friday 18:30 is due Monday 14:30; warnings, breach, then a late response', async () => {
  const openedAt = nextLocal(await h.now(), ORG.zone, 5, '18:30');
  await h.sleepUntil(openedAt);
  const { handle, view } = await h.open(caseInput({ caseId: 'fr-basic-1', openedAt, entitlement: 'basic', level: 2 }));

  const fr = view.clocks.firstResponse!;
  expect(fr.state).toBe('running');
  expect(localTime(fr.dueAt!)).toMatch(/^Mon .* 14:30$/);
  expect(fr.target).toBe('8 business hours');
  expect(view.slaState).toBe('on_track');

  // 75 % of 8 business hours = 6 h: Fri 18:30-20:00 + Mon 08:00-12:30.
  const dueAt = Date.parse(fr.dueAt!);
  await h.sleepUntil(dueAt - 60 * 60_000);
  let live = await handle.query(getCaseQuery);
  const warnings = live.history.filter((e) => e.type === 'sla_warning');
  expect(warnings.map((w) => [w.data.threshold, localTime(w.data.scheduledFor as string)])).toEqual([
    [0.75, localTime(dueAt - 2 * 3_600_000)],
  ]);
  expect(live.slaState).toBe('at_risk');

  await h.sleepUntil(dueAt + 30 * 60_000);
  live = await handle.query(getCaseQuery);
  expect(live.clocks.firstResponse!.state).toBe('breached');
  expect(live.slaState).toBe('breached');
  expect(types(live)).toEqual(expect.arrayContaining(['sla_warning', 'sla_breach']));

  const responded = await handle.executeUpdate(engineerResponseUpdate, {
    args: [{ requestId: rid(), actor: engineer, message: 'Looking at the logs' }],
  });
  const clock = responded.clocks.firstResponse!;
  expect(clock.state).toBe('breached');
  expect(responded.status).toBe('in_progress');
  expect(responded.ownerId).toBe(engineer.id);
  // Lateness is measured from the due instant to the response, to the millisecond.
  expect(clock.latenessMs).toBe(Date.parse(clock.stoppedAt!) - dueAt);
  expect(clock.latenessMs!).toBeGreaterThanOrEqual(30 * 60_000);
  expect(clock.latenessMs!).toBeLessThan(31 * 60_000);

  const rm = await h.readModel('fr-basic-1');
  expect(rm.row!.status).toBe('in_progress');
  expect(rm.row!.slaState).toBe('breached');
  expect(rm.row!.snapshotVersion).toBe(responded.version);
  const breach = rm.outbox.filter((n) => n.kind === 'sla_breach');
  expect(breach.map((n) => n.recipient).sort()).toEqual(['manager:duty', `queue:${ORG.region}`]);
  expect(rm.outbox.filter((n) => n.kind === 'sla_warning')).toHaveLength(2);
  const dbClock = rm.clocks.find((c) => c.clock === 'firstResponse')!;
  expect(dbClock.state).toBe('breached');
  expect(dbClock.latenessMs).toBe(clock.latenessMs);
  expect(rm.events.map((e) => e.type)).toEqual(
    live.history.map((e) => e.type).concat(['status_changed', 'first_response', 'engineer_response']),
  );
});

test('a response before the due instant meets the clock; the same request id twice has one effect', async () => {
  const openedAt = nextLocal(await h.now(), ORG.zone, 2, '09:00');
  await h.sleepUntil(openedAt);
  const { handle } = await h.open(caseInput({ caseId: 'fr-prod-2', openedAt, entitlement: 'production', level: 3 }));
  await h.env.sleep(60 * 60_000);
  const requestId = rid();
  const first = await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId, actor: engineer }] });
  const again = await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId, actor: engineer }] });
  expect(first.clocks.firstResponse!.state).toBe('met');
  expect(first.clocks.firstResponse!.latenessMs).toBe(0);
  expect(again.version).toBe(first.version);
  expect(types(again).filter((t) => t === 'engineer_response')).toHaveLength(1);
  const rm = await h.readModel('fr-prod-2');
  expect(rm.events.filter((e) => e.type === 'engineer_response')).toHaveLength(1);
  expect(rm.clocks.find((c) => c.clock === 'firstResponse')!.elapsedMs).toBeGreaterThanOrEqual(60 * 60_000);
});

test('validators reject illegal transitions with a clear message', async () => {
  const openedAt = await h.now();
  const { handle } = await h.open(caseInput({ caseId: 'fr-rules-3', openedAt, hotfixEligible: false }));
  const reject = (p: Promise<unknown>) => expect(p).rejects.toThrow(WorkflowUpdateFailedError);
  const cause = async (p: Promise<unknown>) =>
    ((await p.catch((e: WorkflowUpdateFailedError) => e)) as WorkflowUpdateFailedError).cause?.message;

  await reject(handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: customer }] }));
  expect(await cause(handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: customer }] }))).toMatch(
    /not allowed for role 'case_admin'/,
  );
  expect(
    await cause(
      handle.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'hotfix', summary: 'patched' }] }),
    ),
  ).toMatch(/hotfix is only available/i);

  await handle.executeUpdate(closeCaseUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'solved it ourselves' }] });
  const result = await handle.result();
  // A closed case's workflow has finished: the server itself refuses further updates.
  await expect(
    handle.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'x' }] }),
  ).rejects.toThrow();
  expect(result.status).toBe('closed');
  expect(result.closeReason).toBe('customer_request');
  // Rejected updates leave no trace: no event for them in the audit trail.
  const rm = await h.readModel('fr-rules-3');
  expect(rm.events.map((e) => e.type)).toEqual(['opened', 'close_requested', 'status_changed', 'closed']);
  expect(rm.row!.closeReason).toBe('customer_request');
});
