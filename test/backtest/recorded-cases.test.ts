/**
 * Back-tests of real recorded cases. Exactness: cases run by the real workflow on the time-skipping server write their
 * audit trail to a real database; replaying each one from its kept input and trail through the pure machine
 * must reproduce every recorded event (due instants, warnings, breaches, attempts, closures) to the ms.
 * Then the back-test workflow over them: a hand-checked Basic coverage change, idempotent batches, cancel.
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
import { eq } from 'drizzle-orm';
import { applyPatch, pinnedPolicy, POLICY_V1, settingsUnder, type PolicyDocument } from '../../policy';
import { policyBacktests } from '../../db/schema';
import { BACKTEST_WORKFLOW_TYPE, backtestWorkflowId } from '../../contract/backtest';
import { TASK_QUEUE } from '../../contract/case';
import { createBacktestActivities, endRun, runBatch, type BacktestRequest } from '../../backtest/activities';
import { finishReport, type Accumulator, type Report } from '../../backtest/engine/report';
import { formatReport } from '../../backtest/engine/format';
import { runLocal } from '../../backtest/run-local';
import { exactnessDiff } from '../../backtest/engine/exactness';
import { readCasePage } from '../../backtest/read-model';
import { caseInput, customer, engineer, localDate, localTime, manager, nextLocal, ORG } from '../fixtures/cases';
import { rid, startHarness, type Harness } from '../workflows/harness';

const HOUR = 3_600_000;
/**
 * Actions land a second off the whole minutes where the policy's timers fire. An update at the very instant
 * a timer of its case fires races it in the time-skipping server: the task that handles the update cancels
 * the timer, which the server has just fired, and the Java test server refuses that cancel ("invalid history
 * builder state for action", TestWorkflowMutableStateImpl.processCancelTimer) and the case hangs; the real
 * server accepts it. Sleeps of whole hours after a whole-minute opening hit breaches and escalations exactly.
 */
