/**
 * The calendars a new case pins: program coverage and the organisation's business hours, in its zone, with
 * its public holidays (this year through two years ahead) and extra closed days resolved to local dates.
 * Resolving holidays is the slow part, so results are memoised per country, subdivision and year range.
 */
import { DateTime } from 'luxon';
import { businessCalendar, businessCalendarUnder, coverageCalendar, coverageUnder, type PolicyDocument } from '../../policy';
import { resolveClosedDates } from '../../policy/holidays';
import type { CalendarSpec, EntitlementId, WeeklyWindow } from '../../policy/types';
import type { organisations } from '../../db/schema';

type OrgRow = typeof organisations.$inferSelect;

const YEARS_AHEAD = 2;
const MAX_CACHED = 500;
const holidayCache = new Map<string, string[]>();

function closedDates(org: OrgRow, year: number): string[] {
  const key = `${org.country}|${org.subdivision ?? ''}|${year}|${org.closedDates.join(',')}`;
  let dates = holidayCache.get(key);
  if (!dates) {
    dates = resolveClosedDates({
      country: org.country,
      subdivision: org.subdivision ?? undefined,
      extraClosedDates: org.closedDates,
      fromYear: year,
      toYear: year + YEARS_AHEAD,
    });
    if (holidayCache.size >= MAX_CACHED) holidayCache.clear();
    holidayCache.set(key, dates);
  }
  return dates;
}

/** The calendars a case opened at `openedAt` pins: under `policy` (a version document) when given. */
export function caseCalendars(
  org: OrgRow,
  openedAt: Date,
  policy?: PolicyDocument,
): { coverage: CalendarSpec; businessCalendar: CalendarSpec } {
  const settings = {
    zone: org.timeZone,
    closedDates: closedDates(org, DateTime.fromJSDate(openedAt, { zone: org.timeZone }).year),
    businessHours: (org.businessHours as WeeklyWindow[] | null) ?? undefined,
  };
  if (policy) {
    return {
      coverage: coverageUnder(policy, org.entitlement as EntitlementId, settings),
      businessCalendar: businessCalendarUnder(policy, settings, settings.businessHours),
    };
  }
  return {
    coverage: coverageCalendar(org.entitlement as EntitlementId, settings),
    businessCalendar: businessCalendar(settings),
  };
}
