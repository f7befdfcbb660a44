/**
 * Answers to inbound mail the case did not take: a DSN-like bounce saying why, or, for a closed case, how to
 * open a related one. Plain text, sent from the null sender (`MAIL FROM:<>`) with `Auto-Submitted:
 * auto-replied`, so an auto-responder on the other side neither answers back nor bounces it to us. Never
 * sent to automatic mail, to the null sender, or to our own addresses (no mail loops).
 */
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

export interface ClosedCase {
  id: string;
  number: number;
  title: string;
  closeReason: string | null;
}

/** Why, in one sentence the sender can act on. */
export function refusalText(reason: RefusalReason, m: InboundMessage, detail?: string): string {
  switch (reason) {
    case 'no_reply_address':
      return 'None of the recipients is the reply address of a support case.';
    case 'bad_token':
      return 'The reply address is not one we issued: its security token does not match the case it names. Reply to the latest email about your case, or use the support portal.';
    case 'unknown_case':
      return 'The reply address names a case that does not exist here.';
    case 'no_sender':
      return 'The message has no sender address.';
    case 'unknown_sender':
      return `${m.from} is not allowed to reply to this case: only the case administrators and license administrators of the customer organisation, and its linked support partners, may. Ask one of them to reply, or ask an administrator to register this address.`;
    case 'sender_mismatch':
      return `The message was sent by ${m.envelopeSender} on behalf of ${m.from}; ${m.envelopeSender} is not on the customer side of this case.`;
    case 'case_closed':
      return 'The case is closed and takes no more replies.';
    case 'rejected_by_case':
      return `The case did not accept a reply: ${detail ?? 'no reason given'}.`;
  }
}

export interface Answer {
  to: string;
  subject: string;
  text: string;
}

export function bounce(m: InboundMessage, reason: RefusalReason, recipient: string | null, detail?: string): Answer {
  return {
    to: m.answerTo!,
    subject: `Undelivered: ${m.subject || '(no subject)'}`,
    text: [
      'Your message could not be added to a support case.',
      '',
      `  Reason:     ${refusalText(reason, m, detail)}`,
      `  Code:       ${reason}`,
      `  Recipient:  ${recipient ?? '(none)'}`,
      `  Message-ID: ${m.messageId ?? '(none)'}`,
      '',
      'Nothing was recorded on any case from this message. This is an automatic answer.',
    ].join('\n'),
  };
}

export function closedCaseAnswer(m: InboundMessage, c: ClosedCase): Answer {
  return {
    to: m.answerTo!,
    subject: `Case #${c.number} is closed: ${m.subject || c.title}`,
    text: [
      `Case #${c.number} ("${c.title}") is closed${c.closeReason ? ` (${c.closeReason.replace(/_/g, ' ')})` : ''}, so your message was not added to it.`,
      '',
      'If the problem continues or you have a new question, open a new case that references this one:',
      `  - in the support portal, mention case #${c.number} as the related case, or`,
      `  - through the API: POST /v1/cases with "relatedCaseId": "${c.id}".`,
      '',
      'The engineer on the new case sees the history of the closed one. This is an automatic answer.',
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
    await transport.transporter.sendMail({
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
