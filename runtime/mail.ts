/**
 * The process's mail, built once from the parsed configuration (runtime/config.ts): the case worker's
 * mailer and the API's inbound-mail options. Nothing here reads the environment.
 */
import type { CaseMailer } from '../activities/mail/mailer';
import type { ReplyAddressConfig } from '../activities/mail/reply-address';
import { createMailTransport } from '../activities/mail/transport';
import type { InboundMailOptions } from '../api/app';
import type { Config } from './config';

type MailConfig = Config['mail'];

/** The reply-address key; a production process without one refuses to mint or check reply addresses. */
function replyKey(mail: MailConfig): ReplyAddressConfig {
  if (!mail.reply) throw new Error('MAIL_REPLY_SECRET is missing: refusing to mint reply addresses with the development key in production');
  return mail.reply;
}

/** Case mail over SMTP; null when no SMTP server is configured (notices then wait in the outbox). */
export function caseMailer(mail: MailConfig): CaseMailer | null {
  if (!mail.smtpUrl) return null;
  return {
    transport: createMailTransport(mail.smtpUrl, mail.from, { concurrency: mail.concurrency }),
    reply: replyKey(mail),
    consoleUrl: mail.consoleUrl,
  };
}

/** What the inbound side needs: the reply key, the SMTP server answers go out over, the size limit. */
export function inboundMailOptions(mail: MailConfig): InboundMailOptions {
  return {
    reply: replyKey(mail),
    transport: mail.smtpUrl ? createMailTransport(mail.smtpUrl, mail.from, { concurrency: mail.concurrency }) : null,
    maxBytes: mail.inboundMaxBytes,
  };
}