const OFF_THE_MINUTE = 1_000;
const later = (ms: number) => h.env.sleep(ms + OFF_THE_MINUTE);
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
    await h.sleepUntil(Date.parse(view.clocks.firstResponse!.dueAt!) + HOUR + OFF_THE_MINUTE);
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
    await later(30 * 60_000);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    await handle.executeUpdate(talkToManagerUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'slow' }] });
    await later(HOUR);
    await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: false });
    await later(6 * HOUR);
    await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: true });
    await later(4 * HOUR);
    await handle.executeUpdate(managerAckUpdate, { args: [{ requestId: rid(), actor: manager }] });
    await handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: engineer, level: 3, reason: 'restored' }] });
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'confirm?' }] });
    await later(30 * HOUR);
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
    await later(3 * HOUR);
    await handle.executeUpdate(assignUpdate, { args: [{ requestId: rid(), actor: engineer, ownerId: 'eng-bo', region: 'EMEA' }] });
    await handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: customer, level: 1, reason: 'down now' }] });
    await later(2 * HOUR);
    await handle.executeUpdate(resolveUpdate, {
      args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'restarted' }],
    });
    await handle.executeUpdate(confirmResolutionUpdate, {
      args: [{ requestId: rid(), actor: customer, accepted: false, comment: 'still down' }],
    });
    await later(HOUR);
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'logs?' }] });
    await later(20 * HOUR);
    await handle.executeUpdate(customerReplyUpdate, { args: [{ requestId: rid(), actor: customer }] });
    await handle.executeUpdate(resolveUpdate, {
      args: [{ requestId: rid(), actor: engineer, resolutionType: 'configuration_change', summary: 'fixed' }],
    });
    await handle.executeUpdate(closeCaseUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'done' }] });
    await later(2 * 24 * HOUR);
    await handle.executeUpdate(rcaDeliveredUpdate, { args: [{ requestId: rid(), actor: engineer, summary: 'disk full' }] });
    await handle.result();
  }
  // Still open when the back-test reads it: a Basic Sev 3 with a warning passed and nothing else yet.
  {
    const openedAt = nextLocal(await h.now(), ORG.zone, 1, '09:00');
    await h.sleepUntil(openedAt);
    await h.open(caseInput({ caseId: 'x-open', openedAt, entitlement: 'basic', level: 3 }));
    await later(11 * HOUR);
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

describe('the back-test workflow', () => {
  async function startRun(id: string, candidate: PolicyDocument, range: BacktestRequest['range'], batchSize = 2) {
    const request: BacktestRequest = {
      candidate: { key: 'candidate', document: candidate },
      baseVersion: 1,
      range,
      asOf: new Date(await h.now()).toISOString(),
    };
    await h.database.db.insert(policyBacktests).values({ id, requestedBy: 'test', request, status: 'running' });
    return h.env.client.workflow.start(BACKTEST_WORKFLOW_TYPE, {
      workflowId: backtestWorkflowId(id),
      taskQueue: TASK_QUEUE,
      args: [{ id, batchSize }],
    });
  }
  const run = async (id: string) => (await h.database.db.select().from(policyBacktests).where(eq(policyBacktests.id, id)))[0]!;

  test('hand-checked: Basic coverage Mon-Fri 09:00-18:00 instead of 08:00-20:00 flips exactly the expected cases', async () => {
    // A week of Basic cases in Berlin (CET in winter), responses at chosen instants.
    const monday = nextLocal(await h.now(), ORG.zone, 1, '06:00');
    const at = (dayOffset: number, time: string) =>
      nextLocal(monday + dayOffset * 24 * HOUR - 1, ORG.zone, ((dayOffset % 7) + 1) as 1, time);
    const cases: Array<{ id: string; level: 1 | 2 | 3; open: number; respond: number }> = [
      // Sev 2, 8 business h, opened Mon 07:00. Recorded: runs from 08:00, due Mon 16:00; answered 16:30: breached.
      // Candidate: runs from 09:00, due Mon 17:00: met.
      { id: 'hc-a', level: 2, open: at(0, '07:00'), respond: at(0, '16:30') },
      // Sev 1, 2 business h, opened Tue 18:30. Recorded: 1 h 30 min Tue + 30 min Wed, due Wed 08:30; answered 09:30:
      // breached. Candidate: opened after 18:00, runs Wed 09:00-11:00: met.
      { id: 'hc-b', level: 1, open: at(1, '18:30'), respond: at(2, '09:30') },
      // Sev 2 opened Wed 10:00, answered 11:00: met under both (due Wed 18:00 / Thu 09:00).
      { id: 'hc-c', level: 2, open: at(2, '10:00'), respond: at(2, '11:00') },
      // Sev 3, 12 business h, opened Thu 12:00. Recorded: 8 h Thu + 4 h Fri, due Fri 12:00; answered Fri 14:00:
      // breached. Candidate: 6 h Thu + 6 h Fri, due Fri 15:00: met.
      { id: 'hc-d', level: 3, open: at(3, '12:00'), respond: at(4, '14:00') },
    ];
    for (const c of cases) {
      await h.sleepUntil(c.open);
      const { handle } = await h.open(caseInput({ caseId: c.id, openedAt: c.open, entitlement: 'basic', level: c.level }));
      await h.sleepUntil(c.respond);
      await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    }
    // A Production case in the same week is out of the program range.
    await h.open(caseInput({ caseId: 'hc-prod', openedAt: await h.now(), entitlement: 'production', level: 2 }));
    await h.env.sleep(HOUR);

    const candidate = applyPatch(POLICY_V1.document, {
      programs: { basic: { coverageWindows: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open: '09:00', close: '18:00' })) } },
    });
    const handle = await startRun('00000000-0000-4000-8000-000000000001', candidate, {
      programs: ['basic'],
      openedFrom: new Date(monday).toISOString(),
    });
    const progress = await handle.result();
    expect(progress).toMatchObject({ status: 'completed', total: 4, processed: 4 });
    const { result } = await run('00000000-0000-4000-8000-000000000001');
    const report = result as Report;
    expect(report.cases).toBe(4);
    expect(report.flips.map((f) => [f.caseId, f.before.state, f.after.state])).toEqual([
      ['hc-a', 'breached', 'met'],
      ['hc-b', 'breached', 'met'],
      ['hc-d', 'breached', 'met'],
    ]);
    const local = (iso: string | null) => localTime(iso!);
    expect(report.flips.map((f) => [local(f.before.dueAt), local(f.after.dueAt)])).toEqual([
      [localTime(at(0, '16:00')), localTime(at(0, '17:00'))],
      [localTime(at(2, '08:30')), localTime(at(2, '11:00'))],
      [localTime(at(4, '12:00')), localTime(at(4, '15:00'))],
    ]);
    expect(report.flips[1]!.after.explanation).toMatch(
      /^2 business hours, Mon-Fri 09:00-18:00 Europe\/Berlin, opened Tue .* 18:30 \(outside coverage, clock starts Wed .* 09:00\).*due Wed .* 11:00 CES?T$/,
    );
    expect(report.rows.map((r) => [r.level, r.cases, r.before.met, r.before.breached, r.after.met, r.after.breached])).toEqual([
      [1, 1, 0, 1, 1, 0],
      [2, 2, 1, 1, 2, 0],
      [3, 1, 0, 1, 1, 0],
    ]);
    expect(report.rows[1]!.before.achievement).toBe(0.5);
    expect(report.rows[1]!.after.achievement).toBe(1);
    // First response on the coverage calendar: hc-a 8 h 30 min recorded, 7 h 30 min under the candidate.
    expect(report.rows[1]!.before.firstResponseP90Minutes).toBe(8 * 60 + 30);
    expect(report.rows[1]!.after.firstResponseP90Minutes).toBe(7 * 60 + 30);
    // The CLI's in-process run gives the same report, and its table shows the rows and the flips.
    const inProcess = await runLocal(h.database.db, {
      candidate: { key: 'candidate', document: candidate },
      range: { programs: ['basic'], openedFrom: new Date(monday).toISOString() },
      asOf: Date.parse(((await run('00000000-0000-4000-8000-000000000001')).request as BacktestRequest).asOf),
      documents: new Map([[POLICY_V1.key, POLICY_V1.document]]),
    });
    expect({ ...inProcess, withoutInput: undefined }).toEqual({ ...report, withoutInput: undefined });
    const text = formatReport(report);
    expect(text).toContain('4 cases back-tested');
    // Sev 1 (hc-b): 1 h 30 min Tue + 1 h 30 min Wed = 3 h of coverage recorded; 30 min under the candidate.
    expect(text).toMatch(/basic\s+1\s+1\s+0\s+1\s+0\.0%\s+3\.0 h\s+3\.0 h\s+->\s+1\s+0\s+100\.0%\s+30 min\s+30 min/);
    expect(text).toMatch(/basic\s+2\s+2\s+1\s+1\s+50\.0%\s+60 min\s+8\.5 h\s+->\s+2\s+0\s+100\.0%\s+60 min\s+7\.5 h/);
    expect(text).toContain('3 cases flip:');
  });

  test('a back-test of the recorded policy finds no flips; a retried batch counts nothing twice', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    const request: BacktestRequest = {
      candidate: { key: 'same', document: POLICY_V1.document },
      baseVersion: 1,
      range: {},
      asOf: new Date(await h.now()).toISOString(),
    };
    await h.database.db.insert(policyBacktests).values({ id, requestedBy: 'test', request, status: 'running' });
    // Two attempts of the same first batch at once: one merges; the other either saw the cursor moved while
    // they overlapped (3) or, when the first had committed before it read, took the next batch (6). Which
    // one is the database's scheduling (PostgreSQL gives both); the count below proves nothing twice.
    const [a, b] = await Promise.all([runBatch(h.database.db, id, 3), runBatch(h.database.db, id, 3)]);
    expect([
      [3, 3],
      [3, 6],
    ]).toContainEqual([a.processed, b.processed].sort((x, y) => x - y));
    let r = await runBatch(h.database.db, id, 100);
    while (!r.done) r = await runBatch(h.database.db, id, 100);
    const row = await run(id);
    expect(row.processed).toBe(10); // every case with a kept input, once
    const report = finishReport(row.partial as Accumulator);
    expect(report.flipsTotal).toBe(0);
    expect(report.rows.every((x) => JSON.stringify(x.before) === JSON.stringify(x.after))).toBe(true);
  });

  test('the count and the pages read the same range as of the run: a case opened after asOf is neither (issue 22 item 2)', async () => {
    const id = '00000000-0000-4000-8000-000000000004';
    const all = await readCasePage(h.database.db, {}, null, 100);
    const asOf = all.cases[Math.floor(all.cases.length / 2)]!.input.openedAt; // later cases opened "while it ran"
    const request: BacktestRequest = { candidate: { key: 'same', document: POLICY_V1.document }, baseVersion: 1, range: {}, asOf };
    await h.database.db.insert(policyBacktests).values({ id, requestedBy: 'test', request, status: 'running' });
    const total = await createBacktestActivities(h.database.db).backtestCount(id);
    let r = await runBatch(h.database.db, id, 2);
    while (!r.done) r = await runBatch(h.database.db, id, 2);
    expect(total).toBe(all.cases.filter((c) => c.input.openedAt < asOf).length);
    expect(r.processed + r.withoutInput).toBe(total);
  });

  test('cancel is decided by the row: a cancelled run keeps its partial report and never completes; a completed one is never cancelled (item 3)', async () => {
    const id = '00000000-0000-4000-8000-000000000005';
    const request: BacktestRequest = {
      candidate: { key: 'same', document: POLICY_V1.document },
      baseVersion: 1,
      range: {},
      asOf: new Date(await h.now()).toISOString(),
    };
    await h.database.db.insert(policyBacktests).values({ id, requestedBy: 'test', request, status: 'running' });
    await runBatch(h.database.db, id, 3);
    expect(await endRun(h.database.db, id, 'cancelled')).toEqual({ status: 'cancelled', ended: true });
    // The batch in flight when the cancel landed changes nothing, and the finish that follows is refused.
    expect(await runBatch(h.database.db, id, 3)).toMatchObject({ processed: 3, stopped: true, done: true });
    await createBacktestActivities(h.database.db).backtestFinish({ id, status: 'completed' });
    const cancelled = await run(id);
    expect(cancelled.status).toBe('cancelled');
    expect((cancelled.result as Report).cases).toBe(3); // the partial report stays (was: null)

    const done = '00000000-0000-4000-8000-000000000006';
    await h.database.db.insert(policyBacktests).values({ id: done, requestedBy: 'test', request, status: 'running' });
    let r = await runBatch(h.database.db, done, 100);
    while (!r.done) r = await runBatch(h.database.db, done, 100);
    await createBacktestActivities(h.database.db).backtestFinish({ id: done, status: 'completed' });
    expect(await endRun(h.database.db, done, 'cancelled')).toEqual({ status: 'completed', ended: false });
    expect((await run(done)).status).toBe('completed');
    expect(((await run(done)).result as Report).cases).toBe(r.processed);
  });

  test('cancelled before a worker picks it up: the run is marked cancelled', async () => {
    const id = '00000000-0000-4000-8000-000000000003';
    let handle: Awaited<ReturnType<typeof startRun>> | undefined;
    await h.restartWorker(async () => {
      handle = await startRun(id, POLICY_V1.document, {});
      await handle.cancel();
    });
    await expect(handle!.result()).rejects.toThrow();
    expect((await run(id)).status).toBe('cancelled');
    expect((await run(id)).result).toMatchObject({ cases: 0 }); // nothing ran: an empty partial report, not null
  });
});
