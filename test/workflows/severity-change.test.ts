/**
 * Severity changes: validated, who and why recorded with old and new due times; the new target runs from the
 * change, but a more severe level never moves the due time later; Severity 1 starts around-the-clock work.
 */
import { type WorkflowUpdateFailedError } from '@temporalio/client';
import { changeSeverityUpdate, getCaseQuery } from '../../contract/case';
import { caseInput, customer, engineer, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

const HOUR = 3_600_000;
const due = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

test('severity raised then lowered: each change recorded with who, why, old and new due', async () => {
  const openedAt = nextLocal(await h.now(), ORG.zone, 3, '10:00');
  await h.sleepUntil(openedAt);
  const { handle, view } = await h.open(caseInput({ caseId: 'sev-up-down', openedAt, entitlement: 'production', level: 3 }));
  expect(due(view.clocks.firstResponse!.dueAt) - openedAt).toBe(6 * HOUR);

  await h.sleepUntil(openedAt + HOUR);
  const raised = await handle.executeUpdate(changeSeverityUpdate, {
    args: [{ requestId: rid(), actor: customer, level: 2, reason: 'Primary backup jobs now failing' }],
  });
  const changeAt = Date.parse(raised.history.at(-1)!.at);
  expect(raised.level).toBe(2);
  // Severity 2 on Production: 3 h from the change, earlier than the old due time.
  expect(due(raised.clocks.firstResponse!.dueAt)).toBe(changeAt + 3 * HOUR);
  const up = raised.history.find((e) => e.type === 'severity_changed')!;
  expect(up.actorId).toBe(customer.id);
  expect(up.data).toMatchObject({ from: 3, to: 2, reason: 'Primary backup jobs now failing' });
  expect(due(up.data.oldFirstResponseDueAt as string)).toBe(openedAt + 6 * HOUR);
  expect(due(up.data.newFirstResponseDueAt as string)).toBe(changeAt + 3 * HOUR);

  await h.sleepUntil(openedAt + 2 * HOUR);
  const lowered = await handle.executeUpdate(changeSeverityUpdate, {
    args: [{ requestId: rid(), actor: engineer, level: 4, reason: 'Workaround in place, question remains' }],
  });
  const lowerAt = Date.parse(lowered.history.at(-1)!.at);
  expect(due(lowered.clocks.firstResponse!.dueAt)).toBe(lowerAt + 8 * HOUR);
  const changes = lowered.history.filter((e) => e.type === 'severity_changed');
  expect(changes.map((c) => [c.data.from, c.data.to, c.actorId])).toEqual([
    [3, 2, customer.id],
    [2, 4, engineer.id],
  ]);
  const rm = await h.readModel('sev-up-down');
  expect(rm.row!.level).toBe(4);
  expect(rm.events.filter((e) => e.type === 'severity_changed')).toHaveLength(2);
  expect(rm.row!.firstResponseDueAt!.getTime()).toBe(lowerAt + 8 * HOUR);
});

test('a more severe level never moves the due time later', async () => {
  const openedAt = await h.now();
  const { handle } = await h.open(caseInput({ caseId: 'sev-keep-earlier', openedAt, entitlement: 'production', level: 2 }));
  await h.sleepUntil(openedAt + 2.5 * HOUR);
  // Severity 1 from now would be due in 1 h (3.5 h after opening), later than the 3 h already promised.
  const v = await handle.executeUpdate(changeSeverityUpdate, {
    args: [{ requestId: rid(), actor: customer, level: 1, reason: 'Now down' }],
  });
  expect(due(v.clocks.firstResponse!.dueAt)).toBe(openedAt + 3 * HOUR);
  expect(v.aroundTheClock).toBe(true);
});

test('moving to Severity 1 pages on-call at once; lowering it stops the update cadence', async () => {
  const openedAt = await h.now();
  const { handle } = await h.open(caseInput({ caseId: 'sev-to-1', openedAt, entitlement: 'vcsp_production', level: 2 }));
  await h.env.sleep(10 * 60_000);
  const up = await handle.executeUpdate(changeSeverityUpdate, {
    args: [{ requestId: rid(), actor: customer, level: 1, reason: 'Tenant restores failing' }],
  });
  expect(up.aroundTheClock).toBe(true);
  expect(up.clocks.sev1Update!.state).toBe('running');
  await h.env.sleep(10 * 60_000);
  const down = await handle.executeUpdate(changeSeverityUpdate, {
    args: [{ requestId: rid(), actor: engineer, level: 3, reason: 'Restores work again' }],
  });
  expect(down.aroundTheClock).toBe(false);
  expect(down.clocks.sev1Update!.state).toBe('stopped');
  await h.env.sleep(5 * HOUR);
  const later = await handle.query(getCaseQuery);
  expect(later.history.filter((e) => e.type === 'sla_breach' && e.data.clock === 'sev1Update')).toHaveLength(0);
  const rm = await h.readModel('sev-to-1');
  expect(rm.outbox.filter((n) => n.channel === 'page' && n.kind === 'page')).toHaveLength(1);
});

test('invalid severity changes are rejected', async () => {
  const { handle } = await h.open(caseInput({ caseId: 'sev-invalid', openedAt: await h.now(), entitlement: 'evaluation', level: 3 }));
  const message = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: WorkflowUpdateFailedError) => e.cause?.message,
    );
  expect(
    await message(handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: customer, level: 1, reason: 'down' }] })),
  ).toMatch(/Level 1 is not available on the evaluation program/);
  expect(
    await message(handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: customer, level: 3, reason: 'same' }] })),
  ).toMatch(/already at level 3/);
  expect(
    await message(handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: customer, level: 2, reason: ' ' }] })),
  ).toMatch(/needs a reason/);
});
