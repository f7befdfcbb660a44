/**
 * The SMTP transport, built from the environment. Shared by outgoing case mail and by the inbound path
 * (bounces), so both speak to the same relay with the same settings.
 *
 *   SMTP_URL   smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps://... (TLS from the
 *              first byte); user and password are URL-encoded.
 *   MAIL_FROM  the From header, e.g. `Acme Support <support@example.com>`.
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

export interface TransportOptions {
  /** How long one SMTP conversation may take before it counts as failed (default 30 s). */
  timeoutMs?: number;
  /** Keep connections open and reuse them (default true): one TLS handshake per connection, not per mail. */
  pool?: boolean;
}

/** A transport for an SMTP URL. Throws on a URL that is not smtp:// or smtps://. */
export function createMailTransport(smtpUrl: string, from: string = DEFAULT_MAIL_FROM, opts: TransportOptions = {}): MailTransport {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL must be smtp:// or smtps://, got ${url.protocol}//`);
  const secure = url.protocol === 'smtps:';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const options: SMTPTransport.Options = {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Local dev servers (Mailpit, the .eml sink) have no certificate worth checking; a real relay does.
    tls: isLoopback(url.hostname) ? { rejectUnauthorized: false } : undefined,
  };
  const transporter = opts.pool === false ? nodemailer.createTransport(options) : nodemailer.createTransport({ ...options, pool: true });
  const masked = new URL(smtpUrl);
  if (masked.password) masked.password = '***';
  return { transporter, from, describe: masked.toString() };
}

/** SMTP_URL + MAIL_FROM, or null when SMTP_URL is unset (mail then waits in the outbox). */
export function mailTransportFromEnv(env: NodeJS.ProcessEnv = process.env, opts?: TransportOptions): MailTransport | null {
  const url = env.SMTP_URL;
  if (!url) return null;
  return createMailTransport(url, env.MAIL_FROM || DEFAULT_MAIL_FROM, opts);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
}
