/**
 * Business-time arithmetic on a CalendarSpec.
 *
 * Reading of "open": an instant is inside coverage when its local date (in the calendar's IANA zone) is
 * not a closed date and its local wall-clock time lies in [open, close) of one of that weekday's windows.
 * Consequences, all deliberate:
 * - Windows are half-open: the closing instant itself is closed, so a deadline that consumes a window
 *   exactly lands on that closing instant (never on the next opening).
 * - Spring-forward: local times that do not exist are simply not open (a 08:00-17:00 window on a day
 *   whose 02:00-03:00 is skipped is unaffected; a window 01:00-04:00 that day holds 2 real hours).
 * - Fall-back: a repeated local hour that lies inside a window is open both times (the office really is
 *   open that long), so a 00:00-03:00 window on a fall-back day holds 4 real hours.
 * - '24:00' closes a window at the end of the local date.
 * - alwaysOpen calendars (24/7 programs) count wall-clock time: DST adds or removes nothing.
 * Days are walked one by one with per-day window instants memoised, never minute by minute.
 */
import type { CalendarSpec, WeeklyWindow } from './types';
import { DAY, MINUTE, formatIsoDate, isoWeekday, parseHhMm, parseIsoDate } from './time';
import { MAX_OFFSET_SPAN, assertZone, firstInstantAtOrAfterLocal, localDay, piecesBetween } from './zone';

/** No calendar legitimately stays closed this long; beyond it the spec is treated as broken. */
const MAX_CLOSED_RUN_DAYS = 3660;
const MAX_CACHED_DAYS = 4096;
const MAX_SHARED_ENTRIES = 512;

/**
 * Window instants depend only on zone, weekly windows and date, so they are shared by every spec with
 * the same zone and hours (many organisations, and specs freshly parsed from JSON); closed dates are
 * applied on top, per spec.
 */
interface WeeklyHours {
  zone: string;
  /** Index 1..7 (ISO weekday): merged [open, close) minute pairs, flattened. */
  byWeekday: number[][];
  /** Epoch day -> flattened [start, end) instant pairs in time order (closed dates not applied). */
  days: Map<number, number[]>;
}

interface Compiled {
  zone: string;
  alwaysOpen: boolean;
  hours: WeeklyHours;
  closed: Set<number>;
}

const compiledSpecs = new WeakMap<CalendarSpec, Compiled>();
const sharedHours = new Map<string, WeeklyHours>();
const sharedClosed = new Map<string, Set<number>>();
const NO_INTERVALS: number[] = [];
const ALL_DAY = ([1, 2, 3, 4, 5, 6, 7] as const).map((day) => ({ day, open: '00:00', close: '24:00' }));

function mergeMinutes(windows: Array<[number, number]>): number[] {
  windows.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [open, close] of windows) {
    const n = out.length;
    if (n > 0 && open <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, close);
    else out.push(open, close);
  }
  return out;
}

function compileWindows(windows: WeeklyWindow[]): number[][] {
  const perDay: Array<Array<[number, number]>> = [[], [], [], [], [], [], [], []];
  for (const w of windows) {
    if (!Number.isInteger(w.day) || w.day < 1 || w.day > 7) throw new RangeError(`Invalid weekday ${w.day}: 1 = Monday .. 7 = Sunday`);
    const open = parseHhMm(w.open);
    const close = parseHhMm(w.close);
    if (open >= close) throw new RangeError(`Window ${w.open}-${w.close} must open before it closes`);
    perDay[w.day]!.push([open, close]);
  }
  return perDay.map(mergeMinutes);
}

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= MAX_SHARED_ENTRIES) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/**
 * Calendars are values: a spec object must not be mutated after first use (its compiled form is memoised
 * per object; workflow state and JSON round trips produce fresh objects, which is fine).
 */
function compile(cal: CalendarSpec): Compiled {
  let c = compiledSpecs.get(cal);
  if (!c) {
    assertZone(cal.zone);
    const alwaysOpen = cal.alwaysOpen === true;
    const windows = alwaysOpen ? ALL_DAY : cal.windows;
    const hoursKey = `${cal.zone}#${windows.map((w) => `${w.day}${w.open}${w.close}`).join('|')}`;
    const hours = remember(sharedHours, hoursKey, () => ({ zone: cal.zone, byWeekday: compileWindows(windows), days: new Map() }));
    const closedDates = alwaysOpen ? [] : cal.closedDates;
    const closed = remember(sharedClosed, closedDates.join(','), () => new Set(closedDates.map(parseIsoDate)));
    c = { zone: cal.zone, alwaysOpen, hours, closed };
    compiledSpecs.set(cal, c);
  }
  return c;
}

