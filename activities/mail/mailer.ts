/**
 * Sends one composed mail over SMTP with the case's threading headers. A permanent refusal by the server
 * (5xx, e.g. unknown mailbox) is a bounce: reported, not retried. Anything else (connection refused,
 * timeout, 4xx) throws, so the delivery is retried with backoff.
 */
import type { ReplyAddressConfig } from './reply-address';
import { replyAddress } from './reply-address';
import { domainOf, messageIdFor, threadRootId } from './message-id';
import type { MailTransport } from './transport';
import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '../trace-span';

export interface CaseMailer {
  transport: MailTransport;
  reply: ReplyAddressConfig;
  /** Where people open the console (PUBLIC_URL, no trailing slash): the links in every mail. */
  consoleUrl: string;
}

export interface OutgoingMail {
  dedupeKey: string;
  caseId: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Customer mail carries the case's signed reply address; staff mail is answered in the console. */
  customerFacing: boolean;
}

export type SendOutcome = { status: 'sent' | 'bounced'; messageId: string; response: string };

/** One SMTP send, traced as `smtp.send` (the mail delivery of a case's trace). */
export function sendCaseMail(mailer: CaseMailer, mail: OutgoingMail): Promise<SendOutcome> {
  const attributes = {
    'caseflow.case_id': mail.caseId,
    'caseflow.notice.dedupe_key': mail.dedupeKey,
    'caseflow.mail.customer_facing': mail.customerFacing,
  };
  return inSpan('smtp.send', { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const outcome = await sendOnce(mailer, mail);
    span.setAttribute('caseflow.mail.outcome', outcome.status);
    return outcome;
  });
}

async function sendOnce(mailer: CaseMailer, mail: OutgoingMail): Promise<SendOutcome> {
  const domain = domainOf(mailer.transport.from);
  const messageId = messageIdFor(mail.dedupeKey, mail.to.address, domain);
  const root = threadRootId(mail.caseId, domain);
  try {
    const info = await mailer.transport.send({
      from: mailer.transport.from,
      to: { name: mail.to.name, address: mail.to.address },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      inReplyTo: root,
      references: [root],
      ...(mail.customerFacing ? { replyTo: replyAddress(mailer.reply, mail.caseId) } : {}),
      headers: {
        // RFC 3834: machine-sent, so vacation responders stay quiet instead of answering into the case.
        'Auto-Submitted': 'auto-generated',
        'X-Caseflow-Case': mail.caseId,
        'X-Caseflow-Dedupe-Key': mail.dedupeKey,
      },
    });
    return { status: 'sent', messageId, response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message?: string };
    if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) {
      return { status: 'bounced', messageId, response: e.response ?? String(e.message) };
    }
    throw err;
  }
}
