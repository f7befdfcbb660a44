/**
 * Resolution: confirm, auto-close after N business days, a reply reopening the case, hotfix eligibility, and
 * the root-cause analysis a Premium P1 incident owes after closing.
 */
import { type WorkflowUpdateFailedError } from '@temporalio/client';
import {
  closeCaseUpdate,
  confirmResolutionUpdate,
  customerReplyUpdate,
  getCaseQuery,
  rcaDeliveredUpdate,
  resolveUpdate,
} from '../../contract/case';
import { caseInput, customer, engineer, localTime, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, types, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

const message = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: WorkflowUpdateFailedError) => e.cause?.message,
  );

test('the customer confirms the resolution and the case closes', async () => {
  const { handle } = await h.open(caseInput({ caseId: 'res-confirm', openedAt: await h.now() }));
  const resolved = await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'configuration_change', summary: 'Raised the repository timeout' }],
  });
  expect(resolved.status).toBe('resolved');
  expect(resolved.resolution).toEqual({ type: 'configuration_change', summary: 'Raised the repository timeout' });
  expect(resolved.clocks.firstResponse!.state).toBe('met');
  await handle.executeUpdate(confirmResolutionUpdate, { args: [{ requestId: rid(), actor: customer, accepted: true }] });
  const closed = await handle.result();
  expect(closed).toMatchObject({ status: 'closed', closeReason: 'confirmed' });
  const rm = await h.readModel('res-confirm');
  expect(rm.row!.closedAt).not.toBeNull();
  expect(rm.outbox.map((n) => n.kind)).toContain('case_resolved');
});

test('no reply for five business days after resolution closes the case at the end of the fifth', async () => {
  const resolvedAt = nextLocal(await h.now(), ORG.zone, 1, '11:00');
  await h.sleepUntil(resolvedAt);
  const { handle } = await h.open(caseInput({ caseId: 'res-timeout', openedAt: resolvedAt }));
  const resolved = await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'upgrade', summary: 'Fixed in 12.3' }],
  });
  // Monday 11:00 resolution: Tue, Wed, Thu, Fri, Mon are the five business days.
  const auto = resolved.history.find((e) => e.type === 'resolved')!.data.autoCloseAt as string;
  expect(localTime(auto)).toMatch(/^Mon .* 17:00$/);
  const closed = await handle.result();
  expect(closed.closeReason).toBe('resolution_timeout');
  const lag = Date.parse(closed.closedAt!) - Date.parse(auto);
  expect(lag).toBeGreaterThanOrEqual(0);
  expect(lag).toBeLessThan(1000);
});

test('a customer reply before the auto-close reopens the case; rejecting the resolution does too', async () => {
  const { handle } = await h.open(caseInput({ caseId: 'res-reopen', openedAt: await h.now() }));
  await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Restart the proxy' }],
  });
  await h.env.sleep(24 * 3_600_000);
  const reopened = await handle.executeUpdate(customerReplyUpdate, {
    args: [{ requestId: rid(), actor: customer, message: 'Fails again' }],
  });
  expect(reopened.status).toBe('in_progress');
  expect(reopened.resolution).toBeNull();
  expect(types(reopened)).toContain('reopened');

  await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'documentation', summary: 'See KB4242' }],
  });
  const rejected = await handle.executeUpdate(confirmResolutionUpdate, {
    args: [{ requestId: rid(), actor: customer, accepted: false, comment: 'Not it' }],
  });
  expect(rejected.status).toBe('in_progress');
  // Nothing auto-closes a reopened case.
  await h.env.sleep(14 * 24 * 3_600_000);
  expect((await handle.query(getCaseQuery)).status).toBe('in_progress');
});

test('a hotfix is offered only to customers on the latest build', async () => {
  const { handle: old } = await h.open(caseInput({ caseId: 'res-hotfix-no', openedAt: await h.now(), hotfixEligible: false }));
  expect(
    await message(
      old.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'hotfix', summary: 'HF1' }] }),
    ),
  ).toMatch(/most recent publicly available build/);
  const { handle: latest } = await h.open(caseInput({ caseId: 'res-hotfix-yes', openedAt: await h.now(), hotfixEligible: true }));
  const v = await latest.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'hotfix', summary: 'HF1' }],
  });
  expect(v.resolution!.type).toBe('hotfix');
});

test('a Premium P1 incident owes a root-cause analysis: the case stays tracked after closing until it is delivered', async () => {
  const { handle, view } = await h.open(caseInput({ caseId: 'res-rca', openedAt: await h.now(), entitlement: 'plan_premium', level: 1 }));
  expect(view.aroundTheClock).toBe(true);
  const resolved = await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'Failover' }],
  });
  expect(resolved.rca).toEqual({ required: true, deliveredAt: null });
  expect(resolved.aroundTheClock).toBe(false);
  await handle.executeUpdate(closeCaseUpdate, { args: [{ requestId: rid(), actor: customer }] });
  const closed = await handle.query(getCaseQuery);
  expect(closed.status).toBe('closed');
  expect(
    await message(
      handle.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'x' }] }),
    ),
  ).toMatch(/Cannot resolve a case that is closed/);
  expect(await message(handle.executeUpdate(rcaDeliveredUpdate, { args: [{ requestId: rid(), actor: customer, summary: 'x' }] }))).toMatch(
    /not allowed/,
  );
  await handle.executeUpdate(rcaDeliveredUpdate, {
    args: [{ requestId: rid(), actor: engineer, summary: 'Storage firmware bug; vendor fix scheduled' }],
  });
  const done = await handle.result();
  expect(done.rca!.deliveredAt).not.toBeNull();
  const rm = await h.readModel('res-rca');
  expect(rm.events.map((e) => e.type)).toEqual(expect.arrayContaining(['rca_required', 'rca_delivered']));
});

test('no RCA for a Basic-plan P1 or a Premium P2', async () => {
  const { handle } = await h.open(caseInput({ caseId: 'res-no-rca', openedAt: await h.now(), entitlement: 'plan_premium', level: 2 }));
  const v = await handle.executeUpdate(resolveUpdate, {
    args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'ok' }],
  });
  expect(v.rca).toBeNull();
});
