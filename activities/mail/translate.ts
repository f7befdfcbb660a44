/**
 * Customer text through ICU MessageFormat (FormatJS intl-messageformat): plurals and selects per language,
 * instants formatted with Intl in the customer's IANA zone. Unknown languages fall back to English.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS, type MessageKey } from './catalogs';

/** Intl locale per catalog language (Chinese: Mandarin in simplified script, as the policy offers it). */
const LOCALES: Record<string, string> = { zh: 'zh-CN', pt: 'pt-BR' };

export const localeOf = (language: string): string => LOCALES[language] ?? language;
export const catalogLanguage = (language: string): string => (CATALOGS[language] ? language : 'en');

const compiled = new Map<string, IntlMessageFormat>();

export type Values = Record<string, string | number>;

export function translate(language: string, key: MessageKey, values: Values = {}): string {
  const lang = catalogLanguage(language);
  const id = `${lang}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(CATALOGS[lang]![key], localeOf(lang));
    compiled.set(id, format);
  }
  return String(format.format(values));
}

/**
 * "Montag, 28. Dezember 2026 um 10:00 MEZ": weekday, date, time and zone, in the reader's language and zone.
 * Without the weekday when a sentence names it itself (an ICU select puts it in the case the sentence needs).
 */
export function formatInstant(iso: string | number | Date, language: string, zone: string, opts: { weekday?: boolean } = {}): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  return new Intl.DateTimeFormat(localeOf(catalogLanguage(language)), {
    ...(opts.weekday === false ? {} : { weekday: 'long' }),
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(date);
}
