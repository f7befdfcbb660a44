/**
 * The SLA clock state machine: warnings and breach exactly once, pauses on business and wall calendars,
 * stop (met / breached with lateness), the severity-change rule, JSON round trips.
 */
import fc from 'fast-check';
import type { EntitlementId, Level } from '../../policy/types';
import { coverageCalendar } from '../../policy/calendars';
import { computeDeadline } from '../../policy/deadline';
import {
  changeSeverity,
  clockState,
  fireDue,
  nextWake,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  type SlaClock,
} from '../../policy/sla-clock';
import { calendarArb, instantArb } from './arbitraries';
import { L, show } from './local';

const ZONE = 'Europe/Berlin';
const MIN = 60_000;
const H = 60 * MIN;
const at = (local: string) => L(local, ZONE);
const local = (t: number | null) => (t === null ? null : show(t, ZONE));

function clockFor(entitlement: EntitlementId, level: Level, openedLocal: string, thresholds = [0.75, 0.9]): SlaClock {
  const coverage = coverageCalendar(entitlement, { zone: ZONE, closedDates: [] });
  const openedAt = at(openedLocal);
  const deadline = computeDeadline({ openedAt, entitlement, level, caseType: 'technical', coverage });
  return startClock({ name: 'firstResponse', at: openedAt, deadline, calendar: coverage, thresholds });
}

function change(c: SlaClock, entitlement: EntitlementId, level: Level, changeLocal: string, moreSevere: boolean): SlaClock {
  const when = at(changeLocal);
  const deadline = computeDeadline({ openedAt: when, entitlement, level, caseType: 'technical', coverage: c.calendar });
  return changeSeverity(c, { at: when, deadline, moreSevere });
}

describe('warnings and breach', () => {
  it('fire at the fraction of business time elapsed, then the breach one millisecond after due', () => {
    // Basic Severity 2, 8 business hours from Fri 18:30: due Mon 14:30; 75 % = 6 h -> Mon 12:30; 90 % = 7 h 12 min -> Mon 13:42.
    let c = clockFor('basic', 2, '2026-11-27T18:30');
    expect(local(c.dueAt)).toBe('2026-11-30T14:30+01:00');
    expect(c.thresholds.map((t) => local(t.at))).toEqual(['2026-11-30T12:30+01:00', '2026-11-30T13:42+01:00']);

    const wakes: string[] = [];
    for (let wake = nextWake(c); wake !== null; wake = nextWake(c)) {
      wakes.push(`${wake.kind}@${local(wake.at)}`);
      expect(fireDue(c, wake.at - 1).events).toEqual([]); // nothing before its instant
      const fired = fireDue(c, wake.at);
      expect(fired.events).toHaveLength(1);
      c = fired.clock;
      expect(fireDue(c, wake.at).events).toEqual([]); // exactly once
    }
    expect(wakes).toEqual(['warning@2026-11-30T12:30+01:00', 'warning@2026-11-30T13:42+01:00', 'breach@2026-11-30T14:30+01:00']);
    expect(c.breachedDueAt).toBe(at('2026-11-30T14:30'));
    expect(clockState(c)).toBe('breached');
  });

  it('a late wake fires everything that is due, in order, once', () => {
    const c = clockFor('production', 1, '2026-11-30T10:00');
    const { clock, events } = fireDue(c, at('2026-11-30T13:00'));
    expect(events).toEqual([{ kind: 'warning', threshold: 0.75 }, { kind: 'warning', threshold: 0.9 }, { kind: 'breach' }]);
    expect(fireDue(clock, at('2026-11-30T14:00')).events).toEqual([]);
    expect(nextWake(clock)).toBeNull();
  });

  it('thresholds are sanitised: sorted, deduplicated, only fractions strictly between 0 and 1', () => {
    const c = clockFor('production', 2, '2026-11-30T10:00', [0.9, 0.5, 0.9, 0, 1, -2, Number.NaN]);
    expect(c.thresholds.map((t) => t.fraction)).toEqual([0.5, 0.9]);
  });
});

