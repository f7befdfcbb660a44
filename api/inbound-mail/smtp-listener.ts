/**
 * The inbound SMTP listener (smtp-server): the MX, or the relay behind it, delivers replies to case mail
 * here. It accepts recipients in the reply domain only (it is no open relay), takes the message and hands
 * it to the shared inbound path. A refused reply is still accepted (250) once it is recorded and answered,
 * like a mailbox that bounces; a temporary failure (Temporal or the database away) is 451, so the sending
 * server retries later. TLS and authentication are left to the MTA in front of it.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { receiveMail, type InboundMailDeps } from './receive-mail';

export interface SmtpListenerOptions {
  port: number;
  host?: string;
  /** Largest accepted message in bytes (advertised as SIZE; larger ones get 552). */
  maxBytes: number;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

export async function startSmtpListener(deps: InboundMailDeps, opts: SmtpListenerOptions): Promise<SmtpListener> {
  const domain = deps.reply.domain.toLowerCase();
  const server = new SMTPServer({
    name: domain,
    banner: 'Caseflow inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      const at = address.address.lastIndexOf('@');
      if (address.address.slice(at + 1).toLowerCase() !== domain) {
        return callback(
          Object.assign(new Error(`5.7.1 relaying denied: this server accepts mail for @${domain} only`), { responseCode: 550 }),
        );
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(Object.assign(new Error(`5.3.4 message exceeds ${opts.maxBytes} bytes`), { responseCode: 552 }));
        }
        const envelope = {
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        receiveMail(deps, Buffer.concat(chunks), 'smtp', envelope).then(
          (outcome) =>
            callback(null, outcome.status === 'refused' ? `2.0.0 refused (${outcome.reason}), answered` : `2.0.0 ${outcome.status}`),
          (err: unknown) => {
            deps.logger.warn({ err }, 'inbound mail: temporary failure, asking the sender to retry');
            callback(Object.assign(new Error('4.3.0 temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  server.on('error', (err) => deps.logger.warn({ err }, 'inbound SMTP listener error'));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
