/**
 * The console's catalogs (console/src/i18n/*.ts), checked like the mail catalogs: the policy's nine
 * languages, every English key in each (nested tables too), no empty text, every ICU message parses with
 * exactly the English message's placeholders and an `other` in every plural, and no English left in a
 * non-English catalog except for names and words the languages share (listed here, each one looked at).
 * Plurals and units follow each language's rules.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { AUDIT_EVENT_TYPES } from '../../contract/audit-events';
import { NOTICE_KINDS } from '../../contract/notices';
import { REFUSAL_CODES } from '../../contract/refusals';
import { ROLES } from '../../contract/roles';
import { countdown, targetText } from '../../console/src/format';
import { CATALOGS, i18nFor, LANGUAGES } from '../../console/src/i18n';
import { en } from '../../console/src/i18n/en';

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

const ast = (message: string, lang: string) => new IntlMessageFormat(message, lang).getAst() as unknown as Element[];

/** Every text of a catalog by its dotted key ("statuses.opened", "problemTitles.404"). */
function flatten(catalog: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(catalog)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

/**
 * Keys whose text may be the English one in another language: product and program names, abbreviations
 * (SLA, API, P1-P4 levels) and international words (Version, Status, Build, Hotfix, Webhook, Portal).
 */
const SHARED_WORDS = new Set([
  // Names and abbreviations
  'sla',
  'viaLabels.api',
  'programs.premier',
  'programs.production',
  'programs.basic',
  'programs.evaluation', // de: "Evaluation"
  'programs.free',
  'programs.vcsp_production',
  'liveOn', // de: "● live"
  // Words several languages share with English
  'organisation', // de, fr
  'status', // de
  'version', // de, fr
  'fields.version',
  'build', // de, fr, it
  'fields.build',
  'fileName', // de: "Name"
  'navPortal', // de, es, pt
  'navPolicy', // it: "Policy", as the mail catalog says it
  'channels.webhook',
  'viaLabels.console', // fr, it, pt
  'via', // fr, pt
  'type', // fr
  'fields.type',
  'fileType',
  'description', // fr
  'fields.description',
  'message', // fr
  'fields.message',
  'eventFields.message',
  'note', // fr
  'fields.note',
  'eventFields.note',
  'actions', // fr
  'contacts', // fr
  'targetMinutes', // fr: "# minute(s)"
  'resolutionTypes.documentation', // fr
  'resolutionTypes.hotfix', // it
  'accountManager', // it
  'no', // es, it
  'error', // es
]);

const english = flatten(en);

test('the policy’s nine languages have a console catalog', () => {
  expect([...LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'ja', 'pt', 'ru', 'zh']);
});

test('the English catalog names every refusal code, event type, notice kind and role of the contract', () => {
  expect(Object.keys(en.refusals).sort()).toEqual([...REFUSAL_CODES].sort());
  expect(Object.keys(en.events).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  expect(Object.keys(en.noticeKinds).sort()).toEqual([...NOTICE_KINDS].sort());
  expect(Object.keys(en.roles).sort()).toEqual([...ROLES].sort());
});

describe.each(LANGUAGES)('catalog %s', (lang) => {
  const catalog = flatten(CATALOGS[lang]);

  test('has exactly the English keys, none empty', () => {
    expect([...catalog.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of catalog) expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
  });

  test('every message parses with the English placeholders and an `other` in every plural', () => {
    for (const [key, text] of catalog) {
      const reference = placeholders(ast(english.get(key)!, 'en'));
      const translated = placeholders(ast(text, lang));
      expect({ key, placeholders: Object.fromEntries(translated) }).toEqual({ key, placeholders: Object.fromEntries(reference) });
      for (const p of plurals(ast(text, lang))) expect(Object.keys(p.options!)).toContain('other');
    }
  });

  if (lang !== 'en')
    test('has no English left but shared names and words', () => {
      const untranslated = [...catalog].filter(([key, text]) => text === english.get(key) && !SHARED_WORDS.has(key)).map(([k]) => k);
      expect(untranslated).toEqual([]);
    });
});

test('plurals, units and overdue follow each language', () => {
  const en_ = i18nFor('en');
  const ru = i18nFor('ru');
  const ja = i18nFor('ja');
  const de = i18nFor('de-AT');
  expect(en_.f(en_.t.queueTotal, { count: 1, page: 1, pages: 1 })).toBe('1 open case · page 1 of 1');
  expect(en_.f(en_.t.queueTotal, { count: 10_000, page: 1, pages: 200 })).toBe('10,000 open cases · page 1 of 200');
  expect([1, 3, 5, 21].map((count) => ru.f(ru.t.queueTotal, { count, page: 1, pages: 1 }).split(' · ')[0])).toEqual([
    '1 открытое обращение',
    '3 открытых обращения',
    '5 открытых обращений',
    '21 открытое обращение',
  ]);
  expect(de.lang).toBe('de');
  expect(de.f(de.t.queueTotal, { count: 2, page: 1, pages: 3 })).toBe('2 offene Fälle · Seite 1 von 3');
  const now = Date.parse('2026-12-04T10:00:00Z');
  const due = (min: number, s = 0) => new Date(now + min * 60_000 + s * 1000).toISOString();
  expect(countdown(due(59, 4), now, en_)).toEqual({ text: '59m 04s left', overdue: false });
  expect(countdown(due(-30), now, en_)).toEqual({ text: '30m 00s overdue', overdue: true });
  expect(countdown(due(-30), now, de).text).toMatch(/^30 Min\. 00 Sek\. überfällig$/);
  expect(countdown(due(-125), now, ja).text).toMatch(/^2.*05.* 超過$/);
  expect(targetText('30 minutes', de)).toBe('30 Minuten');
  expect(targetText('1 business day', ru)).toBe('1 рабочий день');
  expect(targetText('8 business hours', ja)).toBe('営業時間内で8時間');
  // A refusal code with its values, as the API sends them.
  expect(ru.f(ru.t.refusals['level-unchanged'], { level: 2 })).toBe('У обращения уже уровень 2.');
  // Unknown languages fall back to English.
  expect(i18nFor('nl').lang).toBe('en');
});
