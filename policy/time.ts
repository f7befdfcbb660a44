/**
 * Pure calendar arithmetic on "epoch days" (days since 1970-01-01) and local wall-clock milliseconds.
 * No Date objects: everything here is integer maths, so it is deterministic and fast inside workflows.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** ISO weekday of an epoch day: 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function weekdayName(isoDay: number): string {
  return WEEKDAY_NAMES[isoDay - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(epochDay: number): { y: number; m: number; d: number } {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' -> epoch day; throws on anything that is not a real calendar date. */
export function parseIsoDate(s: string): number {
  const match = ISO_DATE.exec(s);
  if (!match) throw new RangeError(`Invalid date '${s}': expected YYYY-MM-DD`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const day = daysFromCivil(y, m, d);
  const back = civilFromDays(day);
  if (back.y !== y || back.m !== m || back.d !== d) throw new RangeError(`Invalid date '${s}'`);
  return day;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatIsoDate(epochDay: number): string {
  const { y, m, d } = civilFromDays(epochDay);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** 'Fri 27 Nov' */
export function formatDayLabel(epochDay: number): string {
  const { m, d } = civilFromDays(epochDay);
  return `${weekdayName(isoWeekday(epochDay))} ${d} ${MONTH_NAMES[m - 1]}`;
}

const HH_MM = /^(\d{2}):(\d{2})$/;

/** 'HH:mm' -> minutes after local midnight; '24:00' (end of day) is allowed. */
export function parseHhMm(s: string): number {
  const match = HH_MM.exec(s);
  if (!match) throw new RangeError(`Invalid time '${s}': expected HH:mm`);
  const h = Number(match[1]);
  const min = Number(match[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) throw new RangeError(`Invalid time '${s}'`);
  return h * 60 + min;
}

export function formatHhMm(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Local wall-clock milliseconds (epoch-style, no zone) -> 'HH:mm'. */
export function formatLocalTime(localMs: number): string {
  const minutes = Math.floor((((localMs % DAY) + DAY) % DAY) / MINUTE);
  return formatHhMm(minutes);
}

/** Human duration: '30 min', '1 h', '6 h 30 min'. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.round(ms / MINUTE);
  const h = Math.floor(totalMinutes / 60);
  const min = totalMinutes % 60;
  if (h === 0) return `${min} min`;
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}
