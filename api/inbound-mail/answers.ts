/**
 * Answers to inbound mail the case did not take. Only a verified customer is ever answered (a valid reply
 * address and a sender on the customer side of its case): a closed case says how to open a related one, a
 * reply the case refused says to answer in the portal. Everything else (forged or unknown addresses,
 * strangers, automatic mail) gets no mail from us: over SMTP it is refused in the dialogue, so the sending
 * server reports it to its own user, and nothing we send can be backscatter to a forged sender.
 *
 * Answers are plain text in the case's language (the customer mail catalogs), sent from the null sender
 * (`MAIL FROM:<>`) with `Auto-Submitted: auto-replied`, so an auto-responder on the other side neither
 * answers back nor bounces it to us. They never quote what the sender wrote.
 */
import { translate } from '../../activities/mail/translate';
import type { MailTransport } from '../../activities/mail/transport';
import type { InboundMessage } from './message';

export type RefusalReason =
  | 'no_reply_address'
  | 'bad_token'
  | 'unknown_case'
  | 'no_sender'
  | 'unknown_sender'
  | 'sender_mismatch'
  | 'case_closed'
  | 'rejected_by_case';

/** The refusals a verified customer is answered for; every other refusal is answered by nobody. */
export const ANSWERED_REASONS: readonly RefusalReason[] = ['case_closed', 'rejected_by_case'];

export interface AnsweredCase {
  id: string;
  number: number;
  title: string;
  language: string;
}

/** Why, in one sentence, for logs and the HTTP gateway's problem (never mailed, never in the SMTP dialogue). */
export function refusalText(reason: RefusalReason, detail?: string): string {
  switch (reason) {
    case 'no_reply_address':
      return 'none of the recipients is the reply address of a support case';
    case 'bad_token':
      return 'the reply address is not one we issued: its security token does not match';
    case 'unknown_case':
      return 'the reply address names a case that does not exist here';
    case 'no_sender':
      return 'the message has no sender address';
    case 'unknown_sender':
      return 'the sender is not on the customer side of this case';
    case 'sender_mismatch':
      return 'the envelope sender differs from From and is not on the customer side of this case';
    case 'case_closed':
      return 'the case is closed and takes no more replies';
    case 'rejected_by_case':
      return `the case did not accept the reply: ${detail ?? 'no reason given'}`;
  }
}

export interface Answer {
  to: string;
  subject: string;
  text: string;
}

/** The answer to a verified customer, in the case's language. */
export function customerAnswer(m: InboundMessage, reason: 'case_closed' | 'rejected_by_case', c: AnsweredCase): Answer {
  const values = { ref: `#${c.number}`, title: c.title };
  const lines =
    reason === 'case_closed'
      ? [translate(c.language, 'inboundClosed.body', values), '', translate(c.language, 'closed.related', values)]
      : [translate(c.language, 'inboundRejected.body', values)];
  return {
    to: m.answerTo!,
    subject: translate(c.language, reason === 'case_closed' ? 'inboundClosed.subject' : 'inboundRejected.subject', values),
    text: [
      ...lines,
      '',
      translate(c.language, 'signoff'),
      translate(c.language, 'team'),
      '',
      translate(c.language, 'inbound.automatic'),
    ].join('\n'),
  };
}

/** Why an answer is not sent, or null when it may be. */
export function answerSuppressed(m: InboundMessage, ourDomains: string[], transport: MailTransport | null): string | null {
  if (m.automatic) return 'automatic_mail';
  if (!m.answerTo) return 'no_return_address';
  const domain = m.answerTo.slice(m.answerTo.lastIndexOf('@') + 1);
  if (ourDomains.includes(domain)) return 'own_address';
  if (!transport) return 'no_smtp';
  return null;
}

/** Sends the answer; returns what to record: `sent`, or `failed:<error>` (the mail itself is recorded either way). */
export async function sendAnswer(transport: MailTransport, m: InboundMessage, answer: Answer): Promise<string> {
  try {
    await transport.send({
      from: transport.from,
      to: answer.to,
      subject: answer.subject,
      text: answer.text,
      inReplyTo: m.messageId ? `<${m.messageId}>` : undefined,
      references: m.messageId ? [`<${m.messageId}>`] : undefined,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      // The null sender: a failed answer must not come back to us as another bounce.
      envelope: { from: false as unknown as string, to: [answer.to] },
    });
    return 'sent';
  } catch (err) {
    return `failed:${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
  }
}
