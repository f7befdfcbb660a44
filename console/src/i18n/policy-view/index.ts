/**
 * The policy view's text in the reader's language: the language of the I18nContext the view sits in (the
 * chrome's on the policy view, the case's on a case page), English where that is none of the nine.
 */
import { useI18n } from '../../i18n';
import { policyDe } from './de';
import { policyEn, type PolicyMessages } from './en';
import { policyEs } from './es';
import { policyFr } from './fr';
import { policyIt } from './it';
import { policyJa } from './ja';
import { policyPt } from './pt';
import { policyRu } from './ru';
import { policyZh } from './zh';

export type { PolicyMessages } from './en';

const POLICY_TEXT: Record<string, PolicyMessages> = {
  en: policyEn,
  de: policyDe,
  fr: policyFr,
  es: policyEs,
  it: policyIt,
  ru: policyRu,
  pt: policyPt,
  ja: policyJa,
  zh: policyZh,
};

export function usePolicyText(): { t: PolicyMessages; lang: string } {
  const { lang } = useI18n();
  return { t: POLICY_TEXT[lang] ?? policyEn, lang: POLICY_TEXT[lang] ? lang : 'en' };
}

/** `{name}` placeholders filled in. */
export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, k: string) => (k in values ? String(values[k]) : whole));

/** A word of one of the text's tables, or the API's value when the table lacks it. */
export const wordOf = (table: Record<string, string>, key: string): string => table[key] ?? key.replace(/_/g, ' ');
