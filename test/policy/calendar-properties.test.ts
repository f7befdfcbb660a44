/**
 * Invariants of business-time arithmetic on random calendars (incl. DST zones, 24/7, several windows per
 * day, '24:00' closes, closed dates): round trip, monotonicity, results inside coverage or at a close.
 */
import fc from 'fast-check';
import { addBusinessTime, businessTimeBetween, isOpen, nextBusinessDays, nextOpening } from '../../policy/calendar';
import { MIN, calendarArb, instantArb } from './arbitraries';

const duration = fc.integer({ min: 0, max: 60 * 60 }).map((m) => m * MIN + (m % 7) * 1000);

describe('business-time invariants', () => {
  it('adding a duration and measuring it back gives the same duration', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, duration, (cal, at, ms) => {
        expect(businessTimeBetween(cal, at, addBusinessTime(cal, at, ms))).toBe(ms);
      }),
      { numRuns: 3000 },
    );
  });

  it('results are monotonic in the duration and never before the start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, duration, duration, (cal, at, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const early = addBusinessTime(cal, at, lo);
        expect(early).toBeGreaterThanOrEqual(at);
        expect(addBusinessTime(cal, at, hi)).toBeGreaterThanOrEqual(early);
        if (hi > lo) expect(addBusinessTime(cal, at, hi)).toBeGreaterThan(early);
      }),
      { numRuns: 3000 },
    );
  });

  it('every result lies inside coverage or exactly at a window close', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, duration, (cal, at, ms) => {
        const due = addBusinessTime(cal, at, ms);
        if (ms === 0) expect(isOpen(cal, due)).toBe(true);
        else expect(isOpen(cal, due) || (!isOpen(cal, due) && isOpen(cal, due - 1))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('measuring is additive and adding is composable', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, duration, duration, (cal, at, a, b) => {
        const mid = addBusinessTime(cal, at, a);
        expect(addBusinessTime(cal, mid, b)).toBe(addBusinessTime(cal, at, a + b));
        const end = mid + b;
        expect(businessTimeBetween(cal, at, end)).toBe(businessTimeBetween(cal, at, mid) + businessTimeBetween(cal, mid, end));
        const forward = businessTimeBetween(cal, at, end);
        expect(businessTimeBetween(cal, end, at)).toBe(forward === 0 ? 0 : -forward); // antisymmetric, never -0
      }),
      { numRuns: 2000 },
    );
  });

  it('nextOpening is open, idempotent and nothing before it (since `at`) is open', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (cal, at) => {
        const open = nextOpening(cal, at);
        expect(isOpen(cal, open)).toBe(true);
        expect(nextOpening(cal, open)).toBe(open);
        expect(businessTimeBetween(cal, at, open)).toBe(0);
        expect(addBusinessTime(cal, at, 0)).toBe(open);
      }),
      { numRuns: 2000 },
    );
  });

  it('next business days are distinct, ordered, not before `from`, with the chosen instant inside coverage', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.option(fc.constantFrom('00:00', '08:30', '10:00', '12:15', '16:45', '23:45')),
        (cal, from, at) => {
          const days = nextBusinessDays(cal, from, 3, at === null ? {} : { at });
          expect(days).toHaveLength(3);
          expect(new Set(days.map((d) => d.date)).size).toBe(3);
          for (const [i, d] of days.entries()) {
            expect(d.at).toBeGreaterThanOrEqual(from);
            expect(isOpen(cal, d.at)).toBe(true);
            expect(isOpen(cal, d.opensAt)).toBe(true);
            expect(isOpen(cal, d.closesAt - 1)).toBe(true);
            expect(d.opensAt).toBeLessThanOrEqual(d.at);
            expect(d.at).toBeLessThan(d.closesAt);
            if (i > 0) expect(d.date > days[i - 1]!.date).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
