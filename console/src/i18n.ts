/**
 * The console's languages: the policy's nine (one catalog each under i18n/, typed by the English one).
 * Customers read the portal and their cases in the case's or organisation's language; staff pick the
 * console's language in the header (remembered in localStorage; first visit: the browser's language when
 * it is one of the nine, else English). ICU messages (plurals, selects) format through intl-messageformat.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useContext } from 'react';
import { de } from './i18n/de';
import { en, type Messages } from './i18n/en';
import { es } from './i18n/es';
import { fr } from './i18n/fr';
import { it } from './i18n/it';
import { ja } from './i18n/ja';
import { pt } from './i18n/pt';
import { ru } from './i18n/ru';
import { zh } from './i18n/zh';

export type { Messages } from './i18n/en';

export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'ru', 'pt', 'ja', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATALOGS: Record<Language, Messages> = { en, de, fr, es, it, ru, pt, ja, zh };

export const isLanguage = (l: string | null | undefined): l is Language => !!l && (LANGUAGES as readonly string[]).includes(l);

/** "de-AT" -> "de"; anything else of the nine as is; otherwise English. */
export const supportedLanguage = (language: string | null | undefined): Language => {
  const base = language?.toLowerCase().split('-')[0];
  return isLanguage(base) ? base : 'en';
};
export const messagesFor = (language: string | null | undefined): Messages => CATALOGS[supportedLanguage(language)];

const formats = new Map<string, IntlMessageFormat>();
/** Formats an ICU message of a catalog in `lang` (cached: the same few messages render every second). */
export function formatMessage(lang: Language, message: string, values?: Record<string, string | number>): string {
  const key = `${lang}\u0000${message}`;
  let format = formats.get(key);
  if (!format) {
    format = new IntlMessageFormat(message, lang);
    formats.set(key, format);
  }
  return String(format.format(values));
}

export interface I18n {
  lang: Language;
  t: Messages;
  /** An ICU message of `t` with its values, e.g. f(t.queueTotal, { count, page, pages }). */
  f: (message: string, values?: Record<string, string | number>) => string;
}

export const i18nFor = (language: string | null | undefined): I18n => {
  const lang = supportedLanguage(language);
  return { lang, t: CATALOGS[lang], f: (message, values) => formatMessage(lang, message, values) };
};

export const I18nContext = createContext<I18n>(i18nFor('en'));
export const useI18n = () => useContext(I18nContext);

/** A language's name in `inLanguage` ("Deutsch" in its own, "ドイツ語" for a Japanese reader); the selector uses own names. */
export const languageName = (lang: string, inLanguage: string = lang): string => {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: 'language' }).of(lang) ?? lang;
    return name.charAt(0).toLocaleUpperCase(inLanguage) + name.slice(1);
  } catch {
    return lang;
  }
};

/** A case's level in words: "Severity 2" / "Schweregrad 2"; plan priorities stay P1-P4. */
export function levelLabel(label: string, { t, f }: Pick<I18n, 't' | 'f'>): string {
  const severity = /^Severity (\d)$/.exec(label);
  if (severity) return f(t.levelName, { scheme: 'severity', level: severity[1]! });
  return label;
}
