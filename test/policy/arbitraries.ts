/** fast-check generators shared by the policy property tests. */
import fc from 'fast-check';
import type { CalendarSpec, WeeklyWindow } from '../../policy/types';

export const ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago', // southern hemisphere, transitions at local midnight
  'America/Havana', // transitions at midnight / 01:00
  'America/St_Johns', // -03:30 / -02:30
  'Australia/Sydney', // southern hemisphere
  'Australia/Adelaide', // +09:30 / +10:30
  'Australia/Lord_Howe', // 30-minute DST shift
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Auckland',
  'Asia/Kolkata', // +05:30, no DST
  'Asia/Kathmandu', // +05:45, no DST
  'Asia/Tokyo',
  'UTC',
];

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2027, 11, 20);

export const quarter = (q: number) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;

const windowArb: fc.Arbitrary<WeeklyWindow> = fc
  .record({ day: fc.integer({ min: 1, max: 7 }), a: fc.integer({ min: 0, max: 96 }), b: fc.integer({ min: 0, max: 96 }) })
  .filter(({ a, b }) => a !== b)
  .map(({ day, a, b }) => ({ day: day as WeeklyWindow['day'], open: quarter(Math.min(a, b)), close: quarter(Math.max(a, b)) }));

const officeHours = (open: string, close: string): WeeklyWindow[] => ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open, close }));

/** Instants: uniform over three years (minutes or whole hours), or in the DST seasons of both hemispheres. */
export const instantArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: FROM / MIN, max: TO / MIN }).map((m) => m * MIN),
  // Whole hours: together with whole-hour durations these land exactly on window opens and closes.
  fc.integer({ min: FROM / HOUR, max: TO / HOUR }).map((h) => h * HOUR),
  fc
    .record({
      year: fc.integer({ min: 2025, max: 2027 }),
      month: fc.constantFrom(2, 3, 3, 8, 9, 9, 10, 10), // Mar, Apr, Sep, Oct, Nov (0-based)
      minute: fc.integer({ min: 0, max: 31 * 24 * 60 }),
    })
    .map(({ year, month, minute }) => Date.UTC(year, month, 1) + minute * MIN),
);

export const calendarArb: fc.Arbitrary<CalendarSpec> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    kind: fc.constantFrom('random', 'random', 'random', 'office', 'basic', 'always'),
    windows: fc.array(windowArb, { minLength: 3, maxLength: 12 }),
    closed: fc.array(fc.integer({ min: FROM / DAY, max: TO / DAY + 40 }), { maxLength: 40 }),
  })
  .map(({ zone, kind, windows, closed }) => ({
    zone,
    alwaysOpen: kind === 'always',
    windows: kind === 'office' ? officeHours('08:00', '17:00') : kind === 'basic' ? officeHours('08:00', '20:00') : windows,
    closedDates: closed.map((d) => new Date(d * DAY).toISOString().slice(0, 10)),
  }));
