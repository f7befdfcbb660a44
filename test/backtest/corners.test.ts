/**
 * The back-test in its corners (issue 22, items 1, 4 and 5), on trails recorded by the pure machine: a severity
 * change from a best-effort level to a timed one (the live rule behind patched('retarget-best-effort')), the
 * level and outcome a row counts under (the SLA reports' rule), and every case whose due instant moves, with
 * closed dates a candidate adds.
 */
import { applyPatch, pinnedPolicy, POLICY_V1, resolveSettings, type DeepPartial, type PolicyDocument } from '../../policy';
import type { AnyCommand } from '../../contract/commands';
import { slaOutcome, SLA_OUTCOMES } from '../../contract/sla-outcome';
import { CaseMachine } from '../../machine/case-machine';
import { backtestCase } from '../../backtest/engine/backtest';
import { retargetsBestEffort, type TimedCommand } from '../../backtest/engine/commands';
import { exactnessDiff } from '../../backtest/engine/exactness';
import { replay } from '../../backtest/engine/replay';
import { addPair, emptyAccumulator, finishReport } from '../../backtest/engine/report';
import type { RecordedCase } from '../../backtest/engine/types';
import { caseInput, customer, engineer, localDate, nextLocal } from '../fixtures/cases';

const HOUR = 3_600_000;
// Monday 7 December 2026, 10:00 in Berlin.
const MONDAY_10 = nextLocal(Date.parse('2026-12-06T12:00:00Z'), 'Europe/Berlin', 1, '10:00');
const roleOf = () => undefined;
const bestEffortFour = applyPatch(POLICY_V1.document, { programs: { production: { targets: { '4': { kind: 'best_effort' } } } } });

let n = 0;
const cmd = (at: number, command: TimedCommand['command'], actor = engineer): TimedCommand => ({
  at,
  requestId: `c${++n}`,
  actor,
  command,
});

/** A case recorded by the machine (as the workflow with both patches records it). */
function recorded(input: ReturnType<typeof caseInput>, commands: TimedCommand[], until: number): RecordedCase {
  return { input, events: replay(input, commands, until).events };
}

function candidate(patch: DeepPartial<PolicyDocument>, closedDates?: string[]) {
  return { key: 'cand', document: applyPatch(POLICY_V1.document, patch), ...(closedDates ? { closedDates } : {}) };
}

describe('a severity change from a best-effort level to a timed one (item 1)', () => {
  const open = (retarget: boolean) => {
    const input = caseInput({ caseId: `be-${retarget}`, openedAt: MONDAY_10, entitlement: 'production', level: 4 });
    input.policy = pinnedPolicy(bestEffortFour, 'production');
    const m = CaseMachine.open(input, resolveSettings(input.settings), true, retarget);
    m.drain();
    const raise = { name: 'changeSeverity', input: { requestId: 'raise', actor: customer, level: 2, reason: 'down' } } as AnyCommand;
    m.validate(raise);
    m.apply(raise, MONDAY_10 + HOUR);
    return { m, events: m.drain().events };
  };

  test('the live case gets the new level target from the change (with the patch); before it, never', () => {
    const { m, events } = open(true);
    expect(m.view().clocks.firstResponse).toMatchObject({ state: 'running', dueAt: new Date(MONDAY_10 + 4 * HOUR).toISOString() });
    expect(events.find((e) => e.type === 'severity_changed')!.data).toMatchObject({
      newFirstResponseDueAt: new Date(MONDAY_10 + 4 * HOUR).toISOString(),
      retargetsBestEffort: true,
    });
    const old = open(false);
    expect(old.m.view().clocks.firstResponse).toMatchObject({ state: 'best_effort', dueAt: null });
    expect(old.events.find((e) => e.type === 'severity_changed')!.data).not.toHaveProperty('retargetsBestEffort');
  });

  test('the back-test of the issue: Production opened at 4, raised to 2, answered: met under best-effort 4 (was best_effort)', () => {
    const input = caseInput({ caseId: 'be-bt', openedAt: MONDAY_10, entitlement: 'production', level: 4 });
    const c = recorded(
      input,
      [
        cmd(MONDAY_10 + HOUR, { kind: 'changeSeverity', level: 2, reason: 'down' }, customer),
        cmd(MONDAY_10 + 2 * HOUR, { kind: 'engineerResponse', message: 'on it' }),
      ],
      MONDAY_10 + 10 * HOUR,
    );
    expect(retargetsBestEffort(c.events)).toBe(true);
    const p = backtestCase(c, { key: 'cand', document: bestEffortFour }, MONDAY_10 + 10 * HOUR, () => undefined, roleOf);
    expect(p.before.firstResponse).toMatchObject({ state: 'met', target: '3 hours' });
    expect(p.after.firstResponse).toMatchObject({ state: 'met', target: '3 hours', dueAt: MONDAY_10 + 4 * HOUR });
  });

  test('a trail from before the patch replays without it, exactly', () => {
    const input = caseInput({ caseId: 'be-old', openedAt: MONDAY_10, entitlement: 'production', level: 4 });
    input.policy = pinnedPolicy(bestEffortFour, 'production');
    const commands = [cmd(MONDAY_10 + HOUR, { kind: 'changeSeverity', level: 2, reason: 'down' }, customer)];
    const old: RecordedCase = { input, events: replay(input, commands, MONDAY_10 + 10 * HOUR, { retargetBestEffort: false }).events };
    expect(retargetsBestEffort(old.events)).toBe(false);
    expect(exactnessDiff(old, MONDAY_10 + 10 * HOUR, roleOf)).toEqual([]);
    const patched = recorded(input, commands, MONDAY_10 + 10 * HOUR);
    expect(exactnessDiff(patched, MONDAY_10 + 10 * HOUR, roleOf)).toEqual([]);
  });
});

