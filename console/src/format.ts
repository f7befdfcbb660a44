/** Dates in the viewer's zone (or a given one) and countdowns; display only, no business rule. */
import type { I18n } from './i18n';

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

const unitFormats = new Map<string, Intl.NumberFormat>();
function unit(n: number, u: 'day' | 'hour' | 'minute' | 'second', lang: string, pad = false): string {
  const key = `${lang}:${u}:${pad}`;
  let nf = unitFormats.get(key);
  if (!nf) {
    // Japanese and Chinese narrow units are Latin letters ("5m"); their short ones are the language's ("5 分", "5分钟").
    const unitDisplay = lang === 'ja' || lang === 'zh' ? 'short' : 'narrow';
    nf = new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay, minimumIntegerDigits: pad ? 2 : 1 });
    unitFormats.set(key, nf);
  }
  return nf.format(n);
}

/** A span as two units in the language's own abbreviations: "2h 05m", "59m 04s", "1d 3h"; "2 時間 05 分", "2小时05分钟". */
export function spanText(ms: number, lang: string): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const parts =
    d > 0
      ? [unit(d, 'day', lang), unit(h, 'hour', lang)]
      : h > 0
        ? [unit(h, 'hour', lang), unit(m, 'minute', lang, true)]
        : [unit(m, 'minute', lang), unit(s, 'second', lang, true)];
  return parts.join(lang === 'zh' ? '' : ' ');
}

/** "2h 05m left" / "13m overdue", in the reader's language. */
export function countdown(dueIso: string | null, now: number, { t, f, lang }: I18n): { text: string; overdue: boolean } {
  if (!dueIso) return { text: '—', overdue: false };
  const ms = new Date(dueIso).getTime() - now;
  const time = spanText(ms, lang);
  return ms >= 0 ? { text: f(t.timeLeft, { time }), overdue: false } : { text: f(t.timeOverdue, { time }), overdue: true };
}

/** A measured duration for reports: "42 s", "13 min", "2.5 h" in the language's units and digits. */
export const durationMs = (ms: number | null, lang = 'en'): string => {
  if (ms === null) return '—';
  const short = (n: number, u: 'second' | 'minute' | 'hour', digits = 0) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits }).format(n);
  if (ms < 60_000) return short(Math.round(ms / 1000), 'second');
  const min = ms / 60_000;
  return min < 90 ? short(Math.round(min), 'minute') : short(min / 60, 'hour', 1);
};

/** The API's target label ("30 minutes", "8 business hours", "1 business day", "best effort") in words. */
export function targetText(label: string | null | undefined, { t, f }: I18n): string {
  if (!label) return '';
  if (label === 'best effort') return t.slaStates.best_effort;
  if (label === 'not available') return t.slaStates.not_available;
  const m = /^(\d+) (business )?(minute|hour|day)s?$/.exec(label);
  if (!m) return label;
  const n = Number(m[1]);
  if (m[3] === 'day') return f(t.targetBusinessDays, { n });
  if (m[2]) return f(m[3] === 'hour' ? t.targetBusinessHours : t.targetBusinessMinutes, { n });
  return f(m[3] === 'hour' ? t.targetHours : t.targetMinutes, { n });
}

/** A word of a catalog's table, or the API's value with underscores as spaces when the table lacks it. */
export const word = (table: Record<string, string>, value: string): string => table[value] ?? humanize(value);

export const humanize = (s: string): string => s.replace(/_/g, ' ');
