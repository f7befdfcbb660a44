/**
 * Customer mail, in the reader's language: one composer per customer notice kind (contract/notices.ts), so a
 * kind without its text fails to compile. Instants are written in the organisation's zone; links lead to the
 * console (the configured public URL). Mail about a closed case never invites a reply by mail (such replies
 * are refused): it says how to open a related case in the portal instead.
 */
import type { CustomerNoticeKind, NoticeKind, NoticePayloads } from '../../contract/notices';
import type { CaseFacts, InfoRequestFacts } from './case-facts';
import type { MessageKey } from './catalogs';
import { render, type Block, type Rendered } from './layout';
import { formatInstant, localeOf, translate, type Values } from './translate';

export interface CustomerMailInput {
  kind: string;
  payload: Record<string, unknown>;
  facts: CaseFacts;
  reader: { name: string; language: string };
  /** The contact round's question and closing instant (info_request, contact_attempt). */
  info: InfoRequestFacts | null;
  /** The console's public URL, for links (no trailing slash). */
  consoleUrl: string;
}

export interface ComposedMail extends Rendered {
  subject: string;
}

interface Compose {
  t: (key: MessageKey, values?: Values) => string;
  when: (iso: unknown) => string;
  payload: Record<string, unknown>;
  input: CustomerMailInput;
}

/** A composer gives the subject and the body; the greeting, the reply hint and the sign-off are the layout's. */
interface Composed {
  subject: string;
  body: Block[];
  /** The case is closed: no "reply to this email", a link to open a related case instead. */
  closed?: boolean;
}

const HOUR = 3_600_000;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const STAFF = new Set(['engineer', 'manager', 'admin', 'system']);

const COMPOSERS: { readonly [K in CustomerNoticeKind]: (c: Compose) => Composed } = {
  case_received: ({ t, when, payload, input }) => {
    const body: Block[] = [{ p: t('received.body') }];
    const fr = (payload.firstResponse ?? {}) as NoticePayloads['case_received']['firstResponse'];
    const target = fr.target as { kind: string; ms?: number; days?: number } | null;
    if (fr.kind === 'due' && fr.dueAt && target) {
      const lang = input.reader.language;
      const targetText = targetPhrase(target, t);
      // The weekday is an ICU select, so each language puts it in the grammatical case its sentence needs.
      const { weekday, date } = deadlineParts(fr.dueAt, lang, input.facts.zone);
      body.push({ p: t('received.due', { dueWeekday: weekday, dueDate: date, target: targetText }) });
      if (fr.facts) body.push(...explanation(fr.facts, targetText, t, when, lang));
    } else body.push({ p: t('received.noDue', { kind: fr.kind ?? 'no_target' }) });
    return { subject: t('received.subject'), body };
  },
  engineer_response: ({ t, payload }) => ({
    subject: t('response.subject'),
    body: [{ p: t('response.body', { first: payload.first === true ? 'yes' : 'no' }) }, { quote: str(payload.message) }],
  }),
  info_request: ({ t, when, payload, input: { info } }) => {
    const body: Block[] = [{ p: t('infoRequest.body') }, { quote: str(payload.message) || info?.message || '' }];
    if (info?.closesAt) body.push({ p: t('infoRequest.schedule', { of: info.attempts, closesAt: when(info.closesAt) }) });
    return { subject: t('infoRequest.subject'), body };
  },
  contact_attempt: ({ t, when, payload, input: { info } }) => {
    const attempt = num(payload.attempt, 1);
    const of = num(payload.of, 3);
    const body: Block[] = [{ p: t('attempt.body', { attempt, of }) }];
    if (info?.message) body.push({ quote: info.message });
    body.push({ p: t('attempt.remaining', { remaining: Math.max(0, of - attempt) }) });
    if (info?.closesAt) body.push({ p: t('attempt.closes', { closesAt: when(info.closesAt) }) });
    return { subject: t('attempt.subject', { attempt, of }), body };
  },
  case_resolved: ({ t, when, payload }) => ({
    subject: t('resolved.subject'),
    body: [
      { p: t('resolved.body') },
      { quote: str(payload.summary) },
      { p: t('resolved.confirm', { autoCloseAt: when(payload.autoCloseAt) }) },
    ],
  }),
  closed_no_customer_response: ({ t, input: { facts } }) => {
    const made = facts.view.contactAttempts.filter((a) => a.status === 'made');
    const lastRound = Math.max(0, ...made.map((a) => a.round));
    const attempts = made.filter((a) => a.round === lastRound).length || 3;
    return { subject: t('closed.subject'), body: [{ p: t('closed.body', { reason: 'no_customer_response', attempts }) }], closed: true };
  },
  case_closed: ({ t, payload }) => {
    // Who closed it decides the sentence: "at your request" only when the customer side asked.
    const by = (payload.closedBy ?? null) as { role?: string } | null;
    const reason = str(payload.reason) === 'customer_request' && by && STAFF.has(String(by.role)) ? 'support' : str(payload.reason);
    return { subject: t('closed.subject'), body: [{ p: t('closed.body', { reason, attempts: 0 }) }], closed: true };
  },
  rca_delivered: ({ t, payload }) => ({ subject: t('rca.subject'), body: [{ p: t('rca.body') }, { quote: str(payload.summary) }] }),
  manager_request_ack: ({ t, when, payload }) => ({
    subject: t('managerAck.subject'),
    body: [{ p: t('managerAck.body', { ackDueAt: when(payload.ackDueAt) }) }],
  }),
};

