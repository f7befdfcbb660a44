/** The mail channel from the environment: SMTP_URL (unset = no mail), MAIL_FROM, MAIL_REPLY_SECRET/DOMAIN. */
import type { CaseMailer } from './mailer';
import { replyConfigFromEnv } from './reply-config';
import { mailTransportFromEnv } from './transport';

export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): CaseMailer | null {
  const transport = mailTransportFromEnv(env);
  return transport ? { transport, reply: replyConfigFromEnv(env) } : null;
}
