/**
 * The SMTP transport, built from the environment. Shared by outgoing case mail and by the inbound path
 * (bounces), so both speak to the same relay with the same settings.
 *
 *   SMTP_URL   smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps://... (TLS from the
 *              first byte); user and password are URL-encoded.
 *   MAIL_FROM  the From header, e.g. `Acme Support <support@example.com>`.
 *   MAIL_CONCURRENCY  how many mails go to one SMTP server at once (default 10): the pool's connections, and
 *              a limit shared by every transport of the process that speaks to that host and port, so a
 *              burst of deliveries goes out side by side without opening more connections than the relay
 *              is meant to take.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export const DEFAULT_MAIL_FROM = 'Caseflow Support <support@caseflow.localhost>';

export const DEFAULT_MAIL_CONCURRENCY = 10;

type SmtpTransporter = Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

export interface MailTransport {
  transporter: SmtpTransporter;
  /** Sends through the transporter, at most `concurrency` at once per SMTP server (host:port) in this process. */
  send(mail: Parameters<SmtpTransporter['sendMail']>[0]): Promise<SMTPTransport.SentMessageInfo>;
  /** Mails in flight at once to this server (MAIL_CONCURRENCY). */
  concurrency: number;
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
  /** Mails in flight at once to this SMTP server, and the pool's connections (default MAIL_CONCURRENCY's 10). */
  concurrency?: number;
}

/** A counting semaphore: `run` waits for a free slot, first come first served. */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(public max: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** One limit per SMTP server (host:port), shared by the transports of this process that speak to it. */
const serverLimits = new Map<string, Limiter>();
function limiterFor(server: string, max: number): Limiter {
  let limiter = serverLimits.get(server);
  if (!limiter) serverLimits.set(server, (limiter = new Limiter(max)));
  // The smallest configured limit wins: no transport may push a server past what another was told it takes.
  limiter.max = Math.min(limiter.max, max);
  return limiter;
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
  const concurrency = opts.concurrency ?? DEFAULT_MAIL_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`mail concurrency must be a positive integer, got ${concurrency}`);
  const transporter =
    opts.pool === false
      ? nodemailer.createTransport(options)
      : // One connection per mail in flight, kept open and reused: a burst costs no handshakes after the first.
        nodemailer.createTransport({ ...options, pool: true, maxConnections: concurrency });
  const limiter = limiterFor(`${options.host}:${options.port}`, concurrency);
  const masked = new URL(smtpUrl);
  if (masked.password) masked.password = '***';
  return {
    transporter,
    send: (mail) => limiter.run(() => transporter.sendMail(mail)),
    concurrency,
    from,
    describe: masked.toString(),
  };
}

/** SMTP_URL + MAIL_FROM + MAIL_CONCURRENCY, or null when SMTP_URL is unset (mail then waits in the outbox). */
export function mailTransportFromEnv(env: NodeJS.ProcessEnv = process.env, opts?: TransportOptions): MailTransport | null {
  const url = env.SMTP_URL;
  if (!url) return null;
  return createMailTransport(url, env.MAIL_FROM || DEFAULT_MAIL_FROM, { concurrency: mailConcurrencyFromEnv(env), ...opts });
}

/** MAIL_CONCURRENCY: an integer 1-1000, default 10. */
export function mailConcurrencyFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MAIL_CONCURRENCY;
  if (raw === undefined || raw === '') return DEFAULT_MAIL_CONCURRENCY;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error(`MAIL_CONCURRENCY must be an integer 1-1000, got '${raw}'`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
}
