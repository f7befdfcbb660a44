/**
 * The engine against the independent brute-force reference (reference.ts) on thousands of random
 * calendars, instants and durations, biased towards DST seasons and awkward zones. Zero disagreements.
 */
import fc from 'fast-check';
import { addBusinessTime, businessTimeBetween, isOpen, nextBusinessDays, nextOpening } from '../../policy/calendar';
import { refAdd, refBetween, refIsOpen, refNextBusinessDays, refNextOpening } from './reference';
import { HOUR, MIN, calendarArb, instantArb, quarter } from './arbitraries';

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
});
