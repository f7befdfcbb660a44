/**
 * Exactness on real recorded cases: cases run by the real workflow on the time-skipping server write their
 * audit trail to a real database; replaying each one from its kept input and trail through the pure machine
 * must reproduce every recorded event (due instants, warnings, breaches, attempts, closures) to the ms.
 */
import {
  assignUpdate,
  changeSeverityUpdate,
  closeCaseUpdate,
  confirmResolutionUpdate,
  customerAvailabilitySignal,
  customerReplyUpdate,
  engineerResponseUpdate,
  managerAckUpdate,
  rcaDeliveredUpdate,
  requestInfoUpdate,
  resolveUpdate,
  talkToManagerUpdate,
  type Role,
} from '../../contract/case';
import { applyPatch, pinnedPolicy, POLICY_V1, settingsUnder } from '../../policy';
import { exactnessDiff } from '../../backtest/engine/exactness';
import { readCasePage } from '../../backtest/read-model';
import { caseInput, customer, engineer, localDate, manager, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, type Harness } from '../workflows/harness';

const HOUR = 3_600_000;
let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(() => h?.teardown());

test('every recorded outcome of real workflow runs replays with 0 differences', async () => {
  // Basic Sev 2 opened Friday evening: warnings and breach on Monday, late response, resolved, confirmed.
  {
    const openedAt = nextLocal(await h.now(), ORG.zone, 5, '18:30');
    await h.sleepUntil(openedAt);
    const { handle, view } = await h.open(caseInput({ caseId: 'x-basic', openedAt, entitlement: 'basic', level: 2 }));
    await h.sleepUntil(Date.parse(view.clocks.firstResponse!.dueAt!) + HOUR);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    await handle.executeUpdate(resolveUpdate, {
      args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'ok' }],
    });
    await handle.executeUpdate(confirmResolutionUpdate, { args: [{ requestId: rid(), actor: customer, accepted: true }] });
    await handle.result();
  }
  // Three contact attempts over a holiday and a weekend, closed for no response.
  {
    const askedAt = nextLocal(await h.now(), ORG.zone, 4, '15:00');
    await h.sleepUntil(askedAt);
    const holiday = localDate(askedAt + 24 * HOUR, ORG.zone);
    const { handle } = await h.open(caseInput({ caseId: 'x-attempts', openedAt: askedAt, entitlement: 'basic', closedDates: [holiday] }));
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'logs please' }] });
    await handle.result();
  }
  // Severity 1 around the clock: away, back, escalation, severity lowered, information, reply, resolved, auto-close.
  {
    const openedAt = nextLocal(await h.now(), 'UTC', 2, '07:00');
    await h.sleepUntil(openedAt);
    const { handle } = await h.open(caseInput({ caseId: 'x-sev1', openedAt, entitlement: 'production', level: 1 }));
    await h.env.sleep(30 * 60_000);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    await handle.executeUpdate(talkToManagerUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'slow' }] });
    await h.env.sleep(HOUR);
    await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: false });
    await h.env.sleep(6 * HOUR);
    await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: true });
    await h.env.sleep(4 * HOUR);
    await handle.executeUpdate(managerAckUpdate, { args: [{ requestId: rid(), actor: manager }] });
    await handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: engineer, level: 3, reason: 'restored' }] });
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'confirm?' }] });
    await h.env.sleep(30 * HOUR);
    await handle.executeUpdate(customerReplyUpdate, { args: [{ requestId: rid(), actor: customer, message: 'fine' }] });
    await handle.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'upgrade', summary: 'v13' }] });
    await handle.result();
  }
  // Kasten Premium P1 (root-cause analysis) under a pinned version 2 policy, assigned, escalated to P1 from P3,
  // resolved, rejected (reopened), resolved again, closed by request, analysis delivered.
  {
    const doc = applyPatch(POLICY_V1.document, {
      programs: { plan_premium: { targets: { '3': { kind: 'wall', ms: 4 * HOUR } } } },
      warningThresholds: [0.5],
      contactAttempts: { count: 2 },
    });
    const openedAt = nextLocal(await h.now(), ORG.zone, 3, '09:00');
    await h.sleepUntil(openedAt);
    const input = {
      ...caseInput({ caseId: 'x-pinned', openedAt, entitlement: 'plan_premium', level: 3, settings: settingsUnder(doc) }),
      policy: pinnedPolicy(doc, 'plan_premium'),
      policyVersion: 'v2',
    };
    const { handle } = await h.open(input);
    await h.env.sleep(3 * HOUR);
    await handle.executeUpdate(assignUpdate, { args: [{ requestId: rid(), actor: engineer, ownerId: 'eng-bo', region: 'EMEA' }] });
    await handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: customer, level: 1, reason: 'down now' }] });
    await h.env.sleep(2 * HOUR);
    await handle.executeUpdate(resolveUpdate, {
      args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'restarted' }],
    });
    await handle.executeUpdate(confirmResolutionUpdate, {
      args: [{ requestId: rid(), actor: customer, accepted: false, comment: 'still down' }],
    });
    await h.env.sleep(HOUR);
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'logs?' }] });
    await h.env.sleep(20 * HOUR);
    await handle.executeUpdate(customerReplyUpdate, { args: [{ requestId: rid(), actor: customer }] });
    await handle.executeUpdate(resolveUpdate, {
      args: [{ requestId: rid(), actor: engineer, resolutionType: 'configuration_change', summary: 'fixed' }],
    });
    await handle.executeUpdate(closeCaseUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'done' }] });
    await h.env.sleep(2 * 24 * HOUR);
    await handle.executeUpdate(rcaDeliveredUpdate, { args: [{ requestId: rid(), actor: engineer, summary: 'disk full' }] });
    await handle.result();
  }
  // Still open when the back-test reads it: a Basic Sev 3 with a warning passed and nothing else yet.
  {
    const openedAt = nextLocal(await h.now(), ORG.zone, 1, '09:00');
    await h.sleepUntil(openedAt);
    await h.open(caseInput({ caseId: 'x-open', openedAt, entitlement: 'basic', level: 3 }));
    await h.env.sleep(11 * HOUR);
  }

  const until = await h.now();
  const page = await readCasePage(h.database.db, {}, null, 100);
  expect(page.cases.map((c) => c.input.caseId).sort()).toEqual(['x-attempts', 'x-basic', 'x-open', 'x-pinned', 'x-sev1']);
  const roles: Record<string, Role> = { 'cust-anna': 'case_admin', 'eng-bo': 'engineer', 'mgr-cy': 'manager' };
  const roleOf = (id: string) => roles[id];
  const events = page.cases.reduce((n, c) => n + c.events.length, 0);
  expect(events).toBeGreaterThan(80);
  for (const c of page.cases)
    expect({ caseId: c.input.caseId, diff: exactnessDiff(c, until, roleOf) }).toEqual({ caseId: c.input.caseId, diff: [] });
  // Teeth: the same trail against a changed policy is not reproduced.
  const basic = page.cases.find((c) => c.input.caseId === 'x-basic')!;
  const changed = {
    ...basic,
    input: {
      ...basic.input,
      policy: pinnedPolicy(
        applyPatch(POLICY_V1.document, { programs: { basic: { targets: { '2': { kind: 'business', ms: 9 * HOUR } } } } }),
        'basic',
      ),
    },
  };
  expect(exactnessDiff(changed, until, roleOf).length).toBeGreaterThan(0);
});