describe('pause and resume', () => {
  it('business target: remaining business time continues from the resume', () => {
    // Basic Severity 2 from Mon 10:00 (due 18:00); paused at 12:00 with 6 h left; resumed Wed 10:00 -> due Wed 16:00.
    let c = clockFor('basic', 2, '2026-11-30T10:00');
    c = pauseClock(c, at('2026-11-30T12:00'));
    expect(c.status).toBe('paused');
    expect(c.dueAt).toBeNull();
    expect(nextWake(c)).toBeNull();
    expect(fireDue(c, at('2026-12-10T00:00')).events).toEqual([]);
    c = resumeClock(c, at('2026-12-02T10:00'));
    expect(local(c.dueAt)).toBe('2026-12-02T16:00+01:00');
    // 75 % of 8 h = 6 h: 2 h before the pause, 4 more after the resume.
    expect(local(c.thresholds[0]!.at)).toBe('2026-12-02T14:00+01:00');
    c = stopClock(c, at('2026-12-02T15:00'));
    expect(c.outcome).toBe('met');
    expect(clockState(c)).toBe('met');
    expect(c.latenessMs).toBe(0);
  });

  it('a resume outside coverage waits for the next opening', () => {
    let c = clockFor('basic', 1, '2026-11-30T10:00');
    c = pauseClock(c, at('2026-11-30T11:00'));
    c = resumeClock(c, at('2026-12-05T09:00')); // Saturday
    expect(local(c.dueAt)).toBe('2026-12-07T09:00+01:00');
  });

  it('wall target: remaining wall time continues from the resume', () => {
    let c = clockFor('production', 2, '2026-11-30T10:00'); // 3 h -> 13:00
    c = pauseClock(c, at('2026-11-30T11:00'));
    c = resumeClock(c, at('2026-11-30T15:00'));
    expect(local(c.dueAt)).toBe('2026-11-30T17:00+01:00');
  });

  it('a warning that had passed before the pause fires right at the resume if it had not fired yet', () => {
    let c = clockFor('production', 1, '2026-11-30T10:00'); // 75 % at 10:45
    c = pauseClock(c, at('2026-11-30T10:50'));
    c = resumeClock(c, at('2026-11-30T12:00'));
    expect(nextWake(c)).toEqual({ at: at('2026-11-30T12:00'), kind: 'warning', threshold: 0.75 });
    expect(local(c.dueAt)).toBe('2026-11-30T12:10+01:00');
  });

  it('a breached clock stays breached through pause and resume and is late at stop', () => {
    let c = clockFor('production', 1, '2026-11-30T10:00');
    c = fireDue(c, at('2026-11-30T11:30')).clock;
    c = resumeClock(pauseClock(c, at('2026-11-30T11:40')), at('2026-11-30T12:00'));
    expect(clockState(c)).toBe('breached');
    expect(nextWake(c)).toBeNull();
    c = stopClock(c, at('2026-11-30T12:30'));
    expect(c.outcome).toBe('breached');
    expect(c.latenessMs).toBe(90 * MIN);
  });

  it('pausing or resuming twice changes nothing', () => {
    const c = clockFor('basic', 2, '2026-11-30T10:00');
    const p = pauseClock(c, at('2026-11-30T11:00'));
    expect(pauseClock(p, at('2026-11-30T12:00'))).toBe(p);
    expect(resumeClock(c, at('2026-11-30T12:00'))).toBe(c);
  });
});

