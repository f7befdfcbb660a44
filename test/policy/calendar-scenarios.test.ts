/**
 * Hand-checked calendar scenarios: DST inside and across coverage windows in several zones (incl. the
 * southern hemisphere and 30/45-minute offsets), holidays on a Friday and a Monday, deadlines exactly at
 * closing, openings outside hours and on holidays, a leap day and the year end.
 */
import type { CalendarSpec, WeeklyWindow } from '../../policy/types';
import { addBusinessTime, businessTimeBetween, isOpen, nextBusinessDays, nextOpening } from '../../policy/calendar';
import { businessCalendar, coverageCalendar } from '../../policy/calendars';
import { computeDeadline } from '../../policy/deadline';
import { resolveClosedDates } from '../../policy/holidays';
import { L, show } from './local';

const H = 3_600_000;
const sundayWindow = (open: string, close: string, day: WeeklyWindow['day'] = 7): CalendarSpec => ({
  zone: '',
  windows: [{ day, open, close }],
  closedDates: [],
});
const inZone = (cal: CalendarSpec, zone: string): CalendarSpec => ({ ...cal, zone });

function due(
  zone: string,
  openedLocal: string,
  entitlement: Parameters<typeof coverageCalendar>[0],
  level: 1 | 2 | 3 | 4,
  closedDates: string[] = [],
): string {
  const d = computeDeadline({
    openedAt: L(openedLocal, zone),
    entitlement,
    level,
    caseType: 'technical',
    coverage: coverageCalendar(entitlement, { zone, closedDates }),
  });
  if (d.kind !== 'due') throw new Error(`expected a due instant, got ${d.kind}`);
  return show(d.dueAt, zone);
}

describe('DST inside a coverage window', () => {
  // A Sunday window on the transition night holds the real elapsed time: an hour less on spring-forward,
  // an hour more on fall-back (the repeated hour is open both times).
  it.each([
    ['Europe/Berlin', '2026-03-29', '01:00', 3 * H, '2026-03-29T03:30+02:00'],
    ['Europe/Berlin', '2026-10-25', '01:00', 5 * H, '2026-10-25T02:30+02:00'],
    ['Australia/Sydney', '2026-10-04', '01:00', 3 * H, '2026-10-04T03:30+11:00'],
    ['Australia/Sydney', '2026-04-05', '01:00', 5 * H, '2026-04-05T02:30+11:00'],
    ['Australia/Adelaide', '2026-10-04', '01:00', 3 * H, '2026-10-04T03:30+10:30'],
    ['Australia/Adelaide', '2026-04-05', '01:00', 5 * H, '2026-04-05T02:30+10:30'],
    ['America/New_York', '2026-03-08', '00:00', 4 * H, '2026-03-08T01:30-05:00'],
    ['America/New_York', '2026-11-01', '00:00', 6 * H, '2026-11-01T01:30-04:00'],
  ])('%s on %s: a window opening at %s holds %d ms', (zone, date, open, length, afterNinetyMinutes) => {
    const cal = inZone(sundayWindow(open, '05:00'), zone);
    const opens = L(`${date}T${open}`, zone);
    const closes = L(`${date}T05:00`, zone);
    expect(businessTimeBetween(cal, opens - H, closes + H)).toBe(length);
    expect(closes - opens).toBe(length);
    expect(show(addBusinessTime(cal, opens, 1.5 * H), zone)).toBe(afterNinetyMinutes);
    expect(addBusinessTime(cal, opens, length)).toBe(closes);
    expect(addBusinessTime(cal, opens, length + 1)).toBeGreaterThan(closes + 6 * 24 * H);
  });

  it('America/Santiago falls back at local midnight: a Saturday 22:00-24:00 window lasts 3 hours', () => {
    const zone = 'America/Santiago';
    const cal = inZone(sundayWindow('22:00', '24:00', 6), zone);
    const opens = L('2026-04-04T22:00', zone);
    expect(businessTimeBetween(cal, opens, opens + 10 * H)).toBe(3 * H);
    expect(show(addBusinessTime(cal, opens, 3 * H), zone)).toBe('2026-04-05T00:00-04:00');
    // 23:30 exists twice; both are open.
    expect(isOpen(cal, L('2026-04-04T23:30', zone))).toBe(true);
    expect(isOpen(cal, L('2026-04-04T23:30', zone) + H)).toBe(true);
  });

  it('America/Santiago springs forward at local midnight: Sunday 00:00-02:00 holds 1 hour', () => {
    const zone = 'America/Santiago';
    const cal = inZone(sundayWindow('00:00', '02:00'), zone);
    const saturdayEvening = L('2026-09-05T20:00', zone);
    expect(show(nextOpening(cal, saturdayEvening), zone)).toBe('2026-09-06T01:00-03:00');
    expect(businessTimeBetween(cal, saturdayEvening, saturdayEvening + 12 * H)).toBe(H);
  });
});

