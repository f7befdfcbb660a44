/** Dates in the viewer's zone (or a given one) and countdowns; display only, no business rule. */

export const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatInstant(iso: string | null | undefined, locale: string, timeZone = viewerZone()): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export function localTime(timeZone: string, now: number, locale = 'en'): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(now));
}

/** "2h 05m left" / "13m overdue". */
export function countdown(dueIso: string | null, now: number): { text: string; overdue: boolean } {
  if (!dueIso) return { text: '—', overdue: false };
  const ms = new Date(dueIso).getTime() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const body = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
  return { text: ms >= 0 ? `${body} left` : `${body} overdue`, overdue: ms < 0 };
}

export const durationMs = (ms: number | null): string => {
  if (ms === null) return '—';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const min = ms / 60_000;
  return min < 90 ? `${Math.round(min)} min` : `${(min / 60).toFixed(1)} h`;
};

export const humanize = (s: string): string => s.replace(/_/g, ' ');