/** The customer composer of an outbox row: a level-1 manager escalation reaches the customer as its acknowledgement. */
export function customerKindOf(kind: string): CustomerNoticeKind | null {
  if (kind === 'manager_escalation') return 'manager_request_ack';
  return kind in COMPOSERS ? (kind as CustomerNoticeKind) : null;
}

/** Null for a kind that has no customer text (a staff notice). */
export function composeCustomerMail(input: CustomerMailInput): ComposedMail | null {
  const kind = customerKindOf(input.kind as NoticeKind);
  if (!kind) return null;
  const { facts, reader } = input;
  const lang = reader.language;
  const base: Values = { ref: `#${facts.number}`, title: facts.title };
  const t = (key: MessageKey, values: Values = {}) => translate(lang, key, { ...base, ...values });
  const when = (iso: unknown) => (typeof iso === 'string' && iso ? formatInstant(iso, lang, facts.zone) : '—');
  const { subject, body, closed } = COMPOSERS[kind]({ t, when, payload: input.payload, input });
  const caseLink = `${input.consoleUrl}/cases/${facts.number}`;
  const blocks: Block[] = [
    { p: translate(lang, 'greeting', { name: reader.name }) },
    ...body,
    ...(closed
      ? [
          { p: t('closed.related') },
          { link: { href: `${input.consoleUrl}/portal/new?related=${facts.caseId}`, text: t('closed.openRelated') } },
        ]
      : [{ p: t('replyHint') }, { link: { href: caseLink, text: t('caseLink') } }]),
    { p: `${translate(lang, 'signoff')}\n${translate(lang, 'team')}` },
  ];
  return { subject, ...render(blocks, { lang: localeOf(lang), title: subject }) };
}

/** How the deadline was computed, in the reader's language, from the notice's structured facts. */
function explanation(
  f: NonNullable<NoticePayloads['case_received']['firstResponse']['facts']>,
  target: string,
  t: Compose['t'],
  when: Compose['when'],
  lang: string,
): Block[] {
  if (f.counting === 'wall') return [{ p: t('explain.wall', { target, openedAt: when(f.openedAt), zone: f.zone }) }];
  const out: Block[] = [
    { p: t('explain.business', { target, hours: weeklyHours(f.windows, lang), zone: f.zone, startsAt: when(f.startsAt) }) },
  ];
  if (f.closedDays.length > 0) out.push({ p: t('explain.closedDays', { days: f.closedDays.map((d) => localDate(d, lang)).join(', ') }) });
  return out;
}

/** ISO weekday (1 = Monday) and the date and time without the weekday, in the reader's language and the case's zone. */
function deadlineParts(iso: string, lang: string, zone: string): { weekday: number; date: string } {
  const at = new Date(iso);
  const short = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: zone }).format(at);
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(short) + 1;
  return { weekday, date: formatInstant(at, lang, zone, { weekday: false }) };
}

/** "Mo.–Fr. 08:00–20:00" in the reader's language: consecutive days with the same hours are one range. */
function weeklyHours(windows: ReadonlyArray<{ day: number; open: string; close: string }>, lang: string): string {
  // 1 January 2024 was a Monday: day n of the week is 2024-01-0n.
  const dayName = (d: number) =>
    new Intl.DateTimeFormat(localeOf(lang), { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, d));
  const sorted = [...windows].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open));
  const groups: Array<{ from: number; to: number; open: string; close: string }> = [];
  for (const w of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.to === w.day - 1 && last.open === w.open && last.close === w.close) last.to = w.day;
    else groups.push({ from: w.day, to: w.day, open: w.open, close: w.close });
  }
  return groups.map((g) => `${dayName(g.from)}${g.to > g.from ? `–${dayName(g.to)}` : ''} ${g.open}–${g.close}`).join(', ');
}

/** A local date (YYYY-MM-DD) written in the reader's language. */
function localDate(day: string, lang: string): string {
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

function targetPhrase(target: { kind: string; ms?: number; days?: number }, t: Compose['t']): string {
  if (target.kind === 'business_days') return t('received.target', { unit: 'day', amount: target.days ?? 1, clock: 'business' });
  const ms = target.ms ?? 0;
  const clock = target.kind === 'wall' ? 'wall' : 'business';
  if (ms % HOUR === 0) return t('received.target', { unit: 'hour', amount: ms / HOUR, clock });
  return t('received.target', { unit: 'minute', amount: Math.round(ms / 60_000), clock });
}