/** Open intervals of one local date, as flattened instant pairs. */
function dayIntervals(c: Compiled, day: number): number[] {
  if (c.closed.has(day)) return NO_INTERVALS;
  const hours = c.hours;
  let out = hours.days.get(day);
  if (out) return out;
  out = [];
  const minutes = hours.byWeekday[isoWeekday(day)]!;
  if (minutes.length > 0) {
    const dayStart = day * DAY;
    const pieces = piecesBetween(c.zone, dayStart - MAX_OFFSET_SPAN, dayStart + DAY + MAX_OFFSET_SPAN);
    for (let i = 0; i < minutes.length; i += 2) {
      const localOpen = dayStart + minutes[i]! * MINUTE;
      const localClose = dayStart + minutes[i + 1]! * MINUTE;
      // Within a constant-offset piece, local time in [open, close) <=> instant in [open - o, close - o).
      for (const p of pieces) {
        const s = Math.max(p.start, localOpen - p.offset);
        const e = Math.min(p.end, localClose - p.offset);
        if (s >= e) continue;
        const n = out.length;
        if (n > 0 && s <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, e);
        else out.push(s, e);
      }
    }
  }
  if (hours.days.size >= MAX_CACHED_DAYS) hours.days.clear();
  hours.days.set(day, out);
  return out;
}

function tooLong(cal: CalendarSpec): never {
  throw new RangeError(`Calendar ${cal.label ?? cal.zone} has no coverage within ${MAX_CLOSED_RUN_DAYS} days`);
}

export function isOpen(cal: CalendarSpec, at: number): boolean {
  const c = compile(cal);
  if (c.alwaysOpen) return true;
  const iv = dayIntervals(c, localDay(c.zone, at));
  for (let i = 0; i < iv.length; i += 2) if (at >= iv[i]! && at < iv[i + 1]!) return true;
  return false;
}

/** When the window open at `at` closes (null when closed at `at`, or always open). */
export function openUntil(cal: CalendarSpec, at: number): number | null {
  const c = compile(cal);
  if (c.alwaysOpen) return null;
  const iv = dayIntervals(c, localDay(c.zone, at));
  for (let i = 0; i < iv.length; i += 2) if (at >= iv[i]! && at < iv[i + 1]!) return iv[i + 1]!;
  return null;
}

/** The first instant at or after `at` inside coverage (`at` itself when open). */
export function nextOpening(cal: CalendarSpec, at: number): number {
  const c = compile(cal);
  if (c.alwaysOpen) return at;
  const first = localDay(c.zone, at);
  for (let day = first; day - first <= MAX_CLOSED_RUN_DAYS; day++) {
    const iv = dayIntervals(c, day);
    for (let i = 0; i < iv.length; i += 2) if (iv[i + 1]! > at) return Math.max(iv[i]!, at);
  }
  return tooLong(cal);
}

/**
 * The instant when `ms` of coverage time has elapsed after `at`. A result that exhausts a window exactly
 * is that window's closing instant; ms = 0 gives the next opening.
 */
export function addBusinessTime(cal: CalendarSpec, at: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`Business duration must be a finite non-negative number, got ${ms}`);
  const c = compile(cal);
  if (c.alwaysOpen) return at + ms;
  let remaining = ms;
  const first = localDay(c.zone, at);
  let lastOpenDay = first;
  for (let day = first; day - lastOpenDay <= MAX_CLOSED_RUN_DAYS; day++) {
    const iv = dayIntervals(c, day);
    for (let i = 0; i < iv.length; i += 2) {
      const end = iv[i + 1]!;
      if (end <= at) continue;
      const start = Math.max(iv[i]!, at);
      const available = end - start;
      if (remaining <= available) return start + remaining;
      remaining -= available;
      lastOpenDay = day;
    }
  }
  return tooLong(cal);
}

/** Coverage time in [from, to); negative when `to` precedes `from`. */
export function businessTimeBetween(cal: CalendarSpec, from: number, to: number): number {
  if (to < from) {
    const forward = businessTimeBetween(cal, to, from);
    return forward === 0 ? 0 : -forward; // never -0: results are compared and serialised
  }
  const c = compile(cal);
  if (c.alwaysOpen) return to - from;
  let total = 0;
  const last = localDay(c.zone, to);
  for (let day = localDay(c.zone, from); day <= last; day++) {
    const iv = dayIntervals(c, day);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, from);
      const e = Math.min(iv[i + 1]!, to);
      if (e > s) total += e - s;
    }
  }
  return total;
}