describe('stop', () => {
  it('a response exactly at the due instant is met; one millisecond later is breached', () => {
    const c = clockFor('premier', 3, '2026-11-30T10:00');
    expect(stopClock(c, at('2026-11-30T10:30')).outcome).toBe('met');
    const late = stopClock(c, at('2026-11-30T10:30') + 1);
    expect(late.outcome).toBe('breached');
    expect(late.latenessMs).toBe(1);
  });

  it('lateness on a business target is reported in wall time and in business time', () => {
    // Basic Severity 1 from Fri 18:00: 2 business hours, Fri 18:00-20:00 -> due Fri 20:00; answered Mon 08:30.
    const c = clockFor('basic', 1, '2026-11-27T18:00');
    expect(local(c.dueAt)).toBe('2026-11-27T20:00+01:00');
    const stopped = stopClock(c, at('2026-11-30T08:30'));
    expect(stopped.outcome).toBe('breached');
    expect(stopped.latenessMs).toBe(60 * H + 30 * MIN);
    expect(stopped.latenessCalendarMs).toBe(30 * MIN);
    expect(nextWake(stopped)).toBeNull();
    expect(stopClock(stopped, at('2026-12-01T08:30'))).toBe(stopped);
  });

  it('stopping while paused measures against the remaining time', () => {
    let c = clockFor('production', 1, '2026-11-30T10:00');
    c = pauseClock(c, at('2026-11-30T10:30'));
    expect(stopClock(c, at('2026-11-30T15:00')).outcome).toBe('met');
  });
});

describe('severity change', () => {
  it('more severe: the new target runs from the change', () => {
    // Basic Severity 4 from Mon 10:00 (due Wed 10:00); Severity 1 at Mon 11:00 -> Mon 13:00.
    let c = clockFor('basic', 4, '2026-11-30T10:00');
    c = fireDue(c, at('2026-11-30T10:00')).clock;
    c = change(c, 'basic', 1, '2026-11-30T11:00', true);
    expect(local(c.dueAt)).toBe('2026-11-30T13:00+01:00');
    expect(c.targetLabel).toBe('2 business hours');
    expect(c.changes).toEqual([
      {
        at: at('2026-11-30T11:00'),
        oldDueAt: at('2026-12-02T10:00'),
        newDueAt: at('2026-11-30T13:00'),
        oldTargetLabel: '24 business hours',
        newTargetLabel: '2 business hours',
        keptEarlierDue: false,
      },
    ]);
    expect(c.thresholds.map((t) => local(t.at))).toEqual(['2026-11-30T12:30+01:00', '2026-11-30T12:48+01:00']);
  });

  it('more severe never yields a later due time than before', () => {
    // Production Severity 3 from 10:00 is due 16:00; Severity 2 (3 h) at 15:30 would be 18:30: keep 16:00.
    let c = clockFor('production', 3, '2026-11-30T10:00');
    c = change(c, 'production', 2, '2026-11-30T15:30', true);
    expect(local(c.dueAt)).toBe('2026-11-30T16:00+01:00');
    expect(c.targetLabel).toBe('6 hours');
    expect(c.changes[0]).toMatchObject({ oldDueAt: at('2026-11-30T16:00'), newDueAt: at('2026-11-30T16:00'), keptEarlierDue: true });
  });

  it('less severe: the new target runs from the change, even if later', () => {
    let c = clockFor('production', 1, '2026-11-30T10:00');
    c = fireDue(c, at('2026-11-30T10:50')).clock; // 75 % fired
    c = change(c, 'production', 4, '2026-11-30T10:55', false);
    expect(local(c.dueAt)).toBe('2026-11-30T18:55+01:00');
    expect(c.thresholds.every((t) => !t.fired)).toBe(true);
    expect(nextWake(c)).toEqual({ at: at('2026-11-30T16:55'), kind: 'warning', threshold: 0.75 });
  });

  it('more severe to a level without a target keeps the due time the case had', () => {
    let c = clockFor('evaluation', 2, '2026-11-30T10:00');
    const before = c.dueAt;
    c = change(c, 'evaluation', 1, '2026-11-30T11:00', true);
    expect(c.dueAt).toBe(before);
    expect(c.changes[0]).toMatchObject({ newTargetLabel: '8 business hours', keptEarlierDue: true });
  });

  it('less severe to a level without a target: the clock has no target any more', () => {
    let c = clockFor('free', 1, '2026-11-30T10:00');
    expect(clockState(c)).toBe('not_available');
    c = change(c, 'free', 3, '2026-11-30T11:00', false);
    expect(clockState(c)).toBe('best_effort');
    expect(nextWake(c)).toBeNull();
  });

  it('from a level without a target to one with a target: the clock starts running at the change', () => {
    let c = clockFor('evaluation', 1, '2026-11-30T10:00');
    expect(clockState(c)).toBe('not_available');
    c = change(c, 'evaluation', 2, '2026-11-30T11:00', false);
    expect(clockState(c)).toBe('running');
    expect(local(c.dueAt)).toBe('2026-12-01T10:00+01:00');
    expect(c.changes[0]).toMatchObject({
      oldDueAt: null,
      newDueAt: at('2026-12-01T10:00'),
      oldTargetLabel: 'not available',
      newTargetLabel: '8 business hours',
    });
    expect(nextWake(c)).toEqual({ at: at('2026-11-30T17:00'), kind: 'warning', threshold: 0.75 });
  });

  it('a change while paused re-targets the remainder from the resume', () => {
    let c = clockFor('basic', 3, '2026-11-30T10:00');
    c = pauseClock(c, at('2026-11-30T11:00'));
    c = change(c, 'basic', 1, '2026-11-30T12:00', true);
    expect(c.status).toBe('paused');
    c = resumeClock(c, at('2026-12-01T09:00'));
    expect(local(c.dueAt)).toBe('2026-12-01T11:00+01:00');
  });
});