describe('contact-attempt times on DST days', () => {
  const zone = 'Europe/Berlin';
  const sundays = inZone(sundayWindow('00:00', '06:00'), zone);
  it('a local time in the spring-forward gap moves to the end of the gap', () => {
    const [day] = nextBusinessDays(sundays, L('2026-03-28T12:00', zone), 1, { at: '02:30' });
    expect(show(day!.at, zone)).toBe('2026-03-29T03:00+02:00');
  });
  it('a local time in the fall-back overlap uses its first occurrence', () => {
    const [day] = nextBusinessDays(sundays, L('2026-10-24T12:00', zone), 1, { at: '02:30' });
    expect(show(day!.at, zone)).toBe('2026-10-25T02:30+02:00');
    expect(day!.closesAt - day!.opensAt).toBe(7 * H);
  });
});

describe('DST across coverage windows', () => {
  it('Basic, Berlin, over the spring-forward weekend', () => {
    expect(due('Europe/Berlin', '2026-03-27T18:00', 'basic', 2)).toBe('2026-03-30T14:00+02:00');
  });
  it('Basic, Sydney (southern hemisphere), over the fall-back weekend', () => {
    expect(due('Australia/Sydney', '2026-04-03T18:00', 'basic', 2)).toBe('2026-04-06T14:00+10:00');
  });
  it('Basic, New York, over the fall-back weekend', () => {
    expect(due('America/New_York', '2026-10-30T19:00', 'basic', 4)).toBe('2026-11-03T19:00-05:00');
  });
  it('Basic, Adelaide (+10:30 after spring-forward)', () => {
    expect(due('Australia/Adelaide', '2026-10-02T19:00', 'basic', 2)).toBe('2026-10-05T15:00+10:30');
  });
  it('Basic, Kolkata (+05:30) and Kathmandu (+05:45)', () => {
    expect(due('Asia/Kolkata', '2026-11-27T18:30', 'basic', 2)).toBe('2026-11-30T14:30+05:30');
    expect(due('Asia/Kathmandu', '2026-11-27T18:30', 'basic', 2)).toBe('2026-11-30T14:30+05:45');
    expect(due('Asia/Kathmandu', '2026-11-30T08:00', 'plan_basic', 3)).toBe('2026-11-30T17:00+05:45');
  });
  it('24/7 programs count real elapsed time: DST adds or removes nothing', () => {
    // 8 real hours from 22:00: the local clock shows 07:00 after spring-forward, 05:00 after fall-back.
    expect(due('Europe/Berlin', '2026-03-28T22:00', 'production', 4)).toBe('2026-03-29T07:00+02:00');
    expect(due('Australia/Sydney', '2026-04-04T22:00', 'production', 4)).toBe('2026-04-05T05:00+10:00');
    expect(due('America/Santiago', '2026-04-04T22:00', 'vcsp_production', 4)).toBe('2026-04-05T05:00-04:00');
  });
});