export interface BusinessDaySlice {
  date: string; // local YYYY-MM-DD
  ms: number;
}

/** Coverage time in [from, to) per local date (dates with none are left out); used for explanations. */
export function businessTimeByDay(cal: CalendarSpec, from: number, to: number): BusinessDaySlice[] {
  return businessTimeByEpochDay(cal, from, to).map((s) => ({ date: formatIsoDate(s.day), ms: s.ms }));
}

/** businessTimeByDay with epoch days instead of date strings (no formatting on the hot path). */
export function businessTimeByEpochDay(cal: CalendarSpec, from: number, to: number): Array<{ day: number; ms: number }> {
  const c = compile(cal);
  const out: Array<{ day: number; ms: number }> = [];
  if (to <= from) return out;
  const last = localDay(c.zone, to - 1);
  for (let day = localDay(c.zone, from); day <= last; day++) {
    let ms = 0;
    const iv = dayIntervals(c, day); // for 24/7 calendars: the local date's own span
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, from);
      const e = Math.min(iv[i + 1]!, to);
      if (e > s) ms += e - s;
    }
    if (ms > 0) out.push({ day, ms });
  }
  return out;
}

/** Closed dates (holidays, extra closures) that would otherwise have had coverage, within [from, to). */
export function closedDatesBetween(cal: CalendarSpec, from: number, to: number): string[] {
  return closedEpochDaysBetween(cal, from, to).map(formatIsoDate);
}

export function closedEpochDaysBetween(cal: CalendarSpec, from: number, to: number): number[] {
  const c = compile(cal);
  if (c.alwaysOpen || to <= from || c.closed.size === 0) return [];
  const out: number[] = [];
  const first = localDay(c.zone, from);
  const last = localDay(c.zone, to - 1);
  const hasCoverage = (day: number) => c.hours.byWeekday[isoWeekday(day)]!.length > 0;
  if (last - first < c.closed.size) {
    for (let day = first; day <= last; day++) if (c.closed.has(day) && hasCoverage(day)) out.push(day);
    return out;
  }
  for (const day of c.closed) if (day >= first && day <= last && hasCoverage(day)) out.push(day);
  return out.sort((a, b) => a - b);
}

export interface BusinessDay {
  date: string; // local YYYY-MM-DD
  at: number; // the chosen instant inside that day's coverage
  opensAt: number; // first opening of the day
  closesAt: number; // last closing of the day
}

/**
 * The next `n` distinct business days whose chosen instant is at or after `from`.
 * The chosen instant is local `opts.at` on that date (default: the day's first opening), clamped into the
 * day's coverage: before the first opening -> the opening; inside a break -> the next window's opening;
 * after the last close -> one minute before that close (the last whole minute of the business day).
 * Used for "three contact attempts on separate business days".
 */
export function nextBusinessDays(cal: CalendarSpec, from: number, n: number, opts: { at?: string } = {}): BusinessDay[] {
  const c = compile(cal);
  const atMinutes = opts.at === undefined ? null : parseHhMm(opts.at);
  const out: BusinessDay[] = [];
  const first = localDay(c.zone, from);
  let lastHit = first;
  for (let day = first; out.length < n; day++) {
    if (day - lastHit > MAX_CLOSED_RUN_DAYS) tooLong(cal);
    const iv = dayIntervals(c, day);
    if (iv.length === 0) continue;
    const opensAt = iv[0]!;
    const closesAt = iv[iv.length - 1]!;
    let chosen = opensAt;
    if (atMinutes !== null) {
      const wanted = firstInstantAtOrAfterLocal(c.zone, day * DAY + atMinutes * MINUTE);
      chosen = Math.max(iv[iv.length - 2]!, closesAt - MINUTE);
      for (let i = 0; i < iv.length; i += 2) {
        if (iv[i + 1]! > wanted) {
          chosen = Math.max(iv[i]!, wanted);
          break;
        }
      }
    }
    if (chosen < from) continue;
    out.push({ date: formatIsoDate(day), at: chosen, opensAt, closesAt });
    lastHit = day;
  }
  return out;
}
