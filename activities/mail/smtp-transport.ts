/**
 * A minimal SMTP transport from SMTP_URL and MAIL_FROM, for the answers the inbound path sends (bounces,
 * closed-case notices). Interim: the outgoing-mail work brings `transport.ts` with the same shape
 * (`{ transporter, from, describe }`); when it is on main this module goes and its callers import that one.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export const DEFAULT_MAIL_FROM = 'Caseflow Support <support@caseflow.localhost>';

export interface MailTransport {
  transporter: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;
  /** The From header every message carries. */
  from: string;
  /** The SMTP URL with the password masked, for logs. */
  describe: string;
}

export function createMailTransport(smtpUrl: string, from: string = DEFAULT_MAIL_FROM, opts: { timeoutMs?: number } = {}): MailTransport {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL must be smtp:// or smtps://, got ${url.protocol}//`);
  const secure = url.protocol === 'smtps:';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const masked = new URL(smtpUrl);
  if (masked.password) masked.password = '***';
  return { transporter, from, describe: masked.toString() };
}

/** SMTP_URL + MAIL_FROM, or null when SMTP_URL is unset. */
export function mailTransportFromEnv(env: NodeJS.ProcessEnv = process.env): MailTransport | null {
  return env.SMTP_URL ? createMailTransport(env.SMTP_URL, env.MAIL_FROM || DEFAULT_MAIL_FROM) : null;
}
