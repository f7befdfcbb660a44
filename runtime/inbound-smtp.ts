/**
 * Starts the inbound SMTP listener beside the API, on the same inbound-mail settings (one transport for
 * answers). Its refusals and answers are counted in the database's shared limit counters, so several API
 * processes limit together (api/shared-state/limit-counters.ts).
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { InboundMailOptions } from '../api/app';
import { startSmtpListener, type SmtpListener } from '../api/inbound-mail/smtp-listener';
import { limitCounter } from '../api/shared-state/limit-counters';
import type { Database } from '../db/client';
import { AttachmentService } from '../api/attachments/attachments';
import { loadConfig } from './config';

export function startInboundSmtp(
  deps: { database: Database; temporal: Client; logger: Logger; inboundMail: InboundMailOptions; attachments?: AttachmentService },
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
      answerCounter: limitCounter(deps.database, 'inbound-answer', 3600),
      // Mail attachments go to the configured blob store, as uploads do.
      attachments: deps.attachments ?? new AttachmentService(deps.database.db, loadConfig().attachments, deps.logger),
    },
    {
      port: listen.port,
      host: listen.host,
      maxBytes: inboundMail.maxBytes,
      refusalCounter: limitCounter(deps.database, 'inbound-refusal', 60),
    },
  );
}
