/**
 * An independent, deliberately naive business-time implementation to check policy/calendar.ts against.
 * It shares no code with the engine: it asks luxon for the local wall time of every 15-minute quantum
 * and applies the definition of "open" literally (local date not closed, local time in [open, close) of a
 * window of that weekday). Stepping in 15-minute quanta instead of minutes is exact as long as every
 * boundary falls on a quantum: windows on quarter hours, offsets that are multiples of 15 minutes (all
 * zones used here, incl. +05:45 and +12:45) and transitions at quarter hours; `quantumOpen` checks that.
 */
import { DateTime, IANAZone } from 'luxon';
import type { CalendarSpec } from '../../policy/types';

export const QUANTUM = 15 * 60_000;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

interface Plain {
  windowsByDay: Array<Array<[number, number]>>;
  closed: Set<string>;
}
const plain = new WeakMap<CalendarSpec, Plain>();

function plainOf(cal: CalendarSpec): Plain {
  let p = plain.get(cal);
  if (!p) {
    p = { windowsByDay: [[], [], [], [], [], [], [], []], closed: new Set(cal.closedDates) };
    for (const w of cal.windows) p.windowsByDay[w.day]!.push([minutesOf(w.open), minutesOf(w.close)]);
    plain.set(cal, p);
  }
  return p;
}

export function refIsOpen(cal: CalendarSpec, at: number): boolean {
  if (cal.alwaysOpen) return true;
  const local = DateTime.fromMillis(at, { zone: cal.zone });
  if (local.offset % 15 !== 0) throw new Error(`reference assumes quarter-hour offsets, ${cal.zone} has ${local.offset} min`);
  const p = plainOf(cal);
  if (p.closed.has(local.toISODate()!)) return false;
  const minute = local.hour * 60 + local.minute;
  return p.windowsByDay[local.weekday]!.some(([open, close]) => minute >= open && minute < close);
}

/**
 * Openness is constant inside a quantum when the offset does not change inside it (then local time runs
 * linearly through one quarter hour, and windows and offsets sit on quarter hours); checked every time.
 */
function quantumOpen(cal: CalendarSpec, qStart: number): boolean {
  const zone = IANAZone.create(cal.zone);
  if (zone.offset(qStart) !== zone.offset(qStart + QUANTUM - 1))
    throw new Error(`offset change inside quantum at ${new Date(qStart).toISOString()}`);
  return refIsOpen(cal, qStart);
}

const floorQ = (t: number) => Math.floor(t / QUANTUM) * QUANTUM;

export function refNextOpening(cal: CalendarSpec, at: number): number {
  for (let q = floorQ(at); ; q += QUANTUM) if (quantumOpen(cal, q)) return Math.max(q, at);
}

export function refAdd(cal: CalendarSpec, at: number, ms: number): number {
  let t = at;
  let remaining = ms;
  for (;;) {
    const qEnd = floorQ(t) + QUANTUM;
    if (quantumOpen(cal, floorQ(t))) {
      if (remaining <= qEnd - t) return t + remaining;
      remaining -= qEnd - t;
    }
    t = qEnd;
  }
}

export function refBetween(cal: CalendarSpec, from: number, to: number): number {
  let total = 0;
  for (let q = floorQ(from); q < to; q += QUANTUM) {
    if (quantumOpen(cal, q)) total += Math.min(q + QUANTUM, to) - Math.max(q, from);
  }
  return total;
}

/** Same contract as nextBusinessDays, by scanning every quantum of every local date. */
export function refNextBusinessDays(cal: CalendarSpec, from: number, n: number, at?: string) {
  const out: Array<{ date: string; at: number; opensAt: number; closesAt: number }> = [];
  let date = DateTime.fromMillis(from, { zone: cal.zone }).startOf('day');
  for (let guard = 0; out.length < n; guard++) {
    if (guard > 3000) throw new Error('no business day found');
    const iso = date.toISODate()!;
    const quanta: Array<{ q: number; open: boolean; localMinute: number }> = [];
    // Every quantum whose local date is this date (scan an hour beyond luxon's day boundaries).
    const next = date.plus({ days: 1 }).startOf('day');
    for (let q = floorQ(date.toMillis()) - 3_600_000; q < next.toMillis() + 3_600_000; q += QUANTUM) {
      const local = DateTime.fromMillis(q, { zone: cal.zone });
      if (local.toISODate() !== iso) continue;
      quanta.push({ q, open: quantumOpen(cal, q), localMinute: local.hour * 60 + local.minute });
    }
    const open = quanta.filter((x) => x.open);
    if (open.length > 0) {
      const opensAt = open[0]!.q;
      const closesAt = open[open.length - 1]!.q + QUANTUM;
      let chosen = opensAt;
      if (at !== undefined) {
        const wanted = quanta.find((x) => x.localMinute >= minutesOf(at));
        const firstOpenAfter = wanted ? open.find((x) => x.q >= wanted.q) : undefined;
        chosen = firstOpenAfter ? firstOpenAfter.q : closesAt - 60_000;
      }
      if (chosen >= from) out.push({ date: iso, at: chosen, opensAt, closesAt });
    }
    date = next;
  }
  return out;
}
