/**
 * The engine against the independent brute-force reference (reference.ts) on thousands of random
 * calendars, instants and durations, biased towards DST seasons and awkward zones. Zero disagreements.
 */
import fc from 'fast-check';
import type { CalendarSpec, EntitlementId, Level } from '../../policy/types';
import { addBusinessTime, businessTimeBetween, isOpen, nextBusinessDays, nextOpening } from '../../policy/calendar';
import { coverageCalendar } from '../../policy/calendars';
import { computeDeadline } from '../../policy/deadline';
import { refAdd, refBetween, refIsOpen, refNextBusinessDays, refNextOpening } from './reference';
import { HOUR, MIN, ZONES, calendarArb, instantArb, quarter } from './arbitraries';

const durationArb = fc.oneof(
  fc.integer({ min: 0, max: 16 * 60 }).map((m) => m * MIN),
  fc.integer({ min: 0, max: 12 }).map((h) => h * HOUR), // whole hours hit window ends exactly
);

const iso = (t: number) => new Date(t).toISOString();

describe('engine agrees with the brute-force reference', () => {
  it('isOpen and nextOpening', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (cal, at) => {
        expect(isOpen(cal, at)).toBe(refIsOpen(cal, at));
        expect(iso(nextOpening(cal, at))).toBe(iso(refNextOpening(cal, at)));
      }),
      { numRuns: 1500 },
    );
  });

  it('addBusinessTime', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, at, ms) => {
        expect(iso(addBusinessTime(cal, at, ms))).toBe(iso(refAdd(cal, at, ms)));
      }),
      { numRuns: 1500 },
    );
  });

  it('addBusinessTime over long targets (up to 30 business days) on office calendars', () => {
    const office = calendarArb.filter((cal) => !cal.alwaysOpen && cal.windows.length === 5);
    fc.assert(
      fc.property(office, instantArb, fc.integer({ min: 0, max: 30 * 9 * 60 }), (cal, at, minutes) => {
        expect(iso(addBusinessTime(cal, at, minutes * MIN))).toBe(iso(refAdd(cal, at, minutes * MIN)));
      }),
      { numRuns: 150 },
    );
  });

  it('businessTimeBetween', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 3 * 24 * 60 }), (cal, from, minutes) => {
        const to = from + minutes * MIN;
        expect(businessTimeBetween(cal, from, to)).toBe(refBetween(cal, from, to));
      }),
      { numRuns: 1500 },
    );
  });

  it('nextBusinessDays, with and without a local time', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.option(fc.integer({ min: 0, max: 95 }).map(quarter)), (cal, from, at) => {
        const got = nextBusinessDays(cal, from, 3, at === null ? {} : { at });
        const want = refNextBusinessDays(cal, from, 3, at ?? undefined);
        expect(got.map((d) => [d.date, iso(d.at), iso(d.opensAt), iso(d.closesAt)])).toEqual(
          want.map((d) => [d.date, iso(d.at), iso(d.opensAt), iso(d.closesAt)]),
        );
      }),
      { numRuns: 250 },
    );
  });

  it('computeDeadline against the published targets applied by the reference', () => {
    // The policy restated independently: [calendar kind, hours] per entitlement and level (null: no due instant).
    type Ref = ['wall' | 'basic' | 'office', number] | null;
    const published: Record<EntitlementId, Ref[]> = {
      premier: [
        ['wall', 0.5],
        ['wall', 0.5],
        ['wall', 0.5],
        ['wall', 0.5],
      ],
      production: [
        ['wall', 1],
        ['wall', 3],
        ['wall', 6],
        ['wall', 8],
      ],
      vcsp_production: [
        ['wall', 1],
        ['wall', 3],
        ['wall', 6],
        ['wall', 8],
      ],
      basic: [
        ['basic', 2],
        ['basic', 8],
        ['basic', 12],
        ['basic', 24],
      ],
      evaluation: [null, ['office', 8], ['office', 12], ['office', 24]],
      free: [null, null, null, null],
      plan_premium: [
        ['wall', 1],
        ['wall', 2],
        ['wall', 6],
        ['office', 9],
      ],
      plan_basic: [
        ['office', 2],
        ['office', 4],
        ['office', 9],
        ['office', 18],
      ],
      plan_evaluation: [null, null, null, null],
    };
    const days = (open: string, close: string) => ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open, close }));
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...(Object.keys(published) as EntitlementId[])),
        fc.constantFrom<Level>(1, 2, 3, 4),
        instantArb,
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
        (zone, entitlement, level, openedAt, offsets) => {
          const firstDay = Math.floor(openedAt / (24 * HOUR));
          const closedDates = offsets.map((o) => new Date((firstDay + o) * 24 * HOUR).toISOString().slice(0, 10));
          const d = computeDeadline({
            openedAt,
            entitlement,
            level,
            caseType: 'technical',
            coverage: coverageCalendar(entitlement, { zone, closedDates }),
          });
          const ref = published[entitlement][level - 1]!;
          if (ref === null) {
            expect(d.kind).not.toBe('due');
            return;
          }
          const [kind, hours] = ref;
          const cal: CalendarSpec =
            kind === 'wall'
              ? { zone, alwaysOpen: true, windows: [], closedDates: [] }
              : { zone, windows: days('08:00', kind === 'basic' ? '20:00' : '17:00'), closedDates };
          expect(d.kind === 'due' ? iso(d.dueAt) : d.kind).toBe(iso(refAdd(cal, openedAt, hours * HOUR)));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
