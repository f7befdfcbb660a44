/**
 * Public holidays from the maintained `date-holidays` library, resolved to local dates when a case opens
 * (the resulting list is pinned in the case's CalendarSpec, so a library upgrade never moves a running
 * case's deadlines). Not exported from policy/index.ts: it carries a holiday database and must stay out
 * of the workflow bundle. Call it from the API or activities.
 *
 * Readings: only holidays of type 'public' close a day (bank, school, optional and observance days do
 * not); a public holiday that starts after local midnight (a half day, e.g. 24 Dec from 14:00 in some
 * countries) does not close the day; substitute days ("observed" Mondays) are public holidays.
 */
import Holidays from 'date-holidays';
import { DAY, formatIsoDate, parseIsoDate } from './time';

export interface ClosedDatesInput {
  country: string; // ISO 3166-1 alpha-2, e.g. 'DE'
  subdivision?: string; // state / region code of the library, e.g. 'BY' for Bavaria
  extraClosedDates?: string[]; // organisation's own closed days, local YYYY-MM-DD
  fromYear: number;
  toYear: number;
}

export function resolveClosedDates(input: ClosedDatesInput): string[] {
  if (!Number.isInteger(input.fromYear) || !Number.isInteger(input.toYear) || input.toYear < input.fromYear) {
    throw new RangeError(`Invalid year range ${input.fromYear}..${input.toYear}`);
  }
  const country = input.country.toUpperCase();
  const probe = new Holidays();
  if (!Object.prototype.hasOwnProperty.call(probe.getCountries('en'), country)) throw new RangeError(`Unknown country '${input.country}'`);
  if (input.subdivision !== undefined) {
    const states = probe.getStates(country, 'en') ?? {};
    if (!Object.prototype.hasOwnProperty.call(states, input.subdivision.toUpperCase())) {
      throw new RangeError(`Unknown subdivision '${input.subdivision}' for country ${country}`);
    }
  }
  const hd = input.subdivision === undefined ? new Holidays(country) : new Holidays(country, input.subdivision.toUpperCase());
  const days = new Set<number>();
  for (let year = input.fromYear; year <= input.toYear; year++) {
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public' || !h.date.endsWith(' 00:00:00')) continue;
      const first = parseIsoDate(h.date.slice(0, 10));
      // Multi-day entries: whole local days between start and end (23/25-hour DST days round correctly).
      const length = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY));
      for (let i = 0; i < length; i++) days.add(first + i);
    }
  }
  for (const d of input.extraClosedDates ?? []) days.add(parseIsoDate(d));
  return [...days].sort((a, b) => a - b).map(formatIsoDate);
}