describe('holidays', () => {
  const closed = resolveClosedDates({ country: 'DE', fromYear: 2026, toYear: 2028 });

  it('Good Friday and Easter Monday (a Friday and a Monday) are skipped', () => {
    expect(closed).toEqual(expect.arrayContaining(['2026-04-03', '2026-04-06']));
    expect(due('Europe/Berlin', '2026-04-02T16:00', 'basic', 2, closed)).toBe('2026-04-07T12:00+02:00');
    // Without the holidays the same case would be due on the Friday.
    expect(due('Europe/Berlin', '2026-04-02T16:00', 'basic', 2)).toBe('2026-04-03T12:00+02:00');
  });

  it('a case opened on a holiday starts its clock at the next opening', () => {
    expect(due('Europe/Berlin', '2026-04-03T10:00', 'basic', 1, closed)).toBe('2026-04-07T10:00+02:00');
    const cal = coverageCalendar('basic', { zone: 'Europe/Berlin', closedDates: closed });
    expect(isOpen(cal, L('2026-04-03T10:00', 'Europe/Berlin'))).toBe(false);
    expect(show(nextOpening(cal, L('2026-04-03T10:00', 'Europe/Berlin')), 'Europe/Berlin')).toBe('2026-04-07T08:00+02:00');
  });

  it('Kasten Premium P4 counts business days on Mon-Fri 08:00-17:00 with holidays, although coverage is 24/7', () => {
    expect(due('Europe/Berlin', '2026-04-02T16:00', 'plan_premium', 4, closed)).toBe('2026-04-07T16:00+02:00');
    expect(due('Europe/Berlin', '2026-04-02T16:00', 'plan_premium', 3, closed)).toBe('2026-04-02T22:00+02:00');
  });

  it("contact attempts skip holidays and weekends; the case closes at the third day's close", () => {
    const cal = businessCalendar({ zone: 'Europe/Berlin', closedDates: closed });
    const days = nextBusinessDays(cal, L('2026-04-02T12:00', 'Europe/Berlin'), 3, { at: '10:00' });
    expect(days.map((d) => d.date)).toEqual(['2026-04-07', '2026-04-08', '2026-04-09']);
    expect(days.map((d) => show(d.at, 'Europe/Berlin'))).toEqual([
      '2026-04-07T10:00+02:00',
      '2026-04-08T10:00+02:00',
      '2026-04-09T10:00+02:00',
    ]);
    expect(show(days[2]!.closesAt, 'Europe/Berlin')).toBe('2026-04-09T17:00+02:00');
  });
});

