/**
 * Customer mail, in the reader's language: case received (with the first-response due time and how it
 * was computed), information requested, each contact attempt ("attempt 2 of 3" and when the case closes),
 * resolution proposed, case closed (reason, how to open a related case), RCA delivered, manager request
 * received. Instants are written in the organisation's zone.
 */
import type { CaseFacts, InfoRequestFacts } from './case-facts';
import type { MessageKey } from './catalogs';
import { render, type Block, type Rendered } from './layout';
import { formatInstant, translate, type Values } from './translate';

export interface CustomerMailInput {
  kind: string;
  payload: Record<string, unknown>;
  facts: CaseFacts;
  reader: { name: string; language: string };
  /** The contact round's question and closing instant (info_request, contact_attempt). */
  info: InfoRequestFacts | null;
}

export interface ComposedMail extends Rendered {
  subject: string;
}

const HOUR = 3_600_000;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Null for a kind that has no customer text. */
export function composeCustomerMail({ kind, payload, facts, reader, info }: CustomerMailInput): ComposedMail | null {
  const lang = reader.language;
  const ref = `#${facts.number}`;
  const base: Values = { ref, title: facts.title };
  const t = (key: MessageKey, values: Values = {}) => translate(lang, key, { ...base, ...values });
  const when = (iso: unknown) => (typeof iso === 'string' && iso ? formatInstant(iso, lang, facts.zone) : '—');
  let subject: string;
  const body: Block[] = [];

  switch (kind) {
    case 'case_received': {
      subject = t('received.subject');
      body.push({ p: t('received.body') });
      const fr = (payload.firstResponse ?? {}) as {
        kind?: string;
        dueAt?: string | null;
        target?: { kind: string; ms?: number; days?: number };
        explanation?: string;
      };
      if (fr.kind === 'due' && fr.dueAt && fr.target)
        body.push({ p: t('received.due', { dueAt: when(fr.dueAt), target: targetText(lang, fr.target, base) }) });
      else body.push({ p: t('received.noDue', { kind: fr.kind ?? 'no_target' }) });
      if (fr.explanation) body.push({ p: t('received.explanation', { explanation: fr.explanation }) });
      break;
    }
    case 'info_request': {
      subject = t('infoRequest.subject');
      body.push({ p: t('infoRequest.body') }, { quote: str(payload.message) || info?.message || '' });
      if (info?.closesAt) body.push({ p: t('infoRequest.schedule', { of: info.attempts, closesAt: when(info.closesAt) }) });
      break;
    }
    case 'contact_attempt': {
      const attempt = num(payload.attempt, 1);
      const of = num(payload.of, 3);
      subject = t('attempt.subject', { attempt, of });
      body.push({ p: t('attempt.body', { attempt, of }) });
      if (info?.message) body.push({ quote: info.message });
      body.push({ p: t('attempt.remaining', { remaining: Math.max(0, of - attempt) }) });
      if (info?.closesAt) body.push({ p: t('attempt.closes', { closesAt: when(info.closesAt) }) });
      break;
    }
    case 'case_resolved': {
      subject = t('resolved.subject');
      body.push(
        { p: t('resolved.body') },
        { quote: str(payload.summary) },
        { p: t('resolved.confirm', { autoCloseAt: when(payload.autoCloseAt) }) },
      );
      break;
    }
    case 'closed_no_customer_response': {
      const made = facts.view.contactAttempts.filter((a) => a.status === 'made');
      const lastRound = Math.max(0, ...made.map((a) => a.round));
      const attempts = made.filter((a) => a.round === lastRound).length || 3;
      subject = t('closed.subject');
      body.push({ p: t('closed.body', { reason: 'no_customer_response', attempts }) }, { p: t('closed.related') });
      break;
    }
    case 'case_closed': {
      subject = t('closed.subject');
      body.push({ p: t('closed.body', { reason: str(payload.reason), attempts: 0 }) }, { p: t('closed.related') });
      break;
    }
    case 'rca_delivered': {
      subject = t('rca.subject');
      body.push({ p: t('rca.body') }, { quote: str(payload.summary) });
      break;
    }
    case 'manager_escalation': {
      subject = t('managerAck.subject');
      body.push({ p: t('managerAck.body', { ackDueAt: when(payload.ackDueAt) }) });
      break;
    }
    default:
      return null;
  }
  const blocks: Block[] = [
    { p: translate(lang, 'greeting', { name: reader.name }) },
    ...body,
    { p: t('replyHint') },
    { p: `${translate(lang, 'signoff')}\n${translate(lang, 'team')}` },
  ];
  return { subject, ...render(blocks) };
}

function targetText(lang: string, target: { kind: string; ms?: number; days?: number }, base: Values): string {
  if (target.kind === 'business_days')
    return translate(lang, 'received.target', { ...base, unit: 'day', amount: target.days ?? 1, clock: 'business' });
  const ms = target.ms ?? 0;
  const clock = target.kind === 'wall' ? 'wall' : 'business';
  if (ms % HOUR === 0) return translate(lang, 'received.target', { ...base, unit: 'hour', amount: ms / HOUR, clock });
  return translate(lang, 'received.target', { ...base, unit: 'minute', amount: Math.round(ms / 60_000), clock });
}
