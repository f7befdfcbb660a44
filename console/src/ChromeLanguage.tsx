/**
 * The console's own language (its chrome): what staff chose in the header (remembered in localStorage),
 * first visit the browser's language when it is one of the nine, else English. Customers' pages switch to
 * the case's or organisation's language inside (CasePage, PortalView, OpenCaseForm), and their header
 * follows their organisation's. `<html lang>` is what the page shows (useDocumentLanguage).
 */
import { createContext, useContext, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { I18nContext, i18nFor, isLanguage, LANGUAGES, languageName, useI18n, type Language } from './i18n';

const STORAGE_KEY = 'caseflow.language';

/** The staff chrome's language: the stored choice, else the browser's when supported, else English. */
function initialChromeLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage blocked: the browser's language below
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function rememberChromeLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts this page only
  }
}

const ChooseContext = createContext<(lang: Language) => void>(() => undefined);

export function ChromeLanguageProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Language>(initialChromeLanguage);
  const i18n = useMemo(() => i18nFor(lang), [lang]);
  const choose = (next: Language) => {
    rememberChromeLanguage(next);
    setLang(next);
  };
  return (
    <ChooseContext.Provider value={choose}>
      <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>
    </ChooseContext.Provider>
  );
}

/** The header's language selector: each language in its own name. */
export function LanguagePicker() {
  const id = useId();
  const { t, lang } = useI18n();
  const choose = useContext(ChooseContext);
  return (
    <span className="language-picker">
      <label htmlFor={id} className="sr-only">
        {t.chromeLanguage}
      </label>
      <select id={id} value={lang} onChange={(e) => choose(e.target.value as Language)} data-testid="chrome-language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageName(l)}
          </option>
        ))}
      </select>
    </span>
  );
}

/** `<html lang>` for what the page shows (the chrome's language, or a customer's organisation's). */
export function useDocumentLanguage(lang: string): void {
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
}