describe('edges of the coverage day', () => {
  it('a deadline landing exactly on the window end is the closing instant, not the next opening', () => {
    expect(due('Europe/Berlin', '2026-12-02T08:00', 'basic', 3)).toBe('2026-12-02T20:00+01:00');
    expect(due('Europe/Berlin', '2026-12-02T08:00', 'plan_basic', 3)).toBe('2026-12-02T17:00+01:00');
    const cal = coverageCalendar('basic', { zone: 'Europe/Berlin', closedDates: [] });
    expect(isOpen(cal, L('2026-12-02T20:00', 'Europe/Berlin'))).toBe(false);
    expect(isOpen(cal, L('2026-12-02T20:00', 'Europe/Berlin') - 1)).toBe(true);
  });

  it('opened outside hours (evening, weekend) the clock starts at the next opening', () => {
    expect(due('Europe/Berlin', '2026-11-28T10:00', 'basic', 1)).toBe('2026-11-30T10:00+01:00');
    expect(due('Europe/Berlin', '2026-11-30T21:15', 'evaluation', 2)).toBe('2026-12-01T16:00+01:00');
    expect(due('Europe/Berlin', '2026-11-30T06:00', 'basic', 1)).toBe('2026-11-30T10:00+01:00');
  });

  it('several windows per day (lunch break) and a window ending at 24:00', () => {
    const zone = 'Europe/Berlin';
    const cal: CalendarSpec = {
      zone,
      windows: [
        { day: 1, open: '08:00', close: '12:00' },
        { day: 1, open: '13:00', close: '17:00' },
        { day: 2, open: '20:00', close: '24:00' },
      ],
      closedDates: [],
    };
    const monday = L('2026-11-30T11:00', zone);
    expect(show(addBusinessTime(cal, monday, H), zone)).toBe('2026-11-30T12:00+01:00');
    expect(show(addBusinessTime(cal, monday, 2 * H), zone)).toBe('2026-11-30T14:00+01:00');
    // Monday 11:00-12:00 and 13:00-17:00, Tuesday 20:00-24:00: 9 hours end exactly at Tuesday's midnight.
    expect(show(addBusinessTime(cal, monday, 9 * H), zone)).toBe('2026-12-02T00:00+01:00');
    expect(businessTimeBetween(cal, monday, L('2026-12-02T00:00', zone))).toBe(9 * H);
    expect(show(addBusinessTime(cal, monday, 10 * H), zone)).toBe('2026-12-07T09:00+01:00');
    const days = nextBusinessDays(cal, monday, 2, { at: '12:30' });
    // 12:30 falls in the lunch break: clamped to the 13:00 opening; Tuesday's 12:30 is before its window.
    expect(days.map((d) => show(d.at, zone))).toEqual(['2026-11-30T13:00+01:00', '2026-12-01T20:00+01:00']);
    // After the last close: the last whole minute of the business day.
    expect(nextBusinessDays(cal, monday, 1, { at: '18:00' }).map((d) => show(d.at, zone))).toEqual(['2026-11-30T16:59+01:00']);
  });

  it('leap day is a business day like any other', () => {
    expect(due('Europe/Berlin', '2028-02-28T14:00', 'basic', 4)).toBe('2028-03-01T14:00+01:00');
    const cal = businessCalendar({ zone: 'Europe/Berlin', closedDates: [] });
    expect(nextBusinessDays(cal, L('2028-02-28T12:00', 'Europe/Berlin'), 3).map((d) => d.date)).toEqual([
      '2028-02-29',
      '2028-03-01',
      '2028-03-02',
    ]);
  });

  it("year end: New Year's Day closed, the deadline rolls into January", () => {
    const closed = resolveClosedDates({ country: 'DE', fromYear: 2026, toYear: 2027 });
    expect(due('Europe/Berlin', '2026-12-31T12:00', 'basic', 4, closed)).toBe('2027-01-05T12:00+01:00');
    expect(due('Europe/Berlin', '2026-12-31T23:45', 'premier', 1, closed)).toBe('2027-01-01T00:15+01:00');
  });
});

describe('calendar validation', () => {
  it('rejects unknown zones, malformed windows and dates', () => {
    expect(() => isOpen({ zone: 'Mars/Olympus', windows: [], closedDates: [] }, 0)).toThrow(/Unknown IANA time zone/);
    expect(() => isOpen({ zone: 'UTC', windows: [{ day: 1, open: '17:00', close: '08:00' }], closedDates: [] }, 0)).toThrow(/open before/);
    expect(() => isOpen({ zone: 'UTC', windows: [{ day: 1, open: '8:00', close: '17:00' }], closedDates: [] }, 0)).toThrow(/HH:mm/);
    expect(() => isOpen({ zone: 'UTC', windows: [], closedDates: ['2026-02-30'] }, 0)).toThrow(/Invalid date/);
    expect(() => addBusinessTime({ zone: 'UTC', windows: [], closedDates: [] }, 0, H)).toThrow(/no coverage/);
    expect(() => addBusinessTime({ zone: 'UTC', alwaysOpen: true, windows: [], closedDates: [] }, 0, -1)).toThrow(/non-negative/);
  });
});
