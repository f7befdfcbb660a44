/**
 * Office closures from an iCalendar file (RFC 5545, read by node-ical): every VEVENT is a closure, and every
 * local date (in the organisation's zone) it touches is a closed day. All-day events close their dates;
 * a timed event closes each local date it overlaps (business calendars close whole days). Recurrence rules
 * (RRULE, EXDATE, RECURRENCE-ID overrides) are expanded over the window a case can pin (30 days back to two
 * years ahead, as the holiday library's dates); time zones (TZID, VTIMEZONE) are node-ical's.
 *
 * Bounded on purpose, each refusal a 4xx naming the limit: the file's size (the route's body limit), at most
 * MAX_EVENTS events, no recurrence finer than daily, at most MAX_INSTANCES occurrences in all, one closure at
 * most MAX_SPAN_DAYS long; a file that is not a calendar is refused. Lines node-ical cannot read are skipped.
 */
import ical, { type VEvent } from 'node-ical';
import { DateTime } from 'luxon';
import { Problem } from '../problem';

export const MAX_EVENTS = 5000;
export const MAX_INSTANCES = 20_000;
export const MAX_SPAN_DAYS = 366;
const FINER_THAN_DAILY = new Set(['HOURLY', 'MINUTELY', 'SECONDLY', '4', '5', '6']);

export interface ImportedClosures {
  dates: string[];
  closures: { summary: string; from: string; to: string }[];
}

const refuse = (detail: string, status = 422) => new Problem(status, 'calendar-refused', detail);

function localDate(d: Date, fullDay: boolean, zone: string): DateTime {
  // node-ical builds an all-day date at local midnight of this process: its local fields are the date.
  if (fullDay) return DateTime.fromObject({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() }, { zone });
  return DateTime.fromJSDate(d, { zone }).startOf('day');
}

export function closuresFromIcs(text: string, zone: string, now: Date = new Date()): ImportedClosures {
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw refuse('not an iCalendar file (it must begin with BEGIN:VCALENDAR)');
  const eventCount = (text.match(/^BEGIN:VEVENT/gim) ?? []).length;
  if (eventCount > MAX_EVENTS) throw refuse(`${eventCount} events: at most ${MAX_EVENTS} per import`, 413);
  let parsed: ReturnType<typeof ical.sync.parseICS>;
  try {
    parsed = ical.sync.parseICS(text);
  } catch (err) {
    throw refuse(`the calendar could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const from = DateTime.fromJSDate(now, { zone }).minus({ days: 30 }).startOf('day');
  const to = DateTime.fromJSDate(now, { zone }).plus({ years: 2 }).endOf('year');
  const dates = new Set<string>();
  const closures: ImportedClosures['closures'] = [];
  let instances = 0;
  for (const component of Object.values(parsed)) {
    if (!component || component.type !== 'VEVENT') continue;
    const ev = component as VEvent;
    if (!(ev.start instanceof Date) || Number.isNaN(ev.start.getTime())) continue; // an unreadable DTSTART: skipped
    if (String(ev.status ?? '').toUpperCase() === 'CANCELLED') continue;
    const summary = (typeof ev.summary === 'string' ? ev.summary : ((ev.summary as { val?: string } | undefined)?.val ?? '')).slice(0, 200);
    if (ev.rrule) {
      const freq = String((ev.rrule as { options?: { freq?: unknown } }).options?.freq ?? '');
      if (FINER_THAN_DAILY.has(freq.toUpperCase()))
        throw refuse(`'${summary || ev.uid}' recurs ${freq.toLowerCase()}: closures recur at most daily`);
    }
    const occurrences = ical.expandRecurringEvent(ev, { from: from.toJSDate(), to: to.toJSDate(), expandOngoing: true });
    for (const o of occurrences) {
      if (++instances > MAX_INSTANCES) throw refuse(`more than ${MAX_INSTANCES} closures after expanding recurrences`, 413);
      const first = localDate(o.start, o.isFullDay, zone);
      // An all-day DTEND is exclusive; a timed end closes the date it falls in (unless exactly at midnight).
      const endInstant = o.end ?? o.start;
      let last = o.isFullDay
        ? localDate(endInstant, true, zone).minus({ days: 1 })
        : DateTime.fromJSDate(new Date(endInstant.getTime() - 1), { zone }).startOf('day');
      if (last < first) last = first;
      if (last.diff(first, 'days').days + 1 > MAX_SPAN_DAYS) throw refuse(`'${summary || ev.uid}' lasts more than ${MAX_SPAN_DAYS} days`);
      if (last < from || first > to) continue;
      for (let d = first; d <= last; d = d.plus({ days: 1 })) dates.add(d.toISODate()!);
      closures.push({ summary, from: first.toISODate()!, to: last.toISODate()! });
    }
  }
  if (closures.length === 0)
    throw refuse('the calendar has no closure (VEVENT) in the window a case can pin (30 days back to two years ahead)');
  return { dates: [...dates].sort(), closures: closures.sort((a, b) => a.from.localeCompare(b.from)) };
}