describe('clocks without a due instant and ad-hoc targets', () => {
  it('general inquiries, not available and best effort clocks never wake', () => {
    for (const [entitlement, level, type, state] of [
      ['basic', 2, 'general_inquiry', 'no_target'],
      ['evaluation', 1, 'technical', 'not_available'],
      ['free', 2, 'technical', 'best_effort'],
    ] as const) {
      const coverage = coverageCalendar(entitlement, { zone: ZONE, closedDates: [] });
      const deadline = computeDeadline({ openedAt: 0, entitlement, level, caseType: type, coverage });
      const c = startClock({ name: 'firstResponse', at: 0, deadline, calendar: coverage, thresholds: [0.75] });
      expect(clockState(c)).toBe(state);
      expect(nextWake(c)).toBeNull();
      expect(fireDue(c, 10 ** 13).events).toEqual([]);
    }
  });

  it('a bare business target runs on the given calendar (e.g. manager acknowledgement)', () => {
    const cal = coverageCalendar('evaluation', { zone: ZONE, closedDates: [] });
    const c = startClock({
      name: 'managerAck',
      at: at('2026-11-27T16:30'),
      deadline: { kind: 'business', ms: 60 * MIN },
      calendar: cal,
      thresholds: [],
    });
    expect(local(c.dueAt)).toBe('2026-11-30T08:30+01:00');
    expect(c.targetLabel).toBe('1 business hour');
  });
});

describe('serialisation', () => {
  it('a clock survives JSON round trips at every step with identical behaviour', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.array(fc.integer({ min: 1, max: 20 * 60 }), { minLength: 4, maxLength: 8 }),
        (cal, start, gaps) => {
          const rt = (c: SlaClock): SlaClock => JSON.parse(JSON.stringify(c));
          let a = startClock({ name: 'x', at: start, deadline: { kind: 'business', ms: 4 * H }, calendar: cal, thresholds: [0.5, 0.75] });
          let b = rt(a);
          let t = start;
          const ops = [pauseClock, resumeClock, (c: SlaClock, now: number) => fireDue(c, now).clock];
          for (const [i, gap] of gaps.entries()) {
            t += gap * MIN;
            const op = ops[i % ops.length]!;
            a = op(a, t);
            b = rt(op(b, t));
            expect(b).toEqual(a);
            expect(nextWake(b)).toEqual(nextWake(a));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
