/** The mail channel from the environment: SMTP_URL (unset = no mail), MAIL_FROM, MAIL_REPLY_SECRET/DOMAIN, PUBLIC_URL. */
import type { CaseMailer } from './mailer';
import { replyConfigFromEnv } from './reply-config';
import { mailTransportFromEnv } from './transport';

export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): CaseMailer | null {
  const transport = mailTransportFromEnv(env);
  return transport ? { transport, reply: replyConfigFromEnv(env), consoleUrl: consoleUrlFromEnv(env) } : null;
}

/** The console's public URL for links in mail: PUBLIC_URL, else the local API port. */
export function consoleUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, '');
}
