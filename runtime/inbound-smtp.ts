/** Starts the inbound SMTP listener beside the API, on the same inbound-mail settings (one transport for answers). */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { InboundMailOptions } from '../api/app';
import { startSmtpListener, type SmtpListener } from '../api/inbound-mail/smtp-listener';
import type { Database } from '../db/client';

export function startInboundSmtp(
  deps: { database: Database; temporal: Client; logger: Logger; inboundMail: InboundMailOptions },
  listen: { port: number; host: string },
): Promise<SmtpListener> {
  const { inboundMail } = deps;
  return startSmtpListener(
    {
      db: deps.database.db,
      temporal: deps.temporal,
      reply: inboundMail.reply,
      transport: inboundMail.transport,
      logger: deps.logger.child({ component: 'inbound-smtp' }),
      withDeadline: (fn) => deps.temporal.withDeadline(Date.now() + 20_000, fn),
    },
    { port: listen.port, host: listen.host, maxBytes: inboundMail.maxBytes },
  );
}
