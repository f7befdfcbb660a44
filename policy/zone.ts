/**
 * IANA zone offsets as a memoised table of constant-offset pieces.
 *
 * Asking Intl for an offset costs microseconds; business-time walks need many. So each zone is sampled
 * once per 8-day chunk (every 6 hours, with a binary search to the exact millisecond of every change)
 * and afterwards answered by plain arithmetic. Chunks are short because a workflow sandbox starts every
 * case with empty module state: a case touches a few days, and sampling a month per touch dominated the
 * cost of opening a case. The table only memoises what Intl says, so it is deterministic; it never reads
 * the process time zone or the clock.
 */
import { DAY, HOUR, formatHhMm } from './time';

export interface OffsetPiece {
  start: number; // inclusive instant
  end: number; // exclusive instant
  offset: number; // local = instant + offset (ms)
}

const CHUNK = 8 * DAY;
const SAMPLE = 6 * HOUR;
/** Offsets in tzdb stay within -12h..+14h; 15 h is a safe margin when mapping local times to instants. */
export const MAX_OFFSET_SPAN = 15 * HOUR;
const MAX_CACHED_CHUNKS = 50_000;

interface ZoneTable {
  zone: string;
  chunks: Map<number, OffsetPiece[]>;
}

const tables = new Map<string, ZoneTable>();
let cachedChunks = 0;

/**
 * Formats an instant as e.g. '1 AM GMT+05:30': the cheapest Intl output that carries the offset. Made for
 * each chunk built and dropped after it, never kept in a table: an Intl.DateTimeFormat holds some 35 KB of
 * ICU memory outside the V8 heap, and every case cached by a worker has module state of its own (the
 * sandbox), so a kept formatter cost every cached case that much (bench/worker-memory.ts); the pieces it
 * yields are plain numbers. Intl rejects unknown zones here, so this is also the validity check.
 */
function offsetFormat(zoneName: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zoneName, hour: 'numeric', timeZoneName: 'longOffset' });
  } catch {
    throw new RangeError(`Unknown IANA time zone '${zoneName}'`);
  }
}

function table(zoneName: string): ZoneTable {
  let t = tables.get(zoneName);
  if (!t) {
    offsetFormat(zoneName);
    t = { zone: zoneName, chunks: new Map() };
    tables.set(zoneName, t);
  }
  return t;
}

export function assertZone(zoneName: string): void {
  table(zoneName);
}

const LONG_OFFSET = /GMT(?:([+\-\u2212])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Offset (ms) Intl reports for an instant ('GMT' alone is zero; historic local mean times carry seconds). */
function rawOffset(offsets: Intl.DateTimeFormat, at: number): number {
  const text = offsets.format(at);
  const match = LONG_OFFSET.exec(text);
  if (!match) throw new RangeError(`Unexpected zone offset '${text}'`);
  if (!match[1]) return 0;
  const ms = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === '+' ? ms : -ms;
}

function buildChunk(offsets: Intl.DateTimeFormat, index: number): OffsetPiece[] {
  const start = index * CHUNK;
  const end = start + CHUNK;
  const pieces: OffsetPiece[] = [];
  let pieceStart = start;
  let offset = rawOffset(offsets, start);
  let prev = start;
  const last = end - 1;
  for (let t = start + SAMPLE; ; t += SAMPLE) {
    const probe = Math.min(t, last);
    if (rawOffset(offsets, probe) !== offset) {
      // The change lies in (prev, probe]: find the first instant carrying the new offset.
      let lo = prev;
      let hi = probe;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (rawOffset(offsets, mid) === offset) lo = mid;
        else hi = mid;
      }
      pieces.push({ start: pieceStart, end: hi, offset });
      pieceStart = hi;
      offset = rawOffset(offsets, hi);
      prev = hi;
      t = hi; // resume sampling right after the change (handles several changes per sample)
      continue;
    }
    prev = probe;
    if (probe === last) break;
  }
  pieces.push({ start: pieceStart, end, offset });
  return pieces;
}

