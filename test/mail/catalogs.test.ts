/**
 * The customer catalogs: all nine languages have every key, each message has exactly the English
 * message's placeholders (plural and select arguments included, read from the parsed ICU AST), every
 * plural has an `other` branch, nothing is an untranslated English copy, and every message formats.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS, LANGUAGES } from '../../activities/mail/catalogs';
import { en } from '../../activities/mail/catalogs/en';
import { formatInstant, localeOf, translate } from '../../activities/mail/translate';

type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };
// @formatjs/icu-messageformat-parser TYPE: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 8 tag.
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6, 8]);

function placeholders(elements: Element[], out = new Map<string, number>()): Map<string, number> {
  for (const el of elements) {
    if (ARGUMENT_TYPES.has(el.type) && typeof el.value === 'string') out.set(el.value, el.type);
    for (const option of Object.values(el.options ?? {})) placeholders(option.value, out);
    if (el.children) placeholders(el.children, out);
  }
  return out;
}

function plurals(elements: Element[], out: Element[] = []): Element[] {
  for (const el of elements) {
    if (el.type === 6) out.push(el);
    for (const option of Object.values(el.options ?? {})) plurals(option.value, out);
  }
  return out;
}

const ast = (message: string, lang: string) => new IntlMessageFormat(message, localeOf(lang)).getAst() as unknown as Element[];

test('the policy’s nine languages have a catalog', () => {
  expect([...LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'ja', 'pt', 'ru', 'zh']);
});

describe.each(LANGUAGES.filter((l) => l !== 'en'))('catalog %s', (lang) => {
  const catalog = CATALOGS[lang]!;

  test('has exactly the English keys', () => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
  });

  test.each(Object.keys(en))('%s has the same placeholders, an `other` in every plural, and is translated', (key) => {
    const k = key as keyof typeof en;
    const reference = placeholders(ast(en[k], 'en'));
    const translated = placeholders(ast(catalog[k], lang));
    expect(Object.fromEntries(translated)).toEqual(Object.fromEntries(reference));
    for (const p of plurals(ast(catalog[k], lang))) expect(Object.keys(p.options!)).toContain('other');
    expect(catalog[k]).not.toEqual(en[k]);
  });
});

test('plurals follow each language’s rules and instants are written in the reader’s zone', () => {
  expect(translate('ru', 'attempt.remaining', { remaining: 2 })).toBe('Мы попробуем ещё 2 раза, по одному разу в рабочий день.');
  expect(translate('ru', 'received.target', { unit: 'hour', amount: 5, clock: 'wall' })).toBe('5 часов круглосуточно');
  expect(translate('de', 'attempt.remaining', { remaining: 0 })).toBe('Dies ist unser letzter Versuch.');
  expect(translate('de', 'attempt.subject', { ref: '#7', attempt: 2, of: 3 })).toBe(
    'Fall #7: Wir warten auf Ihre Antwort (Versuch 2 von 3)',
  );
  expect(translate('ja', 'attempt.remaining', { remaining: 1 })).toBe('あと1回、1営業日に1回ずつご連絡いたします。');
  // An unknown language falls back to English.
  expect(translate('nl', 'attempt.remaining', { remaining: 1 })).toBe('We will try once more on the next business day.');
  expect(formatInstant('2026-12-28T09:00:00Z', 'de', 'Europe/Berlin')).toBe('Montag, 28. Dezember 2026 um 10:00 MEZ');
  expect(formatInstant('2026-12-28T09:00:00Z', 'ja', 'Asia/Tokyo')).toMatch(/2026年12月28日月曜日 18:00/);
});