describe('rows count like the SLA reports (item 4)', () => {
  test('one classification: every state falls in exactly one of the five outcomes', () => {
    const states = ['met', 'breached', 'running', 'paused', 'stopped', 'no_target', 'not_available', 'best_effort'];
    const seen = new Set(states.flatMap((s) => [slaOutcome(s, false), slaOutcome(s, true)]));
    expect([...seen].sort()).toEqual([...SLA_OUTCOMES].sort());
    expect(slaOutcome('stopped', false)).toBe('closed_without_response');
    expect(slaOutcome('running', true)).toBe('breached');
  });

  test('a case answered at Severity 2 and then lowered counts under 2; a case closed unanswered is closedWithoutResponse', () => {
    const until = MONDAY_10 + 30 * HOUR;
    const lowered = recorded(
      caseInput({ caseId: 'lv-1', openedAt: MONDAY_10, entitlement: 'production', level: 2 }),
      [
        cmd(MONDAY_10 + HOUR, { kind: 'engineerResponse', message: 'hi' }),
        cmd(MONDAY_10 + 2 * HOUR, { kind: 'changeSeverity', level: 4, reason: 'ok' }),
      ],
      until,
    );
    const closed = recorded(
      caseInput({ caseId: 'lv-2', openedAt: MONDAY_10, entitlement: 'production', level: 3 }),
      [cmd(MONDAY_10 + HOUR, { kind: 'closeCase', reason: 'solved it myself' }, customer)],
      until,
    );
    const acc = emptyAccumulator();
    for (const c of [lowered, closed])
      addPair(
        acc,
        backtestCase(c, { key: 'same', document: POLICY_V1.document }, until, () => undefined, roleOf),
      );
    const report = finishReport(acc);
    expect(report.rows.map((r) => [r.level, r.cases, r.before.met, r.before.closedWithoutResponse, r.before.noTarget])).toEqual([
      [2, 1, 1, 0, 0],
      [3, 1, 0, 1, 0],
    ]);
    expect(report.rows[1]!.before.firstResponseP50Minutes).toBeNull(); // no answer, no response time
  });
});

describe('every moved due instant is listed (item 5)', () => {
  test('Basic hours 09-17: every Basic case whose due moved is listed, flipped or not', () => {
    const until = MONDAY_10 + 5 * 24 * HOUR;
    const cases = [1, 2, 3].map((level) =>
      recorded(
        caseInput({ caseId: `mv-${level}`, openedAt: MONDAY_10, entitlement: 'basic', level: level as 1 | 2 | 3 }),
        [cmd(MONDAY_10 + 30 * 60_000, { kind: 'engineerResponse', message: 'hi' })],
        until,
      ),
    );
    const windows = ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open: '09:00', close: '17:00' }));
    const acc = emptyAccumulator();
    for (const c of cases)
      addPair(
        acc,
        backtestCase(c, candidate({ programs: { basic: { coverageWindows: windows } } }), until, () => undefined, roleOf),
      );
    const report = finishReport(acc);
    expect(report.flipsTotal).toBe(0); // answered within 30 minutes: met under both
    // Sev 1, 2 h from 10:00 is 12:00 under both; Sev 2 (8 h) and Sev 3 (12 h) move.
    expect(report.movesTotal).toBe(2);
    expect(report.moves.map((m) => m.caseId)).toEqual(['mv-2', 'mv-3']);
    expect(report.moves[0]!.shiftMs).toBe(16 * HOUR); // Mon 18:00 -> Tue 10:00 (Mon 10-17 = 7 h, 1 h on Tue from 09:00)
  });

  test('a candidate adds a closed date: the cases due across it move', () => {
    const until = MONDAY_10 + 5 * 24 * HOUR;
    const c = recorded(caseInput({ caseId: 'cd-1', openedAt: MONDAY_10, entitlement: 'basic', level: 3 }), [], until);
    const tuesday = localDate(MONDAY_10 + 24 * HOUR, 'Europe/Berlin');
    const p = backtestCase(c, candidate({}, [tuesday]), until, () => undefined, roleOf);
    expect(p.before.firstResponse.dueAt).toBe(MONDAY_10 + 24 * HOUR); // 10 h Mon + 2 h Tue: Tue 10:00
    expect(p.after.firstResponse.dueAt).toBe(MONDAY_10 + 48 * HOUR); // Tuesday closed: Wed 10:00
  });
});