function chunk(t: ZoneTable, index: number): OffsetPiece[] {
  let pieces = t.chunks.get(index);
  if (!pieces) {
    if (cachedChunks >= MAX_CACHED_CHUNKS) {
      for (const other of tables.values()) other.chunks.clear();
      cachedChunks = 0;
    }
    pieces = buildChunk(offsetFormat(t.zone), index);
    t.chunks.set(index, pieces);
    cachedChunks++;
  }
  return pieces;
}

/** Offset (ms) of the zone at an instant: local wall-clock ms = at + offsetAt(zone, at). */
export function offsetAt(zoneName: string, at: number): number {
  const pieces = chunk(table(zoneName), Math.floor(at / CHUNK));
  for (const p of pieces) if (at < p.end) return p.offset;
  return pieces[pieces.length - 1]!.offset;
}

/** Constant-offset pieces covering [from, to), in time order, clipped to the range. */
export function piecesBetween(zoneName: string, from: number, to: number): OffsetPiece[] {
  const t = table(zoneName);
  const out: OffsetPiece[] = [];
  for (let i = Math.floor(from / CHUNK); i * CHUNK < to; i++) {
    for (const p of chunk(t, i)) {
      if (p.end <= from || p.start >= to) continue;
      const last = out[out.length - 1];
      const start = Math.max(p.start, from);
      const end = Math.min(p.end, to);
      // Chunk borders split pieces artificially; glue them back.
      if (last && last.end === start && last.offset === p.offset) last.end = end;
      else out.push({ start, end, offset: p.offset });
    }
  }
  return out;
}

/** Epoch day of the local date of an instant. */
export function localDay(zoneName: string, at: number): number {
  return Math.floor((at + offsetAt(zoneName, at)) / DAY);
}

/**
 * The first instant whose local wall-clock time is at or after `localMs`: the instant itself when the
 * local time exists once, the earlier one in a fall-back overlap, the end of the gap on spring-forward.
 */
export function firstInstantAtOrAfterLocal(zoneName: string, localMs: number): number {
  for (const p of piecesBetween(zoneName, localMs - MAX_OFFSET_SPAN, localMs + MAX_OFFSET_SPAN)) {
    // In a piece local time runs from p.start + offset to p.end + offset.
    if (p.end + p.offset > localMs) return Math.max(p.start, localMs - p.offset);
  }
  throw new RangeError(`No instant found for local time ${localMs} in ${zoneName}`);
}

const abbreviations = new Map<string, Map<number, string>>();

/** The zone's name part in `locale` (a formatter made for the call, not kept: see offsetFormat; the names are memoised). */
function zoneNamePart(locale: string, zoneName: string, at: number): string {
  const format = new Intl.DateTimeFormat(locale, { timeZone: zoneName, timeZoneName: 'short' });
  return format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/**
 * Customer-facing abbreviation of the zone at an instant ('CET', 'EDT', 'BST'); falls back to the
 * numeric form ('GMT+5:45') where no abbreviation is commonly used. Memoised per zone and offset.
 */
export function zoneAbbreviation(zoneName: string, at: number): string {
  const offset = offsetAt(zoneName, at);
  let perOffset = abbreviations.get(zoneName);
  if (!perOffset) {
    perOffset = new Map();
    abbreviations.set(zoneName, perOffset);
  }
  let name = perOffset.get(offset);
  if (name === undefined) {
    // British names first (CET, BST); American ones (EST, PDT) only where British has none: each
    // locale costs a formatter, and most zones need just one.
    const british = zoneNamePart('en-GB', zoneName, at);
    const american = !british.startsWith('GMT') || british === 'GMT' ? undefined : zoneNamePart('en-US', zoneName, at);
    if (american === undefined) name = british;
    else if (!american.startsWith('GMT')) name = american;
    else
      name =
        offset === 0
          ? 'UTC'
          : `GMT${offset < 0 ? '-' : '+'}${formatHhMm(Math.abs(offset) / 60_000)
              .replace(/^0/, '')
              .replace(/:00$/, '')}`;
    perOffset.set(offset, name);
  }
  return name;
}
