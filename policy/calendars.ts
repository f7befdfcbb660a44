/**
 * The calendars a case pins when it opens, built from the organisation's settings. Pure: holidays arrive
 * already resolved to local dates (see holidays.ts, which stays outside the workflow bundle).
 */
import type { CalendarSpec, EntitlementId, WeeklyWindow } from './types';
import { ENTITLEMENTS, monFri } from './entitlements';
import { weekdayName } from './time';
import { assertZone } from './zone';

export interface OrgCalendarSettings {
  zone: string; // IANA zone of the customer organisation
  closedDates: string[]; // local YYYY-MM-DD: public holidays + extra closed days
  businessHours?: WeeklyWindow[]; // custom business hours; default Mon-Fri 08:00-17:00
}

/** Default business hours (contact attempts, Kasten business days): Mon-Fri 08:00-17:00 local. */
export const DEFAULT_BUSINESS_HOURS: WeeklyWindow[] = monFri('08:00', '17:00');

/** 'Mon-Fri 08:00-17:00', 'Mon-Thu 08:00-17:00, Fri 08:00-14:00', 'Mon-Fri 08:00-12:00 13:00-17:00'. */
export function describeWindows(windows: WeeklyWindow[]): string {
  const perDay = new Map<number, string>();
  for (const w of [...windows].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open))) {
    const text = `${w.open}-${w.close}`;
    perDay.set(w.day, perDay.has(w.day) ? `${perDay.get(w.day)} ${text}` : text);
  }
  const groups: string[] = [];
  let day = 1;
  while (day <= 7) {
    const hours = perDay.get(day);
    if (hours === undefined) {
      day++;
      continue;
    }
    let end = day;
    while (end < 7 && perDay.get(end + 1) === hours) end++;
    groups.push(`${weekdayName(day)}${end > day ? `-${weekdayName(end)}` : ''} ${hours}`);
    day = end + 1;
  }
  return groups.length > 0 ? groups.join(', ') : 'never open';
}

function hoursCalendar(zone: string, windows: WeeklyWindow[], closedDates: string[]): CalendarSpec {
  assertZone(zone);
  return { zone, windows: windows.map((w) => ({ ...w })), closedDates: [...closedDates], label: describeWindows(windows) };
}

/**
 * When the response clock runs for a program, in the organisation's zone. 24/7 programs count wall-clock
 * time (alwaysOpen) but keep zone and closed dates, because Kasten Premium P4 is measured in business days
 * of the Mon-Fri 08:00-17:00 calendar. Coverage hours are the program's published hours: an
 * organisation's custom business hours do not change them. Best-effort programs without published hours
 * (Free/NFR, Kasten evaluation) get the default business hours as a nominal calendar.
 */
export function coverageCalendar(entitlement: EntitlementId, org: OrgCalendarSettings): CalendarSpec {
  const policy = ENTITLEMENTS[entitlement];
  if (policy.aroundTheClockCoverage) {
    assertZone(org.zone);
    return { zone: org.zone, alwaysOpen: true, windows: [], closedDates: [...org.closedDates], label: '24/7' };
  }
  return hoursCalendar(org.zone, policy.coverageWindows ?? DEFAULT_BUSINESS_HOURS, org.closedDates);
}

/** The organisation's business hours: contact attempts and business-day counts. */
export function businessCalendar(org: OrgCalendarSettings): CalendarSpec {
  return hoursCalendar(
    org.zone,
    org.businessHours && org.businessHours.length > 0 ? org.businessHours : DEFAULT_BUSINESS_HOURS,
    org.closedDates,
  );
}

const businessDayCalendars = new WeakMap<CalendarSpec, CalendarSpec>();

/**
 * The calendar a Kasten "business day" is counted on: Mon-Fri 08:00-17:00 in the zone of the given
 * calendar, with its closed dates (also for Premium, whose coverage is otherwise 24/7).
 */
export function kastenBusinessDayCalendar(cal: CalendarSpec): CalendarSpec {
  let out = businessDayCalendars.get(cal);
  if (!out) {
    out = hoursCalendar(cal.zone, DEFAULT_BUSINESS_HOURS, cal.closedDates);
    businessDayCalendars.set(cal, out);
  }
  return out;
}
