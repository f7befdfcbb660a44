/**
 * The inbound SMTP listener (smtp-server): the MX, or the relay behind it, delivers replies to case mail
 * here. Whatever the case cannot take is refused in the SMTP dialogue, so the sending server tells its own
 * user and we never mail a bounce of our own (no backscatter to forged senders):
 *
 *   RCPT  550  not the reply domain (no relaying); not a reply address, a forged or garbled token, a case
 *              that does not exist, a closed case. The null sender (delivery reports) may still reach a
 *              closed case's address and the bounce mailbox (`bounces@<reply domain>`).
 *   DATA  550  the sender is not on the customer side of the case (or the envelope sender differs and is
 *              not either); a message to the bounce mailbox that is no delivery report of ours.
 *   DATA  250  applied, a repeat, or recorded without changing anything (automatic mail, a delivery report,
 *              a reply with nothing new); a verified customer's reply the case refused (closed meanwhile) is
 *              answered by mail in the case's language.
 *   DATA  451  a temporary failure (Temporal or the database away): the sending server retries.
 *
 * Refusals never repeat what the sender wrote. They are counted per envelope sender (the client address for
 * the null sender) and per recipient address: past the limit in a minute the listener answers 450 without
 * looking anything up. TLS and authentication are left to the MTA in front of it.
 */
import type { AddressInfo } from 'node:net';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { parseReplyAddress } from '../../activities/mail/reply-address';
import { caseRow, receiveMail, type InboundMailDeps, type InboundOutcome } from './receive-mail';

export interface SmtpListenerOptions {
  port: number;
  host?: string;
  /** Largest accepted message in bytes (advertised as SIZE; larger ones get 552). */
  maxBytes: number;
  /** Counts refusals (api/shared-state limitCounter with a 60 s window on a shared database); default: in this process. */
  refusalCounter?: RateLimiterAbstract;
  /** Refusals per minute per envelope sender and per recipient address before 450 (default 10 each). */
  refusalsPerMinute?: { perSender: number; perAddress: number };
  /** Local parts of the reply domain that take delivery reports from the null sender (default `bounces`). */
  bounceLocalParts?: string[];
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };
const smtpError = (code: number, text: string): SmtpError => Object.assign(new Error(text), { responseCode: code });

/** What the dialogue says to each refusal: fixed texts, never the sender's words. */
const NO_MAILBOX = () => smtpError(550, '5.1.1 no such mailbox here');
const NOT_ALLOWED = () => smtpError(550, '5.7.1 this sender may not write to this address');

export async function startSmtpListener(deps: InboundMailDeps, opts: SmtpListenerOptions): Promise<SmtpListener> {
  const domain = deps.reply.domain.toLowerCase();
  const bounceLocals = (opts.bounceLocalParts ?? ['bounces']).map((l) => l.toLowerCase());
  const counter =
    opts.refusalCounter ?? new RateLimiterMemory({ keyPrefix: 'smtp-refusals', points: Number.MAX_SAFE_INTEGER, duration: 60 });
  const limits = opts.refusalsPerMinute ?? { perSender: 10, perAddress: 10 };

  const senderKey = (session: SMTPServerSession) =>
    session.envelope.mailFrom === false || session.envelope.mailFrom.address === ''
      ? `sender:ip:${session.remoteAddress}`
      : `sender:${session.envelope.mailFrom.address.toLowerCase()}`;
  const overLimit = async (session: SMTPServerSession, address: string) => {
    const [bySender, byAddress] = await Promise.all([counter.get(senderKey(session)), counter.get(`rcpt:${address.toLowerCase()}`)]);
    return (bySender?.consumedPoints ?? 0) >= limits.perSender || (byAddress?.consumedPoints ?? 0) >= limits.perAddress;
  };
  const countRefusal = async (session: SMTPServerSession, address: string) => {
    await Promise.all([counter.consume(senderKey(session), 1), counter.consume(`rcpt:${address.toLowerCase()}`, 1)]);
  };
  const nullSender = (session: SMTPServerSession) => session.envelope.mailFrom === false || session.envelope.mailFrom.address === '';

  /** null = accept the recipient; otherwise the refusal to answer. */
  const checkRecipient = async (address: string, session: SMTPServerSession): Promise<SmtpError | null> => {
    const at = address.lastIndexOf('@');
    if (address.slice(at + 1).toLowerCase() !== domain) {
      return smtpError(550, `5.7.1 relaying denied: this server accepts mail for @${domain} only`);
    }
    if (bounceLocals.includes(address.slice(0, at).toLowerCase())) return nullSender(session) ? null : NO_MAILBOX();
    const parsed = parseReplyAddress(deps.reply, address);
    if (!parsed.ok) {
      // Forged, garbled or no reply address at all: the same answer, and nothing recorded on any case.
      deps.logger.info({ reason: parsed.reason, remote: session.remoteAddress }, 'inbound SMTP: recipient refused');
      return NO_MAILBOX();
    }
    const row = await caseRow(deps.db, parsed.caseId);
    if (!row) return NO_MAILBOX();
    if (row.status === 'closed' && !nullSender(session)) {
      return smtpError(550, '5.7.1 this case is closed and takes no more mail; please open a new case in the support portal');
    }
    return null;
  };

  const server = new SMTPServer({
    name: domain,
    banner: 'Caseflow inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    logger: false,
    onRcptTo(address, session, callback) {
      const run = async (): Promise<SmtpError | null> => {
        if (await overLimit(session, address.address)) return smtpError(450, '4.7.1 too many refused messages; try again later');
        const refusal = await checkRecipient(address.address, session);
        if (refusal) await countRefusal(session, address.address);
        return refusal;
      };
      run().then(
        (refusal) => (refusal ? callback(refusal) : callback()),
        (err: unknown) => {
          deps.logger.warn({ err }, 'inbound SMTP: temporary failure checking a recipient');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `5.3.4 message exceeds ${opts.maxBytes} bytes`));
        const envelope = {
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        const recipient = envelope.rcptTo[0] ?? '';
        receiveMail(deps, Buffer.concat(chunks), 'smtp', envelope)
          .then(async (outcome) => {
            const refusal = dataRefusal(outcome);
            if (refusal) await countRefusal(session, recipient);
            return { outcome, refusal };
          })
          .then(
            ({ outcome, refusal }) => (refusal ? callback(refusal) : callback(null, dataAnswer(outcome))),
            (err: unknown) => {
              deps.logger.warn({ err }, 'inbound mail: temporary failure, asking the sender to retry');
              callback(smtpError(451, '4.3.0 temporary failure, try again later'));
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

/** The refusals answered 550 at DATA; a verified customer's refused reply is answered by mail instead (250). */
function dataRefusal(outcome: InboundOutcome): SmtpError | null {
  if (outcome.status !== 'refused') return null;
  if (outcome.reason === 'case_closed' || outcome.reason === 'rejected_by_case') return null;
  if (outcome.reason === 'unknown_sender' || outcome.reason === 'sender_mismatch' || outcome.reason === 'no_sender') return NOT_ALLOWED();
  return NO_MAILBOX();
}

function dataAnswer(outcome: InboundOutcome): string {
  switch (outcome.status) {
    case 'accepted':
    case 'duplicate':
      return `2.0.0 ${outcome.status}`;
    case 'ignored':
      return `2.0.0 recorded (${outcome.classification}), not added to the case`;
    case 'refused':
      return `2.0.0 not added to the case (${outcome.reason}); the sender was told why`;
  }
}
