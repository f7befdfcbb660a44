/** Test helpers: instants from local wall times (luxon, explicit zone) and back. */
import { DateTime } from 'luxon';

/** Epoch ms of a local wall time; throws if the wall time does not exist in the zone. */
export function L(local: string, zone: string): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`invalid local time ${local} ${zone}`);
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== local.slice(0, 16)) throw new Error(`${local} does not exist in ${zone}`);
  return dt.toMillis();
}

/** Instant from an ISO string with explicit offset, e.g. '2026-03-29T03:00+02:00'. */
export function I(iso: string): number {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new Error(`invalid instant ${iso}`);
  return dt.toMillis();
}

/** Local wall time with offset, for readable assertions: '2026-03-30T14:00+02:00'. */
export function show(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");
}
